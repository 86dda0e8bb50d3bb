/**
 * The reads behind /engine-rest's process-instance and history resources (Camunda 7 dialect): instances,
 * tasks of every state, incidents and history rows, each limited to the instances a user may see. Who
 * may see what is decided in identity/access.ts (caseScope); this module only turns that into SQL, the
 * same way case-query.ts does for the case list, but for every instance (a called flow included), so
 * an instance is visible exactly when maySeeCase says so.
 */
import { Brackets, DataSource, In, SelectQueryBuilder } from 'typeorm';
import { HistoryEntity, HistoryRow, IncidentEntity, IncidentRow, InstanceEntity, InstanceRow, TaskEntity, TaskRow, TimerEntity, TimerRow } from './entities';
import { unfoldFlows } from './history-flows';
import type { CaseVisibility } from './case-query';
import type { Page } from './queries';

export type SortOrder = 'asc' | 'desc';

/** `text` for LIKE with its own % _ \ taken literally. */
function literal(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Only instances the visibility admits: started by the user, of a reglament they head, or of an application their groups worked on. */
function visibleInstances(qb: SelectQueryBuilder<any>, visibility: CaseVisibility, alias = 'i'): void {
  if (visibility.all) return;
  const { userId, groups, processKeys } = visibility;
  qb.andWhere(
    new Brackets((w) => {
      w.where(`${alias}.startedBy = :visUser`, { visUser: userId });
      if (processKeys.length > 0) w.orWhere(`COALESCE(${alias}."rootProcessDefinitionKey", ${alias}."processDefinitionKey") IN (:...visKeys)`, { visKeys: processKeys });
      if (groups.length > 0) {
        w.orWhere(
          `EXISTS (SELECT 1 FROM process_instances vc JOIN tasks vt ON vt."processInstanceId" = vc.id JOIN task_candidate_groups vg ON vg."taskId" = vt.id WHERE vc."rootInstanceId" = COALESCE(${alias}."rootInstanceId", ${alias}.id) AND vg."groupId" IN (:...visGroups))`,
          { visGroups: groups },
        );
      }
    }),
  );
}

export interface CamundaInstanceFilter extends Page {
  visibility: CaseVisibility;
  processInstanceIds?: string[];
  processDefinitionId?: string;
  /** Instances of one of these versions (a deployment's). */
  processDefinitionIds?: string[];
  processDefinitionKeys?: string[];
  businessKey?: string;
  /** SQL LIKE pattern, the caller's % wildcards kept. */
  businessKeyLike?: string;
  superProcessInstanceId?: string;
  /** The instance this one called (its caller is answered). */
  subProcessInstanceId?: string;
  rootProcessInstances?: boolean;
  state?: 'running' | 'completed';
  startedBy?: string;
  startedAfter?: string;
  startedBefore?: string;
  finishedAfter?: string;
  finishedBefore?: string;
  /** Instances waiting in one of these activities now. */
  activityIds?: string[];
  sortBy: 'id' | 'definitionId' | 'definitionKey' | 'version' | 'businessKey' | 'startedAt' | 'endedAt';
  sortOrder: SortOrder;
}

const INSTANCE_SORT = { id: 'i.id', definitionId: 'i.definitionId', definitionKey: 'i.processDefinitionKey', version: 'i.version', businessKey: 'i.businessKey', startedAt: 'i.startedAt', endedAt: 'i.endedAt' } as const;

export async function queryCamundaInstances(dataSource: DataSource, filter: CamundaInstanceFilter): Promise<{ items: InstanceRow[]; total: number }> {
  const qb = dataSource.getRepository(InstanceEntity).createQueryBuilder('i');
  visibleInstances(qb, filter.visibility);
  if (filter.processInstanceIds) {
    if (filter.processInstanceIds.length === 0) return { items: [], total: 0 };
    qb.andWhere('i.id IN (:...ids)', { ids: filter.processInstanceIds });
  }
  if (filter.processDefinitionId) qb.andWhere('i.definitionId = :definitionId', { definitionId: filter.processDefinitionId });
  if (filter.processDefinitionIds) {
    if (filter.processDefinitionIds.length === 0) return { items: [], total: 0 };
    qb.andWhere('i.definitionId IN (:...definitionIds)', { definitionIds: filter.processDefinitionIds });
  }
  if (filter.processDefinitionKeys) {
    if (filter.processDefinitionKeys.length === 0) return { items: [], total: 0 };
    qb.andWhere('i.processDefinitionKey IN (:...keys)', { keys: filter.processDefinitionKeys });
  }
  if (filter.businessKey) qb.andWhere('i.businessKey = :bk', { bk: filter.businessKey });
  if (filter.businessKeyLike) qb.andWhere('i.businessKey LIKE :bkLike', { bkLike: filter.businessKeyLike });
  if (filter.superProcessInstanceId) qb.andWhere('i.parentInstanceId = :parent', { parent: filter.superProcessInstanceId });
  if (filter.subProcessInstanceId) qb.andWhere(`i.id = (SELECT s."parentInstanceId" FROM process_instances s WHERE s.id = :sub)`, { sub: filter.subProcessInstanceId });
  if (filter.rootProcessInstances) qb.andWhere('i.parentInstanceId IS NULL');
  if (filter.state) qb.andWhere('i.state = :state', { state: filter.state });
  if (filter.startedBy) qb.andWhere('i.startedBy = :startedBy', { startedBy: filter.startedBy });
  if (filter.startedAfter) qb.andWhere('i.startedAt > :startedAfter', { startedAfter: filter.startedAfter });
  if (filter.startedBefore) qb.andWhere('i.startedAt < :startedBefore', { startedBefore: filter.startedBefore });
  if (filter.finishedAfter) qb.andWhere('i.endedAt IS NOT NULL AND i.endedAt > :finishedAfter', { finishedAfter: filter.finishedAfter });
  if (filter.finishedBefore) qb.andWhere('i.endedAt IS NOT NULL AND i.endedAt < :finishedBefore', { finishedBefore: filter.finishedBefore });
  if (filter.activityIds) {
    if (filter.activityIds.length === 0) return { items: [], total: 0 };
    // activeActivities is the JSON list [{"id":...,"name":...,"type":...}] the step wrote.
    qb.andWhere(
      new Brackets((w) => filter.activityIds!.forEach((id, n) => w.orWhere(`i.activeActivities LIKE :act${n} ESCAPE '\\'`, { [`act${n}`]: `%"id":${literal(JSON.stringify(id))}%` }))),
    );
  }
  const direction = filter.sortOrder === 'desc' ? 'DESC' : 'ASC';
  // Nullable keys compare as '' so that both dialects put rows without one at the same end.
  if (filter.sortBy === 'businessKey' || filter.sortBy === 'endedAt') qb.addSelect(`COALESCE(${INSTANCE_SORT[filter.sortBy]}, '')`, 'instance_sort').orderBy('instance_sort', direction);
  else qb.orderBy(INSTANCE_SORT[filter.sortBy], direction);
  if (filter.sortBy !== 'id') qb.addOrderBy('i.id', direction);
  const total = await qb.clone().getCount();
  const items = filter.maxResults === 0 ? [] : await qb.offset(filter.firstResult).limit(filter.maxResults).getMany();
  return { items, total };
}

/** Whether the visibility admits the instance (one query; false for an unknown id). */
export async function instanceVisible(dataSource: DataSource, visibility: CaseVisibility, instanceId: string): Promise<boolean> {
  const qb = dataSource.getRepository(InstanceEntity).createQueryBuilder('i').where('i.id = :id', { id: instanceId });
  visibleInstances(qb, visibility);
  return (await qb.getCount()) > 0;
}

export interface CamundaTaskHistoryFilter extends Page {
  visibility: CaseVisibility;
  taskId?: string;
  processInstanceIds?: string[];
  processDefinitionId?: string;
  processDefinitionKey?: string;
  businessKey?: string;
  taskDefinitionKey?: string;
  taskName?: string;
  taskNameLike?: string;
  assignee?: string;
  owner?: string;
  /** finished: completed or cancelled; unfinished: open. */
  finished?: boolean;
  sortBy: 'id' | 'created' | 'completedAt' | 'name' | 'assignee' | 'owner' | 'due' | 'priority' | 'taskDefinitionKey' | 'processInstanceId' | 'definitionId';
  sortOrder: SortOrder;
}

export async function queryCamundaTaskHistory(dataSource: DataSource, filter: CamundaTaskHistoryFilter): Promise<{ items: TaskRow[]; total: number }> {
  const qb = dataSource.getRepository(TaskEntity).createQueryBuilder('t').innerJoin('Instance', 'i', 'i.id = t.processInstanceId');
  visibleInstances(qb, filter.visibility);
  if (filter.taskId) qb.andWhere('t.id = :taskId', { taskId: filter.taskId });
  if (filter.processInstanceIds) {
    if (filter.processInstanceIds.length === 0) return { items: [], total: 0 };
    qb.andWhere('t.processInstanceId IN (:...pids)', { pids: filter.processInstanceIds });
  }
  if (filter.processDefinitionId) qb.andWhere('t.definitionId = :definitionId', { definitionId: filter.processDefinitionId });
  if (filter.processDefinitionKey) qb.andWhere('t.processDefinitionKey = :key', { key: filter.processDefinitionKey });
  if (filter.businessKey) qb.andWhere('t.businessKey = :bk', { bk: filter.businessKey });
  if (filter.taskDefinitionKey) qb.andWhere('t.taskDefinitionKey = :tdk', { tdk: filter.taskDefinitionKey });
  if (filter.taskName) qb.andWhere('t.name = :taskName', { taskName: filter.taskName });
  if (filter.taskNameLike) qb.andWhere('t.name LIKE :taskNameLike', { taskNameLike: filter.taskNameLike });
  if (filter.assignee) qb.andWhere('t.assignee = :assignee', { assignee: filter.assignee });
  if (filter.owner) qb.andWhere('t.owner = :owner', { owner: filter.owner });
  if (filter.finished === true) qb.andWhere("t.state <> 'open'");
  if (filter.finished === false) qb.andWhere("t.state = 'open'");
  const direction = filter.sortOrder === 'desc' ? 'DESC' : 'ASC';
  const column = { id: 't.id', created: 't.created', completedAt: 't.completedAt', name: 't.name', assignee: 't.assignee', owner: 't.owner', due: 't.due', priority: 't.priority', taskDefinitionKey: 't.taskDefinitionKey', processInstanceId: 't.processInstanceId', definitionId: 't.definitionId' }[filter.sortBy];
  if (['completedAt', 'name', 'assignee', 'owner', 'due'].includes(filter.sortBy)) qb.addSelect(`COALESCE(${column}, '')`, 'task_sort').orderBy('task_sort', direction);
  else qb.orderBy(column, direction);
  if (filter.sortBy !== 'id') qb.addOrderBy('t.created', direction).addOrderBy('t.id', direction);
  const total = await qb.clone().getCount();
  const rows = filter.maxResults === 0 ? [] : await qb.offset(filter.firstResult).limit(filter.maxResults).getMany();
  return { items: rows.map(({ dueSort: _dueSort, ...r }) => r), total };
}

export interface CamundaIncidentFilter extends Page {
  visibility: CaseVisibility;
  incidentId?: string;
  processInstanceId?: string;
  processDefinitionId?: string;
  processDefinitionKey?: string;
  activityId?: string;
  /** open: not resolved yet; resolved: resolved. */
  open?: boolean;
  sortBy: 'id' | 'createdAt' | 'resolvedAt' | 'activityId' | 'processInstanceId' | 'processDefinitionKey' | 'message';
  sortOrder: SortOrder;
}

export async function queryCamundaIncidents(dataSource: DataSource, filter: CamundaIncidentFilter): Promise<{ items: (IncidentRow & { definitionId: string })[]; total: number }> {
  const qb = dataSource.getRepository(IncidentEntity).createQueryBuilder('n').innerJoin('Instance', 'i', 'i.id = n.processInstanceId').addSelect('i.definitionId', 'instance_definition');
  visibleInstances(qb, filter.visibility);
  if (filter.incidentId) qb.andWhere('n.id = :incidentId', { incidentId: filter.incidentId });
  if (filter.processInstanceId) qb.andWhere('n.processInstanceId = :pid', { pid: filter.processInstanceId });
  if (filter.processDefinitionId) qb.andWhere('i.definitionId = :definitionId', { definitionId: filter.processDefinitionId });
  if (filter.processDefinitionKey) qb.andWhere('n.processDefinitionKey = :key', { key: filter.processDefinitionKey });
  if (filter.activityId) qb.andWhere('n.activityId = :activityId', { activityId: filter.activityId });
  if (filter.open === true) qb.andWhere('n.resolvedAt IS NULL');
  if (filter.open === false) qb.andWhere('n.resolvedAt IS NOT NULL');
  const direction = filter.sortOrder === 'desc' ? 'DESC' : 'ASC';
  const column = { id: 'n.id', createdAt: 'n.createdAt', resolvedAt: 'n.resolvedAt', activityId: 'n.activityId', processInstanceId: 'n.processInstanceId', processDefinitionKey: 'n.processDefinitionKey', message: 'n.message' }[filter.sortBy];
  if (filter.sortBy === 'resolvedAt') qb.addSelect(`COALESCE(${column}, '')`, 'incident_sort').orderBy('incident_sort', direction);
  else qb.orderBy(column, direction);
  if (filter.sortBy !== 'id') qb.addOrderBy('n.id', direction);
  const total = await qb.clone().getCount();
  if (filter.maxResults === 0) return { items: [], total };
  const { entities, raw } = await qb.offset(filter.firstResult).limit(filter.maxResults).getRawAndEntities();
  return { items: entities.map((e, n) => ({ ...e, definitionId: String((raw[n] as Record<string, unknown>).instance_definition) })), total };
}

export interface CamundaHistoryRowFilter extends Page {
  visibility: CaseVisibility;
  types: readonly string[];
  processInstanceIds?: string[];
  processDefinitionKey?: string;
  userId?: string;
  /** The task the row is about (its data names it). */
  taskId?: string;
  after?: string;
  before?: string;
  sortOrder: SortOrder;
}

/** History rows of the given types in visible instances, by time (ties by row id), with their instance's definition. */
export async function queryCamundaHistoryRows(dataSource: DataSource, filter: CamundaHistoryRowFilter): Promise<{ items: (HistoryRow & { definitionId: string; processDefinitionKey: string; rootInstanceId: string })[]; total: number }> {
  if (filter.types.length === 0) return { items: [], total: 0 };
  const qb = dataSource
    .getRepository(HistoryEntity)
    .createQueryBuilder('h')
    .innerJoin('Instance', 'i', 'i.id = h.processInstanceId')
    .addSelect('i.definitionId', 'instance_definition')
    .addSelect('i.processDefinitionKey', 'instance_key')
    .addSelect(`COALESCE(i."rootInstanceId", i.id)`, 'instance_root')
    .where('h.type IN (:...types)', { types: filter.types });
  visibleInstances(qb, filter.visibility);
  if (filter.processInstanceIds) {
    if (filter.processInstanceIds.length === 0) return { items: [], total: 0 };
    qb.andWhere('h.processInstanceId IN (:...pids)', { pids: filter.processInstanceIds });
  }
  if (filter.processDefinitionKey) qb.andWhere('i.processDefinitionKey = :key', { key: filter.processDefinitionKey });
  if (filter.userId) qb.andWhere('h.userId = :userId', { userId: filter.userId });
  if (filter.taskId) qb.andWhere(`h.data LIKE :taskData ESCAPE '\\'`, { taskData: `%"taskId":${literal(JSON.stringify(filter.taskId))}%` });
  if (filter.after) qb.andWhere('h.at > :after', { after: filter.after });
  if (filter.before) qb.andWhere('h.at < :before', { before: filter.before });
  const direction = filter.sortOrder === 'desc' ? 'DESC' : 'ASC';
  qb.orderBy('h.at', direction).addOrderBy('h.id', direction);
  const total = await qb.clone().getCount();
  if (filter.maxResults === 0) return { items: [], total };
  const { entities, raw } = await qb.offset(filter.firstResult).limit(filter.maxResults).getRawAndEntities();
  return {
    items: entities.map((e, n) => {
      const r = raw[n] as Record<string, unknown>;
      return { ...e, definitionId: String(r.instance_definition), processDefinitionKey: String(r.instance_key), rootInstanceId: String(r.instance_root) };
    }),
    total,
  };
}

/** What an instance's activity history and activity tree are built from: its history, tasks (every state), called instances, pending timers and open incidents. */
export async function instanceActivityFacts(dataSource: DataSource, instanceId: string): Promise<{ history: HistoryRow[]; tasks: TaskRow[]; called: InstanceRow[]; timers: TimerRow[]; incidents: IncidentRow[] }> {
  const [history, tasks, called, timers, incidents] = await Promise.all([
    dataSource.getRepository(HistoryEntity).find({ where: { processInstanceId: instanceId }, order: { id: 'ASC' } }),
    dataSource.getRepository(TaskEntity).find({ where: { processInstanceId: instanceId }, order: { created: 'ASC', id: 'ASC' } }),
    dataSource.getRepository(InstanceEntity).find({ where: { parentInstanceId: instanceId }, order: { startedAt: 'ASC', id: 'ASC' } }),
    dataSource.getRepository(TimerEntity).find({ where: { processInstanceId: instanceId, state: 'pending' }, order: { createdAt: 'ASC', id: 'ASC' } }),
    dataSource.getRepository(IncidentEntity).find({ where: { processInstanceId: instanceId }, order: { createdAt: 'ASC', id: 'ASC' } }),
  ]);
  return { history: unfoldFlows(history), tasks: tasks.map(({ dueSort: _dueSort, ...r }) => r), called, timers, incidents };
}

/** Instances by id (the variables of several at once). */
export function instancesById(dataSource: DataSource, ids: readonly string[]): Promise<InstanceRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return dataSource.getRepository(InstanceEntity).find({ where: { id: In([...new Set(ids)]) }, order: { id: 'ASC' } });
}

