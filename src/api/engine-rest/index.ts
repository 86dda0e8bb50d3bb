import express, { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';
import type { DefinitionRow } from '../../persistence/api-store';
import { DeployedDefinition } from '../../definitions/definition-service';
import { User } from '../../identity/users';
import { DEPLOY_GROUPS, mayDeployThroughModeler } from '../../identity/access';
import { HostContext } from '../context';
import { DomainError, httpStatus } from '../errors';
import { SignInLimiter, tooManyFailedSignIns } from '../auth';
import { bodyProblem } from '../body-limits';
import { wholeNumber } from '../schemas/query';
import { parseInput } from '../validation';
import { camundaVariablesToPlain } from './variables';
import { parseMultipart, MultipartLimitError } from './multipart';
import { CamundaError } from './camunda-error';
import { engineTaskRoutes } from './tasks';
import { engineFilterRoutes } from './filters';
import { engineDefinitionRoutes, presentDefinition } from './process-definitions';
import { engineInstanceRoutes, presentRuntimeInstance } from './process-instances';
import { engineHistoryRoutes } from './history';
import { engineMessageRoutes } from './messages';
import { engineExternalTaskRoutes } from './external-tasks';
import { engineIdentityVerifyRoutes, engineUserRoutes } from './identity';
import { engineRenderedFormRoutes } from './rendered-form';
import { engineTaskCommentRoutes } from './task-comments';
import { engineIncidentRoutes } from './incidents';
import { engineUnsupportedRoutes, UNSUPPORTED } from './unsupported';
import { engineRestOpenApiDocument } from './openapi-engine-rest';
import { logUnhandledError } from '../../observability/request-log';

/** The Camunda 7 version this subset answers to (Camunda Modeler reads it for its version checks). */
export const CAMUNDA_VERSION = '7.24.0';



/**
 * A compatible subset of the Camunda 7 REST API, enough for an unchanged Camunda Modeler to test
 * its connection, deploy diagrams and start instances:
 *
 * - `GET /version`
 * - `GET /deployment` (`firstResult`, `maxResults`, `name`, `source`; the modeler's connection check sends `maxResults=0`)
 * - `GET /deployment/{id}`
 * - `POST /deployment/create` (multipart: `deployment-name`, `deployment-source`, `enable-duplicate-filtering`,
 *   `deploy-changed-only`, `tenant-id`, one file part per resource)
 * - `GET /process-definition`, `GET /process-definition/{id}`, `GET /process-definition/key/{key}`
 * - `POST /process-definition/{id}/start`, `POST /process-definition/key/{key}/start`
 *   (Camunda-typed variables `{ name: { value, type } }`, `businessKey`)
 *
 * Authentication: `Authorization: Bearer <token>` or HTTP Basic with the user id and the token as
 * password. Deploying needs group admin or deployer. Content that equals the latest version of a
 * process never makes a new version (the server always filters duplicates per resource).
 */
export function engineRestRoutes(host: HostContext, limiter?: SignInLimiter): Router {
  const router = express.Router();
  router.use(express.json({ limit: '5mb' }));
  router.use((req, _res, next) => {
    const problem = bodyProblem(req.body);
    next(problem ? new CamundaError(400, 'InvalidRequestException', problem.message) : undefined);
  });

  router.get('/version', (_req, res) => {
    res.json({ version: CAMUNDA_VERSION });
  });
  router.get('/openapi.json', (_req, res) => {
    res.json(engineRestOpenApiDocument(UNSUPPORTED));
  });
  // Signing in: no credentials yet (webapps-neo's verify_credentials).
  router.use(engineIdentityVerifyRoutes(host, limiter));

  router.use(async (req, res, next) => {
    const wait = limiter ? await limiter.blocked(req) : null;
    if (wait !== null) {
      tooManyFailedSignIns(res, wait);
      return next(new CamundaError(429, 'AuthenticationException', `Too many failed sign-ins from this client; Retry after ${wait} seconds`));
    }
    const user = authenticateCamunda(host, req.headers.authorization);
    // Only a well-formed Bearer token or Basic password is a sign-in attempt that can fail.
    if (!user && limiter && /^(Bearer|Basic)\s+\S+$/i.test(req.headers.authorization ?? '')) await limiter.failed(req, res);
    if (!user) {
      res.setHeader('WWW-Authenticate', 'Basic realm="reglament"');
      return next(new CamundaError(401, 'AuthenticationException', 'Send "Authorization: Bearer <token>" or HTTP Basic with your user id and token'));
    }
    req.user = user;
    next();
  });

  router.get('/deployment', async (req, res) => {
    const query = camundaQuery(deploymentQuery, req.query);
    if (query.maxResults === 0) return res.json([]);
    const rows = await host.store.deployments({ ...query, maxResults: Math.min(query.maxResults, 1000) });
    res.json(rows.map((d) => presentDeployment(req, d)));
  });

  router.get('/deployment/count', async (_req, res) => {
    res.json({ count: await host.store.deploymentCount() });
  });

  router.get('/deployment/:id', async (req, res) => {
    const row = await host.store.deployment(req.params.id as string);
    if (!row) throw new CamundaError(404, 'InvalidRequestException', `Deployment with id '${req.params.id}' does not exist`);
    res.json(presentDeployment(req, row));
  });

  router.post('/deployment/create', async (req, res) => {
    const user = req.user!;
    if (!mayDeployThroughModeler(user)) {
      throw new CamundaError(403, 'AuthorizationException', `The user with id '${user.id}' does not have 'CREATE' permission on resource 'Deployment' (needs group ${DEPLOY_GROUPS.join(' or ')})`);
    }
    const contentType = req.headers['content-type'] ?? '';
    if (!/^multipart\/form-data/i.test(contentType)) {
      throw new CamundaError(400, 'InvalidRequestException', 'Send the deployment as multipart/form-data (fields deployment-name, deployment-source, enable-duplicate-filtering, deploy-changed-only, tenant-id and one file part per resource)');
    }
    let form;
    try {
      form = await parseMultipart(req);
    } catch (err) {
      if (err instanceof MultipartLimitError) throw new CamundaError(413, 'InvalidRequestException', err.message);
      throw new CamundaError(400, 'InvalidRequestException', `The multipart body could not be read: ${(err as Error).message}`);
    }
    const tenantId = form.fields['tenant-id'];
    if (tenantId) throw new CamundaError(400, 'InvalidRequestException', `This server has no tenants; deploy without a tenant id (got '${tenantId}')`);
    const resources = form.files
      .filter((f) => /\.bpmn(20\.xml)?$/i.test(f.filename || f.field) || /<(\w+:)?definitions[\s>]/.test(f.content.slice(0, 4096)))
      .map((f) => ({ name: f.filename || f.field, source: f.content }));
    if (resources.length === 0) {
      throw new CamundaError(400, 'InvalidRequestException', 'No BPMN resource in the deployment: add one file part per diagram (*.bpmn)');
    }
    const name = form.fields['deployment-name'] || resources.map((r) => r.name).join(', ');
    const source = form.fields['deployment-source'] || 'engine-rest';
    let result;
    try {
      result = await host.definitions.deploy(resources, { name, source, user: user.id });
    } catch (err) {
      if (err instanceof DomainError && err.code === 'INVALID_DEFINITION') throw parseException(err);
      throw err;
    }
    const created = result.definitions.filter((d) => d.created);
    const definitionRows = await definitionsById(host, result.definitions);
    const deploymentId = result.id ?? definitionRows.get(result.definitions[0].id)?.deploymentId ?? null;
    const deployment = deploymentId ? await host.store.deployment(deploymentId) : null;
    const deployed: Record<string, unknown> = {};
    for (const d of created) {
      const row = definitionRows.get(d.id);
      if (row) deployed[d.id] = await presentDefinition(host, row);
    }
    res.json({
      ...(deployment ? presentDeployment(req, deployment) : { links: [], id: deploymentId, name, source, deploymentTime: result.deployedAt, tenantId: null }),
      deployedProcessDefinitions: created.length > 0 ? deployed : null,
      deployedCaseDefinitions: null,
      deployedDecisionDefinitions: null,
      deployedDecisionRequirementsDefinitions: null,
    });
  });

  // Before the routes by id below: /process-definition/count and /statistics are not ids.
  router.use(engineDefinitionRoutes(host));

  router.get('/process-definition/key/:key', async (req, res) => {
    res.json(await presentDefinition(host, await findLatest(host, req.params.key as string)));
  });

  router.get('/process-definition/:id', async (req, res) => {
    res.json(await presentDefinition(host, await findById(host, req.params.id as string)));
  });

  // By key: the version in force on the filing date (definitions/in-force.ts), as on /api.
  router.post('/process-definition/key/:key/start', async (req, res) => {
    const row = await findLatest(host, req.params.key as string);
    res.json(await startInstance(host, req, row, false));
  });

  // By id: exactly that version, never another. One older than the version in force is refused (the
  // modeler keeps the id of its last deploy); a newer one not yet in force starts, so that an analyst
  // can try an amendment before its date.
  router.post('/process-definition/:id/start', async (req, res) => {
    const row = await findById(host, req.params.id as string);
    const inForce = await host.definitions.inForce(row.key, host.clock.now()).catch(() => null);
    if (inForce && row.version < inForce.version) {
      throw new CamundaError(400, 'InvalidRequestException', `Process definition '${row.id}' is older than the version in force of '${row.key}' (that is '${inForce.id}'); new instances start on the version in force`);
    }
    res.json(await startInstance(host, req, row, true));
  });

  router.use(engineTaskRoutes(host));
  router.use(engineFilterRoutes(host));
  router.use(engineInstanceRoutes(host));
  router.use(engineHistoryRoutes(host));
  router.use(engineMessageRoutes(host));
  router.use(engineExternalTaskRoutes(host));
  router.use(engineRenderedFormRoutes(host));
  router.use(engineTaskCommentRoutes(host));
  router.use(engineIncidentRoutes(host));
  router.use(engineUserRoutes(host));
  // Last of all: the parts of Camunda's API this server does not have, each with its reason.
  router.use(engineUnsupportedRoutes());

  router.use((req, _res, next) => next(new CamundaError(404, 'NotFoundException', `This server implements a subset of the Camunda 7 REST API; ${req.method} ${req.baseUrl}${req.path} is not part of it`)));
  router.use(camundaErrorHandler);
  return router;
}

function authenticateCamunda(host: HostContext, header: string | undefined): User | undefined {
  if (!header) return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return host.users.authenticate(bearer[1]);
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const userId = decoded.slice(0, colon);
  const user = host.users.authenticate(decoded.slice(colon + 1));
  // The password is the token; the user name must be the token's owner.
  return user && user.id === userId ? user : undefined;
}

/** Paging bounded as on /api; a larger maxResults is cut to 1000 (the route does), an absurd one is a 400. */
const deploymentQuery = z.object({
  firstResult: wholeNumber(0, 1_000_000_000, 0, 'Index of the first deployment'),
  maxResults: wholeNumber(0, 1_000_000_000, 1000, 'Page size (at most 1000 are answered)'),
  name: loose('Deployment name'),
  source: loose('Deployment source'),
});

/** A filter Camunda reads only when it is one string (as before: anything else is no filter). */
function loose(description: string) {
  return z.string().optional().catch(undefined).meta({ description });
}

/** The query parsed by `schema`; a problem is Camunda's InvalidRequestException. */
function camundaQuery<S extends z.ZodType>(schema: S, query: Request['query']): z.output<S> {
  return parseInput('query', schema, query, (message) => new CamundaError(400, 'InvalidRequestException', message));
}

/** Links are built on the configured public address (PUBLIC_URL, see createApp), never on the request's Host. */
function baseUrl(req: Request): string {
  return `${(req.app.locals.publicUrl as () => string)()}${req.baseUrl}`;
}

function presentDeployment(req: Request, d: { id: string; name: string | null; source: string | null; deployedAt: string }) {
  return {
    links: [{ method: 'GET', href: `${baseUrl(req)}/deployment/${d.id}`, rel: 'self' }],
    id: d.id,
    name: d.name,
    source: d.source,
    deploymentTime: camundaDate(d.deployedAt),
    tenantId: null,
  };
}

/** Camunda's default date format: `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, e.g. 2013-01-23T14:42:45.000+0000. */
export function camundaDate(iso: string): string {
  return iso.replace(/Z$/, '+0000');
}

async function definitionsById(host: HostContext, defs: DeployedDefinition[]): Promise<Map<string, DefinitionRow>> {
  const map = new Map<string, DefinitionRow>();
  for (const d of defs) {
    const row = await host.store.definition(d.id);
    if (row) map.set(row.id, row);
  }
  return map;
}

async function findById(host: HostContext, id: string): Promise<DefinitionRow> {
  const row = await host.store.definition(id);
  if (!row) throw new CamundaError(404, 'InvalidRequestException', `No matching definition with id ${id}`);
  return row;
}

async function findLatest(host: HostContext, key: string): Promise<DefinitionRow> {
  const row = await host.store.latestDefinition(key);
  if (!row) throw new CamundaError(404, 'InvalidRequestException', `No matching process definition with key: ${key} and no tenant-id`);
  return row;
}

/** Camunda's start body; its variables are Camunda-typed (`{ name: { value, type } }`), read by camundaVariablesToPlain. */
const camundaStartBody = z.object(
  {
    businessKey: z.string({ error: 'businessKey must be a string' }).nullable().optional(),
    variables: z.unknown().optional(),
  },
  { error: 'The body must be a JSON object { businessKey?, variables? }' },
);

async function startInstance(host: HostContext, req: Request, row: DefinitionRow, exact: boolean) {
  const body = parseInput('body', camundaStartBody, req.body ?? {}, (message) => new CamundaError(400, 'InvalidRequestException', message));
  let variables: Record<string, unknown>;
  try {
    variables = camundaVariablesToPlain(body.variables);
  } catch (err) {
    throw new CamundaError(400, 'InvalidRequestException', (err as Error).message);
  }
  const instance = await host.runtime.start(row.key, { businessKey: body.businessKey || null, variables }, req.user!, exact ? { definitionId: row.id } : {});
  return presentRuntimeInstance(req, instance);
}

/**
 * A rejected diagram answers like Camunda 7's ParseException: the message starts with
 * `ENGINE-09005 Could not parse BPMN process.` (Camunda Modeler recognises it and shows the message
 * in its log) and lists every problem: resource, element id, rule, message.
 */
function parseException(err: DomainError): CamundaError {
  const problems = ((err.details as { problems?: { file?: string; elementId?: string; rule: string; message: string }[] })?.problems ?? []);
  const lines = problems.map((p) => `* ${p.elementId ?? '(diagram)'}: [${p.rule}] ${p.message}${p.file ? ` | resource ${p.file}` : ''}`);
  const details: Record<string, { errors: unknown[]; warnings: unknown[] }> = {};
  for (const p of problems) {
    const key = p.file ?? 'deployment';
    (details[key] ??= { errors: [], warnings: [] }).errors.push({ message: `[${p.rule}] ${p.message}`, line: 0, column: 0, mainElementId: p.elementId ?? null, elementIds: p.elementId ? [p.elementId] : [] });
  }
  return new CamundaError(
    400,
    'ParseException',
    `ENGINE-09005 Could not parse BPMN process. Errors: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was deployed:\n${lines.join('\n')}`,
    details,
  );
}

function camundaErrorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  if (err instanceof CamundaError) {
    res.status(err.status).json({ type: err.type, message: err.message, ...(err.details ? { details: err.details } : {}) });
    return;
  }
  if (err instanceof DomainError) {
    const fields = (err.details as { fields?: { field: string; message: string }[] } | undefined)?.fields;
    const message = fields && fields.length > 0 ? `${err.message}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}` : err.message;
    const type = err.kind === 'unauthenticated' ? 'AuthenticationException' : err.kind === 'forbidden' ? 'AuthorizationException' : err.kind === 'internal' ? 'ProcessEngineException' : 'InvalidRequestException';
    res.status(httpStatus(err)).json({ type, message });
    return;
  }
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') {
    res.status(400).json({ type: 'InvalidRequestException', message: 'The request body is not valid JSON' });
    return;
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    res.status(e.status).json({ type: 'InvalidRequestException', message: e.message ?? 'Bad request' });
    return;
  }
  logUnhandledError(req, err);
  res.status(500).json({ type: 'ProcessEngineException', message: 'Internal server error; the operation was not applied' });
}
