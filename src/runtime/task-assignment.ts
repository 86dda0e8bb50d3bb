/**
 * Who holds a task after an assignment, a delegation or a resolution, in Camunda 7's terms: the
 * assignee works on it; delegating keeps (or makes) the holder the owner and gives the task to the
 * delegate with delegationState PENDING; the delegate's resolve returns it to the owner, RESOLVED.
 * Pure functions: the runtime asks identity/access whether the user may, then stores the change
 * with a compare-and-set on what it read.
 */
import type { TaskRow } from '../persistence/entities';
import type { TaskHolderState } from '../persistence/instance-store';

export interface HolderChange {
  next: TaskHolderState;
  /** The history row's type: task-assigned, task-taken-back, task-unclaimed, task-delegated, task-resolved. */
  type: string;
  data: Record<string, unknown>;
}

export function holdersOf(task: Pick<TaskRow, 'assignee' | 'owner' | 'delegationState'>): TaskHolderState {
  return { assignee: task.assignee, owner: task.owner ?? null, delegationState: task.delegationState ?? null };
}

/**
 * The task given to `to` (nobody when null) by `by`. Taken back: it was held by someone else than the
 * actor and the new holder. The owner of a pending delegation who takes it back has it resolved.
 * Null when nothing changes (the same holder again).
 */
export function assignmentChange(task: TaskRow, to: string | null, by: string): HolderChange | null {
  const was = holdersOf(task);
  if (was.assignee === to) return null;
  const ownerTakesBack = was.delegationState === 'PENDING' && to !== null && to === was.owner;
  const next: TaskHolderState = ownerTakesBack ? { assignee: to, owner: was.owner, delegationState: 'RESOLVED' } : { ...was, assignee: to };
  const data = { taskId: task.id, from: was.assignee, to };
  if (was.assignee !== null && was.assignee !== by) return { next, type: 'task-taken-back', data };
  if (to === null) return { next, type: 'task-unclaimed', data };
  return { next, type: 'task-assigned', data };
}

/** Camunda's delegateTask: the owner stays (or becomes the holder), the delegate holds it, PENDING. */
export function delegationChange(task: TaskRow, to: string): HolderChange {
  const was = holdersOf(task);
  const owner = was.owner ?? was.assignee;
  return { next: { assignee: to, owner, delegationState: 'PENDING' }, type: 'task-delegated', data: { taskId: task.id, from: was.assignee, owner, delegate: to } };
}

/** Camunda's resolveTask: back to the owner, RESOLVED. */
export function resolutionChange(task: TaskRow): HolderChange {
  const was = holdersOf(task);
  return { next: { assignee: was.owner, owner: was.owner, delegationState: 'RESOLVED' }, type: 'task-resolved', data: { taskId: task.id, delegate: was.assignee, owner: was.owner } };
}
