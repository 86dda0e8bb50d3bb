import { ManualClock } from '../../src/clock';
import {
  fireDueTimers,
  groupsOfReglament,
  pendingTimersOf,
  startApplication,
  tasksOf,
  timeLimitsOf,
  userTasksOf,
} from './reglament-driver';
import type { CertificateCase, PrepareApplicantOptions } from './simulators';
import { requiredValues } from './form-values';
import { startTestHost, TEST_USERS, TestHost, tokenOf } from './test-host';
import { parseCms } from '../../src/crypto/cms';
import { signTask } from './signing';

/*
 * The reglaments' path tests as tables. A table lists the paths of one diagram as data (channel,
 * start values, applicant profile, the steps [group, task, variables] and timers, the outcome and
 * the variables it ends with); describeReglament runs every row through the HTTP API with the same
 * checks at every step: the task is listed for its group's user and for nobody else of that group's
 * view, with the time limit transcribed from the seed (test/fixtures/time-limits, the reglament's or
 * the called shared flow's) and a due date exactly when the limit is stated; it is claimed, then
 * completed. At the end: the outcome, the variables, no open task, and for a path without tasks no
 * task ever. Each table also gets the check that every user task has a fixture entry and is on some
 * path, and that another group's user neither sees, claims nor completes a task.
 */

/** A user task: the group whose user completes it, its id, the completion values. */
export type TaskStep = [group: string, task: string, variables?: Record<string, unknown>];

/** A timer event the path waits at: it must not fire a minute before its due time, and must fire at it. */
export interface TimerStep {
  timer: string;
  /** What the pending timer shows (timerType, dueAt, timerValue, ...). */
  shows?: Record<string, unknown>;
  /** The top-level instance's active activities while it waits. */
  activeActivities?: string[];
  /** The open tasks of the application (anyone's) a minute before the timer is due. */
  openWhileWaiting?: string[];
}

export type PathStep = TaskStep | TimerStep;

export interface ReglamentPath {
  name: string;
  /** The start form's channel; absent: the diagram's default branch. */
  channel?: string;
  /** Start form values besides the applicant's data and the channel. */
  form?: Record<string, unknown>;
  /** The applicant's profile in the simulators, over the table's. */
  applicant?: PrepareApplicantOptions;
  /** Started by the employee E-licensing does not know (EMPLOYEE_AUTHORIZATION_REFUSED). */
  unregisteredEmployee?: boolean;
  steps: PathStep[];
  /** The end event's id. */
  outcome: string;
  /** What the instance's variables must match at the end (see present, text). */
  variables?: Record<string, unknown>;
  /** The top-level instance's fired timers, exactly. */
  timersFired?: string[];
  /** Timer events the path must never arm. */
  timersNotArmed?: string[];
  /**
   * Also checks each step as every test user sees it (only its group's users list it), that a user of
   * another group cannot complete it and that a second completion is a 409, and at the end the history:
   * the tasks completed in order by their users, no activity ended twice, from instance-started to
   * instance-completed at the outcome. For paths whose tasks are all the top-level instance's.
   */
  audit?: boolean;
  /** The documents people signed with EDS on the path, in order: [signing step, kind of document] (GET /process-instances/{id}/signatures). */
  signed?: [task: string, kind: string][];
}

export interface ReglamentTable {
  key: string;
  /** The applicant profile every path starts from. */
  applicant?: PrepareApplicantOptions;
  /** Group of the user who starts the application, by channel (the office's user otherwise). */
  starters?: Record<string, string>;
  /** A manual host clock set to this time before each test. */
  clockStart?: Date;
  /** A manual host clock (implied by clockStart), for timer steps. */
  manualClock?: boolean;
  /** Exact due dates by task (from clockStart); tasks not named here: set exactly when the limit is stated. */
  due?: Record<string, string | null>;
  /** Where the other-groups check stands: the first task after `after` steps of the named path (the first path with tasks, by default). */
  forbidden?: { path: string; after?: number };
  paths: ReglamentPath[];
}

/** What starts an application: a path without its steps and ends. */
export type Application = Pick<ReglamentPath, 'name' | 'channel' | 'form' | 'applicant' | 'unregisteredEmployee' | 'audit'>;

