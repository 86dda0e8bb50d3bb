import { EntitySchema } from 'typeorm';
import { CommentEntity } from './comment-entity';
import { WebSessionEntity } from './session-entity';
import { AttachmentEntity } from './attachment-entity';
import { SigningDraftEntity } from './signing-draft-entity';
import { TaskFilterEntity } from './task-filter-entity';
import { ExternalTaskEntity } from './external-task-entity';

/*
 * Tables are described with EntitySchema rather than decorators so that the rows stay plain
 * interfaces. Timestamps are ISO-8601 UTC strings (fixed width, so they sort as text on sqlite
 * and PostgreSQL alike); JSON goes into text columns for the same portability.
 */

export interface DeploymentRow {
  id: string;
  name: string;
  source: string;
  deployedAt: string;
  deployedBy: string | null;
}

export interface DefinitionRow {
  id: string;
  key: string;
  version: number;
  name: string | null;
  resourceName: string;
  source: string;
  sourceHash: string;
  deploymentId: string;
  deployedAt: string;
  /**
   * The civil date (YYYY-MM-DD, Almaty) from which the version is in force (process property
   * `inForceFrom`); null: from its deployment. A new application starts on the version in force on its
   * filing date.
   */
  inForceFrom?: string | null;
}

export type InstanceState = 'running' | 'completed';

export interface InstanceRow {
  id: string;
  definitionId: string;
  processDefinitionKey: string;
  version: number;
  businessKey: string | null;
  state: InstanceState;
  /** bpmn-engine state without the embedded definition source; null once the instance has ended. */
  engineState: string | null;
  variables: string;
  activeActivities: string;
  outcome: string | null;
  startedAt: string;
  endedAt: string | null;
  startedBy: string | null;
  /** The service's overall legal deadline (process property serviceTimeLimit), for top-level instances. */
  deadline?: string | null;
  /** The deadline is the sum of the steps, not a figure the act states. */
  deadlineDerived?: boolean | null;
  /** Key of the top-level reglament a called (child) instance serves; null for a top-level instance. */
  rootProcessDefinitionKey?: string | null;
  parentInstanceId: string | null;
  parentActivityId: string | null;
  parentExecutionId: string | null;
  /** The application (top-level instance) this instance belongs to: its own id for a top-level one. */
  rootInstanceId?: string | null;
  /** The applicant as the variables name them (runtime/applicant.ts), for the case and task lists. */
  applicantName?: string | null;
  applicantIinBin?: string | null;
  /** applicantName folded for a case-insensitive search (Cyrillic included). */
  applicantSearch?: string | null;
  /** Optimistic-lock counter: every write checks the value it read. */
  rev: number;
}

export type TaskState = 'open' | 'completed' | 'cancelled';

export interface TaskRow {
  id: string;
  processInstanceId: string;
  processDefinitionKey: string;
  definitionId: string;
  businessKey: string | null;
  taskDefinitionKey: string;
  executionId: string;
  name: string | null;
  assignee: string | null;
  created: string;
  due: string | null;
  timeLimit: string | null;
  priority: number;
  state: TaskState;
  completedAt: string | null;
  completedBy: string | null;
  /** When the task passed its due date while open (escalated once). */
  escalatedAt?: string | null;
  /** From when the task is at risk: the last share of its limit's working time (AT_RISK_SHARE); null without a due date. */
  riskFrom?: string | null;
  /** When the at-risk warning was sent, or found needless (the task already overdue): warned once. */
  warnedAt?: string | null;
  /** `due`, or DUE_SORT_NONE: the task list's due order without a COALESCE that no index serves. */
  dueSort?: string;
  /** Camunda's owner: who delegated the task and gets it back when the delegate resolves it. */
  owner?: string | null;
  /** Camunda's delegationState: PENDING while a delegate holds it, RESOLVED once handed back; null: never delegated. */
  delegationState?: DelegationState | null;
}

export type DelegationState = 'PENDING' | 'RESOLVED';

/**
 * A task's candidate group, with a copy of what the task list filters and sorts on (state, due
 * order, creation): a group's first page by due date is then read in index order, without looking
 * at the group's other open tasks.
 */
export interface TaskGroupRow {
  taskId: string;
  groupId: string;
  state: TaskState;
  /** The due date, or DUE_SORT_NONE when the task has none (sorts after every dated task). */
  dueSort: string;
  created: string;
}

