import { Adapters } from '../../../src/integrations/clients';
import { parseCms } from '../../../src/crypto/cms';
import { createCertificate, CryptoKey, generateKeyPair } from '../../../src/crypto/pki';
import { createDefaultHandlers } from '../../../src/handlers';
import { HandlerContext, HandlerRegistry, Variables } from '../../../src/handlers/registry';

/*
 * Issue 13, finding 2 and Build 1: handlers take identity and routing from the host's context and
 * never skip their work because a variable already holds their result. The adapters are recorders,
 * so each test sees exactly which user, service and request id reached the external system.
 */

const ROOT = 'root-instance-1';
const CHILD = 'child-instance-7';
const calls: unknown[][] = [];
let credentials: { privateKey: CryptoKey; certificate: any };

const adapters = {
  portal: {},
  elicense: {
    isEmployee: async (userId: string) => (calls.push(['isEmployee', userId]), userId === 'olga-office'),
    registerRequest: async (requestId: string, data: unknown) => (calls.push(['registerRequest', requestId, data]), { requestNumber: `KZ-REQ-${requestId}`, created: true }),
    recordDecision: async (requestNumber: string, decision: string, resultKind?: string) => void calls.push(['recordDecision', requestNumber, decision, resultKind]),
    issueLicence: async (requestNumber: string) => (calls.push(['issueLicence', requestNumber]), `KZ-LIC-${requestNumber}`),
  },
  payments: {
    status: async (iinBin: string, service?: string) => (calls.push(['paymentStatus', iinBin, service]), { paid: service === 'cotton-warehouse-license', reference: 'PAY-1' }),
  },
  stateCorporation: {
    register: async (requestId: string, data: unknown) => (calls.push(['scRegister', requestId, data]), `SC-${requestId}`),
  },
  eds: { providerCredentials: async () => credentials },
} as unknown as Adapters;

const handlers = createDefaultHandlers(adapters);
const now = new Date('2025-03-14T05:00:00.000Z');

/** A shared flow's step inside a cotton application, unless `extra` says otherwise. */
function run(topic: string, variables: Variables, extra: Partial<HandlerContext> = {}) {
  return handlers.get(topic)!.handler({
    instanceId: CHILD,
    rootInstanceId: ROOT,
    businessKey: null,
    processDefinitionKey: 'egov-result-delivery',
    rootProcessDefinitionKey: 'cotton-warehouse-license',
    startedBy: 'olga-office',
    activityId: 'task',
    properties: {},
    variables,
    now,
    ...extra,
  });
}

const APPLICANT = { applicantIinBin: '850315300123', applicantName: 'Тестов Тест', applicantKind: 'individual' };

beforeAll(async () => {
  const keys = await generateKeyPair('ECDSA');
  const certificate = await createCertificate({ subject: { commonName: 'Provider', bin: '120540000017' }, publicKey: keys.publicKey, signingKey: keys.privateKey, notBefore: new Date(now.getTime() - 86_400_000), notAfter: new Date(now.getTime() + 86_400_000) });
  credentials = { privateKey: keys.privateKey, certificate };
});
beforeEach(() => {
  calls.length = 0;
});

