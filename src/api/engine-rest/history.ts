import express, { Request, Response, Router } from 'express';
import type { CaseScope } from '../../identity/access';
import type { HistoryRow, IncidentRow, InstanceRow, TaskRow } from '../../persistence/api-store';
import { HostContext } from '../context';
import { ActivityInstance, activityInstancesOf } from './activities';
import { invalidRequest } from './camunda-error';
import { incidentsOf } from './incidents';
import { camundaInstant, date, flag, list, pageOf, Params, queryOf, refuseParams, sortingOf, str } from './query-params';
import { typedVariable } from './tasks';
import { scopeOf, visibleInstance } from './visibility';

/**
 * Camunda 7.24's history resources on /engine-rest, mapped from this server's tables: process
 * instances (process_instances, finished ones included), activity instances (derived per instance,
 * activities.ts), tasks (tasks, every state), variables (an instance's current values, each created
 * when the history first shows it set), incidents (incidents) and the user operation log (the
 * history's task rows: claim, assign, delegate, resolve, complete, attachments). Every list holds only
 * instances the user may see (visibility.ts); a named one they may not is a 403.
 */

const HISTORIC_INSTANCE_SORT = {
  instanceId: 'id',
  definitionId: 'definitionId',
  definitionKey: 'definitionKey',
  definitionVersion: 'version',
  businessKey: 'businessKey',
  startTime: 'startedAt',
  endTime: 'endedAt',
} as const;

const NO_TENANTS = 'it has no tenants';

const ms = (from: string, to: string | null): number | null => (to === null ? null : Date.parse(to) - Date.parse(from));

/** Answers a list or its count from one query function, for GET and POST alike. */
function listAndCount(router: Router, path: string, run: (req: Request, page: { firstResult: number; maxResults: number }) => Promise<{ items: unknown[]; total: number }>) {
  const items = async (req: Request, res: Response) => res.json((await run(req, pageOf(req))).items);
  const count = async (req: Request, res: Response) => res.json({ count: (await run(req, { firstResult: 0, maxResults: 0 })).total });
  router.get(path, items);
  router.post(path, items);
  router.get(`${path}/count`, count);
  router.post(`${path}/count`, count);
}

