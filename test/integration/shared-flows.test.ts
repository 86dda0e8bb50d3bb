import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../src/clock';
import { startTestHost, TestHost } from '../support/test-host';

/*
 * The shared information-system flows, each driven with the parameters a calling reglament passes,
 * so that every path of each is shown to work whichever reglament uses it. No user starts a shared
 * flow (camunda:isStartableInTasklist="false", see startable.test.ts): a test-only caller,
 * test/fixtures/processes/shared-flows/shared-flow-caller.bpmn, calls the flow its start form names
 * through a call activity, mapping its form fields onto the flow's parameters as a reglament's
 * camunda:in mappings do. The assertions are on the called instance. The outcome of a refusal is the
 * error end event (its BPMN error reaches the caller, see timers-and-errors.test.ts for the propagation).
 */
const DAY = 24 * 3600 * 1000;
const CALLER = 'test-shared-flow-caller';
const CALLER_FILE = path.resolve(__dirname, '../fixtures/processes/shared-flows/shared-flow-caller.bpmn');
/** A flow's parameter -> the caller's start form field mapped onto it (camunda:in source). */
const PARAMETER_FIELDS: Record<string, string> = { paymentRequired: 'withPayment', stateDatabase: 'database', scProcedure: 'procedure', decision: 'resultDecision', resultKind: 'resultKindAsked' };

async function startHost(options: Parameters<typeof startTestHost>[0] = {}): Promise<TestHost> {
  const t = await startTestHost(options);
  const deployed = await t.call('admin', 'POST', '/deployments', { name: 'shared-flow-caller', resources: [{ name: 'shared-flow-caller.bpmn', source: fs.readFileSync(CALLER_FILE, 'utf8') }] });
  expect(deployed.status).toBe(201);
  return t;
}

let runs = 0;
/** Starts the caller for flow `key` as `user`; answers the id of the instance of `key` it called. */
async function start(t: TestHost, user: string, key: string, variables: Record<string, unknown>) {
  const businessKey = `SHARED-${key}-${++runs}`;
  const form = Object.fromEntries(Object.entries(variables).map(([name, value]) => [PARAMETER_FIELDS[name] ?? name, value]));
  const res = await t.call(user, 'POST', `/process-definitions/${CALLER}/start`, { businessKey, variables: { sharedFlow: key, ...form } });
  expect(res.status).toBe(201);
  // A called instance carries its caller's business key.
  const called = (await t.call('admin', 'GET', `/process-instances?processDefinitionKey=${key}&businessKey=${businessKey}`)).body.items;
  expect(called).toEqual([expect.objectContaining({ processDefinitionKey: key, parentInstanceId: res.body.id })]);
  return called[0].id as string;
}

async function instance(t: TestHost, id: string) {
  return (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
}

/** Completes the only open task of the instance as a user of its group, checking its time limit. */
async function complete(t: TestHost, id: string, group: string, taskKey: string, timeLimit: string, variables: Record<string, unknown> = {}) {
  const user = t.userOf(group);
  const tasks = (await t.call(user, 'GET', `/tasks?processInstanceId=${id}`)).body.items;
  expect(tasks.map((x: any) => [x.taskDefinitionKey, x.timeLimit])).toEqual([[taskKey, timeLimit]]);
  expect((await t.call(t.userOf('nobody-group'), 'GET', `/tasks?processInstanceId=${id}`)).body.items ?? []).toEqual([]);
  const done = await t.call(user, 'POST', `/tasks/${tasks[0].id}/complete`, { variables });
  expect(done.status).toBe(200);
}

describe('egov-portal-intake', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startHost();
  });
  afterAll(() => t.close());

  it.each([
    ['registered with payment', { paid: true }, true, 'request-registered', undefined],
    ['registered without a payment step', { paid: false }, false, 'request-registered', undefined],
    ['authorization refused (process 2)', { portalUser: false }, false, 'authorization-refused', undefined],
    ['no payment (process 5)', { paid: false }, true, 'payment-missing', undefined],
    ['EDS expired', { certificate: 'expired' }, false, 'eds-not-confirmed', 'expired'],
    ['EDS not yet valid', { certificate: 'not-yet-valid' }, false, 'eds-not-confirmed', 'not-yet-valid'],
    ['EDS revoked', { certificate: 'revoked' }, false, 'eds-not-confirmed', 'revoked'],
    ['EDS of another IIN', { certificate: 'other-iin' }, false, 'eds-not-confirmed', 'iin-mismatch'],
    ['EDS of another BIN', { certificate: 'other-iin', kind: 'legal-entity' }, false, 'eds-not-confirmed', 'iin-mismatch'],
    ['broken signature', { certificate: 'bad-signature' }, false, 'eds-not-confirmed', 'bad-signature'],
    ['untrusted chain', { certificate: 'untrusted' }, false, 'eds-not-confirmed', 'untrusted'],
    ['no signature', { certificate: 'none' }, false, 'eds-not-confirmed', 'missing-signature'],
  ] as const)('%s', async (_name, prepare, paymentRequired, outcome, edsFailure?: string) => {
    // A payment counts for the reglament the flow serves: here the caller.
    const applicant = await t.sim.prepareApplicant({ processKey: CALLER, ...prepare });
    const id = await start(t, 'admin', 'egov-portal-intake', { ...applicant, paymentRequired });
    const done = await instance(t, id);
    expect(done).toMatchObject({ state: 'completed', outcome });
    if (outcome === 'request-registered') expect(done.variables.elicenseRequestNumber).toEqual(expect.any(String));
    if (outcome === 'eds-not-confirmed') expect(done.variables).toMatchObject({ edsValid: false, edsFailure });
  });
});

