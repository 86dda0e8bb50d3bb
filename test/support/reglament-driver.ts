import fs from 'node:fs';
import path from 'node:path';
import type { FormField } from '../../src/definitions/model';
import type { PrepareApplicantOptions } from './simulators';
import type { TestHost } from './test-host';

/*
 * Drives one application of a reglament through the HTTP API from its start form to its outcome,
 * filling every form deterministically from the form fields the server returns: the first enum
 * value, booleans true, whole numbers at their minimum (1 when none), strings that satisfy the
 * field's pattern and length, the applicant's own data where the start form asks for it. Per-task
 * overrides choose another path (a refusal, another variant). Hooks run before the start and
 * before each completion, so a test can try something else first (a forged variable) and check
 * that it changed nothing. Shared by the integrity tests; the path tests, bench and fault injection
 * can use it too.
 */

export const PROCESSES_DIR = path.resolve(__dirname, '../../processes');

/** Flows that a reglament calls; never a top-level application. */
export const SHARED_FLOW_KEYS: readonly string[] = ['egov-portal-intake', 'elicense-provider-intake', 'state-corporation-intake', 'state-corporation-result-issuance', 'egov-result-delivery'];

/** Keys of the top-level reglaments in processes/ (file name = process key). */
export function reglamentKeys(): string[] {
  return fs
    .readdirSync(PROCESSES_DIR)
    .filter((f) => f.endsWith('.bpmn'))
    .map((f) => f.replace(/\.bpmn$/, ''))
    .filter((key) => !SHARED_FLOW_KEYS.includes(key))
    .sort();
}

export interface OpenTask {
  id: string;
  taskDefinitionKey: string;
  processInstanceId: string;
  processDefinitionKey: string;
  candidateGroups: string[];
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

const STRING_CANDIDATES = ['Тест мәні', 'Test value', '123456789012', 'A1', '1'];

/** A value that passes the server's check of `field` (see src/runtime/form-validation.ts). */
export function valueFor(field: FormField): unknown {
  switch (field.type) {
    case 'enum':
      return field.values?.[0]?.id;
    case 'boolean':
      return true;
    case 'long':
      return field.min ?? 1;
    case 'date':
      return '2025-03-14';
    default: {
      for (const candidate of STRING_CANDIDATES) {
        let value = candidate;
        if (field.minlength !== undefined) value = value.padEnd(field.minlength, 'x');
        if (field.maxlength !== undefined) value = value.slice(0, field.maxlength);
        if (field.pattern === undefined || new RegExp(field.pattern).test(value)) return value;
      }
      throw new Error(`reglament-driver: no generated string satisfies field "${field.id}" (pattern ${field.pattern}); give it in the overrides`);
    }
  }
}

/** A value for every declared field (optional ones too), then the overrides. */
export function formValues(fields: FormField[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields) values[field.id] = valueFor(field);
  return { ...values, ...overrides };
}

/** The start form of the latest version of `key`, read from the catalog the server serves. */
export async function startFormOf(t: TestHost, key: string): Promise<{ fields: FormField[]; starterGroups: string[] }> {
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
  const applicant: Record<string, unknown> = { ...(await t.sim.prepareApplicant({ processKey: key, ...options.applicant, kind })) };
  const declared = new Set(fields.map((f) => f.id));
  for (const [name, value] of Object.entries(applicant)) if (declared.has(name) && !(options.start && name in options.start)) generated[name] = value;
  return generated;
}

export async function openTasks(t: TestHost, businessKey: string): Promise<{ id: string; taskDefinitionKey: string }[]> {
  const res = await t.call('admin', 'GET', `/tasks?businessKey=${encodeURIComponent(businessKey)}&maxResults=100`);
  if (res.status !== 200) throw new Error(`reglament-driver: tasks of ${businessKey}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.items as { id: string; taskDefinitionKey: string }[]).sort((a, b) => a.taskDefinitionKey.localeCompare(b.taskDefinitionKey) || a.id.localeCompare(b.id));
}

export async function taskView(t: TestHost, id: string): Promise<OpenTask> {
  const res = await t.call('admin', 'GET', `/tasks/${id}`);
  if (res.status !== 200) throw new Error(`reglament-driver: task ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Starts an application of `key` and completes its tasks until the top-level instance ends. */
export async function driveReglament(t: TestHost, options: DriveOptions): Promise<DriveResult> {
  const { fields, starterGroups } = await startFormOf(t, options.key);
  const starter = starterOf(t, starterGroups);
  const variables = await startValues(t, options.key, fields, options);
  if (options.beforeStart) await options.beforeStart(starter, variables);
  const started = await t.call(starter, 'POST', `/process-definitions/${options.key}/start`, { businessKey: options.businessKey, variables });
  if (started.status !== 201) throw new Error(`reglament-driver: start ${options.key}: ${started.status} ${JSON.stringify(started.body)}`);
  const instanceId: string = started.body.id;
  const completed: string[] = [];
  for (let round = 0; round < 100; round++) {
    const instance = (await t.call('admin', 'GET', `/process-instances/${instanceId}`)).body;
    if (instance.state !== 'running') return { instanceId, outcome: instance.outcome, state: instance.state, completed, variables: instance.variables };
    const tasks = await openTasks(t, options.businessKey);
    if (tasks.length === 0) throw new Error(`reglament-driver: ${options.key} (${instanceId}) waits with no open task at ${JSON.stringify(instance.activeActivities)}${instance.incidents?.length ? `, incidents ${JSON.stringify(instance.incidents)}` : ''}`);
    const task = await taskView(t, tasks[0].id);
    const user = t.userOf(task.candidateGroups[0] ?? 'admin');
    const values = formValues(task.formFields, options.tasks?.[task.taskDefinitionKey]);
    if (options.beforeComplete) await options.beforeComplete(task, user, values);
    const done = await t.call(user, 'POST', `/tasks/${task.id}/complete`, { variables: values });
    if (done.status !== 200) throw new Error(`reglament-driver: complete ${options.key}/${task.taskDefinitionKey}: ${done.status} ${JSON.stringify(done.body)}`);
    completed.push(task.taskDefinitionKey);
  }
  throw new Error(`reglament-driver: ${options.key} (${instanceId}) did not end within 100 tasks`);
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
  const declared = new Set(fields.map((f) => f.id));
  const applicant = await t.sim.prepareApplicant({ ...spec.applicant, processKey: key });
  const variables: Record<string, unknown> = Object.fromEntries(Object.entries(applicant).filter(([name]) => declared.has(name)));
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
