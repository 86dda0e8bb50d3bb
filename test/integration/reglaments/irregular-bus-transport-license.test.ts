import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../../src/runtime/clock';
import { startTestHost, TestHost } from '../../support/test-host';

/*
 * Licence for irregular intercity, interdistrict and international and regular international passenger transport by buses and minibuses (Annex 2 of Atyrau oblast akimat resolution No 307).
 * Seed 004_b8dcda2f6044580b.txt. Drives every path of processes/irregular-bus-transport-license.bpmn through the HTTP API: both channels the
 * act names (the State corporation = functional interaction diagram No 1, shared flows state-corporation-intake and
 * state-corporation-result-issuance with scProcedure = courier; the portal = diagram No 2, egov-portal-intake without
 * payment and egov-result-delivery), the three variants (issue of the licence, re-issue, duplicate: step 4 takes 14 / 2 / 1 working days),
 * the result and the motivated refusal (condition 3) on each channel, and
 * every error boundary of the shared IS flows. At each user task the task must be listed for its group's user with the
 * time limit of the fixture transcribed from the seed, then it is claimed and completed with its form variables; at the
 * end the instance's outcome is the end event's id.
 */
const KEY = 'irregular-bus-transport-license';
const FIXTURE: Record<string, { timeLimit: string }> = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, `../../fixtures/time-limits/${KEY}.json`), 'utf8'),
);
/** User tasks of the shared State corporation flows called with scProcedure = courier (their own diagrams carry the limits). */
const SHARED_TASKS: Record<string, { timeLimit: string }> = {
  'accept-documents': { timeLimit: '15 minutes' }, // state-corporation-intake, process 1
  'hand-over': { timeLimit: '5 minutes' }, // process 2
  'send-by-courier': { timeLimit: '3 hours' }, // process 3
  'mark-barcode': { timeLimit: '30 minutes' }, // state-corporation-result-issuance, process 5
  'issue-result': { timeLimit: '30 minutes' }, // process 6
  'return-to-provider': { timeLimit: 'not stated' }, // after one month in storage
};

type Step = [group: string, taskKey: string, variables?: Record<string, unknown>];
interface PathSpec {
  name: string;
  channel: 'state-corporation' | 'portal';
  variant?: 'issue' | 'reissue' | 'duplicate';
  applicant?: { kind?: 'individual' | 'legal-entity'; portalUser?: boolean; certificate?: string };
  steps: Step[];
  outcome: string;
  /** Variables the instance must end with. */
  expectVariables?: string[];
}

const GROUPS = ['office', 'head', 'department-head', 'specialist', 'provider-courier'];

/** Diagram No 1, processes 1-3 (state-corporation-intake, courier). */
const SC_INTAKE: Step[] = [
  ['state-corporation', 'accept-documents', { documentsComplete: true }],
  ['state-corporation', 'hand-over'],
  ['state-corporation-accumulation', 'send-by-courier'],
];
/** Steps 1-3 of pt. 5. */
const ROUTING: Step[] = [
  ['office', 'register-application'],
  ['head', 'head-review'],
  ['department-head', 'department-head-review'],
];
const MET = { requirementsMet: true };
const NOT_MET = { requirementsMet: false, refusalReason: 'Стандарттың 10-тармағы' };
/** Step 6 and the provider's courier, then diagram No 1 processes 5-6 (state-corporation-result-issuance, courier). */
const SC_RESULT: Step[] = [
  ['office', 'send-result'],
  ['provider-courier', 'courier-delivery'],
  ['state-corporation-accumulation', 'mark-barcode'],
  ['state-corporation-issuing', 'issue-result'],
];
const SIGN: Step = ['head', 'sign-result'];
const ISSUED = ['licenceNumber'];
const REFUSED = ['refusalNumber', 'refusalReason'];
const ELECTRONIC = ['elicenseRequestNumber', 'resultDocument', 'notificationId', 'edsSubject'];

