import express, { Request, Response, Router } from 'express';
import type { CamundaInstanceFilter } from '../../persistence/camunda-query';
import type { InstanceRow } from '../../persistence/api-store';
import { HostContext } from '../context';
import { activityInstancesOf, activityInstanceTree } from './activities';
import { CamundaError } from './camunda-error';
import { flag, list, notFound, pageOf, Params, queryOf, refuseParams, sortingOf, str } from './query-params';
import { typedVariable } from './tasks';
import { scopeOf, visibleInstance } from './visibility';

/**
 * Camunda 7.24's process-instance resource (the runtime: running instances only; a finished one is
 * history): the query (GET and POST) and count, one instance, its variables (read only: users change
 * data only through the forms of their steps) and its activity instance tree, each limited to what
 * the user may see (visibility.ts).
 */

const INSTANCE_SORT = { instanceId: 'id', definitionKey: 'definitionKey', definitionId: 'definitionId', businessKey: 'businessKey' } as const;

/** The query properties this server cannot answer, each with the reason a client reads in the 400. */
const UNSUPPORTED = {
  variables: 'variable values are not indexed; read an instance’s variables at /process-instance/{id}/variables',
  tenantIdIn: 'it has no tenants',
  withoutTenantId: 'it has no tenants',
  caseInstanceId: 'it has no CMMN',
  incidentId: 'filter incidents on /history/incident',
  incidentType: 'filter incidents on /history/incident',
  incidentMessage: 'filter incidents on /history/incident',
  incidentMessageLike: 'filter incidents on /history/incident',
  orQueries: 'or-queries are not supported',
};

export function runtimeInstanceFilter(params: Params): Omit<CamundaInstanceFilter, 'visibility' | 'firstResult' | 'maxResults'> & { none: boolean } {
  refuseParams(params, UNSUPPORTED);
  const sort = sortingOf(params, INSTANCE_SORT, { by: 'id', order: 'asc' });
  const key = str(params, 'processDefinitionKey');
  const keys = list(params, 'processDefinitionKeyIn');
  return {
    // Nothing here is ever suspended; withIncident needs an open incident (none is filtered otherwise).
    none: flag(params, 'suspended') === true || flag(params, 'active') === false,
    processInstanceIds: list(params, 'processInstanceIds'),
    processDefinitionId: str(params, 'processDefinitionId'),
    processDefinitionKeys: key !== undefined ? [key] : keys,
    businessKey: str(params, 'businessKey'),
    businessKeyLike: str(params, 'businessKeyLike'),
    superProcessInstanceId: str(params, 'superProcessInstance'),
    subProcessInstanceId: str(params, 'subProcessInstance'),
    rootProcessInstances: flag(params, 'rootProcessInstances') === true,
    activityIds: list(params, 'activityIdIn'),
    state: 'running',
    sortBy: sort.by === 'definitionKey' ? 'definitionKey' : sort.by === 'definitionId' ? 'definitionId' : sort.by === 'businessKey' ? 'businessKey' : 'id',
    sortOrder: sort.order,
  };
}

/** Camunda's ProcessInstanceDto. */
export function presentRuntimeInstance(req: Request, row: InstanceRow) {
  return {
    links: [{ method: 'GET', href: `${(req.app.locals.publicUrl as () => string)()}${req.baseUrl}/process-instance/${row.id}`, rel: 'self' }],
    id: row.id,
    definitionId: row.definitionId,
    definitionKey: row.processDefinitionKey,
    businessKey: row.businessKey,
    caseInstanceId: null,
    ended: row.state !== 'running',
    suspended: false,
    tenantId: null,
  };
}

export function engineInstanceRoutes(host: HostContext): Router {
  const router = express.Router();

  async function runQuery(req: Request, countOnly: boolean) {
    const params = queryOf(req);
    const { none, ...filter } = runtimeInstanceFilter(params);
    if (none) return { items: [], total: 0 };
    // webapps-neo counts a deployment's running instances before it deletes one: its versions' instances.
    const deploymentId = str(params, 'deploymentId');
    const processDefinitionIds = deploymentId === undefined ? undefined : (await host.definitions.list(true)).filter((d) => d.deploymentId === deploymentId).map((d) => d.id);
    const page = countOnly ? { firstResult: 0, maxResults: 0 } : pageOf(req);
    return host.store.camundaInstances({ ...filter, processDefinitionIds, ...page, visibility: await scopeOf(host, req.user!) });
  }

  const query = async (req: Request, res: Response) => res.json((await runQuery(req, false)).items.map((row) => presentRuntimeInstance(req, row)));
  const count = async (req: Request, res: Response) => res.json({ count: (await runQuery(req, true)).total });
  router.get('/process-instance', query);
  router.post('/process-instance', query);
  router.get('/process-instance/count', count);
  router.post('/process-instance/count', count);

  /** A running instance the user may see; a finished one is history (Camunda's runtime no longer has it). */
  async function runningInstance(req: Request): Promise<InstanceRow> {
    const id = req.params.id as string;
    const row = await visibleInstance(host, req.user!, id);
    if (row.state !== 'running') throw notFound(`Process instance with id ${id} does not exist (it has ended; read it at /history/process-instance/${id})`);
    return row;
  }

  function variablesOf(row: InstanceRow) {
    return JSON.parse(row.variables) as Record<string, unknown>;
  }

  router.get('/process-instance/:id', async (req, res) => {
    res.json(presentRuntimeInstance(req, await runningInstance(req)));
  });

  router.get('/process-instance/:id/variables', async (req, res) => {
    const values = variablesOf(await runningInstance(req));
    res.json(Object.fromEntries(Object.keys(values).sort().map((name) => [name, typedVariable(values[name])])));
  });

  router.get('/process-instance/:id/variables/:name', async (req, res) => {
    const row = await runningInstance(req);
    const name = req.params.name as string;
    const values = variablesOf(row);
    if (!Object.hasOwn(values, name)) throw notFound(`process instance variable with name ${name} does not exist`);
    res.json(typedVariable(values[name]));
  });

  // The procedure is the law: an instance's data change only through the declared fields of a form, in the user's own step.
  const readOnly = async (req: Request) => {
    await runningInstance(req);
    throw new CamundaError(403, 'AuthorizationException', `The variables of process instance '${req.params.id as string}' are read only on this server: users change an application's data only through the form of their own step (POST /task/{id}/submit-form), and what state systems produce is never written by users`);
  };
  router.post('/process-instance/:id/variables', readOnly);
  router.put('/process-instance/:id/variables/:name', readOnly);
  router.delete('/process-instance/:id/variables/:name', readOnly);
  router.post('/process-instance/:id/variables/:name/data', readOnly);

  router.get('/process-instance/:id/activity-instances', async (req, res) => {
    const row = await runningInstance(req);
    const loaded = await host.definitions.load(row.definitionId);
    const facts = await host.store.instanceActivityFacts(row.id);
    res.json(activityInstanceTree(row, loaded, activityInstancesOf(row, loaded, facts)));
  });

  return router;
}