/** Sort key of a task without a due date: after every dated one, whichever the direction. */
export const DUE_SORT_NONE = '9999-12-31T23:59:59.999Z';

export interface HistoryRow {
  id?: number;
  processInstanceId: string;
  at: string;
  type: string;
  activityId: string | null;
  activityName: string | null;
  userId: string | null;
  data: string | null;
}

const ts = { type: 'varchar', length: 24 } as const;
const tsNullable = { type: 'varchar', length: 24, nullable: true } as const;
const id = { type: 'varchar', length: 64 } as const;

export const DeploymentEntity = new EntitySchema<DeploymentRow>({
  name: 'Deployment',
  tableName: 'deployments',
  columns: {
    id: { ...id, primary: true },
    name: { type: 'varchar', length: 255 },
    source: { type: 'varchar', length: 40 },
    deployedAt: ts,
    deployedBy: { type: 'varchar', length: 100, nullable: true },
  },
});

export const DefinitionEntity = new EntitySchema<DefinitionRow>({
  name: 'Definition',
  tableName: 'process_definitions',
  columns: {
    id: { type: 'varchar', length: 160, primary: true },
    key: { type: 'varchar', length: 128 },
    version: { type: 'integer' },
    name: { type: 'text', nullable: true },
    resourceName: { type: 'varchar', length: 255 },
    source: { type: 'text' },
    sourceHash: { type: 'varchar', length: 64 },
    deploymentId: id,
    deployedAt: ts,
    inForceFrom: { type: 'varchar', length: 10, nullable: true },
  },
  uniques: [{ name: 'uq_definition_key_version', columns: ['key', 'version'] }],
});

export const InstanceEntity = new EntitySchema<InstanceRow>({
  name: 'Instance',
  tableName: 'process_instances',
  columns: {
    id: { ...id, primary: true },
    definitionId: { type: 'varchar', length: 160 },
    processDefinitionKey: { type: 'varchar', length: 128 },
    version: { type: 'integer' },
    businessKey: { type: 'varchar', length: 255, nullable: true },
    state: { type: 'varchar', length: 16 },
    engineState: { type: 'text', nullable: true },
    variables: { type: 'text' },
    activeActivities: { type: 'text' },
    outcome: { type: 'varchar', length: 128, nullable: true },
    startedAt: ts,
    endedAt: tsNullable,
    startedBy: { type: 'varchar', length: 100, nullable: true },
    deadline: tsNullable,
    deadlineDerived: { type: 'boolean', nullable: true },
    rootProcessDefinitionKey: { type: 'varchar', length: 128, nullable: true },
    parentInstanceId: { type: 'varchar', length: 64, nullable: true },
    parentActivityId: { type: 'varchar', length: 128, nullable: true },
    parentExecutionId: { type: 'varchar', length: 160, nullable: true },
    rootInstanceId: { type: 'varchar', length: 64, nullable: true },
    applicantName: { type: 'varchar', length: 255, nullable: true },
    applicantIinBin: { type: 'varchar', length: 64, nullable: true },
    applicantSearch: { type: 'varchar', length: 255, nullable: true },
    rev: { type: 'integer' },
  },
  indices: [
    { name: 'ix_instance_key_state', columns: ['processDefinitionKey', 'state', 'startedAt'] },
    { name: 'ix_instance_business_key', columns: ['businessKey'] },
    // The case list (migration 1763960000000-cases): an application's instances, search by IIN/BIN,
    // newest cases first, and one case number per reglament (a partial unique index: top-level only).
    { name: 'ix_instance_root', columns: ['rootInstanceId'] },
    { name: 'ix_instance_applicant_iin_bin', columns: ['applicantIinBin'] },
    { name: 'ix_instance_cases', columns: ['parentInstanceId', 'startedAt', 'id'] },
    { name: 'uq_instance_case_number', columns: ['processDefinitionKey', 'businessKey'], unique: true, where: '"parentInstanceId" IS NULL' },
  ],
});

