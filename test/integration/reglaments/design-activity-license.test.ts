import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../../src/runtime/clock';
import { startTestHost, TestHost } from '../../support/test-host';

/*
 * design-activity-license (seed 003_eded1d01d0e55d57.txt, annex 1) through the HTTP API: every path of the
 * diagram - the portal's two refusals (error boundaries of egov-portal-intake), the written refusal
 * of further consideration for incomplete documents (condition 3, first part), each case of step 3
 * (group A: issue and three re-registration cases, 4 working days; group B: three re-registration
 * cases, 2 working days), the motivated refusal under para. 10 of the Standard from either group
 * (condition 3, second part), the licence and the re-registered licence. The three licence reglaments
 * of the act (design-activity-license, survey-activity-license, construction-installation-license)
 * share this template.
 */
const KEY = 'design-activity-license';
const LIMITS: Record<string, { timeLimit: string }> = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../fixtures/time-limits/design-activity-license.json'), 'utf8'),
);
/** Monday 2 March 2026, 10:00 in Kazakhstan (UTC+5): a plain working week (office hours 09:00-18:00). */
const START = new Date('2026-03-02T05:00:00Z');
/** Due dates from START by the calendar: working time for minutes/hours, closing time 18:00 (13:00Z) for days. */
const DUE: Record<string, string | null> = {
  'accept-documents': '2026-03-02T05:15:00.000Z', // 15 minutes
  'review-documents': '2026-03-02T06:00:00.000Z', // 1 hour
  'check-completeness': '2026-03-02T13:00:00.000Z', // 1 working day: the acceptance day
  'prepare-licence': '2026-03-06T13:00:00.000Z', // 4 working days, from next day: Tue-Fri
  'prepare-reissued-licence': '2026-03-04T13:00:00.000Z', // 2 working days, from next day: Tue-Wed
  'sign-refusal-incomplete': null, // not stated
  'sign-result': null, // not stated
};

const GROUP_A = ['issue', 'reissue-spin-off', 'reissue-division', 'reissue-category'] as const;
const GROUP_B = ['reissue-individual-name', 'reissue-entrepreneur', 'reissue-legal-entity-name-location'] as const;

type Step = [group: string, taskKey: string, variables?: Record<string, unknown>];

const INTAKE: Step[] = [
  ['office', 'accept-documents'],
  ['head', 'review-documents'],
  ['specialist', 'check-completeness', { documentsComplete: true }],
];
const prepareTask = (variant: string) => ((GROUP_B as readonly string[]).includes(variant) ? 'prepare-reissued-licence' : 'prepare-licence');

