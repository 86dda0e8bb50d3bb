import express, { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { FormField } from '../../definitions/model';
import { mayActOnTask, mayDistributeTasks, visibleGroups } from '../../identity/access';
import { User } from '../../identity/users';
import type { TaskRow } from '../../persistence/api-store';
import { HostContext } from '../context';
import { parseInput } from '../validation';
import { CamundaError, camundaRefusal, invalidRequest } from './camunda-error';
import { camundaVariablesToPlain } from './variables';

/**
 * Camunda 7.24's task resource on /engine-rest, over the same runtime and the same "who may" rules as
 * /api/tasks: the query (GET and POST, the subset listed in docs/camunda-7.md), one task, claim,
 * unclaim, assignee, delegate, resolve, complete, form-variables, submit-form and identity-links.
 * Only open tasks exist here, as in Camunda's runtime task service (finished ones are history).
 */

/** The part of Camunda's task query this server reads; filters store it too. */
export interface CamundaTaskQuery {
  candidateGroup?: string;
  candidateGroups?: string[];
  assignee?: string;
  unassigned?: boolean;
  processDefinitionKey?: string;
  processInstanceId?: string;
  processInstanceBusinessKey?: string;
  dueBefore?: string;
  dueAfter?: string;
  nameLike?: string;
  sorting?: { sortBy: string; sortOrder: string }[];
}

const SORT_KEYS = { dueDate: 'due', created: 'created', priority: 'priority', name: 'name', nameCaseInsensitive: 'name' } as const;
type SortKey = keyof typeof SORT_KEYS;

const text = z.string({ error: 'must be a string' }).optional();
const camundaDateText = z
  .string({ error: 'must be a date yyyy-MM-ddTHH:mm:ss.SSSZ' })
  .transform((value, ctx) => {
    const parsed = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isNaN(parsed)) {
      ctx.addIssue({ code: 'custom', message: `cannot be set to '${value}': not a date yyyy-MM-ddTHH:mm:ss.SSSZ` });
      return z.NEVER;
    }
    return new Date(parsed).toISOString();
  })
  .optional();
const sorting = z.object({
  sortBy: z.enum(Object.keys(SORT_KEYS) as [SortKey, ...SortKey[]], { error: (issue) => `sortBy '${String(issue.input)}' is not supported; use one of ${Object.keys(SORT_KEYS).join(', ')}` }),
  sortOrder: z.enum(['asc', 'desc'], { error: 'sortOrder must be asc or desc' }),
});

/** The JSON body of POST /task (and a filter's stored query); unknown properties are ignored, as Camunda does. */
export const taskQueryBody = z.object(
  {
    candidateGroup: text,
    candidateGroups: z.array(z.string(), { error: 'candidateGroups must be an array of strings' }).optional(),
    assignee: text,
    unassigned: z.boolean({ error: 'unassigned must be true or false' }).optional(),
    processDefinitionKey: text,
    processInstanceId: text,
    processInstanceBusinessKey: text,
    dueBefore: camundaDateText,
    dueAfter: camundaDateText,
    nameLike: text,
    sorting: z.array(sorting, { error: 'sorting must be an array of { sortBy, sortOrder }' }).optional(),
  },
  { error: 'The body must be a JSON object with task query properties' },
);

const flagText = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true').optional();
/** GET /task's query string: the same properties, lists comma-separated, one sortBy/sortOrder. */
const taskQueryString = z
  .object({
    candidateGroup: text,
    candidateGroups: z.string().transform((v) => v.split(',').filter(Boolean)).optional(),
    assignee: text,
    unassigned: flagText,
    processDefinitionKey: text,
    processInstanceId: text,
    processInstanceBusinessKey: text,
    dueBefore: camundaDateText,
    dueAfter: camundaDateText,
    nameLike: text,
    sortBy: text,
    sortOrder: text,
  })
  .transform(({ sortBy, sortOrder, ...rest }, ctx) => {
    if (sortBy === undefined && sortOrder === undefined) return rest as CamundaTaskQuery;
    if (sortBy === undefined || sortOrder === undefined) {
      ctx.addIssue({ code: 'custom', message: 'Only a single sorting parameter specified. sortBy and sortOrder required' });
      return z.NEVER;
    }
    const one = sorting.safeParse({ sortBy, sortOrder });
    if (!one.success) {
      ctx.addIssue({ code: 'custom', message: one.error.issues[0].message });
      return z.NEVER;
    }
    return { ...rest, sorting: [one.data] } as CamundaTaskQuery;
  });