/**
 * The error boundaries of the shared intake flows (egov-portal-intake, elicense-provider-intake) as
 * rows that end before any task; each reglament names its own condition and process in `name`.
 */
export const INTAKE_REFUSALS = {
  authorization: (name: string, row: Partial<ReglamentPath> = {}): ReglamentPath => ({ name, channel: 'portal', steps: [], outcome: 'refused-authorization', ...row, applicant: { ...row.applicant, portalUser: false } }),
  payment: (name: string, row: Partial<ReglamentPath> = {}): ReglamentPath => ({ name, channel: 'portal', steps: [], outcome: 'refused-no-payment', ...row, applicant: { ...row.applicant, paid: false } }),
  eds: (name: string, certificate: CertificateCase, row: Partial<ReglamentPath> = {}): ReglamentPath => ({ name, channel: 'portal', steps: [], outcome: 'refused-eds-not-confirmed', ...row, applicant: { ...row.applicant, certificate } }),
  employee: (name: string, row: Partial<ReglamentPath> = {}): ReglamentPath => ({ name, channel: 'provider', steps: [], outcome: 'refused-employee-authorization', unregisteredEmployee: true, ...row }),
  stateDatabase: (name: string, row: Partial<ReglamentPath> = {}): ReglamentPath => ({ name, channel: 'provider', steps: [], outcome: 'refused-applicant-data-unavailable', ...row, applicant: { ...row.applicant, inStateDatabase: false } }),
};

/** Variables that must be set (not null). */
export const present = (...names: string[]): Record<string, unknown> => Object.fromEntries(names.map((name) => [name, expect.anything()]));
/** Variables that must be strings. */
export const text = (...names: string[]): Record<string, unknown> => Object.fromEntries(names.map((name) => [name, expect.any(String)]));

const isTimer = (step: PathStep): step is TimerStep => !Array.isArray(step);
const taskSteps = (steps: PathStep[]): TaskStep[] => steps.filter((s): s is TaskStep => !isTimer(s));

/** Runs the paths of one table on its own host; the special tests of a reglament use it too. */
export class PathRunner {
  t!: TestHost;
  readonly clock?: ManualClock;
  private readonly limits = new Map<string, Record<string, { timeLimit: string }>>();

  constructor(readonly table: ReglamentTable) {
    if (table.clockStart || table.manualClock) this.clock = new ManualClock(table.clockStart ?? new Date());
  }

  get key(): string {
    return this.table.key;
  }

  async open(): Promise<void> {
    this.t = await startTestHost({ clock: this.clock });
  }

  close(): Promise<void> {
    return this.t.close();
  }

  path(name: string): ReglamentPath {
    const found = this.table.paths.find((p) => p.name === name);
    if (!found) throw new Error(`${this.key}: no path named "${name}"`);
    return found;
  }

  /** Starts the path's application; answers the instance id and the values sent. */
  async start(p: Application, businessKey: string): Promise<{ id: string; variables: Record<string, unknown> }> {
    const starter = p.unregisteredEmployee ? this.t.unregisteredEmployee : this.t.userOf((p.channel && this.table.starters?.[p.channel]) || 'office');
    const started = await startApplication(this.t, this.key, { businessKey, starter, applicant: { ...this.table.applicant, ...p.applicant }, form: p.form, channel: p.channel });
    expect({ path: p.name, status: started.status, error: started.body?.error }).toEqual({ path: p.name, status: 201, error: undefined });
    if (p.audit) expect(started.body).toMatchObject({ processDefinitionKey: this.key, version: 1, state: 'running' });
    return { id: started.body.id, variables: started.variables };
  }

  async openTaskKeys(user: string, businessKey: string): Promise<string[]> {
    const listed = await tasksOf(this.t, user, businessKey);
    expect(listed.status).toBe(200);
    return listed.items.map((x) => x.taskDefinitionKey);
  }

  /** The one open task the group's user sees, which must be `task`. */
  async taskFor(group: string, task: string, businessKey: string): Promise<any> {
    const listed = await tasksOf(this.t, this.t.userOf(group), businessKey);
    expect({ status: listed.status, group, listed: listed.items.map((x) => x.taskDefinitionKey) }).toEqual({ status: 200, group, listed: [task] });
    return listed.items[0];
  }

