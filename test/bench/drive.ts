/**
 * The bench's ports to the reglament driver (test/support/reglament-driver.ts): the in-process
 * runtime (the same calls the HTTP routes make, without express) and the HTTP API of a server
 * process with retries; forms are read from the catalog, not the server, so that a run times the
 * steps only. Values are the driver's positive-path values; applicants are prepared through the
 * simulators by the tests' SimulatorControl.
 */
import type { User } from '../../src/identity/users';
import type { CertificationAuthority } from '../../src/integrations/simulators';
import type { Host } from '../../src/host';
import { InstanceEntity } from '../../src/persistence/entities';
import { queryTasks } from '../../src/persistence/queries';
import { formValues, positiveValue } from '../support/form-values';
import { completeToEnd, declaredIn, OpenTask, ReglamentPort, TaskRef } from '../support/reglament-driver';
import { signTask } from '../support/signing';
import type { PreparedApplicant } from '../support/simulators';
import { tokenOf, userOf } from '../support/test-host';
import { Catalog, CatalogEntry, channelOf } from './catalog';

/** A task's form (or the document its person signs), from the diagram it belongs to. */
function viewFrom(catalog: Catalog) {
  return async (task: TaskRef): Promise<OpenTask> => {
    const userTask = catalog.byKey.get(task.processDefinitionKey)?.model.userTasks.get(task.taskDefinitionKey);
    return { ...task, formFields: userTask?.formFields ?? [], ...(userTask?.signs ? { signs: userTask.signs } : {}) };
  };
}

/** Where a signing step is signed: the server's API (its draft and sign endpoints) and the CA simulator that issues the signer's certificate. */
export interface Signing {
  url: string;
  ca: CertificationAuthority;
}

/** Signs a signing step as the web app does (test/support/signing.ts): the draft fetched, a CMS over it with the user's own certificate, POST .../sign. */
function signer(signing: Signing | undefined) {
  return async (taskId: string, user: string): Promise<void> => {
    if (!signing) throw new Error(`bench: task ${taskId} is a signing step and this port has no server and CA to sign with`);
    const call = async (u: string, method: string, route: string, body?: unknown) => {
      try {
        return { status: 200, body: await api(signing.url, u, method, route, body) };
      } catch (error) {
        if (error instanceof HttpError) return { status: error.status, body: error.message };
        throw error;
      }
    };
    const done = await signTask({ url: signing.url, call }, signing.ca, taskId, user);
    if (done.status !== 200) throw new Error(`bench: sign ${taskId}: ${done.status} ${JSON.stringify(done.body)}`);
  };
}

/** The in-process runtime; a signing step goes through `signing`'s HTTP API (the draft is made there). */
export function runtimePort(host: Host, catalog: Catalog, users: Map<string, User>, signing?: Signing): ReglamentPort {
  const ds = host.dataSource;
  const user = (id: string) => users.get(id) ?? { id, name: id, groups: [] };
  return {
    start: async (key, businessKey, variables, starter) => (await host.runtime.start(key, { businessKey, variables }, user(starter))).id,
    openTasks: async (businessKey) =>
      (await queryTasks(ds, { businessKey, state: 'open', sortBy: 'created', sortOrder: 'asc', firstResult: 0, maxResults: 50, now: new Date().toISOString() })).items,
    view: viewFrom(catalog),
    complete: async (taskId, variables, completer) => {
      await host.runtime.completeTask(taskId, variables, user(completer));
    },
    sign: signer(signing),
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
export async function api(url: string, user: string | null, method: string, route: string, body?: unknown, timeoutMs = 60_000): Promise<any> {
  const headers: Record<string, string> = {};
  if (user) headers.authorization = `Bearer ${tokenOf(user)}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}/api${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  if (!response.ok) throw new HttpError(response.status, `${method} ${route} -> ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** The HTTP API of a server; a request answered 409/5xx (another process held the database) is sent again. */
export function httpPort(url: string, catalog: Catalog, stats?: { retries: number; timeouts?: number }, timeoutMs = 60_000, ca?: CertificationAuthority): ReglamentPort {
  const call = async (user: string, method: string, route: string, body?: unknown) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await api(url, user, method, route, body, timeoutMs);
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
  const admin = userOf('admin');
  return {
    start: async (key, businessKey, variables, user) => (await call(user, 'POST', `/process-definitions/${encodeURIComponent(key)}/start`, { businessKey, variables })).id,
    openTasks: async (businessKey) => (await call(admin, 'GET', `/tasks?businessKey=${encodeURIComponent(businessKey)}&maxResults=50`)).items,
    view: viewFrom(catalog),
    complete: async (taskId, variables, user) => {
      await call(user, 'POST', `/tasks/${taskId}/complete`, { variables });
    },
    sign: signer(ca ? { url, ca } : undefined),
    instance: async (id) => {
      const body = await call(admin, 'GET', `/process-instances/${id}`);
      return { state: body.state, outcome: body.outcome ?? null };
    },
  };
}

/** Start variables of the positive path: the applicant's data, the channel of the plan, the other fields positive. */
export function startVariables(entry: CatalogEntry, applicant: PreparedApplicant): Record<string, unknown> {
  const fields = entry.model.startFormFields;
  const known = declaredIn(fields, applicant);
  const channel = channelOf(entry);
  if (channel !== undefined) known.channel = channel;
  const kindField = fields.find((f) => f.id === 'applicantKind');
  if (kindField?.values?.length && !kindField.values.some((v) => v.id === applicant.applicantKind)) delete known.applicantKind;
  return declaredIn(fields, formValues(fields, known, positiveValue));
}

/** Who starts: the office's user where the diagrams name the office, else the admin. */
export function starterOf(catalog: Catalog): string {
  return userOf(catalog.groups.includes('office') ? 'office' : 'admin');
}

export interface RunResult {
  key: string;
  instanceId: string;
  outcome: string | null;
  tasks: number;
}

/**
 * One full run through the driver: start, then complete whatever task is open (as a user of its
 * first candidate group, with positive values) until the instance has ended. `onWait` sees each
 * waiting point.
 */
export async function fullRun(port: ReglamentPort, catalog: Catalog, entry: CatalogEntry, applicant: PreparedApplicant, businessKey: string, onWait?: (tasks: TaskRef[], instanceId: string) => Promise<void>): Promise<RunResult> {
  const instanceId = await port.start(entry.key, businessKey, startVariables(entry, applicant), starterOf(catalog));
  const run = await completeToEnd(port, { key: entry.key, businessKey, instanceId, onWait, maxTasks: 500, valuesFor: (task) => formValues(task.formFields, {}, positiveValue) });
  return { key: entry.key, instanceId, outcome: run.outcome, tasks: run.completed.length };
}