const PATHS: PathSpec[] = [
  {
    name: 'State corporation, issue of the licence (14 working days) -> licence issued at the State corporation',
    channel: 'state-corporation',
    variant: 'issue',
    steps: [...SC_INTAKE, ...ROUTING, ['specialist', 'check-issue', MET], SIGN, ...SC_RESULT],
    outcome: 'licence-issued',
    expectVariables: [...ISSUED, 'scReceiptNumber'],
  },
  {
    name: 'State corporation, duplicate (1 working day) -> duplicate issued at the State corporation',
    channel: 'state-corporation',
    variant: 'duplicate',
    applicant: { kind: 'legal-entity' },
    steps: [...SC_INTAKE, ...ROUTING, ['specialist', 'check-duplicate', MET], SIGN, ...SC_RESULT],
    outcome: 'licence-issued',
    expectVariables: [...ISSUED, 'scReceiptNumber'],
  },
  {
    name: 'State corporation, re-issue (2 working days), requirements not met (condition 3) -> motivated refusal at the State corporation',
    channel: 'state-corporation',
    variant: 'reissue',
    steps: [...SC_INTAKE, ...ROUTING, ['specialist', 'check-reissue', NOT_MET], SIGN, ...SC_RESULT],
    outcome: 'refused-requirements-not-met',
    expectVariables: [...REFUSED, 'scReceiptNumber'],
  },
  {
    name: 'portal (diagram No 2), re-issue -> licence in the personal cabinet (process 7), no office step 6',
    channel: 'portal',
    variant: 'reissue',
    applicant: { kind: 'legal-entity' },
    steps: [...ROUTING, ['specialist', 'check-reissue', MET], SIGN],
    outcome: 'licence-issued',
    expectVariables: [...ISSUED, ...ELECTRONIC],
  },
  {
    name: 'portal, issue of the licence, requirements not met (condition 3, process 6) -> refusal in the personal cabinet',
    channel: 'portal',
    variant: 'issue',
    steps: [...ROUTING, ['specialist', 'check-issue', NOT_MET], SIGN],
    outcome: 'refused-requirements-not-met',
    expectVariables: [...REFUSED, ...ELECTRONIC],
  },
  {
    name: 'portal, duplicate -> licence duplicate in the personal cabinet',
    channel: 'portal',
    variant: 'duplicate',
    steps: [...ROUTING, ['specialist', 'check-duplicate', MET], SIGN],
    outcome: 'licence-issued',
    expectVariables: [...ISSUED, ...ELECTRONIC],
  },
  { name: 'portal: authorization refused (condition 1, process 2)', channel: 'portal', variant: 'issue', applicant: { portalUser: false }, steps: [], outcome: 'refused-authorization' },
  { name: 'portal: EDS not confirmed (condition 2, process 4)', channel: 'portal', variant: 'issue', applicant: { certificate: 'revoked' }, steps: [], outcome: 'refused-eds-not-confirmed' },
  {
    name: 'State corporation: incomplete set of documents, application not accepted (diagram No 1, process 1)',
    channel: 'state-corporation',
    variant: 'reissue',
    steps: [['state-corporation', 'accept-documents', { documentsComplete: false }]],
    outcome: 'refused-sc-documents-incomplete',
  },
];