  private timeLimit(processKey: string, task: string): string | undefined {
    if (!this.limits.has(processKey)) this.limits.set(processKey, timeLimitsOf(processKey));
    return this.limits.get(processKey)![task]?.timeLimit;
  }

  /** Checks the listed task's group, time limit and due date, claims and completes it. */
  async complete([group, taskKey, variables]: TaskStep, businessKey: string, audit = false): Promise<void> {
    const user = this.t.userOf(group);
    if (audit) {
      for (const other of TEST_USERS.filter((u) => u.id !== 'admin')) {
        const keys = await this.openTaskKeys(other.id, businessKey);
        expect({ user: other.id, keys }).toEqual({ user: other.id, keys: (other.groups as readonly string[]).includes(group) ? [taskKey] : [] });
      }
    }
    const task = await this.taskFor(group, taskKey, businessKey);
    const timeLimit = this.timeLimit(task.processDefinitionKey, taskKey);
    const exactDue = this.table.due?.[taskKey];
    const due = exactDue !== undefined ? exactDue : timeLimit === 'not stated' ? null : expect.any(String);
    const listed = { task: taskKey, candidateGroups: task.candidateGroups, timeLimit: task.timeLimit, due: exactDue ? new Date(task.due).toISOString() : task.due };
    expect(listed).toEqual({ task: taskKey, candidateGroups: [group], timeLimit, due });
    if (audit) {
      const outsider = this.t.userOf(group === 'office' ? 'head' : 'office');
      expect((await this.t.call(outsider, 'POST', `/tasks/${task.id}/complete`, { variables })).status).toBe(403);
    }
    expect((await this.t.call(user, 'POST', `/tasks/${task.id}/claim`)).status).toBe(200);
    // What the step's form requires and the path leaves to the form (a resolution's text, the chosen specialist): generated.
    const detail = (await this.t.call(user, 'GET', `/tasks/${task.id}`)).body;
    variables = requiredValues(detail.formFields ?? [], variables);
    // A signing step is completed by its person's EDS over the draft, through the web app's endpoint.
    const done = detail.signs ? await signTask(this.t, this.t.simulators.ca, task.id, user) : await this.t.call(user, 'POST', `/tasks/${task.id}/complete`, { variables: variables ?? {} });
    expect({ task: taskKey, status: done.status, error: done.body?.error }).toEqual({ task: taskKey, status: 200, error: undefined });
    if (audit) expect((await this.t.call(user, 'POST', `/tasks/${task.id}/complete`, { variables: variables ?? {} })).status).toBe(409);
  }

  /** Waits at a timer event: the timer is pending as the step says, not due a minute early, fired at its time. */
  async fire(step: TimerStep, instanceId: string, businessKey: string): Promise<void> {
    if (!this.clock) throw new Error(`${this.key}: a timer step needs the table's manual clock`);
    const timers = (await pendingTimersOf(this.t, businessKey)).filter((x) => x.activityId === step.timer);
    expect(timers).toEqual([expect.objectContaining({ ...step.shows, state: 'pending' })]);
    const [timer] = timers;
    if (step.activeActivities) {
      const instance = (await this.t.call('admin', 'GET', `/process-instances/${instanceId}`)).body;
      expect(instance.activeActivities.map((a: { id: string }) => a.id)).toEqual(step.activeActivities);
    }
    this.clock.set(new Date(Date.parse(timer.dueAt) - 60_000));
    expect(await fireDueTimers(this.t)).not.toContain(timer.id);
    if (step.openWhileWaiting) expect(await this.openTaskKeys('admin', businessKey)).toEqual(step.openWhileWaiting);
    this.clock.set(new Date(timer.dueAt));
    expect(await fireDueTimers(this.t, timer.id)).toContain(timer.id);
  }

  async steps(steps: PathStep[], instanceId: string, businessKey: string, audit = false): Promise<void> {
    for (const step of steps) {
      if (isTimer(step)) await this.fire(step, instanceId, businessKey);
      else await this.complete(step, businessKey, audit);
    }
  }

