import { createDefaultHandlers } from '../../../src/handlers';
import { HandlerContext, HandlerRegistry, Variables } from '../../../src/handlers/registry';
import { CrlCache } from '../../../src/crypto/crl-cache';
import { EdsVerifier } from '../../../src/crypto/verifier';
import { crlFetcher } from '../../../src/integrations/eds/ca-client';
import { startSimulators, Simulators } from '../../../src/integrations/simulators';
import { simulatorAdapters, SimulatorControl } from '../../support/simulators';

/* The IS handlers of contract §3 against the simulators, with the data prepared by t.sim's API. */
describe('information-system handlers', () => {
  let sims: Simulators;
  let sim: SimulatorControl;
  let handlers: HandlerRegistry;
  const now = new Date();
  beforeAll(async () => {
    sims = await startSimulators({ employees: ['olga-office'] });
    const adapters = simulatorAdapters(sims, { attempts: 2, backoffMs: 5, timeoutMs: 1000 });
    sim = new SimulatorControl(sims, adapters, () => now);
    handlers = createDefaultHandlers(adapters);
  });
  afterAll(() => sims.close());

  const run = (topic: string, variables: Variables, extra: Partial<HandlerContext> = {}) =>
    handlers.get(topic)!.handler({ instanceId: 'inst-1', businessKey: null, processDefinitionKey: 'weapon-activity-license', activityId: 'task', properties: {}, variables, now, ...extra });

  it.each(['valid', 'expired', 'not-yet-valid', 'revoked', 'other-iin', 'untrusted', 'bad-signature', 'none'] as const)('eds.verify-request with a %s certificate', async (certificate) => {
    const applicant = await sim.prepareApplicant({ kind: 'legal-entity', certificate });
    const out = (await run('eds.verify-request', applicant))!;
    const expected = { valid: null, 'other-iin': 'iin-mismatch', none: 'missing-signature' }[certificate as string] ?? certificate;
    expect(out).toMatchObject({ edsValid: certificate === 'valid', edsFailure: certificate === 'valid' ? null : expected });
  });

  it('egov.authorize and payment.check follow the prepared data', async () => {
    const yes = await sim.prepareApplicant({ processKey: 'weapon-activity-license', certificate: 'none' });
    const no = await sim.prepareApplicant({ portalUser: false, paid: false, certificate: 'none' });
    expect(await run('egov.authorize', yes)).toEqual({ portalAuthorized: true, portalAuthorizationReason: null });
    expect(await run('egov.authorize', no)).toEqual({ portalAuthorized: false, portalAuthorizationReason: 'not-registered' });
    expect(await run('payment.check', yes)).toMatchObject({ paymentConfirmed: true });
    expect(await run('payment.check', no)).toMatchObject({ paymentConfirmed: false, paymentReference: null });
    // Paid for another reglament only: not paid for this one.
    const other = await sim.prepareApplicant({ processKey: 'weapon-registration', certificate: 'none' });
    expect(await run('payment.check', other)).toMatchObject({ paymentConfirmed: false });
    // The service is the application's reglament as the host knows it; a serviceKey variable changes nothing.
    expect(await run('payment.check', { ...other, serviceKey: 'weapon-registration' })).toMatchObject({ paymentConfirmed: false });
    expect(await run('payment.check', other, { rootProcessDefinitionKey: 'weapon-registration' })).toMatchObject({ paymentConfirmed: true });
  });

  it('gbd.lookup-applicant: GBD FL / UL by applicant kind or stateDatabase; a malformed IIN is not found', async () => {
    const person = await sim.prepareApplicant({ kind: 'individual', certificate: 'none' });
    const company = await sim.prepareApplicant({ kind: 'legal-entity', certificate: 'none' });
    const absent = await sim.prepareApplicant({ kind: 'legal-entity', inStateDatabase: false, certificate: 'none' });
    expect(await run('gbd.lookup-applicant', person)).toMatchObject({ applicantFound: true, applicantRegisteredName: person.applicantName });
    expect(await run('gbd.lookup-applicant', company)).toMatchObject({ applicantFound: true });
    expect(await run('gbd.lookup-applicant', absent)).toMatchObject({ applicantFound: false, applicantLookupProblem: 'not found in GBD UL' });
    expect(await run('gbd.lookup-applicant', { ...person, stateDatabase: 'legal-entities' })).toMatchObject({ applicantFound: false });
    expect(await run('gbd.lookup-applicant', { ...person, applicantIinBin: '123456789012' })).toMatchObject({ applicantFound: false, applicantLookupProblem: expect.stringMatching(/^malformed IIN/) });
  });

  it('elicense.authorize-employee asks about the starter the host recorded, not a startedBy variable', async () => {
    expect(await run('elicense.authorize-employee', {}, { startedBy: 'olga-office' })).toEqual({ employeeAuthorized: true });
    expect(await run('elicense.authorize-employee', {}, { startedBy: 'unregistered-employee' })).toEqual({ employeeAuthorized: false });
    expect(await run('elicense.authorize-employee', { startedBy: 'olga-office' }, { startedBy: 'unregistered-employee' })).toEqual({ employeeAuthorized: false });
    expect(await run('elicense.authorize-employee', { startedBy: 'olga-office' })).toEqual({ employeeAuthorized: false });
  });

  it('register, decide, sign, notify: idempotent per instance; the signed result verifies', async () => {
    const applicant = await sim.prepareApplicant({ kind: 'legal-entity', certificate: 'none' });
    const ctx = { instanceId: 'inst-42' };
    const reg = (await run('elicense.register-request', applicant, ctx))!;
    expect(await run('elicense.register-request', applicant, ctx)).toEqual(reg);
    expect([...sims.elicense.requests.values()].filter((r) => r.requestId === 'inst-42')).toHaveLength(1);
    const decided = { ...applicant, ...reg, decision: 'issued', resultKind: 'licence' };
    const d1 = (await run('elicense.record-decision', decided, ctx))!;
    expect(d1.licenceNumber).toMatch(/^KZ-LIC-/);
    expect(await run('elicense.record-decision', decided, ctx)).toEqual(d1);
    const signed = (await run('result.form', { ...decided, ...d1 }, ctx))!;
    const verifier = new EdsVerifier({ trustedRoots: [sims.ca.root], crls: new CrlCache(crlFetcher()) });
    const check = await verifier.verify(signed.resultDocument, undefined, now);
    expect(check.valid).toBe(true);
    expect(JSON.parse(check.content!)).toMatchObject({ kind: 'licence', decision: 'issued', numbers: { licenceNumber: d1.licenceNumber }, applicant: { iinBin: applicant.applicantIinBin } });
    const n1 = (await run('cabinet.notify', { ...decided, ...signed }, { ...ctx, activityId: 'send-to-cabinet', properties: { notice: 'result' } }))!;
    expect(await run('cabinet.notify', { ...decided, ...signed }, { ...ctx, activityId: 'send-to-cabinet', properties: { notice: 'result' } })).toEqual(n1);
    const inbox = sims.cabinet.of(applicant.applicantIinBin);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ notice: 'result', document: signed.resultDocument });
    const sc = (await run('state-corporation.register', applicant, ctx))!;
    expect(await run('state-corporation.register', applicant, ctx)).toEqual(sc);

    // A crash after the notification and before the step's commit: the re-run signs again (a new
    // ECDSA signature, another signing time) and the instance must keep the document the recipient got.
    const resigned = (await run('result.form', { ...decided, ...d1 }, { ...ctx, now: new Date(now.getTime() + 60_000) }))!;
    expect(resigned.resultDocument).not.toBe(signed.resultDocument);
    const again = (await run('cabinet.notify', { ...decided, ...resigned }, { ...ctx, activityId: 'send-to-cabinet', properties: { notice: 'result' } }))!;
    expect(again).toEqual({ notificationId: n1.notificationId, resultDocument: signed.resultDocument });
    expect(sims.cabinet.of(applicant.applicantIinBin)).toHaveLength(1);
  });

  it('result.sign, the former name of result.form, still forms the result for delivery flows deployed before the rename', async () => {
    const applicant = await sim.prepareApplicant({ certificate: 'none' });
    const decided = { ...applicant, decision: 'refused', resultKind: 'refusal', refusalReason: 'Құжаттар толық емес' };
    const out = (await run('result.sign', decided, { instanceId: 'inst-former-topic' }))!;
    const verifier = new EdsVerifier({ trustedRoots: [sims.ca.root], crls: new CrlCache(crlFetcher()) });
    const check = await verifier.verify(out.resultDocument, undefined, now);
    expect(check.valid).toBe(true);
    expect(JSON.parse(check.content!)).toMatchObject({ kind: 'refusal', decision: 'refused', refusalReason: 'Құжаттар толық емес' });
  });

  it('a system that stays down makes the handler fail with ExternalSystemUnavailableError; after a restart the retry has no duplicate effect', async () => {
    const applicant = await sim.prepareApplicant({ certificate: 'none' });
    await sim.stop('elicense');
    try {
      await expect(run('elicense.register-request', applicant, { instanceId: 'inst-down' })).rejects.toMatchObject({ name: 'ExternalSystemUnavailableError', system: 'shep', reason: expect.stringMatching(/ELICENSE_RegisterRequest: SCE004 E-licensing/) });
    } finally {
      await sim.start('elicense');
    }
    const out = await run('elicense.register-request', applicant, { instanceId: 'inst-down' });
    expect(out).toEqual({ elicenseRequestNumber: sims.elicense.requests.get('inst-down')!.requestNumber });
    expect(sims.elicense.requests.get('inst-down')!.registrationCalls).toBe(1);
  });
});
