import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import { HistoryEntity, HistoryRow } from './entities';
import { ExternalTaskEntity, ExternalTaskRow } from './external-task-entity';
import { writeTransaction } from './write-lock';

/** What the external-task query of /engine-rest filters on (each optional). */
export interface ExternalTaskFilter {
  id?: string;
  topicName?: string;
  workerId?: string;
  processInstanceId?: string;
  activityId?: string;
  executionId?: string;
  processDefinitionId?: string;
  /** true: locked now; false: not locked now. */
  locked?: boolean;
  /** true: retries null or above 0; false: retries 0. */
  retriesLeft?: boolean;
  now: string;
}

/**
 * The external tasks' own writes besides the steps' unit of work: locks (fetch, extend, unlock) and
 * failures with retries left. Each is a compare-and-set on the row, so two workers or two servers
 * never both hold a task.
 */
export class SqlExternalTaskStore {
  constructor(private readonly dataSource: DataSource) {}

  externalTask(id: string): Promise<ExternalTaskRow | null> {
    return this.dataSource.getRepository(ExternalTaskEntity).findOne({ where: { id } });
  }

  /** Open tasks of these topics that no lock holds now and that have retries left, by priority (if asked) then age. */
  fetchable(topics: readonly string[], now: string, usePriority: boolean, limit: number): Promise<ExternalTaskRow[]> {
    if (topics.length === 0) return Promise.resolve([]);
    const qb = this.dataSource
      .getRepository(ExternalTaskEntity)
      .createQueryBuilder('e')
      .where("e.state = 'open' AND e.topicName IN (:...topics)", { topics: [...topics] })
      .andWhere('(e.lockExpirationTime IS NULL OR e.lockExpirationTime <= :now)', { now })
      .andWhere('(e.retries IS NULL OR e.retries > 0)');
    if (usePriority) qb.orderBy('e.priority', 'DESC').addOrderBy('e.createdAt', 'ASC');
    else qb.orderBy('e.createdAt', 'ASC');
    return qb.addOrderBy('e.id', 'ASC').take(limit).getMany();
  }

  /** The soonest time a lock or a retry timeout of these topics' open tasks runs out after `now` (a waiting fetch looks again then). */
  async nextRelease(topics: readonly string[], now: string): Promise<string | null> {
    if (topics.length === 0) return null;
    const row = await this.dataSource
      .getRepository(ExternalTaskEntity)
      .createQueryBuilder('e')
      .select('MIN(e.lockExpirationTime)', 'next')
      .where("e.state = 'open' AND e.topicName IN (:...topics) AND e.lockExpirationTime > :now AND (e.retries IS NULL OR e.retries > 0)", { topics: [...topics], now })
      .getRawOne<{ next: string | null }>();
    return row?.next ?? null;
  }

  /** Locks a fetchable task for `workerId` until `until`; false when another fetch took it first. */
  async lock(id: string, workerId: string, now: string, until: string): Promise<boolean> {
    const result = await writeTransaction(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(ExternalTaskEntity)
        .set({ workerId, lockExpirationTime: until })
        .where("id = :id AND state = 'open' AND (lockExpirationTime IS NULL OR lockExpirationTime <= :now) AND (retries IS NULL OR retries > 0)", { id, now })
        .execute(),
    );
    return (result.affected ?? 0) > 0;
  }

  /**
   * Changes an open task still held by `workerId` (with `condition`, e.g. a lock not yet expired) and
   * records `history` in the same transaction; false when it changed meanwhile (nothing stored).
   */
  async changeHeld(id: string, workerId: string | null, patch: Partial<ExternalTaskRow>, history: HistoryRow | null, notExpiredAt?: string): Promise<boolean> {
    return writeTransaction(this.dataSource, async (manager) => {
      const qb = manager.createQueryBuilder().update(ExternalTaskEntity).set(patch).where("id = :id AND state = 'open'", { id });
      if (workerId !== null) qb.andWhere('workerId = :workerId', { workerId });
      if (notExpiredAt !== undefined) qb.andWhere('lockExpirationTime >= :notExpiredAt', { notExpiredAt });
      const result = await qb.execute();
      if (!result.affected) return false;
      if (history) await manager.getRepository(HistoryEntity).insert(history);
      return true;
    });
  }

  externalTasks(filter: ExternalTaskFilter, page: { firstResult: number; maxResults: number }): Promise<ExternalTaskRow[]> {
    return this.query(filter).orderBy('e.createdAt', 'ASC').addOrderBy('e.id', 'ASC').skip(page.firstResult).take(page.maxResults).getMany();
  }

  externalTaskCount(filter: ExternalTaskFilter): Promise<number> {
    return this.query(filter).getCount();
  }

  /** Camunda's runtime query: open tasks only (a completed one is history). */
  private query(filter: ExternalTaskFilter): SelectQueryBuilder<ExternalTaskRow> {
    const qb = this.dataSource.getRepository(ExternalTaskEntity).createQueryBuilder('e').where("e.state = 'open'");
    const equal = { id: filter.id, topicName: filter.topicName, workerId: filter.workerId, processInstanceId: filter.processInstanceId, activityId: filter.activityId, executionId: filter.executionId, definitionId: filter.processDefinitionId };
    for (const [column, value] of Object.entries(equal)) if (value !== undefined) qb.andWhere(`e.${column} = :${column}`, { [column]: value });
    if (filter.locked === true) qb.andWhere('e.lockExpirationTime > :now', { now: filter.now });
    if (filter.locked === false) qb.andWhere(new Brackets((b) => b.where('e.lockExpirationTime IS NULL').orWhere('e.lockExpirationTime <= :now', { now: filter.now })));
    if (filter.retriesLeft === true) qb.andWhere('(e.retries IS NULL OR e.retries > 0)');
    if (filter.retriesLeft === false) qb.andWhere('e.retries = 0');
    return qb;
  }
}
