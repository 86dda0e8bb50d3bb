import express, { Request, Response, Router } from 'express';
import { z } from 'zod';
import { DomainError } from '../../errors';
import { assertMayWorkExternalTasks } from '../../identity/access';
import type { ExternalTaskRow } from '../../persistence/external-task-entity';
import type { ExternalTasks } from '../../runtime/external-tasks';
import { HostContext } from '../context';
import { parseInput } from '../validation';
import { CamundaError, invalidRequest } from './camunda-error';
import { pagingOf, typedVariable } from './tasks';
import { camundaVariablesToPlain } from './variables';

/**
 * Camunda 7.24's external task resource on /engine-rest: fetchAndLock (with long polling), the
 * runtime query, and a worker's complete, failure, bpmnError, lock, extendLock and unlock. Only
 * accounts of group worker or admin use it. Shapes and status codes as Operaton's
 * ExternalTaskRestService: a task that is not (or no longer) open is 404 RestException "External
 * task with id ... does not exist"; a worker acting on a task it does not hold is 400 RestException.
 */

/** Camunda's limit of a long poll (FetchAndLockHandlerImpl.MAX_REQUEST_TIMEOUT). */
const MAX_ASYNC_RESPONSE_TIMEOUT = 1_800_000;

const text = (what: string) => z.string({ error: `${what} must be a string` });
const topic = z.object(
  {
    topicName: text('topicName'),
    lockDuration: z.number({ error: 'lockDuration must be a number of milliseconds' }).int({ error: 'lockDuration must be a whole number of milliseconds' }).positive({ error: 'lockDuration must be greater than 0' }),
    variables: z.array(z.string(), { error: 'variables must be an array of names' }).nullable().optional(),
    localVariables: z.boolean({ error: 'localVariables must be true or false' }).optional(),
    businessKey: text('businessKey').optional(),
    processDefinitionId: text('processDefinitionId').optional(),
    processDefinitionIdIn: z.array(z.string(), { error: 'processDefinitionIdIn must be an array of strings' }).optional(),
    processDefinitionKey: text('processDefinitionKey').optional(),
    processDefinitionKeyIn: z.array(z.string(), { error: 'processDefinitionKeyIn must be an array of strings' }).optional(),
    includeExtensionProperties: z.boolean({ error: 'includeExtensionProperties must be true or false' }).optional(),
    tenantIdIn: z.array(z.string()).optional(),
    withoutTenantId: z.boolean().optional(),
  },
  { error: 'Each topic must be an object { topicName, lockDuration, ... }' },
);
const fetchBody = z.object(
  {
    workerId: text('workerId'),
    maxTasks: z.number({ error: 'maxTasks must be a number' }).int({ error: 'maxTasks must be a whole number' }).min(0, { error: 'maxTasks must be 0 or more' }).max(1000, { error: 'maxTasks must be at most 1000' }),
    usePriority: z.boolean({ error: 'usePriority must be true or false' }).optional(),
    asyncResponseTimeout: z
      .number({ error: 'asyncResponseTimeout must be a number of milliseconds' })
      .min(0, { error: 'asyncResponseTimeout must be 0 or more' })
      .max(MAX_ASYNC_RESPONSE_TIMEOUT, { error: `The asynchronous response timeout cannot be set to a value greater than ${MAX_ASYNC_RESPONSE_TIMEOUT} milliseconds` })
      .nullable()
      .optional(),
    topics: z.array(topic, { error: 'topics must be an array of { topicName, lockDuration }' }).nullable().optional(),
  },
  { error: 'The body must be a JSON object { workerId, maxTasks, topics, ... }' },
);
const workerBody = { workerId: text('workerId') };
const completeBody = z.object({ ...workerBody, variables: z.unknown().optional(), localVariables: z.unknown().optional() }, { error: 'The body must be a JSON object { workerId, variables }' });
const failureBody = z.object(
  {
    ...workerBody,
    errorMessage: text('errorMessage').nullable().optional(),
    errorDetails: text('errorDetails').nullable().optional(),
    retries: z.number({ error: 'retries must be a number' }).int({ error: 'retries must be a whole number' }).min(0, { error: 'retries must be 0 or more' }).optional(),
    retryTimeout: z.number({ error: 'retryTimeout must be a number of milliseconds' }).int({ error: 'retryTimeout must be a whole number' }).min(0, { error: 'retryTimeout must be 0 or more' }).optional(),
    variables: z.unknown().optional(),
    localVariables: z.unknown().optional(),
  },
  { error: 'The body must be a JSON object { workerId, errorMessage, errorDetails, retries, retryTimeout }' },
);
const bpmnErrorBody = z.object({ ...workerBody, errorCode: text('errorCode').min(1, { error: 'errorCode must not be empty' }), errorMessage: text('errorMessage').nullable().optional(), variables: z.unknown().optional() }, { error: 'The body must be a JSON object { workerId, errorCode, errorMessage, variables }' });
const extendBody = z.object({ ...workerBody, newDuration: z.number({ error: 'newDuration must be a number of milliseconds' }).int({ error: 'newDuration must be a whole number' }).positive({ error: 'newDuration must be greater than 0' }) }, { error: 'The body must be a JSON object { workerId, newDuration }' });
const lockBody = z.object({ ...workerBody, lockDuration: z.number({ error: 'lockDuration must be a number of milliseconds' }).int({ error: 'lockDuration must be a whole number' }).positive({ error: 'lockDuration must be greater than 0' }) }, { error: 'The body must be a JSON object { workerId, lockDuration }' });

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true').optional();
const listQuery = z.object({
  externalTaskId: z.string().optional(),
  topicName: z.string().optional(),
  workerId: z.string().optional(),
  processInstanceId: z.string().optional(),
  activityId: z.string().optional(),
  executionId: z.string().optional(),
  processDefinitionId: z.string().optional(),
  locked: flag,
  notLocked: flag,
  withRetriesLeft: flag,
  noRetriesLeft: flag,
});

