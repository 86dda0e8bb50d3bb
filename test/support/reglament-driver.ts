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
