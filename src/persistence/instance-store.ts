import { DelegationState, HistoryRow, IncidentRow, InstanceRow, TaskRow, TimerRow } from './entities';
import { UnitOfWork } from './unit-of-work';
import type { ExternalTaskRow } from './external-task-entity';

/** A task row with its candidate groups (sorted). */
export interface TaskWithGroups {
  task: TaskRow;
  groups: string[];
}

/**
 * What a step of one instance needs to know, read in one load: the instance, its open tasks with
 * their groups, its pending timers (diagram timer events and task due dates), its open incidents,
 * and, for a called instance, its caller's aggregate (up to the application) so that the step can
 * resume the caller and knows the application it acts for.
 */
export interface InstanceAggregate {
  instance: InstanceRow;
  openTasks: TaskWithGroups[];
  pendingTimers: TimerRow[];
  /** Oldest first. */
  openIncidents: IncidentRow[];
  parent: InstanceAggregate | null;
  /** Service tasks of the instance waiting for external workers, oldest first (absent: none). */
  openExternalTasks?: ExternalTaskRow[];
}

/** Who holds a task (Camunda 7): its assignee, its owner (who delegated it) and the delegation's state. */
export interface TaskHolderState {
  assignee: string | null;
  owner: string | null;
  delegationState: DelegationState | null;
}

export interface TimerFilter {
  processInstanceId?: string;
  state?: string;
  kind?: string;
}

export interface IncidentFilter {
  processInstanceId?: string;
  open?: boolean;
}

/** Where the runtime reads instances and writes what its operations change. */
export interface InstanceStore {
  instance(id: string): Promise<InstanceRow | null>;
  task(id: string): Promise<TaskWithGroups | null>;
  /** The instance's aggregate, or null when there is no such instance. */
  aggregate(instanceId: string): Promise<InstanceAggregate | null>;
  /** Execution ids of the call activities of `instanceId` that have started a child instance. */
  childExecutions(instanceId: string): Promise<string[]>;
  /** Writes the unit of work in one transaction; a failed check (revision, task or timer state) throws and stores nothing. */
  commit(uow: UnitOfWork): Promise<void>;
  /** Sets the assignee of an open, unclaimed task and records `history`; false when the task changed meanwhile (nothing stored). */
  claimTask(taskId: string, userId: string, history: HistoryRow): Promise<boolean>;
  /** Clears the assignee of an open task still claimed by `assignee` and records `history`; false when it changed meanwhile. */
  unclaimTask(taskId: string, assignee: string, history: HistoryRow): Promise<boolean>;
  /**
   * Moves an open task's holders from `expected` to `next` and records `history`: the compare-and-set
   * of assignment, delegation and resolution; false when the task changed meanwhile (nothing stored).
   */
  moveHolders(taskId: string, expected: TaskHolderState, next: TaskHolderState, history: HistoryRow): Promise<boolean>;
  /** Oldest first. */
  incidents(filter: IncidentFilter): Promise<IncidentRow[]>;
  /** The application (top-level instance) of a reglament with this case number, or null. */
  caseByNumber(processDefinitionKey: string, businessKey: string): Promise<InstanceRow | null>;
  /** The next number of the reglament's case sequence for a year (1, 2, ...), taken in its own transaction: never the same twice. */
  nextCaseSequence(processDefinitionKey: string, year: number): Promise<number>;
}

/** Where the scheduler finds tasks that entered the last share of their limit (the at-risk warning). */
export interface RiskStore {
  /** Open tasks not yet warned whose riskFrom is at or before `now` (ISO), earliest first. */
  tasksEnteringRisk(now: string, limit: number): Promise<TaskRow[]>;
}

/** Where the scheduler finds due timers and takes leases on them. */
export interface TimerStore {
  /** Pending timers due by `now` (ISO), oldest due first. */
  dueTimers(now: string, limit: number): Promise<TimerRow[]>;
  /** Leases a pending timer to `holder` until `until` unless another holder's lease still runs; false when not taken. */
  leaseTimer(id: string, holder: string, now: string, until: string): Promise<boolean>;
  /** Soonest due first. */
  timers(filter: TimerFilter): Promise<TimerRow[]>;
}
