import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../errors';
import { writeTransaction } from '../persistence/write-lock';
import { HistoryEntity, HistoryRow, InstanceEntity, InstanceRow, TaskEntity, TaskGroupEntity, TaskRow, TimerEntity, DUE_SORT_NONE, TimerRow, IncidentEntity, IncidentRow, NotificationEntity, NotificationRow } from '../persistence/entities';

export interface TaskInsert {
  row: TaskRow;
  groups: string[];
}

export interface TaskTransition {
  id: string;
  /** The state the task must still be in; otherwise someone else got there first. */
  expectedState: 'open' | 'open-not-escalated';
  patch: Partial<TaskRow>;
}

/**
 * Everything one API operation changes, written in one transaction at the end: instances
 * (inserted, or updated only if their revision is still the one read), task projection rows,
 * and history. If any check fails, nothing of the operation is stored.
 */
export class UnitOfWork {
  /** Instances touched by the operation; expectedRev null means the instance is new. */
  readonly instances = new Map<string, { row: InstanceRow; expectedRev: number | null }>();
  readonly newTasks: TaskInsert[] = [];
  readonly taskTransitions: TaskTransition[] = [];
  readonly history: HistoryRow[] = [];
  readonly newTimers: TimerRow[] = [];
  /** Incidents to insert or update (by id). */
  readonly incidents: IncidentRow[] = [];
  readonly notifications: NotificationRow[] = [];
  /** Timers leaving `pending` (fired or cancelled); the update must find them still pending. */
  readonly timerTransitions: { id: string; patch: Partial<TimerRow> }[] = [];

  /** Writes everything in one transaction under the DataSource's write lock. */
  async commit(dataSource: DataSource): Promise<void> {
    await writeTransaction(dataSource, (manager) => this.write(manager));
  }

  private async write(manager: EntityManager): Promise<void> {
    for (const { row, expectedRev } of this.instances.values()) {
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
    for (const { id, expectedState, patch } of this.taskTransitions) {
      const result = await manager
        .createQueryBuilder()
        .update(TaskEntity)
        .set(patch)
        .where(expectedState === 'open' ? 'id = :id AND state = :state' : 'id = :id AND state = :state AND escalatedAt IS NULL', { id, state: 'open' })
        .execute();
      if (!result.affected) throw new DomainError('conflict', 'TASK_NOT_OPEN', `Task ${id} is no longer open`);
      // The group rows' copy of the state keeps the task list's index in step with the task.
      if (patch.state) {
        await manager.createQueryBuilder().update(TaskGroupEntity).set({ state: patch.state }).where('taskId = :id', { id }).execute();
        // The update found the task open: it leaves its groups' open counts.
        if (patch.state !== 'open') for (const g of await manager.getRepository(TaskGroupEntity).find({ where: { taskId: id } })) addDelta(g.groupId, -1);
      }
    }
    for (const { row, groups } of this.newTasks) {
      const dueSort = row.due ?? DUE_SORT_NONE;
      await manager.getRepository(TaskEntity).insert({ ...row, dueSort });
      if (groups.length > 0) await manager.getRepository(TaskGroupEntity).insert(groups.map((groupId) => ({ taskId: row.id, groupId, state: row.state, dueSort, created: row.created })));
      if (row.state === 'open') for (const groupId of new Set(groups)) addDelta(groupId, 1);
    }
    for (const [groupId, n] of [...openDelta].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (n === 0) continue;
      const [a, b] = manager.connection.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
      await manager.query(`INSERT INTO "task_group_counts" ("groupId", "open") VALUES (${a}, ${b}) ON CONFLICT ("groupId") DO UPDATE SET "open" = "task_group_counts"."open" + excluded."open"`, [groupId, n]);
    }
    for (const { id, patch } of this.timerTransitions) {
      const result = await manager.createQueryBuilder().update(TimerEntity).set(patch).where('id = :id AND state = :state', { id, state: 'pending' }).execute();
      if (!result.affected) throw new DomainError('conflict', 'TIMER_NOT_PENDING', `Timer ${id} has already fired or was cancelled`);
    }
    for (const timer of this.newTimers) await manager.getRepository(TimerEntity).insert(timer);
    for (const incident of this.incidents) await manager.getRepository(IncidentEntity).save(incident);
    if (this.notifications.length > 0) await manager.getRepository(NotificationEntity).insert(this.notifications);
    if (this.history.length > 0) await manager.getRepository(HistoryEntity).insert(this.history);
  }
}