describe('elicense-provider-intake', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startHost();
  });
  afterAll(() => t.close());

  it('registers the request after the look-up and the scan of the paper documents', async () => {
    const applicant = await t.sim.prepareApplicant({ kind: 'legal-entity', certificate: 'none' });
    const id = await start(t, t.userOf('office'), 'elicense-provider-intake', { ...applicant, stateDatabase: 'legal-entities' });
    await complete(t, id, 'office', 'attach-documents', 'not stated', { scannedDocuments: 4 });
    expect(await instance(t, id)).toMatchObject({ state: 'completed', outcome: 'request-registered', variables: { applicantFound: true, employeeAuthorized: true } });
  });

  it('refuses an employee E-licensing does not know (process 2)', async () => {
    const applicant = await t.sim.prepareApplicant({ certificate: 'none' });
    const id = await start(t, t.unregisteredEmployee, 'elicense-provider-intake', { ...applicant, stateDatabase: 'by-applicant-kind' });
    expect(await instance(t, id)).toMatchObject({ state: 'completed', outcome: 'authorization-refused' });
  });

  it('says the data cannot be obtained when the applicant is not in the state database (process 5)', async () => {
    const applicant = await t.sim.prepareApplicant({ inStateDatabase: false, certificate: 'none' });
    const id = await start(t, t.userOf('office'), 'elicense-provider-intake', { ...applicant, stateDatabase: 'by-applicant-kind' });
    expect(await instance(t, id)).toMatchObject({ state: 'completed', outcome: 'data-unavailable', variables: { applicantFound: false } });
  });
});

