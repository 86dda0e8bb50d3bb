import { DomainError } from '../../src/errors';
import { HistoryRow, IncidentRow, InstanceRow, NotificationRow, TaskRow, TimerRow } from '../../src/persistence/entities';
import { IncidentFilter, InstanceAggregate, InstanceStore, RiskStore, TaskHolderState, TaskWithGroups, TimerFilter, TimerStore } from '../../src/persistence/instance-store';
import { UnitOfWork } from '../../src/persistence/unit-of-work';

interface Tables {
  instances: Map<string, InstanceRow>;
  tasks: Map<string, TaskRow>;
  taskGroups: Map<string, string[]>;
  timers: Map<string, TimerRow>;
  incidents: Map<string, IncidentRow>;
  notifications: NotificationRow[];
  history: HistoryRow[];
}

const copy = <T>(row: T): T => ({ ...row });

/**
 * The runtime's and scheduler's stores in memory, with the checks the SQL store's commit makes
 * (instance revision, task and timer compare-and-set, unique task/timer per execution): a unit of
 * work is applied whole or not at all. For unit tests of the runtime without a database.
 */
export class MemoryStore implements InstanceStore, TimerStore, RiskStore {
  private tables: Tables = { instances: new Map(), tasks: new Map(), taskGroups: new Map(), timers: new Map(), incidents: new Map(), notifications: [], history: [] };
  /** Every load of an aggregate, by instance id (what a step read). */
  readonly loads: string[] = [];
  /** Every unit of work committed, in order. */
  readonly commits: UnitOfWork[] = [];

  get history(): readonly HistoryRow[] {
    return this.tables.history;
  }
  get notifications(): readonly NotificationRow[] {
    return this.tables.notifications;
  }
  allTasks(): TaskRow[] {
    return [...this.tables.tasks.values()].map(copy);
  }
  allTimers(): TimerRow[] {
    return [...this.tables.timers.values()].map(copy);
  }

  async instance(id: string): Promise<InstanceRow | null> {
    const row = this.tables.instances.get(id);
    return row ? copy(row) : null;
  }

  async task(id: string): Promise<TaskWithGroups | null> {
    const task = this.tables.tasks.get(id);
    return task ? { task: copy(task), groups: [...(this.tables.taskGroups.get(id) ?? [])].sort() } : null;
  }

  async aggregate(instanceId: string): Promise<InstanceAggregate | null> {
    this.loads.push(instanceId);
    const instance = this.tables.instances.get(instanceId);
    if (!instance) return null;
    const { tasks, timers, incidents, taskGroups } = this.tables;
    return {
      instance: copy(instance),
      openTasks: [...tasks.values()].filter((t) => t.processInstanceId === instanceId && t.state === 'open').map((task) => ({ task: copy(task), groups: [...(taskGroups.get(task.id) ?? [])].sort() })),
      pendingTimers: [...timers.values()].filter((t) => t.processInstanceId === instanceId && t.state === 'pending').map(copy),
      openIncidents: [...incidents.values()].filter((i) => i.processInstanceId === instanceId && i.resolvedAt === null).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(copy),
      parent: instance.parentInstanceId ? await this.aggregate(instance.parentInstanceId) : null,
    };
  }

  async childExecutions(instanceId: string): Promise<string[]> {
    return [...this.tables.instances.values()].filter((i) => i.parentInstanceId === instanceId && i.parentExecutionId).map((i) => i.parentExecutionId!);
  }

  async commit(uow: UnitOfWork): Promise<void> {
    const next: Tables = {
      instances: new Map(this.tables.instances),
      tasks: new Map(this.tables.tasks),
      taskGroups: new Map(this.tables.taskGroups),
      timers: new Map(this.tables.timers),
      incidents: new Map(this.tables.incidents),
      notifications: [...this.tables.notifications],
      history: [...this.tables.history],
    };
    for (const { row, expectedRev } of uow.instances.values()) {
      const stored = next.instances.get(row.id);
      if (expectedRev === null ? stored : stored?.rev !== expectedRev) throw new DomainError('conflict', 'CONCURRENT_UPDATE', `Process instance ${row.id} was changed by another operation`);
      next.instances.set(row.id, { ...row, rev: expectedRev === null ? row.rev : expectedRev + 1 });
    }
    for (const { id, expectedState, patch } of uow.taskTransitions) {
      const task = next.tasks.get(id);
      if (!task || task.state !== 'open' || (expectedState === 'open-not-escalated' && task.escalatedAt) || (expectedState === 'open-not-warned' && task.warnedAt)) throw new DomainError('conflict', 'TASK_NOT_OPEN', `Task ${id} is no longer open`);
      next.tasks.set(id, { ...task, ...patch });
    }
    for (const { row, groups } of uow.newTasks) {
      if ([...next.tasks.values()].some((t) => t.processInstanceId === row.processInstanceId && t.executionId === row.executionId)) throw new Error(`duplicate task for execution ${row.executionId}`);
      next.tasks.set(row.id, copy(row));
      next.taskGroups.set(row.id, [...groups]);
    }
    for (const { id, patch } of uow.timerTransitions) {
      const timer = next.timers.get(id);
      if (!timer || timer.state !== 'pending') throw new DomainError('conflict', 'TIMER_NOT_PENDING', `Timer ${id} has already fired or was cancelled`);
      next.timers.set(id, { ...timer, ...patch });
    }
    for (const timer of uow.newTimers) {
      if ([...next.timers.values()].some((t) => t.processInstanceId === timer.processInstanceId && t.executionId === timer.executionId)) throw new Error(`duplicate timer for execution ${timer.executionId}`);
      next.timers.set(timer.id, copy(timer));
    }
    for (const incident of uow.incidents) next.incidents.set(incident.id, copy(incident));
    next.notifications.push(...uow.notifications.map(copy));
    next.history.push(...uow.history.map(copy));
    this.tables = next;
    this.commits.push(uow);
  }

