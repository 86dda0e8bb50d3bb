import { Brackets, DataSource, In } from 'typeorm';
import { HistoryEntity, HistoryRow, InstanceEntity, InstanceRow, TaskEntity, TaskGroupCountEntity, TaskGroupEntity, TaskRow } from './entities';
import { unfoldFlows } from './history-flows';

export interface Page {
  firstResult: number;
  maxResults: number;
}

export interface TaskFilter extends Page {
  /** Groups the caller may see; undefined = all (admin). */
  visibleGroups?: string[];
  candidateGroup?: string;
  /** Tasks of any of these groups (Camunda's candidateGroups). */
  candidateGroups?: string[];
  assignee?: string;
  unassigned?: boolean;
  processDefinitionKey?: string;
  processInstanceId?: string;
  businessKey?: string;
  dueBefore?: string;
  dueAfter?: string;
  /** SQL LIKE pattern on the name (Camunda's nameLike: the caller writes the % wildcards). */
  nameLike?: string;
  overdue?: boolean;
  state: 'open' | 'completed' | 'cancelled' | 'all';
  sortBy: 'due' | 'created' | 'priority' | 'name';
  sortOrder: 'asc' | 'desc';
  now: string;
}

export interface TaskWithGroups extends TaskRow {
  candidateGroups: string[];
}

/**
 * The task list. A clerk's list is driven by one group (the candidateGroup filter, or the caller's
 * only group): it is read from task_candidate_groups, whose (group, state, due order, created) index
 * yields the first page in order, however many open tasks the group has. Other lists (admins, users
 * of several groups without a group filter) read tasks through its own (state, due order) index.
 * Ties are broken by creation time and id, in the direction of the sort.
 */
export async function queryTasks(dataSource: DataSource, filter: TaskFilter): Promise<{ items: TaskWithGroups[]; total: number }> {
  if (filter.visibleGroups && filter.visibleGroups.length === 0) return { items: [], total: 0 };
  const driving = filter.candidateGroup ?? (filter.visibleGroups?.length === 1 ? filter.visibleGroups[0] : undefined);
  const direction = filter.sortOrder === 'desc' ? 'DESC' : 'ASC';
  const qb = dataSource.getRepository(TaskEntity).createQueryBuilder('t');
  // The column the sort and its ties use: the group row's copy when a group drives the query.
  const col = (name: 'state' | 'dueSort' | 'created' | 'id') => (driving ? `g.${name === 'id' ? 'taskId' : name}` : `t.${name}`);
  if (driving) {
    qb.innerJoin('TaskGroup', 'g', 'g.taskId = t.id').andWhere('g.groupId = :driving', { driving });
    // A group filter outside the caller's groups still needs one of their groups on the task.
    if (filter.visibleGroups && !filter.visibleGroups.includes(driving)) {
      qb.andWhere(`EXISTS (SELECT 1 FROM task_candidate_groups v WHERE v."taskId" = t.id AND v."groupId" IN (:...visibleGroups))`, { visibleGroups: filter.visibleGroups });
    }
  } else if (filter.visibleGroups) {
    qb.andWhere(`EXISTS (SELECT 1 FROM task_candidate_groups v WHERE v."taskId" = t.id AND v."groupId" IN (:...visibleGroups))`, { visibleGroups: filter.visibleGroups });
  }
  if (filter.state !== 'all') qb.andWhere(`${col('state')} = :state`, { state: filter.state });
  // Filters on the task itself; without them a group's total is counted on its index alone.
  let taskFilters = 0;
  const onTask = (condition: string | Brackets, params?: Record<string, unknown>) => {
    taskFilters++;
    qb.andWhere(condition, params);
  };
  if (filter.assignee) onTask('t.assignee = :assignee', { assignee: filter.assignee });
  if (filter.unassigned === true) onTask('t.assignee IS NULL');
  if (filter.unassigned === false) onTask('t.assignee IS NOT NULL');
  if (filter.processDefinitionKey) onTask('t.processDefinitionKey = :key', { key: filter.processDefinitionKey });
  if (filter.processInstanceId) onTask('t.processInstanceId = :pid', { pid: filter.processInstanceId });
  if (filter.businessKey) onTask('t.businessKey = :bk', { bk: filter.businessKey });
  if (filter.dueBefore) onTask('t.due IS NOT NULL AND t.due < :dueBefore', { dueBefore: filter.dueBefore });
  if (filter.dueAfter) onTask('t.due IS NOT NULL AND t.due > :dueAfter', { dueAfter: filter.dueAfter });
  if (filter.nameLike) onTask('t.name LIKE :nameLike', { nameLike: filter.nameLike });
  if (filter.candidateGroups) {
    if (filter.candidateGroups.length === 0) return { items: [], total: 0 };
    onTask(`EXISTS (SELECT 1 FROM task_candidate_groups cg WHERE cg."taskId" = t.id AND cg."groupId" IN (:...candidateGroups))`, { candidateGroups: filter.candidateGroups });
  }
  if (filter.overdue === true) onTask("t.due IS NOT NULL AND t.due < :now AND t.state = 'open'", { now: filter.now });
  if (filter.overdue === false) onTask(new Brackets((w) => w.where('t.due IS NULL').orWhere('t.due >= :now', { now: filter.now })));

  switch (filter.sortBy) {
    case 'due':
      qb.orderBy(col('dueSort'), direction).addOrderBy(col('created'), direction).addOrderBy(col('id'), direction);
      break;
    case 'created':
      qb.orderBy(col('created'), direction).addOrderBy(col('id'), direction);
      break;
    case 'priority':
      qb.orderBy('t.priority', direction).addOrderBy('t.created', 'ASC').addOrderBy('t.id', 'ASC');
      break;
    case 'name':
      qb.orderBy('t.name', direction).addOrderBy('t.created', 'ASC').addOrderBy('t.id', 'ASC');
      break;
  }

  const total =
    driving && taskFilters === 0 && !(filter.visibleGroups && !filter.visibleGroups.includes(driving))
      ? await countGroupTasks(dataSource, driving, filter.state)
      : await qb.clone().getCount();
  const rows = await qb.offset(filter.firstResult).limit(filter.maxResults).getMany();
  const groups = rows.length ? await dataSource.getRepository(TaskGroupEntity).find({ where: { taskId: In(rows.map((r) => r.id)) } }) : [];
  const byTask = new Map<string, string[]>();
  for (const g of groups) byTask.set(g.taskId, [...(byTask.get(g.taskId) ?? []), g.groupId]);
  return { items: rows.map(({ dueSort: _dueSort, ...r }) => ({ ...r, candidateGroups: (byTask.get(r.id) ?? []).sort() })), total };
}

/**
 * A group's tasks in a state: open ones from the group's counter (kept by every unit of work),
 * others counted on the group index alone (no row of tasks is read).
 */
async function countGroupTasks(dataSource: DataSource, groupId: string, state: TaskFilter['state']): Promise<number> {
  if (state === 'open') return (await dataSource.getRepository(TaskGroupCountEntity).findOne({ where: { groupId } }))?.open ?? 0;
  const qb = dataSource.getRepository(TaskGroupEntity).createQueryBuilder('g').where('g.groupId = :groupId', { groupId });
  if (state !== 'all') qb.andWhere('g.state = :state', { state });
  return qb.getCount();
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
  return unfoldFlows(await dataSource.getRepository(HistoryEntity).find({ where: { processInstanceId: instanceId }, order: { id: 'ASC' } }));
}