/** Running instances of a definition (or of all) with their open incidents, for the statistics resource. */
export async function runningInstancesOf(dataSource: DataSource, definitionId: string | undefined, visibility: CaseVisibility): Promise<{ instances: Pick<InstanceRow, 'id' | 'definitionId' | 'activeActivities'>[]; incidents: Pick<IncidentRow, 'processInstanceId' | 'activityId'>[] }> {
  const qb = dataSource.getRepository(InstanceEntity).createQueryBuilder('i').select(['i.id', 'i.definitionId', 'i.activeActivities']).where("i.state = 'running'");
  if (definitionId) qb.andWhere('i.definitionId = :definitionId', { definitionId });
  visibleInstances(qb, visibility);
  const instances = await qb.getMany();
  const incidentQb = dataSource.getRepository(IncidentEntity).createQueryBuilder('n').select(['n.processInstanceId', 'n.activityId']).innerJoin('Instance', 'i', 'i.id = n.processInstanceId').where('n.resolvedAt IS NULL').andWhere("i.state = 'running'");
  if (definitionId) incidentQb.andWhere('i.definitionId = :definitionId', { definitionId });
  visibleInstances(incidentQb, visibility);
  return { instances, incidents: await incidentQb.getMany() };
}

/** Tasks by id, every state (the user operation log names its tasks' executions). */
export async function tasksById(dataSource: DataSource, ids: readonly string[]): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  return (await dataSource.getRepository(TaskEntity).find({ where: { id: In([...new Set(ids)]) } })).map(({ dueSort: _dueSort, ...r }) => r);
}

