import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { TimerLeases1763910000000 } from './1763910000000-timer-leases';
import { TaskListOrder1763920000000 } from './1763920000000-task-list-order';
import { TaskGroupCounts1763930000000 } from './1763930000000-task-group-counts';
import { TaskRisk1763947000000 } from './1763947000000-task-risk';
import { Cases1763960000000 } from './1763960000000-cases';
import { LawInForce1764900000000 } from './1764900000000-law-in-force';
import { WebSessions1765020000000 } from './1765020000000-web-sessions';
import { Attachments1765300000000 } from './1765300000000-attachments';
import { AssignmentComments1765100000000 } from './1765100000000-assignment-comments';
import { TaskFilters1765500000000 } from './1765500000000-task-filters';
import { ExternalTasks1796441063932 } from './1796441063932-external-tasks';
import { SigningDrafts1796441099129 } from './1796441099129-signing-drafts';
import { CompactStorage1796441303500 } from './1796441303500-compact-storage';
import { CalledStarts1796452010524 } from './1796452010524-called-starts';
import { TaskInstanceIndex1796452185905 } from './1796452185905-task-instance-index';

/** Every schema migration, oldest first; the host runs the pending ones at start. */
export const migrations = [InitialSchema1763900000000, TimerLeases1763910000000, TaskListOrder1763920000000, TaskGroupCounts1763930000000, TaskRisk1763947000000, Cases1763960000000, LawInForce1764900000000, WebSessions1765020000000, AssignmentComments1765100000000, Attachments1765300000000, TaskFilters1765500000000, ExternalTasks1796441063932, SigningDrafts1796441099129, CompactStorage1796441303500, CalledStarts1796452010524, TaskInstanceIndex1796452185905];
