import { DataSource } from 'typeorm';
import { TaskFilterEntity, TaskFilterRow } from './task-filter-entity';
import { writeTransaction } from './write-lock';

/** A user's saved task filters: each call names the owner, so one never reads or changes another's. */
export function taskFilterStore(dataSource: DataSource) {
  const repo = dataSource.getRepository(TaskFilterEntity);
  return {
    taskFilters: (ownerId: string, page: { firstResult: number; maxResults: number }): Promise<TaskFilterRow[]> =>
      repo.find({ where: { ownerId }, order: { createdAt: 'ASC', id: 'ASC' }, skip: page.firstResult, take: page.maxResults }),
    taskFilterCount: (ownerId: string): Promise<number> => repo.count({ where: { ownerId } }),
    taskFilter: (ownerId: string, id: string): Promise<TaskFilterRow | null> => repo.findOne({ where: { id, ownerId } }),
    async createTaskFilter(row: TaskFilterRow): Promise<void> {
      await writeTransaction(dataSource, (manager) => manager.getRepository(TaskFilterEntity).insert(row));
    },
    /** False when the owner has no such filter. */
    async updateTaskFilter(ownerId: string, id: string, change: Pick<TaskFilterRow, 'name' | 'query' | 'properties'>): Promise<boolean> {
      const result = await writeTransaction(dataSource, (manager) => manager.getRepository(TaskFilterEntity).update({ id, ownerId }, change));
      return (result.affected ?? 0) > 0;
    },
    async deleteTaskFilter(ownerId: string, id: string): Promise<boolean> {
      const result = await writeTransaction(dataSource, (manager) => manager.getRepository(TaskFilterEntity).delete({ id, ownerId }));
      return (result.affected ?? 0) > 0;
    },
  };
}