describe(`${KEY} through the HTTP API`, () => {
  let t: TestHost;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(START);
    t = await startTestHost({ clock });
  });
  afterAll(() => t.close());
  beforeEach(() => clock.set(START));

  async function applicant(options: { portalUser?: boolean; certificate?: 'valid' | 'expired' | 'revoked' | 'other-iin' | 'none' } = {}) {
    const { applicantKind: _kind, ...declared } = await t.sim.prepareApplicant({
      kind: 'legal-entity',
      portalUser: options.portalUser ?? true,
      paid: true,
      processKey: KEY,
      certificate: options.certificate ?? 'valid',
      inStateDatabase: true,
    });
    // The start form asks only for the applicant's IIN/BIN, name and signed request: a start may send nothing else.
    return declared;
  }

  async function start(variables: Record<string, unknown>, variant = 'issue'): Promise<string> {
    const started = await t.call(t.userOf('office'), 'POST', `/process-definitions/${KEY}/start`, { variables: { ...variables, variant, channel: 'portal' } });
    expect(started.status).toBe(201);
    return started.body.id;
  }

  /** Lists the step's task as its group's user (with the seed's time limit and its due date), claims and completes it. */
  async function drive(id: string, steps: Step[]): Promise<void> {
    for (const [group, taskKey, variables] of steps) {
      const user = t.userOf(group);
      const listed = await t.call(user, 'GET', `/tasks?processInstanceId=${id}`);
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((x: any) => x.taskDefinitionKey)).toEqual([taskKey]);
      const task = listed.body.items[0];
      expect(task).toMatchObject({ candidateGroups: [group], timeLimit: LIMITS[taskKey].timeLimit });
      if (DUE[taskKey] === null) expect(task.due).toBeNull();
      else expect(new Date(task.due).toISOString()).toBe(DUE[taskKey]);
      expect((await t.call(user, 'POST', `/tasks/${task.id}/claim`)).status).toBe(200);
      const done = await t.call(user, 'POST', `/tasks/${task.id}/complete`, { variables: variables ?? {} });
      expect(done.status).toBe(200);
    }
  }

  async function instance(id: string) {
    return (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
  }

  it('portal: licence issued (group A, 4 working days)', async () => {
    const id = await start(await applicant(), 'issue');
    await drive(id, [...INTAKE, ['specialist', 'prepare-licence', { refusalGroundsFound: false }], ['head', 'sign-result']]);
    const done = await instance(id);
    expect(done).toMatchObject({ state: 'completed', outcome: 'licence-issued' });
    expect(done.variables).toMatchObject({ variant: 'issue', decision: 'issued', resultKind: 'licence' });
    expect(done.variables.elicenseRequestNumber).toEqual(expect.any(String));
    expect(done.variables.licenceNumber).toEqual(expect.any(String));
    expect(done.variables.resultDocument).toEqual(expect.any(String));
  });

  it.each([...GROUP_A.slice(1), ...GROUP_B])('portal: licence re-registered, case %s', async (variant) => {
    const id = await start(await applicant(), variant);
    await drive(id, [...INTAKE, ['specialist', prepareTask(variant), { refusalGroundsFound: false }], ['head', 'sign-result']]);
    const done = await instance(id);
    expect(done).toMatchObject({ state: 'completed', outcome: 'licence-reissued' });
    expect(done.variables).toMatchObject({ variant, decision: 'issued', resultKind: 'licence' });
    expect(done.variables.resultDocument).toEqual(expect.any(String));
  });

  it.each(['issue', 'reissue-entrepreneur'])('portal: motivated refusal under para. 10 of the Standard, case %s (condition 3 -> process 6)', async (variant) => {
    const id = await start(await applicant(), variant);
    await drive(id, [
      ...INTAKE,
      ['specialist', prepareTask(variant), { refusalGroundsFound: true, refusalReason: 'Біліктілік талаптарына сәйкес келмейді' }],
      ['head', 'sign-result'],
    ]);
    const done = await instance(id);
    expect(done).toMatchObject({ state: 'completed', outcome: 'refused-standard-grounds' });
    expect(done.variables).toMatchObject({ decision: 'refused', resultKind: 'refusal', refusalReason: 'Біліктілік талаптарына сәйкес келмейді' });
  });

  it('portal: documents incomplete -> written refusal of further consideration, signed by the head (condition 3 -> process 6)', async () => {
    const id = await start(await applicant(), 'reissue-category');
    await drive(id, [
      ['office', 'accept-documents'],
      ['head', 'review-documents'],
      ['specialist', 'check-completeness', { documentsComplete: false, refusalReason: 'Стандарттың 9-тармағындағы құжаттар толық емес' }],
      ['head', 'sign-refusal-incomplete'],
    ]);
    const done = await instance(id);
    expect(done).toMatchObject({ state: 'completed', outcome: 'refused-incomplete-documents' });
    expect(done.variables).toMatchObject({ documentsComplete: false, decision: 'refused', resultKind: 'refusal' });
  });

  it('portal: authorization refused (condition 1 -> process 2, error boundary AUTHORIZATION_REFUSED)', async () => {
    const id = await start(await applicant({ portalUser: false }));
    expect(await instance(id)).toMatchObject({ state: 'completed', outcome: 'refused-authorization' });
    expect((await t.call('admin', 'GET', `/tasks?processInstanceId=${id}&state=all`)).body.items).toEqual([]);
  });

  it.each(['expired', 'revoked', 'other-iin', 'none'] as const)('portal: EDS not confirmed, certificate %s (condition 2 -> process 4)', async (certificate) => {
    const id = await start(await applicant({ certificate }));
    expect(await instance(id)).toMatchObject({ state: 'completed', outcome: 'refused-eds-not-confirmed' });
    expect((await t.call('admin', 'GET', `/tasks?processInstanceId=${id}&state=all`)).body.items).toEqual([]);
  });

  it("another group's user neither sees nor completes a task; the forms are validated", async () => {
    const id = await start(await applicant(), 'reissue-legal-entity-name-location');
    await drive(id, [['office', 'accept-documents'], ['head', 'review-documents']]);
    const check = (await t.call(t.userOf('specialist'), 'GET', `/tasks?processInstanceId=${id}`)).body.items[0];
    expect(check.taskDefinitionKey).toBe('check-completeness');
    for (const group of ['office', 'head']) {
      expect((await t.call(t.userOf(group), 'GET', `/tasks?processInstanceId=${id}`)).body.items).toEqual([]);
      expect((await t.call(t.userOf(group), 'POST', `/tasks/${check.id}/complete`, { variables: { documentsComplete: true } })).status).toBe(403);
    }
    const missing = await t.call(t.userOf('specialist'), 'POST', `/tasks/${check.id}/complete`, { variables: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields).toEqual([expect.objectContaining({ field: 'documentsComplete' })]);
    expect((await t.call(t.userOf('specialist'), 'GET', `/tasks/${check.id}`)).body.state).toBe('open');
    await drive(id, [['specialist', 'check-completeness', { documentsComplete: true }]]);
    const prepare = (await t.call(t.userOf('specialist'), 'GET', `/tasks?processInstanceId=${id}`)).body.items[0];
    expect(prepare.taskDefinitionKey).toBe('prepare-reissued-licence');
    const bad = await t.call(t.userOf('specialist'), 'POST', `/tasks/${prepare.id}/complete`, { variables: { refusalGroundsFound: 'жоқ' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields).toEqual([expect.objectContaining({ field: 'refusalGroundsFound' })]);
    expect((await t.call(t.userOf('head'), 'POST', `/tasks/${prepare.id}/complete`, { variables: { refusalGroundsFound: false } })).status).toBe(403);
  });

  it('rejects a start with a malformed IIN/BIN, a channel the reglament does not name or an unknown case', async () => {
    const bad = await t.call(t.userOf('office'), 'POST', `/process-definitions/${KEY}/start`, {
      variables: { channel: 'state-corporation', variant: 'duplicate', applicantName: 'ЖШС «Құрылыс Жоба»', applicantIinBin: '14054001' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.map((f: any) => f.field).sort()).toEqual(['applicantIinBin', 'channel', 'variant']);
  });
});