const paging = z.object({
  firstResult: z.string().regex(/^\d+$/, { error: 'firstResult must be a whole number' }).transform(Number).optional(),
  maxResults: z.string().regex(/^\d+$/, { error: 'maxResults must be a whole number' }).transform(Number).optional(),
});

/** A page is at most this long (a larger maxResults is cut, as on /api). */
const MAX_PAGE = 1000;

export function pagingOf(query: Request['query']): { firstResult: number; maxResults: number } {
  const p = parseInput('query', paging, pickQuery(query, ['firstResult', 'maxResults']), (message) => invalidRequest(message));
  return { firstResult: p.firstResult ?? 0, maxResults: Math.min(p.maxResults ?? MAX_PAGE, MAX_PAGE) };
}

function pickQuery(query: Request['query'], names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((n) => query[n] !== undefined).map((n) => [n, query[n]]));
}

export function parseTaskQueryBody(body: unknown): CamundaTaskQuery {
  return parseInput('body', taskQueryBody, body ?? {}, (message) => invalidRequest(message));
}

/** Camunda's default date format: `yyyy-MM-dd'T'HH:mm:ss.SSSZ`. */
function camundaInstant(iso: string | null): string | null {
  return iso === null ? null : iso.replace(/Z$/, '+0000');
}

/** Runs a task query for `user`: only tasks of their groups (admins: all), open ones, as on /api. */
export async function runTaskQuery(host: HostContext, user: User, query: CamundaTaskQuery, page: { firstResult: number; maxResults: number }) {
  const order = query.sorting?.[0];
  const result = await host.store.tasks({
    visibleGroups: visibleGroups(user),
    candidateGroup: query.candidateGroup,
    candidateGroups: query.candidateGroups,
    assignee: query.assignee,
    unassigned: query.unassigned === true ? true : undefined,
    processDefinitionKey: query.processDefinitionKey,
    processInstanceId: query.processInstanceId,
    businessKey: query.processInstanceBusinessKey,
    dueBefore: query.dueBefore,
    dueAfter: query.dueAfter,
    nameLike: query.nameLike,
    state: 'open',
    sortBy: order ? SORT_KEYS[order.sortBy as SortKey] : 'created',
    sortOrder: order?.sortOrder === 'desc' ? 'desc' : 'asc',
    firstResult: page.firstResult,
    // typeorm reads a limit of 0 as no limit; a count asks for one row and reads the total.
    maxResults: Math.max(page.maxResults, 1),
    now: host.clock.now().toISOString(),
  });
  const items = page.maxResults === 0 ? [] : await Promise.all(result.items.map((t) => presentCamundaTask(host, t)));
  return { items, total: result.total };
}

/** Camunda 7.24's task JSON. `formKey` is null: the forms are generated from the diagram's form fields. */
export async function presentCamundaTask(host: HostContext, task: TaskRow) {
  const model = (await host.definitions.load(task.definitionId)).model.userTasks.get(task.taskDefinitionKey);
  return {
    id: task.id,
    name: task.name,
    assignee: task.assignee,
    owner: task.owner ?? null,
    created: camundaInstant(task.created),
    lastUpdated: null,
    due: camundaInstant(task.due),
    followUp: null,
    delegationState: task.delegationState ?? null,
    description: model?.documentation ?? null,
    executionId: task.executionId,
    parentTaskId: null,
    priority: task.priority,
    processDefinitionId: task.definitionId,
    processInstanceId: task.processInstanceId,
    taskDefinitionKey: task.taskDefinitionKey,
    caseExecutionId: null,
    caseInstanceId: null,
    caseDefinitionId: null,
    suspended: false,
    formKey: null,
    camundaFormRef: null,
    tenantId: null,
  };
}

export const CAMUNDA_TYPES: Record<FormField['type'], string> = { string: 'String', long: 'Long', boolean: 'Boolean', date: 'Date', enum: 'String' };

