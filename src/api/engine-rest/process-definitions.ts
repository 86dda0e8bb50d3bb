import express, { Request, Router } from 'express';
import type { FormField } from '../../definitions/model';
import { startRefusal } from '../../identity/access';
import type { DefinitionRow } from '../../persistence/api-store';
import { HostContext } from '../context';
import { CamundaError, camundaRefusal, invalidRequest } from './camunda-error';
import { flag, list, notFound, pageOf, Params, refuseParams, sortingOf, str } from './query-params';
import { presentRuntimeInstance } from './process-instances';
import { camundaVariablesToPlain } from './variables';
import { scopeOf } from './visibility';

/**
 * Camunda 7.24's process-definition resource beyond what Camunda Modeler needs (index.ts keeps get by
 * id or key and start): the query with its filters, sorting and paging, `count`, `xml`, the start
 * form (`startForm`, `form-variables`, `submit-form`) by id or key, and the statistics (instances per
 * definition, per activity; incidents).
 *
 * By key, the start form and submit-form use the version a new application starts on (the version in
 * force today, definitions/in-force.ts), as a start by key does.
 */

/** Camunda's ProcessDefinitionDto. `startableInTasklist` is the diagram's `camunda:isStartableInTasklist`. */
export async function presentDefinition(host: HostContext, row: DefinitionRow) {
  const { model } = await host.definitions.load(row.id);
  return {
    id: row.id,
    key: row.key,
    category: 'http://bpmn.io/schema/bpmn',
    description: model.documentation ?? null,
    name: row.name,
    version: row.version,
    resource: row.resourceName,
    deploymentId: row.deploymentId,
    diagram: null,
    suspended: false,
    tenantId: null,
    versionTag: null,
    historyTimeToLive: null,
    startableInTasklist: model.startableInTasklist,
  };
}

const CAMUNDA_TYPES: Record<FormField['type'], string> = { string: 'String', long: 'Long', boolean: 'Boolean', date: 'Date', enum: 'String' };

/** A form field's default (camunda:formField defaultValue) as the value its type holds; null without one. */
function defaultValueOf(field: FormField): unknown {
  if (field.defaultValue === undefined) return null;
  if (field.type === 'long') return Number(field.defaultValue);
  if (field.type === 'boolean') return field.defaultValue === 'true';
  return field.defaultValue;
}

/** A form's declared fields as Camunda typed variables: each field's default as its value, an untouched one typed with a null value. */
export function formVariables(fields: readonly FormField[], names: Set<string> | null): Record<string, { type: string; value: unknown; valueInfo: Record<string, unknown> }> {
  const answer: Record<string, { type: string; value: unknown; valueInfo: Record<string, unknown> }> = {};
  for (const field of fields) {
    if (names && !names.has(field.id)) continue;
    answer[field.id] = { type: CAMUNDA_TYPES[field.type], value: defaultValueOf(field), valueInfo: {} };
  }
  return answer;
}

const DEFINITION_SORT = { id: 'id', key: 'key', name: 'name', version: 'version', deploymentId: 'deploymentId', deployTime: 'deployedAt' } as const;
type DefinitionSort = (typeof DEFINITION_SORT)[keyof typeof DEFINITION_SORT];

/** `%` and `_` of Camunda's *Like parameters as a RegExp. */
function likePattern(like: string): RegExp {
  const escaped = like.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 's');
}

