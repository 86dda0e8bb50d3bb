import fs from 'node:fs';
import path from 'node:path';
import type { FormField } from '../../src/definitions/model';
import { SHARED_FLOW_KEYS } from '../../src/handlers/support';
import { formValues } from './form-values';
import type { PrepareApplicantOptions } from './simulators';
import { userOf, type TestHost } from './test-host';
import { signTask } from './signing';

/*
 * The one reglament driver of the tests, the bench and the crash-safety run. It drives an
 * application from its start form to its outcome through a port (the HTTP API of a test host or a
 * server process, or the in-process runtime), filling every form from its fields (form-values.ts:
 * the same values every run unless told otherwise) and the applicant's own data where the start
 * form asks for it; the users are one per group (test-host.ts userOf). Per-task overrides choose
 * another path (a refusal, another variant). Hooks run before the start and before each
 * completion, so a test can try something else first (a forged variable) and check that it changed
 * nothing.
 */

export const PROCESSES_DIR = path.resolve(__dirname, '../../processes');

/** Keys of the top-level reglaments in processes/ (file name = process key). */
export function reglamentKeys(): string[] {
  return fs
    .readdirSync(PROCESSES_DIR)
    .filter((f) => f.endsWith('.bpmn'))
    .map((f) => f.replace(/\.bpmn$/, ''))
    .filter((key) => !SHARED_FLOW_KEYS.has(key))
    .sort();
}

export interface OpenTask extends TaskRef {
  formFields: FormField[];
}

export interface DriveOptions {
  key: string;
  businessKey: string;
  /** How the applicant is prepared in the simulators (positive by default: registered, paid, valid EDS, in GBD). */
  applicant?: PrepareApplicantOptions;
  /** Start form values that replace the generated ones. */
  start?: Record<string, unknown>;
  /** Completion values by task definition key that replace the generated ones. */
  tasks?: Record<string, Record<string, unknown>>;
  /** Runs before the real start with the user and the values it will send. */
  beforeStart?: (starter: string, variables: Record<string, unknown>) => Promise<void>;
  /** Runs before each real completion with the task (form included), its user and the values it will send. */
  beforeComplete?: (task: OpenTask, user: string, variables: Record<string, unknown>) => Promise<void>;
}

export interface DriveResult {
  instanceId: string;
  outcome: string | null;
  state: string;
  /** Task definition keys in the order they were completed. */
  completed: string[];
  variables: Record<string, unknown>;
}

/** The values whose names a form declares, e.g. of a prepared applicant's data (a start or completion may send nothing else). */
export function declaredIn(fields: FormField[], values: Record<string, unknown>): Record<string, unknown> {
  const declared = new Set(fields.map((f) => f.id));
  return Object.fromEntries(Object.entries(values).filter(([name]) => declared.has(name)));
}

/** The start form of the latest version of `key`, read from the catalog the server serves. */
export async function startFormOf(t: Pick<TestHost, 'call'>, key: string): Promise<{ fields: FormField[]; starterGroups: string[] }> {
  const res = await t.call('admin', 'GET', `/process-definitions/${key}/xml`);
  if (res.status !== 200) throw new Error(`reglament-driver: the XML of ${key}: ${res.status}`);
  const { parseBpmn } = await import('../../src/definitions/parse');
  const { describeProcess } = await import('../../src/definitions/model');
  const parsed = await parseBpmn(String(res.body), `${key}.bpmn`);
  const xml = String(res.body);
  const starters = /camunda:candidateStarterGroups="([^"]*)"/.exec(xml)?.[1] ?? '';
  return {
    fields: describeProcess(parsed.definitions!).startFormFields,
    starterGroups: starters
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean),
  };
}

/** Who starts an application: a user of the first starter group the diagram names, else the office. */
export function starterOf(t: TestHost, starterGroups: string[]): string {
  return t.userOf(starterGroups[0] ?? 'office');
}

/** The start values for `key`, with a prepared applicant whose kind matches the form's choice. */
export async function startValues(t: TestHost, key: string, fields: FormField[], options: Pick<DriveOptions, 'applicant' | 'start'> = {}): Promise<Record<string, unknown>> {
  const generated = formValues(fields, options.start);
  const kind = (generated.applicantKind as 'individual' | 'legal-entity' | undefined) ?? options.applicant?.kind ?? 'individual';
  const applicant = declaredIn(fields, await t.sim.prepareApplicant({ processKey: key, ...options.applicant, kind }));
  for (const [name, value] of Object.entries(applicant)) if (!(options.start && name in options.start)) generated[name] = value;
  return generated;
}

