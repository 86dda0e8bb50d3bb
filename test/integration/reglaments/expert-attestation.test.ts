import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../../src/runtime/clock';
import { startTestHost, TestHost } from '../../support/test-host';

/*
 * expert-attestation (seed 003_eded1d01d0e55d57.txt, annex 4) through the HTTP API: every path of the
 * diagram - the portal's two refusals (error boundaries of egov-portal-intake), the refusal before
 * testing (step 3), the wait for the scheduled testing (timer on ${testDate}, fired through
 * POST /timers/fire-due with the host clock moved), the refusal after testing and the attestat.
 */
const KEY = 'expert-attestation';
const LIMITS: Record<string, { timeLimit: string }> = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../fixtures/time-limits/expert-attestation.json'), 'utf8'),
);
/** Monday 2 March 2026, 10:00 in Kazakhstan (UTC+5): inside office hours. */
const START = new Date('2026-03-02T05:00:00Z');
/**
 * The scheduled testing, 10:00 local time some 90 days ahead. Ahead of the real clock as well as the
 * host's: the engine (bpmn-elements) compares a timeDate with the real time and completes a timer
 * event at once when that date has passed, before the host could store it.
 */
const TEST_DATE = (() => {
  const at = new Date(Math.max(Date.now(), START.getTime()) + 90 * 24 * 3600 * 1000);
  at.setUTCHours(5, 0, 0, 0);
  return at.toISOString();
})();

type Step = [group: string, taskKey: string, variables?: Record<string, unknown>];

const INTAKE: Step[] = [
  ['office', 'accept-documents'],
  ['head', 'review-documents'],
];
const ADMITTED: Step[] = [
  ...INTAKE,
  ['specialist', 'form-test-schedule', { admittedToTesting: true, testDate: TEST_DATE, testPlace: 'Ақтөбе қ., Әбілқайыр хан д-лы, 40, 305-кабинет' }],
  ['head', 'sign-schedule-or-refusal'],
  ['specialist', 'give-notification-or-refusal'],
];