/** The tasks an engine execution ran (a user task's execution id, as Camunda's executionId names it). */
export async function tasksOfExecution(dataSource: DataSource, executionId: string): Promise<TaskRow[]> {
  return (await dataSource.getRepository(TaskEntity).find({ where: { executionId } })).map(({ dueSort: _dueSort, ...r }) => r);
}

export function camundaQueries(dataSource: DataSource) {
  return {
    camundaInstances: (filter: CamundaInstanceFilter) => queryCamundaInstances(dataSource, filter),
    camundaInstanceVisible: (visibility: CaseVisibility, instanceId: string) => instanceVisible(dataSource, visibility, instanceId),
    camundaTaskHistory: (filter: CamundaTaskHistoryFilter) => queryCamundaTaskHistory(dataSource, filter),
    camundaIncidents: (filter: CamundaIncidentFilter) => queryCamundaIncidents(dataSource, filter),
    camundaHistoryRows: (filter: CamundaHistoryRowFilter) => queryCamundaHistoryRows(dataSource, filter),
    instanceActivityFacts: (instanceId: string) => instanceActivityFacts(dataSource, instanceId),
    instancesById: (ids: readonly string[]) => instancesById(dataSource, ids),
    tasksById: (ids: readonly string[]) => tasksById(dataSource, ids),
    tasksOfExecution: (executionId: string) => tasksOfExecution(dataSource, executionId),
    runningInstancesOf: (definitionId: string | undefined, visibility: CaseVisibility) => runningInstancesOf(dataSource, definitionId, visibility),
  };
}
