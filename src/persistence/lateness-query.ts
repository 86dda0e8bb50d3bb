import { DataSource, In } from 'typeorm';
import { InstanceEntity, InstanceRow, TaskEntity, TaskGroupEntity, TaskRow } from './entities';
import { Page } from './queries';

export interface LateTaskFilter extends Page {
  /** The reglament: tasks of its instances and of the shared flows it called. */
  processDefinitionKey?: string;
  /** Open tasks at risk by this moment (ISO) are listed; those due before it are overdue. */
  now: string;
}

export interface LateTask {
  task: TaskRow;
  groups: string[];
  instance: InstanceRow;
}

/**
 * Open tasks at risk or overdue (riskFrom at or before `now`; riskFrom is never after due), the
 * earliest due first: in working time too the one due first is the most overdue, or has the least
 * time left. With each task its candidate groups and its instance (case number, applicant).
 */
export async function queryLateTasks(dataSource: DataSource, filter: LateTaskFilter): Promise<{ items: LateTask[]; total: number; overdue: number }> {
  const qb = dataSource.getRepository(TaskEntity).createQueryBuilder('t').where("t.state = 'open' AND t.riskFrom <= :now", { now: filter.now });
  if (filter.processDefinitionKey) {
    qb.innerJoin('Instance', 'i', 'i.id = t.processInstanceId').andWhere('(i.processDefinitionKey = :key OR i.rootProcessDefinitionKey = :key)', { key: filter.processDefinitionKey });
  }
  const total = await qb.clone().getCount();
  const overdue = await qb.clone().andWhere('t.due < :now').getCount();
  const tasks = await qb.orderBy('t.due', 'ASC').addOrderBy('t.id', 'ASC').offset(filter.firstResult).limit(filter.maxResults).getMany();
  if (tasks.length === 0) return { items: [], total, overdue };
  const [groups, instances] = await Promise.all([
    dataSource.getRepository(TaskGroupEntity).find({ where: { taskId: In(tasks.map((t) => t.id)) } }),
    dataSource.getRepository(InstanceEntity).find({ where: { id: In([...new Set(tasks.map((t) => t.processInstanceId))]) } }),
  ]);
  const byInstance = new Map(instances.map((i) => [i.id, i]));
  return {
    items: tasks.map(({ dueSort: _dueSort, ...task }) => ({ task, groups: groups.filter((g) => g.taskId === task.id).map((g) => g.groupId).sort(), instance: byInstance.get(task.processInstanceId)! })),
    total,
    overdue,
  };
}

/** Open tasks for the compliance report (those of one reglament's instances when a key is given). */
export function openTasksOf(dataSource: DataSource, processDefinitionKey?: string): Promise<TaskRow[]> {
  return dataSource.getRepository(TaskEntity).find({ where: processDefinitionKey ? { state: 'open', processDefinitionKey } : { state: 'open' } });
}