describe(`${KEY} through the HTTP API`, () => {
  let t: TestHost;
  // The host's clock, moved on only by the storage-timer test (the last of the file).
  const clock = new ManualClock(new Date());
  beforeAll(async () => {
    t = await startTestHost({ clock });
  });
  afterAll(() => t.close());

  async function start(p: PathSpec, businessKey: string): Promise<string> {
    const applicant = await t.sim.prepareApplicant({
      kind: 'individual',
      portalUser: true,
      paid: false,
      certificate: 'valid',
      inStateDatabase: true,
      ...p.applicant,
      processKey: KEY,
    } as any);
    const variables: Record<string, unknown> = { ...applicant, channel: p.channel };
    if (p.variant) variables.variant = p.variant;
    const starter = p.channel === 'state-corporation' ? t.userOf('state-corporation') : t.userOf('office');
    const started = await t.call(starter, 'POST', `/process-definitions/${KEY}/start`, { businessKey, variables });
    expect(started.status).toBe(201);
    return started.body.id;
  }

  async function openTasks(user: string, businessKey: string): Promise<any[]> {
    const res = await t.call(user, 'GET', `/tasks?businessKey=${encodeURIComponent(businessKey)}`);
    expect(res.status).toBe(200);
    return res.body.items;
  }

  async function complete(group: string, taskKey: string, businessKey: string, variables: Record<string, unknown> = {}) {
    const user = t.userOf(group);
    const items = await openTasks(user, businessKey);
    expect(items.map((x) => x.taskDefinitionKey)).toEqual([taskKey]);
    const task = items[0];
    expect(task.candidateGroups).toEqual([group]);
    const timeLimit = (FIXTURE[taskKey] ?? SHARED_TASKS[taskKey]).timeLimit;
    expect(task.timeLimit).toBe(timeLimit);
    if (timeLimit === 'not stated') expect(task.due).toBeNull();
    else expect(task.due).not.toBeNull();
    expect((await t.call(user, 'POST', `/tasks/${task.id}/claim`)).status).toBe(200);
    const done = await t.call(user, 'POST', `/tasks/${task.id}/complete`, { variables });
    expect(done.status).toBe(200);
  }

  it.each(PATHS)('$name', async (p) => {
    const businessKey = `${KEY}-${PATHS.indexOf(p)}`;
    const id = await start(p, businessKey);
    for (const [group, taskKey, variables] of p.steps) await complete(group, taskKey, businessKey, variables);
    const instance = (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
    expect(instance).toMatchObject({ state: 'completed', outcome: p.outcome });
    for (const name of p.expectVariables ?? []) expect({ name, value: instance.variables[name] }).toEqual({ name, value: expect.anything() });
    expect(await openTasks('admin', businessKey)).toEqual([]);
  });

  it('every user task of the diagram has a fixture entry and is on some path', () => {
    const xml = fs.readFileSync(path.resolve(__dirname, `../../../processes/${KEY}.bpmn`), 'utf8');
    const userTasks = [...xml.matchAll(/<bpmn:userTask id="([^"]+)"/g)].map((m) => m[1]).sort();
    expect(Object.keys(FIXTURE).sort()).toEqual(userTasks);
    const driven = new Set(PATHS.flatMap((p) => p.steps.map((s) => s[1])));
    for (const task of userTasks) expect(driven.has(task)).toBe(true);
  });

  it('step 4 rejects a completion without the decision of condition 3 (form validation)', async () => {
    const businessKey = `${KEY}-form`;
    await start(PATHS[0], businessKey);
    const steps = PATHS[0].steps;
    const check = steps.findIndex(([group]) => group === 'specialist');
    for (const [group, taskKey, variables] of steps.slice(0, check)) await complete(group, taskKey, businessKey, variables);
    const [, taskKey] = steps[check];
    const task = (await openTasks(t.userOf('specialist'), businessKey))[0];
    expect(task.taskDefinitionKey).toBe(taskKey);
    expect((await t.call(t.userOf('specialist'), 'POST', `/tasks/${task.id}/claim`)).status).toBe(200);
    const bad = await t.call(t.userOf('specialist'), 'POST', `/tasks/${task.id}/complete`, { variables: {} });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect((await openTasks(t.userOf('specialist'), businessKey)).map((x) => x.taskDefinitionKey)).toEqual([taskKey]);
  });

  it("another group's user neither sees nor completes a task (403)", async () => {
    const businessKey = `${KEY}-groups`;
    const p = PATHS.find((x) => x.channel === 'portal' && x.steps.length > 0)!;
    const id = await start(p, businessKey);
    const [group, taskKey] = p.steps[0];
    const owner = t.userOf(group);
    const task = (await openTasks(owner, businessKey))[0];
    expect(task.taskDefinitionKey).toBe(taskKey);
    for (const other of GROUPS.filter((g) => g !== group)) {
      expect(await openTasks(t.userOf(other), businessKey)).toEqual([]);
      expect((await t.call(t.userOf(other), 'POST', `/tasks/${task.id}/claim`)).status).toBe(403);
      expect((await t.call(t.userOf(other), 'POST', `/tasks/${task.id}/complete`, { variables: {} })).status).toBe(403);
    }
    expect((await t.call('admin', 'GET', `/process-instances/${id}`)).body.state).toBe('running');
    expect((await openTasks(owner, businessKey)).map((x) => x.taskDefinitionKey)).toEqual([taskKey]);
  });
  it('State corporation, the result is not collected within one month -> returned to the provider (P1M storage timer)', async () => {
    const p = PATHS[0];
    const businessKey = `${KEY}-returned`;
    const id = await start(p, businessKey);
    const steps = p.steps.slice(0, -1);
    expect(p.steps[p.steps.length - 1][1]).toBe('issue-result');
    for (const [group, taskKey, variables] of steps) await complete(group, taskKey, businessKey, variables);
    const issuance = (await t.call('admin', 'GET', `/process-instances?businessKey=${businessKey}&processDefinitionKey=state-corporation-result-issuance`)).body.items[0];
    const [timer] = (await t.call('admin', 'GET', `/timers?processInstanceId=${issuance.id}&kind=event`)).body;
    expect(timer).toMatchObject({ activityId: 'storage-expired', timerValue: 'P1M', state: 'pending' });
    clock.set(new Date(timer.dueAt));
    // Older timers (the legal limits of earlier tests' open tasks) fire first; fire until this one has.
    for (let round = 0; round < 20; round++) {
      const fired = (await t.call('admin', 'POST', '/timers/fire-due')).body.fired as string[];
      if (fired.includes(timer.id) || fired.length === 0) break;
    }
    await complete('state-corporation-issuing', 'return-to-provider', businessKey);
    const instance = (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
    expect(instance).toMatchObject({ state: 'completed', outcome: 'result-returned-to-provider' });
    expect(await openTasks('admin', businessKey)).toEqual([]);
  });
});