export const TaskEntity = new EntitySchema<TaskRow>({
  name: 'Task',
  tableName: 'tasks',
  columns: {
    id: { ...id, primary: true },
    processInstanceId: id,
    processDefinitionKey: { type: 'varchar', length: 128 },
    definitionId: { type: 'varchar', length: 160 },
    businessKey: { type: 'varchar', length: 255, nullable: true },
    taskDefinitionKey: { type: 'varchar', length: 128 },
    executionId: { type: 'varchar', length: 160 },
    name: { type: 'text', nullable: true },
    assignee: { type: 'varchar', length: 100, nullable: true },
    created: ts,
    due: tsNullable,
    timeLimit: { type: 'varchar', length: 100, nullable: true },
    priority: { type: 'integer', default: 50 },
    state: { type: 'varchar', length: 12 },
    completedAt: tsNullable,
    completedBy: { type: 'varchar', length: 100, nullable: true },
    escalatedAt: tsNullable,
    riskFrom: tsNullable,
    warnedAt: tsNullable,
    dueSort: { type: 'varchar', length: 24, default: DUE_SORT_NONE },
    owner: { type: 'varchar', length: 100, nullable: true },
    delegationState: { type: 'varchar', length: 12, nullable: true },
  },
  // Its index serves an instance's tasks too (no index of processInstanceId alone).
  uniques: [{ name: 'uq_task_execution', columns: ['processInstanceId', 'executionId'] }],
  indices: [
    { name: 'ix_task_state_due', columns: ['state', 'due'] },
    { name: 'ix_task_state_due_sort', columns: ['state', 'dueSort', 'created', 'id'] },
    { name: 'ix_task_state_created', columns: ['state', 'created', 'id'] },
    { name: 'ix_task_state_assignee', columns: ['state', 'assignee'] },
    { name: 'ix_task_state_warned_risk', columns: ['state', 'warnedAt', 'riskFrom'] },
  ],
});

export const TaskGroupEntity = new EntitySchema<TaskGroupRow>({
  name: 'TaskGroup',
  tableName: 'task_candidate_groups',
  columns: {
    taskId: { ...id, primary: true },
    groupId: { type: 'varchar', length: 100, primary: true },
    state: { type: 'varchar', length: 12, default: 'open' },
    dueSort: { type: 'varchar', length: 24, default: DUE_SORT_NONE },
    created: { type: 'varchar', length: 24, default: '' },
  },
  indices: [
    { name: 'ix_task_group_due', columns: ['groupId', 'state', 'dueSort', 'created', 'taskId'] },
    { name: 'ix_task_group_created', columns: ['groupId', 'state', 'created', 'taskId'] },
  ],
});

export const HistoryEntity = new EntitySchema<HistoryRow>({
  name: 'History',
  tableName: 'history',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    processInstanceId: id,
    at: ts,
    type: { type: 'varchar', length: 40 },
    activityId: { type: 'varchar', length: 128, nullable: true },
    activityName: { type: 'text', nullable: true },
    userId: { type: 'varchar', length: 100, nullable: true },
    data: { type: 'text', nullable: true },
  },
  indices: [{ name: 'ix_history_instance', columns: ['processInstanceId', 'id'] }],
});

export type TimerState = 'pending' | 'fired' | 'cancelled';

/**
 * A timer event that waits in an instance. The host owns every timer: the row is the timer, the
 * engine's own timers are never armed, so a timer survives restarts and is fired exactly once
 * (the state moves from pending under a compare-and-set) by whichever server process sees it due.
 */
export interface TimerRow {
  id: string;
  /** `event`: a timer event of the diagram; `task-due`: the legal time limit of a user task (escalation). */
  kind: string;
  processInstanceId: string;
  processDefinitionKey: string;
  activityId: string;
  executionId: string;
  timerType: string;
  /** The timer's definition as written (ISO duration or resolved date). */
  timerValue: string | null;
  createdAt: string;
  dueAt: string;
  state: TimerState;
  firedAt: string | null;
  /** Lease: the server process firing it, until when; another process leaves it alone meanwhile. */
  lockedBy?: string | null;
  lockedUntil?: string | null;
}

export const TimerEntity = new EntitySchema<TimerRow>({
  name: 'Timer',
  tableName: 'timers',
  columns: {
    id: { ...id, primary: true },
    kind: { type: 'varchar', length: 12, default: 'event' },
    processInstanceId: id,
    processDefinitionKey: { type: 'varchar', length: 128 },
    activityId: { type: 'varchar', length: 128 },
    executionId: { type: 'varchar', length: 160 },
    timerType: { type: 'varchar', length: 20 },
    timerValue: { type: 'varchar', length: 100, nullable: true },
    createdAt: ts,
    dueAt: ts,
    state: { type: 'varchar', length: 12 },
    firedAt: tsNullable,
    lockedBy: { type: 'varchar', length: 100, nullable: true },
    lockedUntil: tsNullable,
  },
  uniques: [{ name: 'uq_timer_execution', columns: ['processInstanceId', 'executionId'] }],
  indices: [{ name: 'ix_timer_state_due', columns: ['state', 'dueAt'] }],
});

