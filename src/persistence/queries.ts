import { Brackets, DataSource, In } from 'typeorm';
import { HistoryEntity, HistoryRow, InstanceEntity, InstanceRow, TaskEntity, TaskGroupEntity, TaskRow } from './entities';

export interface Page {
  firstResult: number;
  maxResults: number;
}

export interface TaskFilter extends Page {
  /** Groups the caller may see; undefined = all (admin). */
  visibleGroups?: string[];
  candidateGroup?: string;
  assignee?: string;
  unassigned?: boolean;
  processDefinitionKey?: string;
  processInstanceId?: string;
  businessKey?: string;
  dueBefore?: string;
  overdue?: boolean;
  state: 'open' | 'completed' | 'cancelled' | 'all';
  sortBy: 'due' | 'created' | 'priority' | 'name';
  sortOrder: 'asc' | 'desc';
  now: string;
}

export interface TaskWithGroups extends TaskRow {
  candidateGroups: string[];
}

// Tasks without a due date sort after every dated one, whichever the direction.
const NO_DUE = '9999-12-31T23:59:59.999Z';

export async function queryTasks(dataSource: DataSource, filter: TaskFilter): Promise<{ items: TaskWithGroups[]; total: number }> {
  const qb = dataSource.getRepository(TaskEntity).createQueryBuilder('t');
  if (filter.state !== 'all') qb.andWhere('t.state = :state', { state: filter.state });
  const groupExists = (param: string) =>
    `EXISTS (SELECT 1 FROM task_candidate_groups g WHERE g."taskId" = t.id AND g."groupId" IN (:...${param}))`;
  if (filter.visibleGroups) {
    if (filter.visibleGroups.length === 0) return { items: [], total: 0 };
    qb.andWhere(groupExists('visibleGroups'), { visibleGroups: filter.visibleGroups });
  }
  if (filter.candidateGroup) qb.andWhere(groupExists('candidateGroup'), { candidateGroup: [filter.candidateGroup] });
  if (filter.assignee) qb.andWhere('t.assignee = :assignee', { assignee: filter.assignee });
  if (filter.unassigned === true) qb.andWhere('t.assignee IS NULL');
  if (filter.unassigned === false) qb.andWhere('t.assignee IS NOT NULL');
  if (filter.processDefinitionKey) qb.andWhere('t.processDefinitionKey = :key', { key: filter.processDefinitionKey });
  if (filter.processInstanceId) qb.andWhere('t.processInstanceId = :pid', { pid: filter.processInstanceId });
  if (filter.businessKey) qb.andWhere('t.businessKey = :bk', { bk: filter.businessKey });
  if (filter.dueBefore) qb.andWhere('t.due IS NOT NULL AND t.due < :dueBefore', { dueBefore: filter.dueBefore });
  if (filter.overdue === true) qb.andWhere("t.due IS NOT NULL AND t.due < :now AND t.state = 'open'", { now: filter.now });
  if (filter.overdue === false) qb.andWhere(new Brackets((w) => w.where('t.due IS NULL').orWhere('t.due >= :now', { now: filter.now })));

  const direction = filter.sortOrder === 'desc' ? 'DESC' : 'ASC';
  switch (filter.sortBy) {
    case 'due':
      qb.addSelect(`COALESCE(t.due, '${NO_DUE}')`, 'due_sort').orderBy('due_sort', direction);
      break;
    case 'created':
      qb.orderBy('t.created', direction);
      break;
    case 'priority':
      qb.orderBy('t.priority', direction);
      break;
    case 'name':
      qb.orderBy('t.name', direction);
      break;
  }
  qb.addOrderBy('t.created', 'ASC').addOrderBy('t.id', 'ASC');

  const total = await qb.clone().getCount();
  const rows = await qb.offset(filter.firstResult).limit(filter.maxResults).getMany();
  const groups = rows.length
    ? await dataSource.getRepository(TaskGroupEntity).find({ where: { taskId: In(rows.map((r) => r.id)) } })
    : [];
  const byTask = new Map<string, string[]>();
  for (const g of groups) byTask.set(g.taskId, [...(byTask.get(g.taskId) ?? []), g.groupId]);
  return { items: rows.map((r) => ({ ...r, candidateGroups: (byTask.get(r.id) ?? []).sort() })), total };
}

export interface InstanceFilter extends Page {
  processDefinitionKey?: string;
  state?: string;
  businessKey?: string;
  /** When set, only instances that have (or had) a task of one of these groups. */
  visibleGroups?: string[];
}

export async function queryInstances(dataSource: DataSource, filter: InstanceFilter): Promise<{ items: InstanceRow[]; total: number }> {
  const qb = dataSource.getRepository(InstanceEntity).createQueryBuilder('i');
  if (filter.processDefinitionKey) qb.andWhere('i.processDefinitionKey = :key', { key: filter.processDefinitionKey });
  if (filter.state) qb.andWhere('i.state = :state', { state: filter.state });
  if (filter.businessKey) qb.andWhere('i.businessKey = :bk', { bk: filter.businessKey });
  if (filter.visibleGroups) {
    if (filter.visibleGroups.length === 0) return { items: [], total: 0 };
    qb.andWhere(
      `EXISTS (SELECT 1 FROM tasks t JOIN task_candidate_groups g ON g."taskId" = t.id WHERE t."processInstanceId" = i.id AND g."groupId" IN (:...groups))`,
      { groups: filter.visibleGroups },
    );
  }
  qb.orderBy('i.startedAt', 'DESC').addOrderBy('i.id', 'ASC');
  const total = await qb.clone().getCount();
  const items = await qb.offset(filter.firstResult).limit(filter.maxResults).getMany();
  return { items, total };
}

export async function instanceHistory(dataSource: DataSource, instanceId: string): Promise<HistoryRow[]> {
  return dataSource.getRepository(HistoryEntity).find({ where: { processInstanceId: instanceId }, order: { id: 'ASC' } });
}

/** A non-admin sees an instance only through its tasks: one of them must be for their groups. */
export async function userMaySeeInstance(dataSource: DataSource, instanceId: string, groups: string[]): Promise<boolean> {
  if (groups.length === 0) return false;
  const count = await dataSource
    .getRepository(TaskEntity)
    .createQueryBuilder('t')
    .where('t.processInstanceId = :instanceId', { instanceId })
    .andWhere(`EXISTS (SELECT 1 FROM task_candidate_groups g WHERE g."taskId" = t.id AND g."groupId" IN (:...groups))`, { groups })
    .getCount();
  return count > 0;
}