  /** The end of a path: its outcome, variables, timers, no open task, and the audit's history. */
  async expectEnd(p: ReglamentPath, id: string, businessKey: string): Promise<void> {
    const instance = (await this.t.call('admin', 'GET', `/process-instances/${id}`)).body;
    expect({ path: p.name, state: instance.state, outcome: instance.outcome }).toEqual({ path: p.name, state: 'completed', outcome: p.outcome });
    expect(instance.variables).toMatchObject(p.variables ?? {});
    expect(await this.openTaskKeys('admin', businessKey)).toEqual([]);
    if (taskSteps(p.steps).length === 0) expect((await tasksOf(this.t, 'admin', businessKey, 'all')).items).toEqual([]);
    const history = p.audit || p.timersFired ? ((await this.t.call('admin', 'GET', `/process-instances/${id}/history`)).body as any[]) : [];
    if (p.signed) {
      const documents = (await this.t.call('admin', 'GET', `/process-instances/${id}/signatures`)).body as { taskDefinitionKey: string; kind: string; signed: boolean }[];
      expect({ path: p.name, signed: documents.map((d) => [d.taskDefinitionKey, d.kind, d.signed]) }).toEqual({ path: p.name, signed: p.signed.map(([task, kind]) => [task, kind, true]) });
    }
    await this.expectResultSignedBy(p, id, instance.variables);
    if (p.timersFired) expect(history.filter((h) => h.type === 'timer-fired').map((h) => h.activityId)).toEqual(p.timersFired);
    if (p.timersNotArmed) {
      const timers = (await this.t.call('admin', 'GET', `/timers?processInstanceId=${id}`)).body as any[];
      expect(timers.filter((x) => p.timersNotArmed!.includes(x.activityId))).toEqual([]);
    }
    if (p.audit) {
      expect(instance).toMatchObject({ businessKey, version: 1, activeActivities: [] });
      const steps = taskSteps(p.steps);
      const completed = history.filter((h) => h.type === 'task-completed');
      expect(completed.map((h) => h.activityId)).toEqual(steps.map((s) => s[1]));
      expect(completed.map((h) => h.user)).toEqual(steps.map((s) => this.t.userOf(s[0])));
      const ended = history.filter((h) => h.type === 'activity-end').map((h) => h.activityId);
      expect(new Set(ended).size).toBe(ended.length);
      expect(ended).toContain(p.outcome);
      expect(history[0].type).toBe('instance-started');
      expect(history[history.length - 1]).toMatchObject({ type: 'instance-completed', activityId: p.outcome });
    }
  }

  /**
   * Who signed the electronic result the recipient got (egov-result-delivery's resultDocument): the
   * person who signed the case's last document of the delivered kind at a signing step, exactly that
   * CMS; the provider's server key (a JSON result) only when no person signed a document of that kind.
   */
  async expectResultSignedBy(p: ReglamentPath, id: string, variables: Record<string, unknown>): Promise<void> {
    if (typeof variables.resultDocument !== 'string') return;
    const documents = (await this.t.call('admin', 'GET', `/process-instances/${id}/signatures`)).body as { id: string; kind: string; signed: boolean; cms: string | null }[];
    const person = documents.filter((d) => d.signed && d.kind === variables.resultKind).pop();
    const content = Buffer.from(parseCms(new Uint8Array(Buffer.from(variables.resultDocument, 'base64'))).content);
    if (!person) {
      expect({ path: p.name, resultKind: variables.resultKind, content: JSON.parse(content.toString('utf8')).kind }).toEqual({ path: p.name, resultKind: variables.resultKind, content: variables.resultKind });
      return;
    }
    const cms = await fetch(`${this.t.url}${person.cms}`, { headers: { authorization: `Bearer ${tokenOf('admin')}` } });
    expect({ path: p.name, personSigned: Buffer.from(await cms.arrayBuffer()).toString('base64') === variables.resultDocument }).toEqual({ path: p.name, personSigned: true });
  }

  async run(p: ReglamentPath, businessKey: string): Promise<void> {
    const { id } = await this.start(p, businessKey);
    await this.steps(p.steps, id, businessKey, p.audit);
    await this.expectEnd(p, id, businessKey);
  }

  expectEveryTaskOnAPath(): void {
    const userTasks = userTasksOf(this.key);
    expect(Object.keys(timeLimitsOf(this.key)).sort()).toEqual(userTasks);
    const driven = new Set(this.table.paths.flatMap((p) => taskSteps(p.steps).map((s) => s[1])));
    expect(userTasks.filter((task) => !driven.has(task))).toEqual([]);
  }

