import { DataSource, EntityManager, IsNull, SelectQueryBuilder } from 'typeorm';
import { DomainError } from '../errors';
import { DUE_SORT_NONE, HistoryEntity, HistoryRow, IncidentEntity, IncidentRow, InstanceEntity, InstanceRow, NotificationEntity, TaskEntity, TaskGroupEntity, TaskRow, TimerEntity, TimerRow } from './entities';
import { foldFlows } from './history-flows';
import { IncidentFilter, InstanceAggregate, InstanceStore, RiskStore, TaskHolderState, TaskWithGroups, TimerFilter, TimerStore } from './instance-store';
import { TaskTransition, UnitOfWork } from './unit-of-work';
import { writeTransaction } from './write-lock';
import { ExternalTaskEntity } from './external-task-entity';
import { SigningDraftEntity } from './signing-draft-entity';

/** Callers above this many levels are not followed (call activities nest at most 8 deep, the step refuses more). */
const MAX_CALLERS = 32;

/** The runtime's and the scheduler's stores over a TypeORM DataSource (sqlite or PostgreSQL). */
export class SqlInstanceStore implements InstanceStore, TimerStore, RiskStore {
  constructor(
    private readonly dataSource: DataSource,
    /** Told after each unit of work is committed (e.g. to wake workers waiting for external tasks). */
    private readonly committed?: (uow: UnitOfWork) => void,
  ) {}

  instance(id: string): Promise<InstanceRow | null> {
    return this.dataSource.getRepository(InstanceEntity).findOne({ where: { id } });
  }

  async task(id: string): Promise<TaskWithGroups | null> {
    const [found] = await this.tasksWithGroups((qb) => qb.where('t.id = :id', { id }));
    return found ?? null;
  }

  async aggregate(instanceId: string, callers = 0): Promise<InstanceAggregate | null> {
    const instance = await this.instance(instanceId);
    if (!instance) return null;
    const [openTasks, pendingTimers, openIncidents, parent, openExternalTasks] = await Promise.all([
      this.tasksWithGroups((qb) => qb.where("t.processInstanceId = :instanceId AND t.state = 'open'", { instanceId })),
      this.dataSource.getRepository(TimerEntity).find({ where: { processInstanceId: instanceId, state: 'pending' } }),
      this.dataSource.getRepository(IncidentEntity).find({ where: { processInstanceId: instanceId, resolvedAt: IsNull() }, order: { createdAt: 'ASC' } }),
      instance.parentInstanceId && callers < MAX_CALLERS ? this.aggregate(instance.parentInstanceId, callers + 1) : Promise.resolve(null),
      this.dataSource.getRepository(ExternalTaskEntity).find({ where: { processInstanceId: instanceId, state: 'open' }, order: { createdAt: 'ASC', id: 'ASC' } }),
    ]);
    return { instance, openTasks, pendingTimers, openIncidents, parent, openExternalTasks };
  }

  async childExecutions(instanceId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(InstanceEntity)
      .createQueryBuilder('i')
      .select('i.parentExecutionId', 'executionId')
      .where('i.parentInstanceId = :instanceId', { instanceId })
      .getRawMany<{ executionId: string | null }>();
    return rows.flatMap((r) => (r.executionId ? [r.executionId] : []));
  }

  /** The unit of work takes the DataSource's write lock (write-lock.ts), as every write does. */
  async commit(uow: UnitOfWork): Promise<void> {
    await writeTransaction(this.dataSource, (manager) => writeUnitOfWork(manager, uow));
    this.committed?.(uow);
  }

  claimTask(taskId: string, userId: string, history: HistoryRow): Promise<boolean> {
    return this.moveAssignee(taskId, 'assignee IS NULL', {}, userId, history);
  }

  unclaimTask(taskId: string, assignee: string, history: HistoryRow): Promise<boolean> {
    return this.moveAssignee(taskId, 'assignee = :assignee', { assignee }, null, history);
  }