  async claimTask(taskId: string, userId: string, history: HistoryRow): Promise<boolean> {
    const task = this.tables.tasks.get(taskId);
    if (!task || task.state !== 'open' || task.assignee) return false;
    this.tables.tasks.set(taskId, { ...task, assignee: userId });
    this.tables.history.push(history);
    return true;
  }

  async unclaimTask(taskId: string, assignee: string, history: HistoryRow): Promise<boolean> {
    const task = this.tables.tasks.get(taskId);
    if (!task || task.state !== 'open' || task.assignee !== assignee) return false;
    this.tables.tasks.set(taskId, { ...task, assignee: null });
    this.tables.history.push(history);
    return true;
  }

  async moveHolders(taskId: string, expected: TaskHolderState, next: TaskHolderState, history: HistoryRow): Promise<boolean> {
    const task = this.tables.tasks.get(taskId);
    if (!task || task.state !== 'open' || task.assignee !== expected.assignee || (task.owner ?? null) !== expected.owner || (task.delegationState ?? null) !== expected.delegationState) return false;
    this.tables.tasks.set(taskId, { ...task, ...next });
    this.tables.history.push(history);
    return true;
  }

  /** Case numbers per reglament and year, as case_number_sequences keeps them. */
  private readonly caseSequences = new Map<string, number>();

  async caseByNumber(processDefinitionKey: string, businessKey: string): Promise<InstanceRow | null> {
    const row = [...this.tables.instances.values()].find((i) => i.processDefinitionKey === processDefinitionKey && i.businessKey === businessKey && i.parentInstanceId === null);
    return row ? copy(row) : null;
  }

  async nextCaseSequence(processDefinitionKey: string, year: number): Promise<number> {
    const key = `${processDefinitionKey}\0${year}`;
    const next = (this.caseSequences.get(key) ?? 0) + 1;
    this.caseSequences.set(key, next);
    return next;
  }

  async incidents(filter: IncidentFilter): Promise<IncidentRow[]> {
    return [...this.tables.incidents.values()]
      .filter((i) => (!filter.processInstanceId || i.processInstanceId === filter.processInstanceId) && (!filter.open || i.resolvedAt === null))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map(copy);
  }

  async tasksEnteringRisk(now: string, limit: number): Promise<TaskRow[]> {
    return [...this.tables.tasks.values()].filter((t) => t.state === 'open' && !t.warnedAt && !!t.riskFrom && t.riskFrom <= now).sort((a, b) => a.riskFrom!.localeCompare(b.riskFrom!)).slice(0, limit).map(copy);
  }

  async dueTimers(now: string, limit: number): Promise<TimerRow[]> {
    return [...this.tables.timers.values()].filter((t) => t.state === 'pending' && t.dueAt <= now).sort((a, b) => a.dueAt.localeCompare(b.dueAt)).slice(0, limit).map(copy);
  }

  async leaseTimer(id: string, holder: string, now: string, until: string): Promise<boolean> {
    const timer = this.tables.timers.get(id);
    if (!timer || timer.state !== 'pending' || (timer.lockedUntil && timer.lockedUntil >= now)) return false;
    this.tables.timers.set(id, { ...timer, lockedBy: holder, lockedUntil: until });
    return true;
  }

  async timers(filter: TimerFilter): Promise<TimerRow[]> {
    return [...this.tables.timers.values()]
      .filter((t) => (!filter.kind || t.kind === filter.kind) && (!filter.processInstanceId || t.processInstanceId === filter.processInstanceId) && (!filter.state || t.state === filter.state))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
      .map(copy);
  }
}
