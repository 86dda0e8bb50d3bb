import express, { Request, Response, Router } from 'express';
import type { IncidentRow } from '../../persistence/api-store';
import type { CamundaIncidentFilter } from '../../persistence/camunda-query';
import { HostContext } from '../context';
import { camundaInstant, pageOf, Params, queryOf, refuseParams, sortingOf, str } from './query-params';
import { scopeOf } from './visibility';

/**
 * Camunda 7.24's runtime incident resource, `GET /incident` and `/incident/count`: the open incidents
 * of the instances the user may see (a step whose handler failed: Camunda's failed job). Operaton's
 * webapps-neo cockpit lists an instance's and a definition's incidents from it
 * (frontend/src/api/resources/incident.js). Resolved ones are history (/history/incident).
 */

const INCIDENT_SORT = {
  incidentId: 'id',
  incidentMessage: 'message',
  incidentTimestamp: 'createdAt',
  activityId: 'activityId',
  processInstanceId: 'processInstanceId',
} as const;

/** Camunda's IncidentDto. */
function presentIncident(n: IncidentRow & { definitionId: string }) {
  return {
    id: n.id,
    processDefinitionId: n.definitionId,
    processInstanceId: n.processInstanceId,
    executionId: n.processInstanceId,
    incidentTimestamp: camundaInstant(n.createdAt),
    incidentType: 'failedJob',
    activityId: n.activityId,
    failedActivityId: n.activityId,
    causeIncidentId: n.id,
    rootCauseIncidentId: n.id,
    configuration: n.handler,
    incidentMessage: n.message,
    tenantId: null,
    jobDefinitionId: null,
    annotation: null,
  };
}

/**
 * The incidents a Camunda incident query names, runtime (`open` true) and history alike: every incident
 * here is a failed job, and one activity asked two ways (activityId, failedActivityId) must be the same one.
 */
export async function incidentsOf(host: HostContext, req: Request, params: Params, sort: { by: CamundaIncidentFilter['sortBy']; order: CamundaIncidentFilter['sortOrder'] }, open: boolean | undefined, page: { firstResult: number; maxResults: number }) {
  const type = str(params, 'incidentType');
  const activity = str(params, 'activityId');
  const failedActivity = str(params, 'failedActivityId');
  if ((type !== undefined && type !== 'failedJob') || (activity !== undefined && failedActivity !== undefined && activity !== failedActivity)) return { items: [], total: 0 };
  return host.store.camundaIncidents({
    visibility: await scopeOf(host, req.user!),
    incidentId: str(params, 'incidentId'),
    processInstanceId: str(params, 'processInstanceId'),
    processDefinitionId: str(params, 'processDefinitionId'),
    processDefinitionKey: str(params, 'processDefinitionKey'),
    activityId: activity ?? failedActivity,
    open,
    sortBy: sort.by,
    sortOrder: sort.order,
    ...page,
  });
}

export function engineIncidentRoutes(host: HostContext): Router {
  const router = express.Router();

  async function run(req: Request, page: { firstResult: number; maxResults: number }) {
    const params = queryOf(req);
    refuseParams(params, { tenantIdIn: 'it has no tenants', withoutTenantId: 'it has no tenants', jobDefinitionIdIn: 'it runs no jobs', executionId: 'incidents belong to their process instance here (read processInstanceId)' });
    const sort = sortingOf(params, INCIDENT_SORT, { by: 'id', order: 'asc' });
    const result = await incidentsOf(host, req, params, sort, true, page);
    return { items: result.items.map(presentIncident), total: result.total };
  }

  router.get('/incident', async (req: Request, res: Response) => {
    res.json((await run(req, pageOf(req))).items);
  });
  router.get('/incident/count', async (req: Request, res: Response) => {
    res.json({ count: (await run(req, { firstResult: 0, maxResults: 0 })).total });
  });

  return router;
}