  private moveAssignee(taskId: string, condition: string, params: Record<string, unknown>, assignee: string | null, history: HistoryRow): Promise<boolean> {
    return writeTransaction(this.dataSource, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(TaskEntity)
        .set({ assignee })
        .where(`id = :id AND state = 'open' AND ${condition}`, { id: taskId, ...params })
        .execute();
      if (!result.affected) return false;
      await manager.getRepository(HistoryEntity).insert(history);
      return true;
    });
  }

  /** One UPDATE guarded by every holder column as read: of two reassignments at once (any servers, either dialect) one finds its row changed. */
  moveHolders(taskId: string, expected: TaskHolderState, next: TaskHolderState, history: HistoryRow): Promise<boolean> {
    const params: Record<string, unknown> = { id: taskId };
    const guards = (['assignee', 'owner', 'delegationState'] as const).map((column) => {
      const value = expected[column];
      if (value === null) return `"${column}" IS NULL`;
      params[`was_${column}`] = value;
      return `"${column}" = :was_${column}`;
    });
    return writeTransaction(this.dataSource, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(TaskEntity)
        .set({ assignee: next.assignee, owner: next.owner, delegationState: next.delegationState })
        .where(`id = :id AND state = 'open' AND ${guards.join(' AND ')}`, params)
        .execute();
      if (!result.affected) return false;
      await manager.getRepository(HistoryEntity).insert(history);
      return true;
    });
  }

  async incidents(filter: IncidentFilter): Promise<IncidentRow[]> {
    const where: Record<string, unknown> = {};
    if (filter.processInstanceId) where.processInstanceId = filter.processInstanceId;
    if (filter.open) where.resolvedAt = IsNull();
    return this.dataSource.getRepository(IncidentEntity).find({ where, order: { createdAt: 'ASC' } });
  }

  caseByNumber(processDefinitionKey: string, businessKey: string): Promise<InstanceRow | null> {
    return this.dataSource.getRepository(InstanceEntity).findOne({ where: { processDefinitionKey, businessKey, parentInstanceId: IsNull() } });
  }

  /**
   * An upsert and a read in one transaction: on PostgreSQL the upsert holds the sequence row's lock
   * until the commit, on sqlite the transaction holds the file's write lock, so two starts (of this
   * or another server) never read the same number.
   */
  nextCaseSequence(processDefinitionKey: string, year: number): Promise<number> {
    const postgres = this.dataSource.options.type === 'postgres';
    const [a, b] = postgres ? ['$1', '$2'] : ['?', '?'];
    return writeTransaction(this.dataSource, async (manager) => {
      await manager.query(
        `INSERT INTO "case_number_sequences" ("processDefinitionKey", "year", "last") VALUES (${a}, ${b}, 1) ON CONFLICT ("processDefinitionKey", "year") DO UPDATE SET "last" = "case_number_sequences"."last" + 1`,
        [processDefinitionKey, year],
      );
      const [row] = (await manager.query(`SELECT "last" FROM "case_number_sequences" WHERE "processDefinitionKey" = ${a} AND "year" = ${b}`, [processDefinitionKey, year])) as { last: number | string }[];
      return Number(row.last);
    });
  }

  dueTimers(now: string, limit: number): Promise<TimerRow[]> {
    return this.dataSource.getRepository(TimerEntity).createQueryBuilder('t').where("t.state = 'pending' AND t.dueAt <= :now", { now }).orderBy('t.dueAt', 'ASC').limit(limit).getMany();
  }

  async leaseTimer(id: string, holder: string, now: string, until: string): Promise<boolean> {
    const result = await writeTransaction(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(TimerEntity)
        .set({ lockedBy: holder, lockedUntil: until })
        .where("id = :id AND state = 'pending' AND (lockedUntil IS NULL OR lockedUntil < :now)", { id, now })
        .execute(),
    );
    return !!result.affected;
  }

  /** Read in the order of ix_task_state_warned_risk: open, not warned, at risk by `now`. */
  tasksEnteringRisk(now: string, limit: number): Promise<TaskRow[]> {
    return this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where("t.state = 'open' AND t.warnedAt IS NULL AND t.riskFrom <= :now", { now })
      .orderBy('t.riskFrom', 'ASC')
      .limit(limit)
      .getMany();
  }

  timers(filter: TimerFilter): Promise<TimerRow[]> {
    const where: Record<string, string> = {};
    if (filter.kind) where.kind = filter.kind;
    if (filter.processInstanceId) where.processInstanceId = filter.processInstanceId;
    if (filter.state) where.state = filter.state;
    return this.dataSource.getRepository(TimerEntity).find({ where, order: { dueAt: 'ASC' } });
  }

  /** Tasks with their candidate groups in one query (a row per task and group). */
  private async tasksWithGroups(filter: (qb: SelectQueryBuilder<TaskRow>) => void): Promise<TaskWithGroups[]> {
    const qb = this.dataSource.getRepository(TaskEntity).createQueryBuilder('t').leftJoin('TaskGroup', 'g', 'g.taskId = t.id').addSelect('g.groupId', 'candidateGroup');
    filter(qb);
    const { entities, raw } = await qb.getRawAndEntities<{ t_id: string; candidateGroup: string | null }>();
    const groups = new Map<string, string[]>();
    for (const row of raw) if (row.candidateGroup !== null) groups.set(row.t_id, [...(groups.get(row.t_id) ?? []), row.candidateGroup]);
    return entities.map((task) => ({ task, groups: (groups.get(task.id) ?? []).sort() }));
  }
}

/** What a task transition checks besides the task being open: escalation and the at-risk warning happen once each. */
const TRANSITION_CHECKS: Record<TaskTransition['expectedState'], string> = {
  open: '',
  'open-not-escalated': ' AND escalatedAt IS NULL',
  'open-not-warned': ' AND warnedAt IS NULL',
};