  /** At the table's forbidden point, every other group of the diagram neither lists, claims nor completes the task. */
  async expectOtherGroupsRefused(): Promise<void> {
    const businessKey = `${this.key}-groups`;
    const p = this.table.forbidden ? this.path(this.table.forbidden.path) : this.table.paths.find((x) => taskSteps(x.steps).length > 0)!;
    const after = this.table.forbidden?.after ?? 0;
    const { id } = await this.start(p, businessKey);
    await this.steps(p.steps.slice(0, after), id, businessKey);
    const [group, taskKey, variables] = p.steps[after] as TaskStep;
    const task = await this.taskFor(group, taskKey, businessKey);
    for (const other of groupsOfReglament(this.key).filter((g) => g !== group)) {
      const user = this.t.userOf(other);
      expect({ other, listed: await this.openTaskKeys(user, businessKey) }).toEqual({ other, listed: [] });
      expect({ other, claim: (await this.t.call(user, 'POST', `/tasks/${task.id}/claim`)).status }).toEqual({ other, claim: 403 });
      expect({ other, complete: (await this.t.call(user, 'POST', `/tasks/${task.id}/complete`, { variables: variables ?? {} })).status }).toEqual({ other, complete: 403 });
    }
    expect((await this.t.call('admin', 'GET', `/process-instances/${id}`)).body.state).toBe('running');
    await this.taskFor(group, taskKey, businessKey);
  }

  /** A completion the form refuses: 400 naming exactly `fields`, and the task stays open. */
  async expectCompletionRefused(group: string, task: { id: string }, variables: Record<string, unknown>, fields: string[]): Promise<void> {
    const answer = await this.t.call(this.t.userOf(group), 'POST', `/tasks/${task.id}/complete`, { variables });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.fields).toEqual(fields.map((field) => expect.objectContaining({ field })));
    expect((await this.t.call(this.t.userOf(group), 'GET', `/tasks/${task.id}`)).body.state).toBe('open');
  }

  /** A start the form refuses: 400 VALIDATION_FAILED naming exactly `fields` (in any order). */
  async expectStartRefused(variables: Record<string, unknown>, fields: string[]): Promise<void> {
    const answer = await this.t.call(this.t.userOf('office'), 'POST', `/process-definitions/${this.key}/start`, { variables });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    expect(answer.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([...fields].sort());
  }

  /** The first decision of `group` on the path refuses a completion without values (a 4xx) and stays listed. */
  async expectEmptyDecisionRefused(p: ReglamentPath, group: string, businessKey: string): Promise<void> {
    const { id } = await this.start(p, businessKey);
    const at = p.steps.findIndex((s) => !isTimer(s) && s[0] === group);
    await this.steps(p.steps.slice(0, at), id, businessKey);
    const [, taskKey] = p.steps[at] as TaskStep;
    const task = await this.taskFor(group, taskKey, businessKey);
    expect((await this.t.call(this.t.userOf(group), 'POST', `/tasks/${task.id}/claim`)).status).toBe(200);
    const answer = await this.t.call(this.t.userOf(group), 'POST', `/tasks/${task.id}/complete`, { variables: {} });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    await this.taskFor(group, taskKey, businessKey);
  }
}

/**
 * One describe per table: every path, the fixture check, the other-groups check, then the
 * reglament's special tests (given the runner, whose host exists once the tests run).
 */
export function describeReglament(table: ReglamentTable, special?: (runner: PathRunner) => void): void {
  describe(`${table.key} through the HTTP API`, () => {
    const runner = new PathRunner(table);
    beforeAll(() => runner.open());
    afterAll(() => runner.close());
    if (table.clockStart) beforeEach(() => runner.clock!.set(table.clockStart!));

    it.each(table.paths)('$name', (p) => runner.run(p, `${table.key}-${table.paths.indexOf(p)}`));
    it('every user task of the diagram has a fixture entry and is on some path', () => runner.expectEveryTaskOnAPath());
    it("another group's user neither sees nor completes a task (403)", () => runner.expectOtherGroupsRefused());
    special?.(runner);
  });
}
