/**
 * Drives one reglament from its start to its end through "a host": the in-process runtime (the
 * same calls the HTTP routes make, without express) or the HTTP API of a server process. The
 * same generic positive-path rules as catalog.ts; applicants prepared through the simulators.
 */
import { DataSource } from 'typeorm';
import { User } from '../../src/identity/users';
import { Host } from '../../src/host';
import { InstanceEntity } from '../../src/persistence/entities';
import { queryTasks } from '../../src/persistence/queries';
import { Applicant } from './applicants';
import { Catalog, CatalogEntry, channelOf, positiveValues } from './catalog';
import { ADMIN, tokenOf, userOf } from './common';

export interface OpenTask {
  id: string;
  processDefinitionKey: string;
  taskDefinitionKey: string;
  candidateGroups: string[];
}

export interface HostDriver {
  start(key: string, businessKey: string, variables: Record<string, unknown>, user: User): Promise<string>;
  openTasks(businessKey: string): Promise<OpenTask[]>;
  complete(taskId: string, variables: Record<string, unknown>, user: User): Promise<void>;
  instance(id: string): Promise<{ state: string; outcome: string | null }>;
}

export function runtimeDriver(host: Host): HostDriver {
  const ds: DataSource = host.dataSource;
  return {
    start: async (key, businessKey, variables, user) => (await host.runtime.start(key, { businessKey, variables }, user)).id,
    openTasks: async (businessKey) =>
      (await queryTasks(ds, { businessKey, state: 'open', sortBy: 'created', sortOrder: 'asc', firstResult: 0, maxResults: 50, now: new Date().toISOString() })).items,
    complete: async (taskId, variables, user) => {
      await host.runtime.completeTask(taskId, variables, user);
    },
    instance: async (id) => {
      const row = await ds.getRepository(InstanceEntity).findOne({ where: { id } });
      return { state: row?.state ?? 'missing', outcome: row?.outcome ?? null };
    },
  };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Requests time out (default 60 s): a server stuck on its database must not stall the bench. */
export async function api(url: string, user: User | null, method: string, route: string, body?: unknown, timeoutMs = 60_000): Promise<any> {
  const headers: Record<string, string> = {};
  if (user) headers.authorization = `Bearer ${tokenOf(user.id)}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}/api${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  if (!response.ok) throw new HttpError(response.status, `${method} ${route} -> ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** The HTTP API of a server; `retries` re-sends a request answered 409/5xx (another process held the database). */
export function httpDriver(url: string | (() => string), stats?: { retries: number; timeouts?: number }, timeoutMs = 60_000): HostDriver {
  const base = typeof url === 'string' ? () => url : url;
  const call = async (user: User, method: string, route: string, body?: unknown) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await api(base(), user, method, route, body, timeoutMs);
      } catch (error) {
        if ((error as Error).name === 'TimeoutError') {
          if (stats) stats.timeouts = (stats.timeouts ?? 0) + 1;
          throw error;
        }
        const status = error instanceof HttpError ? error.status : 0;
        const retryable = status === 409 || status >= 500 || status === 0;
        if (!retryable || attempt >= 8) throw error;
        if (stats) stats.retries++;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt));
      }
    }
  };
  return {
    start: async (key, businessKey, variables, user) => (await call(user, 'POST', `/process-definitions/${encodeURIComponent(key)}/start`, { businessKey, variables })).id,
    openTasks: async (businessKey) => (await call(ADMIN, 'GET', `/tasks?businessKey=${encodeURIComponent(businessKey)}&maxResults=50`)).items,
    complete: async (taskId, variables, user) => {
      await call(user, 'POST', `/tasks/${taskId}/complete`, { variables });
    },
    instance: async (id) => {
      const body = await call(ADMIN, 'GET', `/process-instances/${id}`);
      return { state: body.state, outcome: body.outcome ?? null };
    },
  };
}

/** Start variables of the positive path: the applicant, and the start form's fields (channel by preference). */
export function startVariables(entry: CatalogEntry, applicant: Applicant): Record<string, unknown> {
  const known: Record<string, unknown> = { ...applicant };
  const channel = channelOf(entry);
  if (channel !== undefined) known.channel = channel;
  const kindField = entry.model.startFormFields.find((f) => f.id === 'applicantKind');
  if (kindField?.values?.length && !kindField.values.some((v) => v.id === applicant.applicantKind)) delete known.applicantKind;
  // A start may send only the start form's fields (400 otherwise): the applicant's data the form does not ask for stays out.
  const declared = new Set(entry.model.startFormFields.map((f) => f.id));
  return Object.fromEntries(Object.entries({ ...applicant, ...positiveValues(entry.model.startFormFields, known) }).filter(([name]) => declared.has(name)));
}

export function starterOf(catalog: Catalog): User {
  return catalog.groups.includes('office') ? userOf('office') : ADMIN;
}

export interface RunResult {
  key: string;
  instanceId: string;
  outcome: string | null;
  tasks: number;
  /** Open task keys at each waiting point, in order. */
  waits: string[][];
}

/**
 * One full run: start, then complete whatever task is open (as a user of its first candidate
 * group, with positive values) until the instance has ended. `onWait` sees each waiting point.
 */
export async function fullRun(
  driver: HostDriver,
  catalog: Catalog,
  entry: CatalogEntry,
  applicant: Applicant,
  businessKey: string,
  onWait?: (tasks: OpenTask[], instanceId: string) => Promise<void>,
): Promise<RunResult> {
  const instanceId = await driver.start(entry.key, businessKey, startVariables(entry, applicant), starterOf(catalog));
  const waits: string[][] = [];
  let tasks = 0;
  for (let step = 0; step < 500; step++) {
    const open = await driver.openTasks(businessKey);
    if (open.length === 0) {
      const state = await driver.instance(instanceId);
      if (state.state === 'running') throw new Error(`${entry.key} (${businessKey}) waits with no open task (a timer or an incident?)`);
      return { key: entry.key, instanceId, outcome: state.outcome, tasks, waits };
    }
    waits.push(open.map((t) => t.taskDefinitionKey));
    if (onWait) await onWait(open, instanceId);
    const task = open[0];
    const model = catalog.byKey.get(task.processDefinitionKey)?.model.userTasks.get(task.taskDefinitionKey);
    await driver.complete(task.id, positiveValues(model?.formFields ?? []), userOf(task.candidateGroups[0] ?? 'admin'));
    tasks++;
  }
  throw new Error(`${entry.key} (${businessKey}) did not end within 500 tasks`);
}