export function engineHistoryRoutes(host: HostContext): Router {
  const router = express.Router();

  /** Loaded definitions by id, for names and documentation (the host keeps each version's parse). */
  const definition = (id: string) => host.definitions.load(id);

  async function presentHistoricInstance(row: InstanceRow) {
    const loaded = await definition(row.definitionId);
    return {
      id: row.id,
      rootProcessInstanceId: row.rootInstanceId ?? row.id,
      superProcessInstanceId: row.parentInstanceId,
      superCaseInstanceId: null,
      caseInstanceId: null,
      processDefinitionName: loaded.model.name ?? loaded.row.name ?? null,
      processDefinitionKey: row.processDefinitionKey,
      processDefinitionVersion: row.version,
      processDefinitionId: row.definitionId,
      businessKey: row.businessKey,
      startTime: camundaInstant(row.startedAt),
      endTime: camundaInstant(row.endedAt),
      removalTime: null,
      durationInMillis: ms(row.startedAt, row.endedAt),
      startUserId: row.startedBy,
      startActivityId: (await host.translations.startFormElementId(row.definitionId)) ?? null,
      deleteReason: null,
      tenantId: null,
      state: row.state === 'running' ? 'ACTIVE' : 'COMPLETED',
      restartedProcessInstanceId: null,
    };
  }

  // --- process instances -----------------------------------------------------------------------

  listAndCount(router, '/history/process-instance', async (req, page) => {
    const params = queryOf(req);
    refuseParams(params, {
      variables: 'variable values are not indexed; read them at /history/variable-instance?processInstanceId=...',
      tenantIdIn: NO_TENANTS,
      withoutTenantId: NO_TENANTS,
      withIncidents: 'filter incidents on /history/incident',
      withRootIncidents: 'filter incidents on /history/incident',
      incidentType: 'filter incidents on /history/incident',
      incidentStatus: 'filter incidents on /history/incident',
      incidentMessage: 'filter incidents on /history/incident',
      incidentMessageLike: 'filter incidents on /history/incident',
      executedActivityIdIn: 'read an instance’s activities at /history/activity-instance',
      executedActivityAfter: 'read an instance’s activities at /history/activity-instance',
      executedActivityBefore: 'read an instance’s activities at /history/activity-instance',
      executedJobAfter: 'it runs no jobs',
      executedJobBefore: 'it runs no jobs',
      caseInstanceId: 'it has no CMMN',
      superCaseInstanceId: 'it has no CMMN',
      subCaseInstanceId: 'it has no CMMN',
      orQueries: 'or-queries are not supported',
    });
    const sort = sortingOf(params, HISTORIC_INSTANCE_SORT, { by: 'id', order: 'asc' });
    const finished = flag(params, 'finished') === true || flag(params, 'completed') === true;
    const unfinished = flag(params, 'unfinished') === true || flag(params, 'active') === true;
    // Nothing here is suspended or terminated; finished and unfinished together select nothing.
    const none = (finished && unfinished) || flag(params, 'suspended') === true || flag(params, 'externallyTerminated') === true || flag(params, 'internallyTerminated') === true;
    if (none) return { items: [], total: 0 };
    const one = str(params, 'processInstanceId');
    const ids = list(params, 'processInstanceIds');
    const key = str(params, 'processDefinitionKey');
    const keys = list(params, 'processDefinitionKeyIn');
    const result = await host.store.camundaInstances({
      visibility: await scopeOf(host, req.user!),
      processInstanceIds: one !== undefined ? (ids && !ids.includes(one) ? [] : [one]) : ids,
      processDefinitionId: str(params, 'processDefinitionId'),
      processDefinitionKeys: key !== undefined ? (keys && !keys.includes(key) ? [] : [key]) : keys,
      businessKey: str(params, 'processInstanceBusinessKey'),
      businessKeyLike: str(params, 'processInstanceBusinessKeyLike'),
      superProcessInstanceId: str(params, 'superProcessInstanceId'),
      subProcessInstanceId: str(params, 'subProcessInstanceId'),
      rootProcessInstances: flag(params, 'rootProcessInstances') === true,
      state: finished ? 'completed' : unfinished ? 'running' : undefined,
      startedBy: str(params, 'startedBy'),
      startedAfter: date(params, 'startedAfter'),
      startedBefore: date(params, 'startedBefore'),
      finishedAfter: date(params, 'finishedAfter'),
      finishedBefore: date(params, 'finishedBefore'),
      activityIds: list(params, 'activeActivityIdIn') ?? list(params, 'activityIdIn'),
      sortBy: sort.by,
      sortOrder: sort.order,
      ...page,
    });
    return { items: await Promise.all(result.items.map(presentHistoricInstance)), total: result.total };
  });

  router.get('/history/process-instance/:id', async (req, res) => {
    res.json(await presentHistoricInstance(await visibleInstance(host, req.user!, req.params.id as string, 'historic process instance')));
  });

  // --- activity instances ----------------------------------------------------------------------

  /** The instances a per-instance history (activities, variables) reads: named ones only, each visible. */
  async function namedInstances(req: Request, params: Params, scope: CaseScope): Promise<InstanceRow[]> {
    const one = str(params, 'processInstanceId');
    const ids = [...new Set([...(one !== undefined ? [one] : []), ...(list(params, 'processInstanceIdIn') ?? [])])];
    if (ids.length === 0) throw invalidRequest(`Query parameter 'processInstanceId' is required on this server: the ${req.path.includes('variable') ? 'variables' : 'activity instances'} of a process instance are read per instance`);
    const rows = await host.store.instancesById(ids);
    const visible: InstanceRow[] = [];
    for (const row of rows) if (await host.store.camundaInstanceVisible(scope, row.id)) visible.push(row);
    return visible;
  }

  function presentActivity(row: InstanceRow, a: ActivityInstance) {
    return {
      id: a.id,
      parentActivityInstanceId: a.parentActivityInstanceId,
      activityId: a.activityId,
      activityName: a.activityName,
      activityType: a.activityType,
      processDefinitionKey: row.processDefinitionKey,
      processDefinitionId: row.definitionId,
      processInstanceId: row.id,
      executionId: a.executionId,
      taskId: a.taskId,
      assignee: a.assignee,
      calledProcessInstanceId: a.calledProcessInstanceId,
      calledCaseInstanceId: null,
      startTime: camundaInstant(a.startTime),
      endTime: camundaInstant(a.endTime),
      durationInMillis: ms(a.startTime, a.endTime),
      canceled: a.canceled,
      completeScope: a.completeScope,
      tenantId: null,
      removalTime: null,
      rootProcessInstanceId: row.rootInstanceId ?? row.id,
    };
  }

  async function activitiesOf(row: InstanceRow): Promise<ActivityInstance[]> {
    return activityInstancesOf(row, await definition(row.definitionId), await host.store.instanceActivityFacts(row.id));
  }

  type Activity = ReturnType<typeof presentActivity>;
  const ACTIVITY_SORT: Record<string, (a: Activity) => string | number> = {
    activityInstanceId: (a) => a.id,
    instanceId: (a) => a.processInstanceId,
    executionId: (a) => a.executionId,
    activityId: (a) => a.activityId,
    activityName: (a) => a.activityName ?? '',
    activityType: (a) => a.activityType,
    startTime: (a) => a.startTime ?? '',
    endTime: (a) => a.endTime ?? '',
    duration: (a) => a.durationInMillis ?? Number.MAX_SAFE_INTEGER,
    definitionId: (a) => a.processDefinitionId,
    occurrence: (a) => a.startTime ?? '',
  };

  listAndCount(router, '/history/activity-instance', async (req, page) => {
    const params = queryOf(req);
    refuseParams(params, { tenantIdIn: NO_TENANTS, withoutTenantId: NO_TENANTS });
    const sort = sortingOf(params, Object.fromEntries(Object.keys(ACTIVITY_SORT).map((k) => [k, k])), { by: 'occurrence', order: 'asc' });
    const rows = await namedInstances(req, params, await scopeOf(host, req.user!));
    const filters = {
      id: str(params, 'activityInstanceId'),
      activityId: str(params, 'activityId'),
      activityName: str(params, 'activityName'),
      activityType: str(params, 'activityType'),
      executionId: str(params, 'executionId'),
      assignee: str(params, 'taskAssignee'),
      processDefinitionId: str(params, 'processDefinitionId'),
      finished: flag(params, 'finished'),
      unfinished: flag(params, 'unfinished'),
      canceled: flag(params, 'canceled'),
      completeScope: flag(params, 'completeScope'),
      startedAfter: date(params, 'startedAfter'),
      startedBefore: date(params, 'startedBefore'),
      finishedAfter: date(params, 'finishedAfter'),
      finishedBefore: date(params, 'finishedBefore'),
    };
    const all: Activity[] = [];
    for (const row of rows) {
      for (const a of await activitiesOf(row)) {
        if (filters.id !== undefined && a.id !== filters.id) continue;
        if (filters.activityId !== undefined && a.activityId !== filters.activityId) continue;
        if (filters.activityName !== undefined && a.activityName !== filters.activityName) continue;
        if (filters.activityType !== undefined && a.activityType !== filters.activityType) continue;
        if (filters.executionId !== undefined && a.executionId !== filters.executionId) continue;
        if (filters.assignee !== undefined && a.assignee !== filters.assignee) continue;
        if (filters.processDefinitionId !== undefined && row.definitionId !== filters.processDefinitionId) continue;
        if (filters.finished === true && a.endTime === null) continue;
        if (filters.unfinished === true && a.endTime !== null) continue;
        if (filters.canceled === true && !a.canceled) continue;
        if (filters.completeScope === true && !a.completeScope) continue;
        if (filters.startedAfter !== undefined && !(a.startTime > filters.startedAfter)) continue;
        if (filters.startedBefore !== undefined && !(a.startTime < filters.startedBefore)) continue;
        if (filters.finishedAfter !== undefined && !(a.endTime !== null && a.endTime > filters.finishedAfter)) continue;
        if (filters.finishedBefore !== undefined && !(a.endTime !== null && a.endTime < filters.finishedBefore)) continue;
        all.push(presentActivity(row, a));
      }
    }
    const key = ACTIVITY_SORT[sort.by];
    const direction = sort.order === 'desc' ? -1 : 1;
    // A stable order: the sort key, then the order of occurrence, then the id.
    const indexed = all.map((a, n) => ({ a, n }));
    indexed.sort(({ a: x, n: i }, { a: y, n: j }) => {
      const kx = key(x);
      const ky = key(y);
      const byKey = typeof kx === 'number' && typeof ky === 'number' ? kx - ky : String(kx).localeCompare(String(ky));
      return direction * (byKey || i - j);
    });
    return { items: indexed.slice(page.firstResult, page.firstResult + page.maxResults).map(({ a }) => a), total: indexed.length };
  });

  // --- tasks -----------------------------------------------------------------------------------

  const TASK_SORT = {
    taskId: 'id',
    startTime: 'created',
    endTime: 'completedAt',
    taskName: 'name',
    assignee: 'assignee',
    owner: 'owner',
    dueDate: 'due',
    priority: 'priority',
    taskDefinitionKey: 'taskDefinitionKey',
    processInstanceId: 'processInstanceId',
    processDefinitionId: 'definitionId',
  } as const;

  /** The activity instance each task of `rows` belongs to, computed once per instance. */
  async function activityInstanceIds(tasks: TaskRow[]): Promise<Map<string, string>> {
    const byTask = new Map<string, string>();
    const instances = await host.store.instancesById([...new Set(tasks.map((t) => t.processInstanceId))]);
    for (const row of instances) for (const a of await activitiesOf(row)) if (a.taskId) byTask.set(a.taskId, a.id);
    return byTask;
  }

  async function presentHistoricTask(task: TaskRow, activityIds: Map<string, string>, roots: Map<string, string>) {
    const model = (await definition(task.definitionId)).model.userTasks.get(task.taskDefinitionKey);
    const end = task.state === 'open' ? null : (task.completedAt ?? null);
    return {
      id: task.id,
      processDefinitionKey: task.processDefinitionKey,
      processDefinitionId: task.definitionId,
      processInstanceId: task.processInstanceId,
      executionId: task.executionId,
      caseDefinitionKey: null,
      caseDefinitionId: null,
      caseInstanceId: null,
      caseExecutionId: null,
      activityInstanceId: activityIds.get(task.id) ?? null,
      name: task.name,
      description: model?.documentation ?? null,
      deleteReason: task.state === 'completed' ? 'completed' : task.state === 'cancelled' ? 'deleted' : null,
      owner: task.owner ?? null,
      assignee: task.assignee,
      startTime: camundaInstant(task.created),
      endTime: camundaInstant(end),
      duration: ms(task.created, end),
      taskDefinitionKey: task.taskDefinitionKey,
      priority: task.priority,
      due: camundaInstant(task.due),
      parentTaskId: null,
      followUp: null,
      tenantId: null,
      removalTime: null,
      rootProcessInstanceId: roots.get(task.processInstanceId) ?? task.processInstanceId,
      taskState: task.state === 'open' ? 'Created' : task.state === 'completed' ? 'Completed' : 'Deleted',
    };
  }

  listAndCount(router, '/history/task', async (req, page) => {
    const params = queryOf(req);
    refuseParams(params, {
      tenantIdIn: NO_TENANTS,
      withoutTenantId: NO_TENANTS,
      taskVariables: 'variable values are not indexed',
      processVariables: 'variable values are not indexed',
      caseDefinitionId: 'it has no CMMN',
      caseInstanceId: 'it has no CMMN',
      followUpDate: 'tasks have no follow-up dates',
      orQueries: 'or-queries are not supported',
    });
    const sort = sortingOf(params, TASK_SORT, { by: 'id', order: 'asc' });
    const finished = flag(params, 'finished');
    const unfinished = flag(params, 'unfinished');
    if (finished === true && unfinished === true) return { items: [], total: 0 };
    const one = str(params, 'processInstanceId');
    const ids = list(params, 'processInstanceIdIn');
    const result = await host.store.camundaTaskHistory({
      visibility: await scopeOf(host, req.user!),
      taskId: str(params, 'taskId'),
      processInstanceIds: one !== undefined ? (ids && !ids.includes(one) ? [] : [one]) : ids,
      processDefinitionId: str(params, 'processDefinitionId'),
      processDefinitionKey: str(params, 'processDefinitionKey'),
      businessKey: str(params, 'processInstanceBusinessKey'),
      taskDefinitionKey: str(params, 'taskDefinitionKey'),
      taskName: str(params, 'taskName'),
      taskNameLike: str(params, 'taskNameLike'),
      assignee: str(params, 'taskAssignee'),
      owner: str(params, 'taskOwner'),
      finished: finished === true ? true : unfinished === true ? false : undefined,
      sortBy: sort.by,
      sortOrder: sort.order,
      ...page,
    });
    const activityIds = await activityInstanceIds(result.items);
    const roots = new Map((await host.store.instancesById(result.items.map((t) => t.processInstanceId))).map((i) => [i.id, i.rootInstanceId ?? i.id]));
    return { items: await Promise.all(result.items.map((t) => presentHistoricTask(t, activityIds, roots))), total: result.total };
  });

  // --- variables -------------------------------------------------------------------------------

  /** When the history first shows each variable set: at the start, by a form, by a state system. */
  function createTimes(history: HistoryRow[]): Map<string, string> {
    const times = new Map<string, string>();
    for (const row of history) {
      const data = row.data ? (JSON.parse(row.data) as Record<string, unknown>) : {};
      const set = (row.type === 'instance-started' || row.type === 'task-completed' ? data.variables : row.type === 'service-completed' ? data.output : undefined) as Record<string, unknown> | undefined;
      // A called instance's start names the variables it had from its caller beside its own inputs.
      const inherited = row.type === 'instance-started' && Array.isArray(data.inherited) ? (data.inherited as string[]) : [];
      for (const name of [...Object.keys(set ?? {}), ...inherited]) if (!times.has(name)) times.set(name, row.at);
    }
    return times;
  }

  listAndCount(router, '/history/variable-instance', async (req, page) => {
    const params = queryOf(req);
    refuseParams(params, {
      variableValue: 'variable values are not indexed; filter by name',
      variableNameIn: 'filter by variableName or variableNameLike',
      tenantIdIn: NO_TENANTS,
      withoutTenantId: NO_TENANTS,
      caseInstanceId: 'it has no CMMN',
      taskIdIn: 'variables belong to the process instance here (no task-local variables)',
    });
    const sort = sortingOf(params, { instanceId: 'instanceId', variableName: 'variableName' }, { by: 'instanceId', order: 'asc' });
    const name = str(params, 'variableName');
    const nameLike = str(params, 'variableNameLike');
    const like = nameLike === undefined ? null : new RegExp(`^${nameLike.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 's');
    const rows = await namedInstances(req, params, await scopeOf(host, req.user!));
    const all = [];
    for (const row of rows) {
      const values = JSON.parse(row.variables) as Record<string, unknown>;
      const times = createTimes((await host.store.instanceActivityFacts(row.id)).history);
      for (const variable of Object.keys(values)) {
        if (name !== undefined && variable !== name) continue;
        if (like && !like.test(variable)) continue;
        all.push({
          ...typedVariable(values[variable]),
          id: `${row.id}:${variable}`,
          name: variable,
          processDefinitionKey: row.processDefinitionKey,
          processDefinitionId: row.definitionId,
          processInstanceId: row.id,
          executionId: row.id,
          activityInstanceId: row.id,
          caseDefinitionKey: null,
          caseDefinitionId: null,
          caseInstanceId: null,
          caseExecutionId: null,
          taskId: null,
          tenantId: null,
          errorMessage: null,
          state: 'CREATED',
          createTime: camundaInstant(times.get(variable) ?? row.startedAt),
          removalTime: null,
          rootProcessInstanceId: row.rootInstanceId ?? row.id,
        });
      }
    }
    const direction = sort.order === 'desc' ? -1 : 1;
    all.sort((a, b) => direction * (sort.by === 'variableName' ? a.name.localeCompare(b.name) || a.processInstanceId.localeCompare(b.processInstanceId) : a.processInstanceId.localeCompare(b.processInstanceId) || a.name.localeCompare(b.name)));
    return { items: all.slice(page.firstResult, page.firstResult + page.maxResults), total: all.length };
  });

  // --- incidents -------------------------------------------------------------------------------

  const INCIDENT_SORT = {
    incidentId: 'id',
    incidentMessage: 'message',
    createTime: 'createdAt',
    endTime: 'resolvedAt',
    activityId: 'activityId',
    processInstanceId: 'processInstanceId',
    processDefinitionKey: 'processDefinitionKey',
  } as const;

  function presentIncident(n: IncidentRow & { definitionId: string }, roots: Map<string, string>) {
    return {
      id: n.id,
      processDefinitionKey: n.processDefinitionKey,
      processDefinitionId: n.definitionId,
      processInstanceId: n.processInstanceId,
      executionId: n.processInstanceId,
      rootProcessInstanceId: roots.get(n.processInstanceId) ?? n.processInstanceId,
      createTime: camundaInstant(n.createdAt),
      endTime: camundaInstant(n.resolvedAt),
      removalTime: null,
      // A service task whose handler failed: Camunda's failed job.
      incidentType: 'failedJob',
      activityId: n.activityId,
      failedActivityId: n.activityId,
      causeIncidentId: n.id,
      rootCauseIncidentId: n.id,
      configuration: n.handler,
      historyConfiguration: null,
      incidentMessage: n.message,
      tenantId: null,
      jobDefinitionId: null,
      open: n.resolvedAt === null,
      deleted: false,
      resolved: n.resolvedAt !== null,
      annotation: null,
    };
  }

  listAndCount(router, '/history/incident', async (req, page) => {
    const params = queryOf(req);
    refuseParams(params, { tenantIdIn: NO_TENANTS, withoutTenantId: NO_TENANTS, jobDefinitionIdIn: 'it runs no jobs' });
    const sort = sortingOf(params, INCIDENT_SORT, { by: 'id', order: 'asc' });
    const open = flag(params, 'open');
    const resolved = flag(params, 'resolved');
    if (flag(params, 'deleted') === true || (open === true && resolved === true)) return { items: [], total: 0 };
    const result = await incidentsOf(host, req, params, sort, open === true ? true : resolved === true ? false : undefined, page);
    const roots = new Map((await host.store.instancesById(result.items.map((n) => n.processInstanceId))).map((i) => [i.id, i.rootInstanceId ?? i.id]));
    return { items: result.items.map((n) => presentIncident(n, roots)), total: result.total };
  });

  // --- user operation log ----------------------------------------------------------------------

  /** The history rows that are user operations on tasks, and Camunda's operation type of each. */
  const OPERATIONS: Record<string, string> = {
    'task-claimed': 'Claim',
    'task-unclaimed': 'Claim',
    'task-assigned': 'Assign',
    'task-taken-back': 'Assign',
    'task-delegated': 'Delegate',
    'task-resolved': 'Resolve',
    'task-completed': 'Complete',
    'attachment-added': 'AddAttachment',
  };

  /** One history row as Camunda's entries (one per changed property, sharing the operation id). */
  function operationEntries(row: HistoryRow & { definitionId: string; processDefinitionKey: string; rootInstanceId: string }, tasks: Map<string, TaskRow>) {
    const data = (row.data ? JSON.parse(row.data) : {}) as Record<string, string | null | undefined>;
    const taskId = data.taskId ?? null;
    const operationType = OPERATIONS[row.type];
    const properties: [string | null, string | null, string | null][] = (() => {
      switch (row.type) {
        case 'task-claimed':
          return [['assignee', null, row.userId]];
        case 'task-unclaimed':
          return [['assignee', data.from ?? null, null]];
        case 'task-assigned':
        case 'task-taken-back':
          return [['assignee', data.from ?? null, data.to ?? null]];
        case 'task-delegated':
          return [['delegation', null, 'PENDING'], ['owner', null, data.owner ?? null], ['assignee', data.from ?? null, data.delegate ?? null]];
        case 'task-resolved':
          return [['delegation', 'PENDING', 'RESOLVED'], ['assignee', data.delegate ?? null, data.owner ?? null]];
        case 'task-completed':
          return [['delete', 'false', 'true']];
        case 'attachment-added':
          return [['name', null, data.name ?? null]];
        default:
          return [[null, null, null]];
      }
    })();
    return properties.map(([property, orgValue, newValue], n) => ({
      id: `${row.id}-${n}`,
      userId: row.userId,
      timestamp: camundaInstant(row.at),
      operationId: String(row.id),
      operationType,
      entityType: row.type === 'attachment-added' ? 'Attachment' : 'Task',
      category: 'TaskWorker',
      annotation: null,
      property,
      orgValue,
      newValue,
      deploymentId: null,
      processDefinitionId: row.definitionId,
      processDefinitionKey: row.processDefinitionKey,
      processInstanceId: row.processInstanceId,
      executionId: (taskId && tasks.get(taskId)?.executionId) ?? null,
      caseDefinitionId: null,
      caseInstanceId: null,
      caseExecutionId: null,
      taskId,
      externalTaskId: null,
      batchId: null,
      jobId: null,
      jobDefinitionId: null,
      removalTime: null,
      rootProcessInstanceId: row.rootInstanceId,
    }));
  }

  listAndCount(router, '/history/user-operation', async (req, page) => {
    const params = req.query as Params;
    refuseParams(params, { processDefinitionId: 'filter by processDefinitionKey', deploymentId: 'filter by processDefinitionKey', property: 'filter by operationType', batchId: 'it has no batches', jobId: 'it runs no jobs', jobDefinitionId: 'it runs no jobs', externalTaskId: 'filter by taskId' });
    const sort = sortingOf(params, { timestamp: 'timestamp' }, { by: 'timestamp', order: 'asc' });
    const operationType = str(params, 'operationType');
    const entityType = str(params, 'entityType');
    const entityTypes = list(params, 'entityTypeIn');
    const category = str(params, 'category');
    const categories = list(params, 'categoryIn');
    if (category !== undefined && category !== 'TaskWorker') return { items: [], total: 0 };
    if (categories !== undefined && !categories.includes('TaskWorker')) return { items: [], total: 0 };
    const entityOk = (t: string) => (entityType === undefined || entityType === t) && (entityTypes === undefined || entityTypes.includes(t));
    const types = Object.entries(OPERATIONS)
      .filter(([type, op]) => (operationType === undefined || operationType === op) && entityOk(type === 'attachment-added' ? 'Attachment' : 'Task'))
      .map(([type]) => type);
    let processInstanceIds: string[] | undefined;
    let taskId = str(params, 'taskId');
    const instance = str(params, 'processInstanceId');
    if (instance !== undefined) {
      // webapps-neo's task history tab sends the task's executionId as processInstanceId: in Camunda
      // a user task of a flow without concurrency runs in the instance's own execution. Here a task
      // has its own execution id, read as its instance's, so that tab shows the instance's operations.
      const ran = (await host.store.instance(instance)) ? [] : await host.store.tasksOfExecution(instance);
      processInstanceIds = [ran.length > 0 ? ran[0].processInstanceId : instance];
    }
    // Camunda's executionId: a user task's execution (its entries), or the instance's own.
    const execution = str(params, 'executionId');
    if (execution !== undefined) {
      const ran = await host.store.tasksOfExecution(execution);
      if (ran.length > 0) {
        if (taskId !== undefined && !ran.some((t) => t.id === taskId)) return { items: [], total: 0 };
        processInstanceIds = processInstanceIds && !processInstanceIds.includes(ran[0].processInstanceId) ? [] : [ran[0].processInstanceId];
        taskId ??= ran[0].id;
      } else {
        processInstanceIds = processInstanceIds && !processInstanceIds.includes(execution) ? [] : [execution];
      }
    }
    const filter = {
      visibility: await scopeOf(host, req.user!),
      processInstanceIds,
      processDefinitionKey: str(params, 'processDefinitionKey'),
      userId: str(params, 'userId'),
      taskId,
      after: date(params, 'afterTimestamp'),
      before: date(params, 'beforeTimestamp'),
      sortOrder: sort.order,
    };
    // Camunda counts and pages entries; a delegation is three (delegation, owner, assignee), a resolve two.
    const rowsOf = async (only: string[], maxResults: number) => host.store.camundaHistoryRows({ ...filter, types: only, firstResult: 0, maxResults });
    const extra = { 'task-delegated': 2, 'task-resolved': 1 } as Record<string, number>;
    let total = (await rowsOf(types, 0)).total;
    for (const type of types.filter((t) => extra[t])) total += extra[type] * (await rowsOf([type], 0)).total;
    if (page.maxResults === 0) return { items: [], total };
    const rows = (await rowsOf(types, page.firstResult + page.maxResults)).items;
    const tasks = new Map((await host.store.tasksById(rows.map((r) => (r.data ? (JSON.parse(r.data) as { taskId?: string }).taskId : undefined)).filter((id): id is string => typeof id === 'string'))).map((t) => [t.id, t]));
    return { items: rows.flatMap((row) => operationEntries(row, tasks)).slice(page.firstResult, page.firstResult + page.maxResults), total };
  });

  return router;
}