function body<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parseInput('body', schema, req.body ?? {}, (message) => invalidRequest(message));
}

function plainVariables(value: unknown): Record<string, unknown> {
  try {
    return camundaVariablesToPlain(value);
  } catch (err) {
    throw invalidRequest((err as Error).message);
  }
}

/** Camunda answers `application/json` exactly; camunda-external-task-client-js parses nothing else. */
function sendJson(res: Response, value: unknown): void {
  res.status(200).setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(value));
}

const camundaInstant = (iso: string | null) => (iso === null ? null : iso.replace(/Z$/, '+0000'));

/** The runtime's refusals in the words of Operaton's ExternalTaskResourceImpl. */
function externalRefusal(err: unknown, id?: string): unknown {
  if (!(err instanceof DomainError)) return err;
  switch (err.code) {
    case 'EXTERNAL_TASK_NOT_FOUND':
      return new CamundaError(404, 'RestException', `External task with id ${id} does not exist`);
    case 'EXTERNAL_TASK_NOT_HELD':
    case 'EXTERNAL_TASK_BAD_REQUEST':
    case 'EXTERNAL_TASK_CHANGED':
      return new CamundaError(400, 'RestException', err.message);
    case 'UNDECLARED_VARIABLES':
      return invalidRequest(err.message);
  }
  if (err.kind === 'forbidden') return new CamundaError(403, 'AuthorizationException', err.message);
  if (err.kind === 'not-found') return new CamundaError(404, 'RestException', err.message);
  if (err.kind === 'conflict') return new CamundaError(500, 'ProcessEngineException', err.message);
  return err;
}