/** A stored value as Camunda's typed variable. */
export function typedVariable(value: unknown): { type: string; value: unknown; valueInfo: Record<string, unknown> } {
  if (value === null || value === undefined) return { type: 'Null', value: null, valueInfo: {} };
  if (typeof value === 'boolean') return { type: 'Boolean', value, valueInfo: {} };
  if (typeof value === 'number') return { type: Number.isInteger(value) ? (Math.abs(value) <= 2147483647 ? 'Integer' : 'Long') : 'Double', value, valueInfo: {} };
  if (typeof value === 'string') return { type: 'String', value, valueInfo: {} };
  return { type: 'Json', value: JSON.stringify(value), valueInfo: {} };
}

const taskIdParam = (req: Request) => req.params.id as string;

const userIdBody = z.object({ userId: z.string({ error: 'userId must be a string or null' }).nullable().optional() }, { error: 'The body must be a JSON object { userId }' });
const completeBody = z.object(
  { variables: z.unknown().optional(), withVariablesInReturn: z.boolean({ error: 'withVariablesInReturn must be true or false' }).optional() },
  { error: 'The body must be a JSON object { variables, withVariablesInReturn }' },
);

/** An open task the user may see (their groups, or the reglament they hand out), or Camunda's 404/403. */
export async function readableCamundaTask(host: HostContext, user: User, id: string): Promise<{ task: TaskRow; groups: string[] }> {
  const task = await host.store.task(id);
  if (!task || task.state !== 'open') throw new CamundaError(404, 'InvalidRequestException', `No matching task with id ${id}`);
  const groups = await host.store.taskGroups(id);
  if (!mayActOnTask(user, groups)) {
    const model = (await host.definitions.load(task.definitionId)).model;
    if (!mayDistributeTasks(user, [...model.userTasks.values()].flatMap((t) => t.candidateGroups))) {
      throw new CamundaError(403, 'AuthorizationException', `The user with id '${user.id}' does not have 'READ' permission on resource '${id}' of type 'Task' (the task belongs to ${groups.join(', ') || 'no group'}; the user is in ${user.groups.join(', ') || 'no group'})`);
    }
  }
  return { task, groups };
}