/**
 * A service task whose handler failed technically (its external system unreachable, a timeout).
 * The instance waits at that task until an admin retries; the incident then resolves or, if the
 * handler fails again, stays open with the new message and one more attempt counted.
 */
export interface IncidentRow {
  id: string;
  processInstanceId: string;
  processDefinitionKey: string;
  activityId: string;
  handler: string;
  message: string;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export const IncidentEntity = new EntitySchema<IncidentRow>({
  name: 'Incident',
  tableName: 'incidents',
  columns: {
    id: { ...id, primary: true },
    processInstanceId: id,
    processDefinitionKey: { type: 'varchar', length: 128 },
    activityId: { type: 'varchar', length: 128 },
    handler: { type: 'varchar', length: 128 },
    message: { type: 'text' },
    attempts: { type: 'integer' },
    createdAt: ts,
    updatedAt: ts,
    resolvedAt: tsNullable,
    resolvedBy: { type: 'varchar', length: 100, nullable: true },
  },
  indices: [{ name: 'ix_incident_instance', columns: ['processInstanceId', 'resolvedAt'] }],
});

/** A message to a group's (or a user's) task list: an overdue task escalated to the head's group. */
export interface NotificationRow {
  id: string;
  groupId: string | null;
  userId: string | null;
  type: string;
  message: string;
  processInstanceId: string | null;
  taskId: string | null;
  createdAt: string;
  readAt: string | null;
  readBy: string | null;
}

export const NotificationEntity = new EntitySchema<NotificationRow>({
  name: 'Notification',
  tableName: 'notifications',
  columns: {
    id: { ...id, primary: true },
    groupId: { type: 'varchar', length: 100, nullable: true },
    userId: { type: 'varchar', length: 100, nullable: true },
    type: { type: 'varchar', length: 40 },
    message: { type: 'text' },
    processInstanceId: { ...id, nullable: true },
    taskId: { ...id, nullable: true },
    createdAt: ts,
    readAt: tsNullable,
    readBy: { type: 'varchar', length: 100, nullable: true },
  },
  indices: [{ name: 'ix_notification_group', columns: ['groupId', 'createdAt'] }],
});

/**
 * Open tasks per candidate group, kept by every unit of work that opens or closes a task: a clerk's
 * task list shows its total without counting the group's open tasks (tens of thousands) each time.
 */
export interface TaskGroupCountRow {
  groupId: string;
  open: number;
}

export const TaskGroupCountEntity = new EntitySchema<TaskGroupCountRow>({
  name: 'TaskGroupCount',
  tableName: 'task_group_counts',
  columns: {
    groupId: { type: 'varchar', length: 100, primary: true },
    open: { type: 'integer', default: 0 },
  },
});

/**
 * One deployed version of the working-time calendar (the data of config/calendar/kz.json), so that
 * every server on the database computes due dates from the same days; the highest version is in force.
 */
export interface CalendarVersionRow {
  version: number;
  /** The calendar data as JSON (the file's shape). */
  data: string;
  /** sha256 of `data`: an unchanged calendar makes no new version. */
  dataHash: string;
  /** `file` (config/calendar/*.json read at start) or `api` (PUT /api/calendar). */
  source: string;
  deployedAt: string;
  deployedBy: string | null;
}

export const CalendarVersionEntity = new EntitySchema<CalendarVersionRow>({
  name: 'CalendarVersion',
  tableName: 'calendar_versions',
  columns: {
    version: { type: 'integer', primary: true },
    data: { type: 'text' },
    dataHash: { type: 'varchar', length: 64 },
    source: { type: 'varchar', length: 40 },
    deployedAt: ts,
    deployedBy: { type: 'varchar', length: 100, nullable: true },
  },
});

export const allEntities = [CommentEntity, NotificationEntity, DeploymentEntity, DefinitionEntity, InstanceEntity, TaskEntity, TaskGroupEntity, TaskGroupCountEntity, HistoryEntity, TimerEntity, IncidentEntity, CalendarVersionEntity, WebSessionEntity, AttachmentEntity, TaskFilterEntity, ExternalTaskEntity, SigningDraftEntity];