export function engineExternalTaskRoutes(host: HostContext): Router {
  const router = express.Router();

  router.use('/external-task', (req, _res, next) => {
    assertMayWorkExternalTasks(req.user!);
    next();
  });

  function service(): ExternalTasks {
    if (!host.externalTasks) throw new CamundaError(500, 'ProcessEngineException', 'External tasks are not configured on this server');
    return host.externalTasks;
  }

  async function acting(id: string, act: () => Promise<void>, res: Response): Promise<void> {
    try {
      await act();
    } catch (err) {
      throw externalRefusal(err, id);
    }
    res.status(204).end();
  }

  /** Operaton's ExternalTaskDto (the runtime query and GET /external-task/{id}). */
  function present(task: ExternalTaskRow) {
    return {
      activityId: task.activityId,
      activityInstanceId: task.executionId,
      errorMessage: task.errorMessage,
      executionId: task.executionId,
      id: task.id,
      lockExpirationTime: camundaInstant(task.lockExpirationTime),
      createTime: camundaInstant(task.createdAt),
      processDefinitionId: task.definitionId,
      processDefinitionKey: task.processDefinitionKey,
      processDefinitionVersionTag: null,
      processInstanceId: task.processInstanceId,
      tenantId: null,
      retries: task.retries,
      suspended: false,
      workerId: task.workerId,
      topicName: task.topicName,
      priority: task.priority,
      businessKey: task.businessKey,
    };
  }

  /** Operaton's LockedExternalTaskDto: the task with the variables its handler would read, and the service task's properties. */
  async function presentLocked(task: ExternalTaskRow, fetched: z.output<typeof topic>) {
    const stored = JSON.parse(task.variables) as Record<string, unknown>;
    const names: string[] = fetched.variables ?? Object.keys(stored);
    const variables = Object.fromEntries(names.filter((n) => n in stored).map((n) => [n, typedVariable(stored[n])]));
    const properties = fetched.includeExtensionProperties ? ((await host.definitions.load(task.definitionId)).model.serviceTasks.get(task.activityId)?.properties ?? {}) : {};
    const { tenantId, ...base } = present(task);
    return { ...base, errorDetails: task.errorDetails, tenantId, variables, extensionProperties: properties };
  }

  router.post('/external-task/fetchAndLock', async (req, res) => {
    const input = body(fetchBody, req);
    const topics = input.topics ?? [];
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    const locked = await service().fetchAndLock({ workerId: input.workerId, maxTasks: input.maxTasks, usePriority: input.usePriority ?? false, topics, asyncResponseTimeout: input.asyncResponseTimeout ?? 0 }, aborted.signal);
    const byTopic = new Map(topics.map((t) => [t.topicName, t]));
    sendJson(res, await Promise.all(locked.map((task) => presentLocked(task, byTopic.get(task.topicName)!))));
  });

  function filterOf(req: Request) {
    const q = parseInput('query', listQuery, req.query, (message) => invalidRequest(message));
    return {
      id: q.externalTaskId,
      topicName: q.topicName,
      workerId: q.workerId,
      processInstanceId: q.processInstanceId,
      activityId: q.activityId,
      executionId: q.executionId,
      processDefinitionId: q.processDefinitionId,
      locked: q.locked ? true : q.notLocked ? false : undefined,
      retriesLeft: q.withRetriesLeft ? true : q.noRetriesLeft ? false : undefined,
    };
  }

  router.get('/external-task', async (req, res) => {
    sendJson(res, (await service().list(filterOf(req), pagingOf(req.query))).map(present));
  });
  router.get('/external-task/count', async (req, res) => {
    sendJson(res, { count: await service().count(filterOf(req)) });
  });
  router.get('/external-task/:id', async (req, res) => {
    const id = req.params.id as string;
    const task = await service().get(id);
    if (!task || task.state !== 'open') throw new CamundaError(404, 'RestException', `External task with id ${id} does not exist`);
    sendJson(res, present(task));
  });

  router.post('/external-task/:id/complete', async (req, res) => {
    const id = req.params.id as string;
    const input = body(completeBody, req);
    const variables = plainVariables(input.variables);
    if (Object.keys(plainVariables(input.localVariables)).length > 0) throw invalidRequest('This server keeps no local variables of a service task; send them as variables (only those the topic produces)');
    await acting(id, () => service().complete(id, input.workerId, variables, req.user!), res);
  });

  router.post('/external-task/:id/failure', async (req, res) => {
    const id = req.params.id as string;
    const input = body(failureBody, req);
    if (Object.keys(plainVariables(input.variables)).length > 0 || Object.keys(plainVariables(input.localVariables)).length > 0) {
      throw invalidRequest('A failure sets no variables on this server: the instance stays where it was; complete the task with what the topic produces');
    }
    // Camunda's DTO has primitive retries and retryTimeout: absent is 0.
    await acting(id, () => service().failure(id, input.workerId, { errorMessage: input.errorMessage ?? null, errorDetails: input.errorDetails ?? null, retries: input.retries ?? 0, retryTimeout: input.retryTimeout ?? 0 }, req.user!), res);
  });

  router.post('/external-task/:id/bpmnError', async (req, res) => {
    const id = req.params.id as string;
    const input = body(bpmnErrorBody, req);
    const variables = plainVariables(input.variables);
    await acting(id, () => service().bpmnError(id, input.workerId, { code: input.errorCode, message: input.errorMessage ?? null, variables }, req.user!), res);
  });

  router.post('/external-task/:id/extendLock', async (req, res) => {
    const id = req.params.id as string;
    const input = body(extendBody, req);
    await acting(id, () => service().extendLock(id, input.workerId, input.newDuration), res);
  });

  router.post('/external-task/:id/lock', async (req, res) => {
    const id = req.params.id as string;
    const input = body(lockBody, req);
    await acting(id, () => service().lock(id, input.workerId, input.lockDuration), res);
  });

  router.post('/external-task/:id/unlock', async (req, res) => {
    const id = req.params.id as string;
    await acting(id, () => service().unlock(id, req.user!), res);
  });

  return router;
}