export function engineTaskRoutes(host: HostContext): Router {
  const router = express.Router();

  const readableTask = (user: User, id: string) => readableCamundaTask(host, user, id);

  function userNamed(id: string): User {
    const user = host.users.byId(id);
    if (!user) throw invalidRequest(`There is no user with id '${id}'`);
    return user;
  }

  async function refusing<T>(act: () => Promise<T>, conflictType?: string): Promise<T> {
    try {
      return await act();
    } catch (err) {
      throw camundaRefusal(err, conflictType);
    }
  }

  function body<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
    return parseInput('body', schema, req.body ?? {}, (message) => invalidRequest(message));
  }

  async function instanceVariables(instanceId: string) {
    const instance = await host.store.instance(instanceId);
    const values = instance ? (JSON.parse(instance.variables) as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, typedVariable(value)]));
  }

  async function complete(req: Request, res: Response) {
    const user = req.user!;
    const input = body(completeBody, req);
    const { task } = await readableTask(user, taskIdParam(req));
    let variables: Record<string, unknown>;
    try {
      variables = camundaVariablesToPlain(input.variables);
    } catch (err) {
      throw invalidRequest((err as Error).message);
    }
    await refusing(() => host.runtime.completeTask(task.id, variables, user));
    if (input.withVariablesInReturn) res.json(await instanceVariables(task.processInstanceId));
    else res.status(204).end();
  }

  router.get('/task', async (req, res) => {
    const query = parseInput('query', taskQueryString, req.query, (message) => invalidRequest(message));
    res.json((await runTaskQuery(host, req.user!, query, pagingOf(req.query))).items);
  });
  router.post('/task', async (req, res) => {
    res.json((await runTaskQuery(host, req.user!, parseTaskQueryBody(req.body), pagingOf(req.query))).items);
  });
  router.get('/task/count', async (req, res) => {
    const query = parseInput('query', taskQueryString, req.query, (message) => invalidRequest(message));
    res.json({ count: (await runTaskQuery(host, req.user!, query, { firstResult: 0, maxResults: 0 })).total });
  });
  router.post('/task/count', async (req, res) => {
    res.json({ count: (await runTaskQuery(host, req.user!, parseTaskQueryBody(req.body), { firstResult: 0, maxResults: 0 })).total });
  });

  router.get('/task/:id', async (req, res) => {
    res.json(await presentCamundaTask(host, (await readableTask(req.user!, taskIdParam(req))).task));
  });

  // Claiming for oneself is the runtime's claim; for another user it is an assignment of an
  // unclaimed task (the same rule as /api: only a head of the reglament or an admin hands work out).
  router.post('/task/:id/claim', async (req, res) => {
    const user = req.user!;
    const { userId } = body(userIdBody, req);
    const { task } = await readableTask(user, taskIdParam(req));
    if (!userId) await refusing(() => host.runtime.unclaim(task.id, user));
    else if (userId === user.id) await refusing(() => host.runtime.claim(task.id, user), 'TaskAlreadyClaimedException');
    else if (task.assignee && task.assignee !== userId) throw new CamundaError(500, 'TaskAlreadyClaimedException', `Task '${task.id}' is already claimed by someone else.`);
    else await refusing(() => host.runtime.assign(task.id, userNamed(userId), user, null));
    res.status(204).end();
  });
  router.post('/task/:id/unclaim', async (req, res) => {
    const user = req.user!;
    const { task } = await readableTask(user, taskIdParam(req));
    await refusing(() => host.runtime.unclaim(task.id, user));
    res.status(204).end();
  });
  router.post('/task/:id/assignee', async (req, res) => {
    const user = req.user!;
    const { userId } = body(userIdBody, req);
    const { task } = await readableTask(user, taskIdParam(req));
    await refusing(() => host.runtime.assign(task.id, userId ? userNamed(userId) : null, user));
    res.status(204).end();
  });
  router.post('/task/:id/delegate', async (req, res) => {
    const user = req.user!;
    const { userId } = body(userIdBody, req);
    if (!userId) throw invalidRequest('userId is required: the user the task is delegated to');
    const { task } = await readableTask(user, taskIdParam(req));
    await refusing(() => host.runtime.delegate(task.id, userNamed(userId), user));
    res.status(204).end();
  });
  router.post('/task/:id/resolve', async (req, res) => {
    const user = req.user!;
    const { task } = await readableTask(user, taskIdParam(req));
    // Camunda's resolve takes variables too; this server's delegate hands back no values (they are the form's, at completion).
    if (req.body?.variables && Object.keys(req.body.variables as object).length > 0) throw invalidRequest('This server does not set variables when a task is resolved; the owner submits them when completing it');
    await refusing(() => host.runtime.resolve(task.id, user));
    res.status(204).end();
  });
  router.post('/task/:id/complete', complete);
  router.post('/task/:id/submit-form', complete);

  // The task's declared form fields, each typed; an untouched field has its default or no value.
  router.get('/task/:id/form-variables', async (req, res) => {
    const { task } = await readableTask(req.user!, taskIdParam(req));
    const fields = (await host.definitions.load(task.definitionId)).model.userTasks.get(task.taskDefinitionKey)?.formFields ?? [];
    const names = typeof req.query.variableNames === 'string' ? new Set(req.query.variableNames.split(',')) : null;
    const instance = await host.store.instance(task.processInstanceId);
    const values = instance ? (JSON.parse(instance.variables) as Record<string, unknown>) : {};
    const answer: Record<string, unknown> = {};
    for (const field of fields) {
      if (names && !names.has(field.id)) continue;
      const value = field.id in values ? values[field.id] : defaultOf(field);
      answer[field.id] = { type: CAMUNDA_TYPES[field.type], value: value ?? null, valueInfo: {} };
    }
    res.json(answer);
  });

  router.get('/task/:id/identity-links', async (req, res) => {
    const { task, groups } = await readableTask(req.user!, taskIdParam(req));
    const links = [
      ...(task.assignee ? [{ userId: task.assignee, groupId: null, type: 'assignee' }] : []),
      ...(task.owner ? [{ userId: task.owner, groupId: null, type: 'owner' }] : []),
      ...groups.map((g) => ({ userId: null, groupId: g, type: 'candidate' })),
    ];
    const type = typeof req.query.type === 'string' ? req.query.type : undefined;
    res.json(type ? links.filter((l) => l.type === type) : links);
  });

  return router;
}

export function defaultOf(field: FormField): unknown {
  if (field.defaultValue === undefined) return null;
  if (field.type === 'long') return Number(field.defaultValue);
  if (field.type === 'boolean') return field.defaultValue === 'true';
  return field.defaultValue;
}
