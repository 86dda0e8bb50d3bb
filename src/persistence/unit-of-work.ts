import { HistoryRow, IncidentRow, InstanceRow, NotificationRow, TaskRow, TimerRow } from './entities';
import type { ExternalTaskRow } from './external-task-entity';

export interface TaskInsert {
  row: TaskRow;
  groups: string[];
}

export interface TaskTransition {
  id: string;
  /** The state the task must still be in; otherwise someone else got there first. */
  expectedState: 'open' | 'open-not-escalated' | 'open-not-warned';
  patch: Partial<TaskRow>;
  /** The task's candidate groups as loaded: a task leaving `open` leaves their open counts without another read. */
  groups?: readonly string[];
}

export interface TimerTransition {
  id: string;
  patch: Partial<TimerRow>;
}

/** An external task leaving or changing while open; the update must find it open (and, when given, still locked by `workerId`). */
export interface ExternalTaskTransition {
  id: string;
  workerId?: string | null;
  patch: Partial<ExternalTaskRow>;
}

/** A person's signature of a signing step's draft, written with the step's completion (never apart from it). */
export interface SignatureWrite {
  taskId: string;
  /** Base64 DER of the CMS, the draft attached. */
  cms: string;
  signedBy: string;
  signerIin: string | null;
  signedAt: string;
}

/** What one projection adds to an operation's changes (everything but the instance rows). */
export interface Changes {
  newTasks?: TaskInsert[];
  taskTransitions?: TaskTransition[];
  newTimers?: TimerRow[];
  /** Timers leaving `pending` (fired or cancelled); the update must find them still pending. */
  timerTransitions?: TimerTransition[];
  /** Incidents to insert or update (by id). */
  incidents?: IncidentRow[];
  notifications?: NotificationRow[];
  history?: HistoryRow[];
  newExternalTasks?: ExternalTaskRow[];
  externalTaskTransitions?: ExternalTaskTransition[];
}

/**
 * Everything one operation changes, written by a store in one transaction at the end (see
 * InstanceStore.commit): instances (inserted, or updated only if their revision is still the one
 * read), task projection rows, timers, incidents, notifications and history. If any check fails,
 * nothing of the operation is stored. Plain data: building one does no I/O.
 */
export class UnitOfWork {
  /** Instances touched by the operation; expectedRev null means the instance is new. */
  readonly instances = new Map<string, { row: InstanceRow; expectedRev: number | null }>();
  readonly newTasks: TaskInsert[] = [];
  readonly taskTransitions: TaskTransition[] = [];
  readonly history: HistoryRow[] = [];
  readonly newTimers: TimerRow[] = [];
  readonly incidents: IncidentRow[] = [];
  readonly notifications: NotificationRow[] = [];
  readonly timerTransitions: TimerTransition[] = [];
  /** Signatures of drafts: each must find its draft still unsigned, or the whole operation fails. */
  readonly signatures: SignatureWrite[] = [];
  readonly newExternalTasks: ExternalTaskRow[] = [];
  readonly externalTaskTransitions: ExternalTaskTransition[] = [];

  add(changes: Changes): void {
    this.newTasks.push(...(changes.newTasks ?? []));
    this.taskTransitions.push(...(changes.taskTransitions ?? []));
    this.newTimers.push(...(changes.newTimers ?? []));
    this.timerTransitions.push(...(changes.timerTransitions ?? []));
    this.incidents.push(...(changes.incidents ?? []));
    this.notifications.push(...(changes.notifications ?? []));
    this.history.push(...(changes.history ?? []));
    this.newExternalTasks.push(...(changes.newExternalTasks ?? []));
    this.externalTaskTransitions.push(...(changes.externalTaskTransitions ?? []));
  }
}