async function writeUnitOfWork(manager: EntityManager, uow: UnitOfWork): Promise<void> {
  for (const { row, expectedRev } of uow.instances.values()) {
    if (expectedRev === null) {
      await manager.getRepository(InstanceEntity).insert(row);
      continue;
    }
    const { id, ...rest } = row;
    const result = await manager
      .createQueryBuilder()
      .update(InstanceEntity)
      .set({ ...rest, rev: expectedRev + 1 })
      .where('id = :id AND rev = :rev', { id, rev: expectedRev })
      .execute();
    if (!result.affected) {
      throw new DomainError('conflict', 'CONCURRENT_UPDATE', `Process instance ${id} was changed by another operation; reload and try again`);
    }
  }
  // Open tasks per group change with the tasks; applied in group order so that two transactions
  // on PostgreSQL never wait for each other's counters in opposite orders.
  const openDelta = new Map<string, number>();
  const addDelta = (groupId: string, n: number) => openDelta.set(groupId, (openDelta.get(groupId) ?? 0) + n);
  for (const { id, expectedState, patch, groups } of uow.taskTransitions) {
    const result = await manager
      .createQueryBuilder()
      .update(TaskEntity)
      .set(patch)
      .where(`id = :id AND state = :state${TRANSITION_CHECKS[expectedState]}`, { id, state: 'open' })
      .execute();
    if (!result.affected) throw new DomainError('conflict', 'TASK_NOT_OPEN', `Task ${id} is no longer open`);
    // The group rows' copy of the state keeps the task list's index in step with the task.
    if (patch.state) {
      await manager.createQueryBuilder().update(TaskGroupEntity).set({ state: patch.state }).where('taskId = :id', { id }).execute();
      // The update found the task open: it leaves its groups' open counts.
      const left = groups ?? (await manager.getRepository(TaskGroupEntity).find({ where: { taskId: id } })).map((g) => g.groupId);
      if (patch.state !== 'open') for (const groupId of left) addDelta(groupId, -1);
    }
  }
  for (const { row, groups } of uow.newTasks) {
    const dueSort = row.due ?? DUE_SORT_NONE;
    await manager.getRepository(TaskEntity).insert({ ...row, dueSort });
    if (groups.length > 0) await manager.getRepository(TaskGroupEntity).insert(groups.map((groupId) => ({ taskId: row.id, groupId, state: row.state, dueSort, created: row.created })));
    if (row.state === 'open') for (const groupId of new Set(groups)) addDelta(groupId, 1);
  }
  for (const [groupId, n] of [...openDelta].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (n !== 0) await addOpenTasks(manager, groupId, n);
  }
  for (const { id, patch } of uow.timerTransitions) {
    const result = await manager.createQueryBuilder().update(TimerEntity).set(patch).where('id = :id AND state = :state', { id, state: 'pending' }).execute();
    if (!result.affected) throw new DomainError('conflict', 'TIMER_NOT_PENDING', `Timer ${id} has already fired or was cancelled`);
  }
  for (const timer of uow.newTimers) await manager.getRepository(TimerEntity).insert(timer);
  for (const { id, workerId, patch } of uow.externalTaskTransitions) {
    const qb = manager.createQueryBuilder().update(ExternalTaskEntity).set(patch).where('id = :id AND state = :state', { id, state: 'open' });
    if (workerId !== undefined) qb.andWhere(workerId === null ? 'workerId IS NULL' : 'workerId = :workerId', { workerId });
    const result = await qb.execute();
    if (!result.affected) throw new DomainError('conflict', 'EXTERNAL_TASK_CHANGED', `External task ${id} was completed, cancelled or locked by another worker meanwhile`);
  }
  if (uow.newExternalTasks.length > 0) await manager.getRepository(ExternalTaskEntity).insert(uow.newExternalTasks);
  for (const incident of uow.incidents) await manager.getRepository(IncidentEntity).save(incident);
  if (uow.notifications.length > 0) await manager.getRepository(NotificationEntity).insert(uow.notifications);
  for (const { taskId, ...signature } of uow.signatures) {
    const result = await manager.createQueryBuilder().update(SigningDraftEntity).set(signature).where('"taskId" = :taskId AND cms IS NULL', { taskId }).execute();
    if (!result.affected) throw new DomainError('conflict', 'ALREADY_SIGNED', `The document of task ${taskId} is already signed, or was never shown`);
  }
  if (uow.history.length > 0) await manager.getRepository(HistoryEntity).insert(foldFlows(uow.history));
}

/** Moves a group's open-task counter by `n`, creating it at `n` (an upsert: the two dialects spell their parameters differently). */
async function addOpenTasks(manager: EntityManager, groupId: string, n: number): Promise<void> {
  const [a, b] = manager.connection.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
  await manager.query(`INSERT INTO "task_group_counts" ("groupId", "open") VALUES (${a}, ${b}) ON CONFLICT ("groupId") DO UPDATE SET "open" = "task_group_counts"."open" + excluded."open"`, [groupId, n]);
}