describe('State corporation flows', () => {
  let t: TestHost;
  const clock = new ManualClock(new Date('2026-03-02T04:00:00Z')); // Monday 09:00 in Almaty
  beforeAll(async () => {
    t = await startHost({ clock });
  });
  afterAll(() => t.close());

  it('intake by courier (act 004): accept 15 min, hand over 5 min, courier 3 hours', async () => {
    const id = await start(t, t.userOf('state-corporation'), 'state-corporation-intake', { scProcedure: 'courier', applicantIinBin: t.sim.newIin() });
    await complete(t, id, 'state-corporation', 'accept-documents', '15 minutes', { documentsComplete: true });
    await complete(t, id, 'state-corporation', 'hand-over', '5 minutes');
    await complete(t, id, 'state-corporation-accumulation', 'send-by-courier', '3 hours');
    expect(await instance(t, id)).toMatchObject({ state: 'completed', outcome: 'passed-to-provider', variables: { scReceiptNumber: expect.any(String) } });
  });

  it('intake with a receipt (act 000): one step of 20 minutes', async () => {
    const id = await start(t, t.userOf('state-corporation'), 'state-corporation-intake', { scProcedure: 'receipt-only', applicantIinBin: t.sim.newIin() });
    await complete(t, id, 'state-corporation', 'accept-with-receipt', '20 minutes', { documentsComplete: true, consentGiven: true });
    expect(await instance(t, id)).toMatchObject({ state: 'completed', outcome: 'passed-to-provider' });
  });

  it('refuses an incomplete set of documents', async () => {
    const id = await start(t, t.userOf('state-corporation'), 'state-corporation-intake', { scProcedure: 'courier', applicantIinBin: t.sim.newIin() });
    await complete(t, id, 'state-corporation', 'accept-documents', '15 minutes', { documentsComplete: false });
    expect(await instance(t, id)).toMatchObject({ state: 'completed', outcome: 'intake-refused' });
  });

  it('issues the result: bar code 30 min, the recipient comes, issuance 30 min (004); by the receipt (000)', async () => {
    const courier = await start(t, 'admin', 'state-corporation-result-issuance', { scProcedure: 'courier' });
    await complete(t, courier, 'state-corporation-accumulation', 'mark-barcode', '30 minutes');
    await complete(t, courier, 'state-corporation-issuing', 'await-recipient', 'not stated');
    await complete(t, courier, 'state-corporation-issuing', 'issue-result', '30 minutes');
    expect(await instance(t, courier)).toMatchObject({ state: 'completed', outcome: 'result-issued' });
    const receipt = await start(t, 'admin', 'state-corporation-result-issuance', { scProcedure: 'receipt-only' });
    await complete(t, receipt, 'state-corporation-issuing', 'issue-by-receipt', 'not stated');
    expect(await instance(t, receipt)).toMatchObject({ state: 'completed', outcome: 'result-issued' });
  });

  it('counts the 30 minutes of process 6 from when the recipient comes; a result waiting for its recipient is never overdue (004)', async () => {
    clock.set(new Date('2026-03-10T04:00:00Z')); // Tuesday 09:00 in Almaty
    const id = await start(t, 'admin', 'state-corporation-result-issuance', { scProcedure: 'courier' });
    await complete(t, id, 'state-corporation-accumulation', 'mark-barcode', '30 minutes');
    const waiting = (await t.call(t.userOf('state-corporation-issuing'), 'GET', `/tasks?processInstanceId=${id}`)).body.items;
    expect(waiting).toEqual([expect.objectContaining({ taskDefinitionKey: 'await-recipient', timeLimit: 'not stated', due: null })]);
    expect((await t.call('admin', 'GET', `/timers?processInstanceId=${id}&kind=task-due`)).body.filter((x: any) => x.state === 'pending')).toEqual([]);
    // Nine days later the recipient has not come: nothing is due, nothing escalates.
    clock.set(new Date('2026-03-19T04:00:00Z')); // Thursday 09:00
    await t.call('admin', 'POST', '/timers/fire-due');
    expect((await t.call('admin', 'GET', `/tasks?processInstanceId=${id}&overdue=true`)).body.items).toEqual([]);
    const history = (await t.call('admin', 'GET', `/process-instances/${id}/history`)).body;
    expect(history.filter((h: any) => h.type === 'task-overdue')).toEqual([]);
    await complete(t, id, 'state-corporation-issuing', 'await-recipient', 'not stated');
    // The recipient is at the desk at 09:00: process 6 is due at 09:30.
    const issuing = (await t.call(t.userOf('state-corporation-issuing'), 'GET', `/tasks?processInstanceId=${id}`)).body.items;
    expect(issuing).toEqual([expect.objectContaining({ taskDefinitionKey: 'issue-result', timeLimit: '30 minutes' })]);
    expect(new Date(issuing[0].due).toISOString()).toBe('2026-03-19T04:30:00.000Z');
    await complete(t, id, 'state-corporation-issuing', 'issue-result', '30 minutes');
    expect(await instance(t, id)).toMatchObject({ state: 'completed', outcome: 'result-issued' });
  });

  it('returns a result nobody collected within one month to the provider (host timer P1M)', async () => {
    const id = await start(t, 'admin', 'state-corporation-result-issuance', { scProcedure: 'courier' });
    await complete(t, id, 'state-corporation-accumulation', 'mark-barcode', '30 minutes');
    const [timer] = (await t.call('admin', 'GET', `/timers?processInstanceId=${id}&kind=event`)).body;
    const created = new Date(timer.createdAt);
    expect(timer).toMatchObject({ activityId: 'storage-expired', timerValue: 'P1M', state: 'pending' });
    // P1M is a calendar month in Almaty time: 2 March -> 2 April.
    expect(new Date(timer.dueAt).getTime() - created.getTime()).toBe(31 * DAY);
    clock.set(new Date(created.getTime() + 31 * DAY - 1000));
    expect((await t.call('admin', 'POST', '/timers/fire-due')).body.fired).not.toContain(timer.id);
    clock.set(new Date(timer.dueAt));
    expect((await t.call('admin', 'POST', '/timers/fire-due')).body.fired).toContain(timer.id);
    await complete(t, id, 'state-corporation-issuing', 'return-to-provider', 'not stated');
    expect(await instance(t, id)).toMatchObject({ state: 'completed', outcome: 'result-returned-to-provider' });
  });
});

describe('egov-result-delivery', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startHost();
  });
  afterAll(() => t.close());

  it.each([
    ['issued', 'licence'],
    ['refused', 'refusal'],
  ])('signs the %s result (%s), records the decision and sends it to the cabinet', async (decision, resultKind) => {
    // The caller registers the request through the portal intake first, as a reglament does.
    const applicant = await t.sim.prepareApplicant();
    const id = await start(t, 'admin', 'egov-result-delivery', { ...applicant, decision, resultKind });
    const done = await instance(t, id);
    const request = t.simulators.elicense.byNumber(done.variables.elicenseRequestNumber);
    expect(request).toMatchObject({ applicantIinBin: applicant.applicantIinBin, decision });
    expect(done).toMatchObject({ state: 'completed', outcome: 'result-delivered', variables: { resultDocument: expect.any(String), notificationId: expect.anything() } });
    if (decision === 'issued') expect(done.variables.licenceNumber).toEqual(expect.any(String));
  });
});