export async function openTasks(t: Pick<TestHost, 'call'>, businessKey: string): Promise<{ id: string; taskDefinitionKey: string }[]> {
  const res = await t.call('admin', 'GET', `/tasks?businessKey=${encodeURIComponent(businessKey)}&maxResults=100`);
  if (res.status !== 200) throw new Error(`reglament-driver: tasks of ${businessKey}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.items as { id: string; taskDefinitionKey: string }[]).sort((a, b) => a.taskDefinitionKey.localeCompare(b.taskDefinitionKey) || a.id.localeCompare(b.id));
}

export async function taskView(t: Pick<TestHost, 'call'>, id: string): Promise<OpenTask> {
  const res = await t.call('admin', 'GET', `/tasks/${id}`);
  if (res.status !== 200) throw new Error(`reglament-driver: task ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** An open task as a task list shows it. */
export interface TaskRef {
  id: string;
  taskDefinitionKey: string;
  processDefinitionKey: string;
  processInstanceId: string;
  candidateGroups: string[];
}

/** Where an application moves: the HTTP API of a server, or the runtime of a host in this process. */
export interface ReglamentPort {
  /** Starts an application as `user`; answers the top-level instance's id. */
  start(key: string, businessKey: string, variables: Record<string, unknown>, user: string): Promise<string>;
  /** The application's open tasks, in the order the port completes them. */
  openTasks(businessKey: string): Promise<TaskRef[]>;
  /** The task with its form (read from the server, or from the diagrams). */
  view(task: TaskRef): Promise<OpenTask>;
  complete(taskId: string, variables: Record<string, unknown>, user: string): Promise<void>;
  /** Completes a signing step with the user's EDS over its draft (a port that cannot sign leaves it out). */
  sign?(taskId: string, user: string): Promise<void>;
  instance(id: string): Promise<{ state: string; outcome: string | null; variables?: Record<string, unknown>; activeActivities?: unknown; incidents?: unknown[] }>;
}

/**
 * The HTTP API of a test host as a port; a refused request is an error that names it. With the host's
 * URL and CA simulator it also signs a signing step as its user (test/support/signing.ts).
 */
export function httpPort(t: Pick<TestHost, 'call'> & Partial<Pick<TestHost, 'url' | 'simulators'>>): ReglamentPort {
  return {
    sign: async (taskId, user) => {
      if (!t.url || !t.simulators) throw new Error(`reglament-driver: task ${taskId} is a signing step and this port has no CA to sign with`);
      const done = await signTask({ url: t.url, call: t.call }, t.simulators.ca, taskId, user);
      if (done.status !== 200) throw new Error(`reglament-driver: sign ${taskId}: ${done.status} ${JSON.stringify(done.body)}`);
    },
    start: async (key, businessKey, variables, user) => {
      const started = await t.call(user, 'POST', `/process-definitions/${key}/start`, { businessKey, variables });
      if (started.status !== 201) throw new Error(`reglament-driver: start ${key}: ${started.status} ${JSON.stringify(started.body)}`);
      return started.body.id;
    },
    openTasks: async (businessKey) => (await openTasks(t, businessKey)) as TaskRef[],
    view: (task) => taskView(t, task.id),
    complete: async (taskId, variables, user) => {
      const done = await t.call(user, 'POST', `/tasks/${taskId}/complete`, { variables });
      if (done.status !== 200) throw new Error(`reglament-driver: complete ${taskId}: ${done.status} ${JSON.stringify(done.body)}`);
    },
    instance: async (id) => (await t.call('admin', 'GET', `/process-instances/${id}`)).body,
  };
}

export interface RunOptions {
  key: string;
  businessKey: string;
  /** The top-level instance the run follows. */
  instanceId: string;
  /** The completion values of a task (the form's fields first by default). */
  valuesFor?: (task: OpenTask) => Record<string, unknown>;
  /** Runs before each completion with the task, its user and the values it will send. */
  beforeComplete?: DriveOptions['beforeComplete'];
  /** Sees the open tasks at each waiting point. */
  onWait?: (tasks: TaskRef[], instanceId: string) => Promise<void>;
  maxTasks?: number;
}

/**
 * Completes the first open task of an application, as the user of its first candidate group, until
 * none is left; the top-level instance must then have ended.
 */
export async function completeToEnd(port: ReglamentPort, o: RunOptions): Promise<DriveResult> {
  const completed: string[] = [];
  const maxTasks = o.maxTasks ?? 100;
  for (let round = 0; round <= maxTasks; round++) {
    const tasks = await port.openTasks(o.businessKey);
    if (tasks.length === 0) {
      const instance = await port.instance(o.instanceId);
      if (instance.state === 'running') throw new Error(`reglament-driver: ${o.key} (${o.instanceId}) waits with no open task at ${JSON.stringify(instance.activeActivities)}${instance.incidents?.length ? `, incidents ${JSON.stringify(instance.incidents)}` : ''}`);
      return { instanceId: o.instanceId, outcome: instance.outcome, state: instance.state, completed, variables: instance.variables ?? {} };
    }
    if (round === maxTasks) break;
    if (o.onWait) await o.onWait(tasks, o.instanceId);
    const task = await port.view(tasks[0]);
    const user = userOf(task.candidateGroups[0] ?? 'admin');
    const values = o.valuesFor ? o.valuesFor(task) : formValues(task.formFields);
    if (o.beforeComplete) await o.beforeComplete(task, user, values);
    if ((task as OpenTask & { signs?: string }).signs) {
      if (!port.sign) throw new Error(`reglament-driver: ${task.taskDefinitionKey} is a signing step and the port cannot sign`);
      await port.sign(task.id, user);
    } else await port.complete(task.id, values, user);
    completed.push(task.taskDefinitionKey);
  }
  throw new Error(`reglament-driver: ${o.key} (${o.instanceId}) did not end within ${maxTasks} tasks`);
}

/** Starts an application of `key` and completes its tasks until the top-level instance ends. */
export async function driveReglament(t: TestHost, options: DriveOptions): Promise<DriveResult> {
  const { fields, starterGroups } = await startFormOf(t, options.key);
  const starter = starterOf(t, starterGroups);
  const variables = await startValues(t, options.key, fields, options);
  if (options.beforeStart) await options.beforeStart(starter, variables);
  const port = httpPort(t);
  const instanceId = await port.start(options.key, options.businessKey, variables, starter);
  return completeToEnd(port, { ...options, instanceId, valuesFor: (task) => formValues(task.formFields, options.tasks?.[task.taskDefinitionKey]) });
}

/** What a refused request must leave as it was: the instance, its history and its open tasks. */
export async function snapshotOf(t: TestHost, instanceId: string, businessKey: string): Promise<unknown> {
  const instance = (await t.call('admin', 'GET', `/process-instances/${instanceId}`)).body;
  const history = (await t.call('admin', 'GET', `/process-instances/${instanceId}/history`)).body;
  const tasks = (await t.call('admin', 'GET', `/tasks?businessKey=${encodeURIComponent(businessKey)}&state=all&maxResults=100`)).body.items;
  const instances = (await t.call('admin', 'GET', `/process-instances?businessKey=${encodeURIComponent(businessKey)}&maxResults=100`)).body;
  return { instance, history, tasks, instances };
}

/*
 * The steps of a path test, without assertions (the bench and fault injection may call them outside
 * jest): an application started from a prepared applicant and chosen start values, the task list of
 * one user, the timers of an application, firing due timers. test/support/reglament-paths.ts runs
 * the reglaments' path tables on them and checks each step.
 */

export interface ApplicationSpec {
  businessKey: string;
  /** The user who starts it. */
  starter: string;
  /** How the applicant is prepared in the simulators (merged over the simulators' positive defaults). */
  applicant?: PrepareApplicantOptions;
  /** Start form values besides the applicant's data (variant, result form, ...). */
  form?: Record<string, unknown>;
  /** The channel field; absent leaves it to the diagram's default branch. */
  channel?: string;
}

const startFormCache = new WeakMap<TestHost, Map<string, Promise<{ fields: FormField[]; starterGroups: string[] }>>>();

/** startFormOf, read once per host and key. */
export function cachedStartFormOf(t: TestHost, key: string): Promise<{ fields: FormField[]; starterGroups: string[] }> {
  let forms = startFormCache.get(t);
  if (!forms) startFormCache.set(t, (forms = new Map()));
  let form = forms.get(key);
  if (!form) forms.set(key, (form = startFormOf(t, key)));
  return form;
}

/**
 * Prepares the applicant and starts an application of `key` with the applicant's data the start form
 * declares (a start may send nothing else), then `form`, then the channel; answers the HTTP answer
 * and the values sent.
 */
export async function startApplication(t: TestHost, key: string, spec: ApplicationSpec): Promise<{ status: number; body: any; variables: Record<string, unknown> }> {
  const { fields } = await cachedStartFormOf(t, key);
  const variables = declaredIn(fields, await t.sim.prepareApplicant({ ...spec.applicant, processKey: key }));
  Object.assign(variables, spec.form);
  if (spec.channel !== undefined) variables.channel = spec.channel;
  const answer = await t.call(spec.starter, 'POST', `/process-definitions/${key}/start`, { businessKey: spec.businessKey, variables });
  return { ...answer, variables };
}

/** The tasks of an application that `user` may see (open ones unless `state` says otherwise). */
export async function tasksOf(t: TestHost, user: string, businessKey: string, state?: 'all'): Promise<{ status: number; items: any[] }> {
  const res = await t.call(user, 'GET', `/tasks?businessKey=${encodeURIComponent(businessKey)}&maxResults=100${state ? `&state=${state}` : ''}`);
  return { status: res.status, items: res.body?.items ?? [] };
}

/** The pending timers of every instance of an application (the top-level one and the called ones). */
export async function pendingTimersOf(t: TestHost, businessKey: string): Promise<any[]> {
  const instances = (await t.call('admin', 'GET', `/process-instances?businessKey=${encodeURIComponent(businessKey)}&maxResults=100`)).body.items as { id: string }[];
  const timers = await Promise.all(instances.map(async (i) => (await t.call('admin', 'GET', `/timers?processInstanceId=${i.id}&state=pending`)).body as any[]));
  return timers.flat();
}

/**
 * Fires due timers until none is left or `until` has fired (one call fires at most a batch, and the
 * deadlines of other applications' open tasks may be due too); answers the ids fired.
 */
export async function fireDueTimers(t: TestHost, until?: string): Promise<string[]> {
  const all: string[] = [];
  for (let round = 0; round < 20; round++) {
    const res = await t.call('admin', 'POST', '/timers/fire-due');
    if (res.status !== 200) throw new Error(`reglament-driver: fire-due: ${res.status} ${JSON.stringify(res.body)}`);
    const fired = res.body.fired as string[];
    all.push(...fired);
    if (fired.length === 0 || (until !== undefined && fired.includes(until))) break;
  }
  return all;
}

/** The candidate groups and lane groups a diagram of processes/ names. */
export function groupsOfReglament(key: string): string[] {
  const xml = fs.readFileSync(path.join(PROCESSES_DIR, `${key}.bpmn`), 'utf8');
  const groups = new Set<string>();
  for (const m of xml.matchAll(/camunda:candidateGroups="([^"]*)"/g)) m[1].split(',').forEach((g) => g.trim() && groups.add(g.trim()));
  for (const m of xml.matchAll(/<camunda:property name="group" value="([^"]*)"/g)) groups.add(m[1]);
  return [...groups].sort();
}

/** The user task ids of a diagram of processes/. */
export function userTasksOf(key: string): string[] {
  const xml = fs.readFileSync(path.join(PROCESSES_DIR, `${key}.bpmn`), 'utf8');
  return [...xml.matchAll(/<bpmn:userTask id="([^"]+)"/g)].map((m) => m[1]).sort();
}

const TIME_LIMITS_DIR = path.resolve(__dirname, '../fixtures/time-limits');

/** The time limits transcribed from the seed for the user tasks of `key` (test/fixtures/time-limits); {} for a diagram without one. */
export function timeLimitsOf(key: string): Record<string, { timeLimit: string }> {
  const file = path.join(TIME_LIMITS_DIR, `${key}.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}