export function engineDefinitionRoutes(host: HostContext): Router {
  const router = express.Router();

  /** The definitions the query selects, sorted (ties by id). Everything is read from the deployed versions the host keeps loaded. */
  async function definitionQuery(req: Request, params: Params): Promise<DefinitionRow[]> {
    refuseParams(params, { tenantIdIn: 'it has no tenants', withoutTenantId: 'it has no tenants', versionTag: 'diagrams carry no version tags', versionTagLike: 'diagrams carry no version tags', incidentId: 'filter incidents on /history/incident', incidentType: 'filter incidents on /history/incident', incidentMessage: 'filter incidents on /history/incident', incidentMessageLike: 'filter incidents on /history/incident' });
    const latest = flag(params, 'latestVersion') === true;
    let rows = await host.definitions.list(!latest);
    const id = str(params, 'processDefinitionId');
    const ids = list(params, 'processDefinitionIdIn');
    const key = str(params, 'key');
    const keys = list(params, 'keysIn') ?? list(params, 'keyIn');
    const keyLike = str(params, 'keyLike');
    const name = str(params, 'name');
    const nameLike = str(params, 'nameLike');
    const deploymentId = str(params, 'deploymentId');
    const resourceName = str(params, 'resourceName');
    const resourceNameLike = str(params, 'resourceNameLike');
    const version = str(params, 'version');
    if (version !== undefined && !/^\d+$/.test(version)) throw invalidRequest(`Cannot set query parameter 'version' to value '${version}': a whole number is expected`);
    rows = rows.filter(
      (r) =>
        (id === undefined || r.id === id) &&
        (ids === undefined || ids.includes(r.id)) &&
        (key === undefined || r.key === key) &&
        (keys === undefined || keys.includes(r.key)) &&
        (keyLike === undefined || likePattern(keyLike).test(r.key)) &&
        (name === undefined || r.name === name) &&
        (nameLike === undefined || (r.name !== null && likePattern(nameLike).test(r.name))) &&
        (deploymentId === undefined || r.deploymentId === deploymentId) &&
        (resourceName === undefined || r.resourceName === resourceName) &&
        (resourceNameLike === undefined || likePattern(resourceNameLike).test(r.resourceName)) &&
        (version === undefined || r.version === Number(version)),
    );
    // No definition is ever suspended here.
    if (flag(params, 'suspended') === true) rows = [];
    const startable = flag(params, 'startableInTasklist');
    const notStartable = flag(params, 'notStartableInTasklist');
    const permission = flag(params, 'startablePermissionCheck') === true;
    if (startable !== undefined || notStartable !== undefined || permission) {
      const kept: DefinitionRow[] = [];
      for (const row of rows) {
        const { model } = await host.definitions.load(row.id);
        if (startable === true && !model.startableInTasklist) continue;
        if (notStartable === true && model.startableInTasklist) continue;
        if (permission && startRefusal(model, req.user!)) continue;
        kept.push(row);
      }
      rows = kept;
    }
    const sort = sortingOf<DefinitionSort>(params, DEFINITION_SORT, { by: 'id', order: 'asc' });
    const direction = sort.order === 'desc' ? -1 : 1;
    return rows.sort((a, b) => {
      const x = a[sort.by] ?? '';
      const y = b[sort.by] ?? '';
      const byKey = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return direction * (byKey || a.id.localeCompare(b.id));
    });
  }

  async function byId(id: string): Promise<DefinitionRow> {
    const row = await host.store.definition(id);
    if (!row) throw notFound(`No matching definition with id ${id}`);
    return row;
  }

  /** By key: the version a start by key uses (the one in force today). */
  async function byKey(key: string): Promise<DefinitionRow> {
    try {
      return await host.definitions.inForce(key, host.clock.now());
    } catch (err) {
      const refused = camundaRefusal(err);
      if (refused instanceof CamundaError && refused.status === 404) throw notFound(`No matching process definition with key: ${key} and no tenant-id`);
      throw refused;
    }
  }

  const definitionOf = (req: Request) => {
    const { key, id } = req.params as Record<string, string | undefined>;
    return key !== undefined ? byKey(key) : byId(id!);
  };

  router.get('/process-definition', async (req, res) => {
    const { firstResult, maxResults } = pageOf(req);
    const rows = (await definitionQuery(req, req.query as Params)).slice(firstResult, firstResult + maxResults);
    res.json(await Promise.all(rows.map((r) => presentDefinition(host, r))));
  });
  router.get('/process-definition/count', async (req, res) => {
    res.json({ count: (await definitionQuery(req, req.query as Params)).length });
  });

  /** Running instances the user may see, per definition and activity, with their open incidents. */
  async function statistics(req: Request, definitionId: string | undefined) {
    const { instances, incidents } = await host.store.runningInstancesOf(definitionId, await scopeOf(host, req.user!));
    const params = req.query as Params;
    const withIncidents = flag(params, 'incidents') === true || flag(params, 'rootIncidents') === true;
    const incidentType = str(params, 'incidentsForType');
    const withFailedJobs = flag(params, 'failedJobs') === true;
    if (flag(params, 'incidents') === true && (incidentType || flag(params, 'rootIncidents') === true)) {
      throw invalidRequest('Only one of the query parameter incidents, rootIncidents or incidentsForType can be set.');
    }
    // Every incident here is a failed service task (Camunda's failedJob).
    const incidentList = (count: number) => (withIncidents || incidentType === 'failedJob') && count > 0 ? [{ incidentType: 'failedJob', incidentCount: count }] : [];
    return { instances, incidents, withFailedJobs, incidentList };
  }

  router.get('/process-definition/statistics', async (req, res) => {
    const { instances, incidents, withFailedJobs, incidentList } = await statistics(req, undefined);
    const rows = await host.definitions.list(true);
    const definitionOfInstance = new Map(instances.map((i) => [i.id, i.definitionId]));
    res.json(
      await Promise.all(
        rows.map(async (row) => {
          const failed = incidents.filter((n) => definitionOfInstance.get(n.processInstanceId) === row.id).length;
          return {
            id: row.id,
            instances: instances.filter((i) => i.definitionId === row.id).length,
            failedJobs: withFailedJobs ? failed : 0,
            incidents: incidentList(failed),
            definition: await presentDefinition(host, row),
          };
        }),
      ),
    );
  });

  router.get('/process-definition/:id/statistics', async (req, res) => {
    const row = await byId(req.params.id as string);
    const { instances, incidents, withFailedJobs, incidentList } = await statistics(req, row.id);
    const perActivity = new Map<string, { instances: number; failed: number }>();
    const at = (id: string) => perActivity.get(id) ?? perActivity.set(id, { instances: 0, failed: 0 }).get(id)!;
    for (const instance of instances) {
      const active = JSON.parse(instance.activeActivities) as ({ id: string } | string)[];
      for (const id of new Set(active.map((a) => (typeof a === 'string' ? a : a.id)))) at(id).instances++;
    }
    for (const incident of incidents) at(incident.activityId).failed++;
    res.json(
      [...perActivity.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([id, counts]) => ({ id, instances: counts.instances, failedJobs: withFailedJobs ? counts.failed : 0, incidents: incidentList(counts.failed) })),
    );
  });

  // The flows a version's call activities start (the version in force today of each), for a cockpit's "called" tab.
  router.get('/process-definition/:id/static-called-process-definitions', async (req, res) => {
    const row = await byId(req.params.id as string);
    const calls = new Map<string, string[]>();
    for (const call of (await host.definitions.load(row.id)).model.callActivities.values()) {
      if (call.calledElement) calls.set(call.calledElement, [...(calls.get(call.calledElement) ?? []), call.id]);
    }
    const called = [];
    for (const [key, activityIds] of calls) {
      const target = await host.definitions.inForce(key, host.clock.now()).catch(() => null);
      if (target) called.push({ ...(await presentDefinition(host, target)), calledFromActivityIds: activityIds.sort(), callingProcessDefinitionId: row.id });
    }
    res.json(called.sort((a, b) => a.id.localeCompare(b.id)));
  });

  for (const prefix of ['/process-definition/key/:key', '/process-definition/:id']) {
    router.get(`${prefix}/xml`, async (req, res) => {
      const row = await definitionOf(req);
      res.json({ id: row.id, bpmn20Xml: row.source });
    });

    // Generated forms: no form key (webapps-neo and the Camunda tasklist then build the form from the fields).
    router.get(`${prefix}/startForm`, async (req, res) => {
      await definitionOf(req);
      res.json({ key: null, camundaFormRef: null, contextPath: null });
    });

    router.get(`${prefix}/form-variables`, async (req, res) => {
      const row = await definitionOf(req);
      const names = str(req.query as Params, 'variableNames');
      res.json(formVariables((await host.definitions.load(row.id)).model.startFormFields, names === undefined ? null : new Set(names.split(','))));
    });

    // The same checks as /api's start: only the start form's declared fields, valid, and only by a starter of the process.
    router.post(`${prefix}/submit-form`, async (req, res) => {
      const row = await definitionOf(req);
      const body: unknown = req.body ?? {};
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('The body must be a JSON object { variables, businessKey }');
      const { variables: typed, businessKey } = body as { variables?: unknown; businessKey?: unknown };
      if (businessKey !== undefined && businessKey !== null && typeof businessKey !== 'string') throw invalidRequest('businessKey must be a string');
      let variables: Record<string, unknown>;
      try {
        variables = camundaVariablesToPlain(typed);
      } catch (err) {
        throw invalidRequest((err as Error).message);
      }
      if ((req.params as Record<string, string | undefined>).key === undefined) {
        // As a start by id (index.ts): a version older than the one in force takes no new applications.
        const inForce = await host.definitions.inForce(row.key, host.clock.now()).catch(() => null);
        if (inForce && row.version < inForce.version) throw invalidRequest(`Process definition '${row.id}' is older than the version in force of '${row.key}' (that is '${inForce.id}'); new instances start on the version in force`);
      }
      let instance;
      try {
        instance = await host.runtime.start(row.key, { businessKey: (businessKey as string | null | undefined) || null, variables }, req.user!, { definitionId: row.id });
      } catch (err) {
        throw camundaRefusal(err);
      }
      res.json(presentRuntimeInstance(req, instance));
    });
  }

  return router;
}