describe('identity and routing come from the host, not from variables', () => {
  it('elicense.authorize-employee asks about the user who started the application, not a forged startedBy', async () => {
    expect(await run('elicense.authorize-employee', { startedBy: 'olga-office' }, { startedBy: 'dismissed-employee' })).toEqual({ employeeAuthorized: false });
    expect(calls).toEqual([['isEmployee', 'dismissed-employee']]);
  });

  it.each(['serviceKey', 'reglamentKey'])('payment.check looks for a payment for the application’s reglament, not a forged %s', async (name) => {
    expect(await run('payment.check', { ...APPLICANT, [name]: 'weapon-registration' }, { rootProcessDefinitionKey: 'weapon-registration' })).toMatchObject({ paymentConfirmed: false });
    expect(await run('payment.check', { ...APPLICANT, [name]: 'weapon-registration' })).toMatchObject({ paymentConfirmed: true });
    expect(calls).toEqual([
      ['paymentStatus', APPLICANT.applicantIinBin, 'weapon-registration'],
      ['paymentStatus', APPLICANT.applicantIinBin, 'cotton-warehouse-license'],
    ]);
  });

  it('the two shared flows of one application address one E-licensing request, keyed by the application', async () => {
    const registered = await run('elicense.register-request', APPLICANT, { instanceId: 'intake-child', processDefinitionKey: 'egov-portal-intake' });
    const decided = await run('elicense.record-decision', { ...APPLICANT, decision: 'issued', resultKind: 'licence', elicenseRequestNumber: 'KZ-REQ-OF-ANOTHER-APPLICATION' });
    expect(registered).toEqual({ elicenseRequestNumber: `KZ-REQ-${ROOT}` });
    expect(decided).toEqual({ elicenseRequestNumber: `KZ-REQ-${ROOT}`, elicenseDecision: 'issued', licenceNumber: `KZ-LIC-KZ-REQ-${ROOT}` });
    expect(calls.filter((c) => c[0] === 'recordDecision')).toEqual([['recordDecision', `KZ-REQ-${ROOT}`, 'issued', 'licence']]);
    expect(calls.filter((c) => c[0] === 'registerRequest').map((c) => [c[1], (c[2] as { serviceKey: string }).serviceKey])).toEqual([
      [ROOT, 'cotton-warehouse-license'],
      [ROOT, 'cotton-warehouse-license'],
    ]);
  });

  it('a top-level instance is its own root', async () => {
    expect(await run('state-corporation.register', APPLICANT, { instanceId: ROOT, rootInstanceId: undefined, processDefinitionKey: 'cotton-warehouse-license' })).toEqual({ scReceiptNumber: `SC-${ROOT}` });
  });
});

describe('a handler never skips its work because its output is already set', () => {
  it.each([
    ['registry.assign-number', { registrationNumber: 'REG-FORGED' }, { registrationNumber: `REG-20250314-${ROOT.replace(/-/g, '').slice(0, 10).toUpperCase()}` }],
    // The licence's one number is the one E-licensing assigns to the application's request.
    ['licence.issue', { licenceNumber: 'LIC-FORGED' }, { licenceNumber: `KZ-LIC-KZ-REQ-${ROOT}`, elicenseRequestNumber: `KZ-REQ-${ROOT}` }],
    ['registry.assign-outgoing-number', { outgoingNumber: 'OUT-FORGED' }, { outgoingNumber: `OUT-20250314-${ROOT.replace(/-/g, '').slice(0, 10).toUpperCase()}` }],
    ['refusal.issue', { refusalNumber: 'REF-FORGED' }, { refusalNumber: `REF-20250314-${ROOT.replace(/-/g, '').slice(0, 10).toUpperCase()}` }],
    ['elicense.register-request', { elicenseRequestNumber: 'KZ-REQ-FORGED' }, { elicenseRequestNumber: `KZ-REQ-${ROOT}` }],
    ['state-corporation.register', { scReceiptNumber: 'SC-FORGED' }, { scReceiptNumber: `SC-${ROOT}` }],
  ])('%s derives its result when %j is set', async (topic, forged, expected) => {
    // The document handlers run in the top-level instance; its id is what the numbers derive from.
    const out = await run(topic, { ...APPLICANT, ...forged }, { instanceId: ROOT, processDefinitionKey: 'cotton-warehouse-license' });
    expect(out).toMatchObject(expected);
  });

  it('result.form signs the result when resultDocument already holds a text, with the service of the application', async () => {
    const out = (await run('result.form', { ...APPLICANT, decision: 'issued', resultKind: 'licence', resultDocument: 'any text', serviceKey: 'weapon-registration' }))!;
    expect(out.resultDocument).not.toBe('any text');
    const signed = JSON.parse(Buffer.from(parseCms(Buffer.from(String(out.resultDocument), 'base64')).content).toString('utf8'));
    expect(signed).toMatchObject({ kind: 'licence', decision: 'issued', service: 'cotton-warehouse-license', instanceId: CHILD });
    expect(out.resultSignedAt).toBe(now.toISOString());
  });
});