describe(`${KEY} through the HTTP API`, () => {
  let t: TestHost;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(START);
    t = await startTestHost({ clock });
  });
  afterAll(() => t.close());

  async function applicant(options: { portalUser?: boolean; certificate?: 'valid' | 'expired' | 'revoked' | 'other-iin' | 'none' } = {}) {
    const { applicantKind: _kind, ...declared } = await t.sim.prepareApplicant({
      kind: 'individual',
      portalUser: options.portalUser ?? true,
      paid: true,
      processKey: KEY,
      certificate: options.certificate ?? 'valid',
      inStateDatabase: true,
    });
    // The start form asks only for the applicant's IIN/BIN, name and signed request: a start may send nothing else.
    return declared;
  }

  async function start(variables: Record<string, unknown>): Promise<string> {
    const started = await t.call(t.userOf('office'), 'POST', `/process-definitions/${KEY}/start`, { variables: { ...variables, channel: 'portal' } });
    expect(started.status).toBe(201);
    return started.body.id;
  }

  /** Lists the step's task as its group's user (with the seed's time limit), claims and completes it. */
  async function drive(id: string, steps: Step[]): Promise<void> {
    for (const [group, taskKey, variables] of steps) {
      const user = t.userOf(group);
      const listed = await t.call(user, 'GET', `/tasks?processInstanceId=${id}`);
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((x: any) => x.taskDefinitionKey)).toEqual([taskKey]);
      const task = listed.body.items[0];
      expect(task).toMatchObject({ candidateGroups: [group], timeLimit: LIMITS[taskKey].timeLimit });
      if (LIMITS[taskKey].timeLimit === 'not stated') expect(task.due).toBeNull();
      else expect(task.due).toEqual(expect.any(String));
      expect((await t.call(user, 'POST', `/tasks/${task.id}/claim`)).status).toBe(200);
      const done = await t.call(user, 'POST', `/tasks/${task.id}/complete`, { variables: variables ?? {} });
      expect(done.status).toBe(200);
    }
  }

  async function instance(id: string) {
    return (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
  }

  /** Fires the testing timer: nothing before the scheduled time, exactly it at that time. */
  async function reachTestDate(id: string): Promise<void> {
    const timers = ((await t.call('admin', 'GET', `/timers?processInstanceId=${id}&state=pending`)).body as any[]).filter((x) => x.activityId === 'testing-time-reached');
    expect(timers).toEqual([expect.objectContaining({ timerType: 'timeDate', state: 'pending', dueAt: TEST_DATE })]);
    expect((await instance(id)).activeActivities.map((a: any) => a.id)).toEqual(['testing-time-reached']);
    clock.set(new Date(Date.parse(TEST_DATE) - 60_000));
    expect((await t.call('admin', 'POST', '/timers/fire-due')).body.fired).not.toContain(timers[0].id);
    expect((await t.call(t.userOf('specialist'), 'GET', `/tasks?processInstanceId=${id}`)).body.items).toEqual([]);
    clock.set(new Date(TEST_DATE));
    expect((await t.call('admin', 'POST', '/timers/fire-due')).body.fired).toContain(timers[0].id);
  }

  beforeEach(() => clock.set(START));

  it('portal: attestat issued after the testing at the scheduled date', async () => {
    const id = await start(await applicant());
    await drive(id, ADMITTED);
    await reachTestDate(id);
    await drive(id, [
      ['specialist', 'conduct-testing', { testPassed: true }],
      ['specialist', 'prepare-attestat-or-refusal'],
      ['head', 'sign-attestat-or-refusal'],
    ]);
    const done = await instance(id);
    expect(done).toMatchObject({ state: 'completed', outcome: 'attestat-issued' });
    expect(done.variables).toMatchObject({ testDate: TEST_DATE, decision: 'issued', resultKind: 'attestat' });
    expect(done.variables.elicenseRequestNumber).toEqual(expect.any(String));
    expect(done.variables.resultDocument).toEqual(expect.any(String));
    const history = (await t.call('admin', 'GET', `/process-instances/${id}/history`)).body as any[];
    expect(history.filter((h) => h.type === 'timer-fired').map((h) => h.activityId)).toEqual(['testing-time-reached']);
  });

  it('portal: refused after the testing (step 7-8 motivated refusal)', async () => {
    const id = await start(await applicant());
    await drive(id, ADMITTED);
    await reachTestDate(id);
    await drive(id, [
      ['specialist', 'conduct-testing', { testPassed: false }],
      ['specialist', 'prepare-attestat-or-refusal', { refusalReason: 'Тестілеуден өтпеді' }],
      ['head', 'sign-attestat-or-refusal'],
    ]);
    const done = await instance(id);
    expect(done).toMatchObject({ state: 'completed', outcome: 'refused-after-testing' });
    expect(done.variables).toMatchObject({ decision: 'refused', resultKind: 'refusal' });
  });

  it('portal: refused before testing (step 3, portal condition 3 -> process 6)', async () => {
    const id = await start(await applicant());
    await drive(id, [
      ...INTAKE,
      ['specialist', 'form-test-schedule', { admittedToTesting: false, refusalReason: 'Стандарттың 9-тармағындағы құжаттар толық емес' }],
      ['head', 'sign-schedule-or-refusal'],
      ['specialist', 'give-notification-or-refusal'],
    ]);
    const done = await instance(id);
    expect(done).toMatchObject({ state: 'completed', outcome: 'refused-before-testing' });
    expect(done.variables).toMatchObject({ decision: 'refused', resultKind: 'refusal' });
    const timers = (await t.call('admin', 'GET', `/timers?processInstanceId=${id}`)).body as any[];
    expect(timers.filter((x) => x.activityId === 'testing-time-reached')).toEqual([]);
  });

  it('portal: authorization refused (condition 1 -> process 2, error boundary AUTHORIZATION_REFUSED)', async () => {
    const id = await start(await applicant({ portalUser: false }));
    const done = await instance(id);
    expect(done).toMatchObject({ state: 'completed', outcome: 'refused-authorization' });
    expect((await t.call('admin', 'GET', `/tasks?processInstanceId=${id}&state=all`)).body.items).toEqual([]);
  });

  it.each(['expired', 'revoked', 'other-iin', 'none'] as const)('portal: EDS not confirmed, certificate %s (condition 2 -> process 4)', async (certificate) => {
    const id = await start(await applicant({ certificate }));
    const done = await instance(id);
    expect(done).toMatchObject({ state: 'completed', outcome: 'refused-eds-not-confirmed' });
    expect((await t.call('admin', 'GET', `/tasks?processInstanceId=${id}&state=all`)).body.items).toEqual([]);
  });

  it("another group's user neither sees nor completes a task; the schedule form is validated", async () => {
    const id = await start(await applicant());
    await drive(id, INTAKE);
    const task = (await t.call(t.userOf('specialist'), 'GET', `/tasks?processInstanceId=${id}`)).body.items[0];
    expect(task.taskDefinitionKey).toBe('form-test-schedule');
    for (const group of ['office', 'head']) {
      expect((await t.call(t.userOf(group), 'GET', `/tasks?processInstanceId=${id}`)).body.items).toEqual([]);
      expect((await t.call(t.userOf(group), 'POST', `/tasks/${task.id}/complete`, { variables: { admittedToTesting: true, testDate: TEST_DATE } })).status).toBe(403);
    }
    const missing = await t.call(t.userOf('specialist'), 'POST', `/tasks/${task.id}/complete`, { variables: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields).toEqual([expect.objectContaining({ field: 'admittedToTesting' })]);
    const badDate = await t.call(t.userOf('specialist'), 'POST', `/tasks/${task.id}/complete`, { variables: { admittedToTesting: true, testDate: 'келесі жұма' } });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.details.fields).toEqual([expect.objectContaining({ field: 'testDate' })]);
    expect((await t.call(t.userOf('specialist'), 'GET', `/tasks/${task.id}`)).body.state).toBe('open');
  });
});