describe('result.form delivers what the authorised person signed', () => {
  const HEAD_CMS = 'MIIB-the-heads-cms';
  const signedDocuments = (kinds: Record<string, string>) => ({
    asked: [] as [string, string][],
    async lastSigned(root: string, kind: string) {
      this.asked.push([root, kind]);
      return kinds[kind] ? { id: 'a'.repeat(64), kind, taskDefinitionKey: 'sign-decision', cms: kinds[kind], signerIin: '870101300123', signedAt: '2025-03-14T04:00:00.000Z' } : null;
    },
  });

  it("gives exactly the head's CMS of the delivered kind, with its signing time, and signs nothing", async () => {
    const port = signedDocuments({ licence: HEAD_CMS });
    const out = await run('result.form', { ...APPLICANT, decision: 'issued', resultKind: 'licence' }, { signedDocuments: port });
    expect(out).toEqual({ resultDocument: HEAD_CMS, resultSignedAt: '2025-03-14T04:00:00.000Z' });
    // The application's documents, not the called flow's alone.
    expect(port.asked).toEqual([[ROOT, 'licence']]);
  });

  it.each([
    ['a person signed only another kind (a licence, the notification delivered)', { licence: HEAD_CMS }, 'notification'],
    ['no person signed anything (an automated refusal)', {}, 'refusal'],
  ])('signs with the provider key when %s', async (_case, kinds, resultKind) => {
    const out = (await run('result.form', { ...APPLICANT, decision: 'refused', resultKind }, { signedDocuments: signedDocuments(kinds) }))!;
    expect(out.resultDocument).not.toBe(HEAD_CMS);
    expect(JSON.parse(Buffer.from(parseCms(Buffer.from(String(out.resultDocument), 'base64')).content).toString('utf8'))).toMatchObject({ kind: resultKind });
  });
});

describe('handlers declare what they produce', () => {
  it('the registry lists every variable a handler or the host produces', () => {
    expect(handlers.producedVariables()).toEqual(
      expect.arrayContaining(['registrationNumber', 'registeredAt', 'licenceNumber', 'refusalNumber', 'elicenseRequestNumber', 'elicenseDecision', 'scReceiptNumber', 'resultDocument', 'resultSignedAt', 'notificationId', 'paymentConfirmed', 'edsValid', 'employeeAuthorized', 'applicantFound', 'lastErrorCode', 'lastErrorMessage']),
    );
    expect(handlers.producedVariables()).not.toContain('refusalReason');
    expect(handlers.producersOf('resultDocument')).toEqual(['cabinet.notify', 'result.form', 'result.sign']);
    expect(handlers.producersOf('lastErrorCode')).toEqual(['the host (BPMN error of a handler)']);
  });

  it('a handler that returns a variable it did not declare fails, naming it', async () => {
    const registry = new HandlerRegistry().register('test.sloppy', 'Returns more than it declares', async () => ({ declared: 1, sneaked: 2 }), ['declared']);
    await expect(registry.get('test.sloppy')!.handler({ instanceId: 'i', businessKey: null, processDefinitionKey: 'p', activityId: 'a', properties: {}, variables: {}, now })).rejects.toThrow(
      'Handler "test.sloppy" returned variable(s) it does not declare: sneaked (declared: declared)',
    );
  });

  it('every handler of the default registry returns only what it declares', async () => {
    for (const registration of handlers.list()) expect(registration.produces.length).toBeGreaterThan(0);
  });
});
