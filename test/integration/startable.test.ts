import { HistoryEntity } from '../../src/persistence/entities';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';

/*
 * Issue 13, finding 3: who may start what. A shared information-system flow is part of a reglament
 * (its call activity passes the decision the reglament reached); started on its own it would record a
 * decision nobody took and send a provider-signed result. So a flow marked
 * camunda:isStartableInTasklist="false" is started only by a call activity, and a reglament only by
 * the groups its camunda:candidateStarterGroups names (plus admin), on /api and /engine-rest alike.
 */
const SHARED_FLOWS = ['egov-portal-intake', 'elicense-provider-intake', 'state-corporation-intake', 'state-corporation-result-issuance', 'egov-result-delivery'];
const REGLAMENT = 'cotton-warehouse-license';

type Route = 'api' | 'engine-rest by key' | 'engine-rest by id';
const ROUTES: Route[] = ['api', 'engine-rest by key', 'engine-rest by id'];

describe('who may start a process', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  /** Starts `key` through one of the three start routes; answers status and the refusal's message. */
  async function startThrough(route: Route, user: string, key: string, variables: Record<string, unknown>): Promise<{ status: number; message: string; body: any }> {
    if (route === 'api') {
      const res = await t.call(user, 'POST', `/process-definitions/${key}/start`, { businessKey: `START-${key}`, variables });
      return { status: res.status, message: res.body?.error?.message ?? '', body: res.body };
    }
    const camundaVariables = Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, { value, type: typeof value === 'boolean' ? 'Boolean' : 'String' }]));
    const definition = (await t.call('admin', 'GET', `/process-definitions/${key}`)).body;
    const path = route === 'engine-rest by key' ? `key/${key}` : encodeURIComponent(definition.id);
    const response = await fetch(`${t.url}/engine-rest/process-definition/${path}/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenOf(user)}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ businessKey: `START-${key}`, variables: camundaVariables }),
    });
    const body = (await response.json()) as any;
    return { status: response.status, message: body?.message ?? '', body };
  }

  async function instanceCount(key: string): Promise<number> {
    return (await t.call('admin', 'GET', `/process-instances?processDefinitionKey=${key}`)).body.total;
  }

  it('refuses to start egov-result-delivery directly: no decision in E-licensing, nothing in the cabinet, nothing stored', async () => {
    const applicant = await t.sim.prepareApplicant({ certificate: 'none' });
    // A request E-licensing knows, as a reglament's intake would have registered it.
    const { request } = t.simulators.elicense.register('forged-delivery', { applicantIinBin: applicant.applicantIinBin, applicantName: applicant.applicantName, serviceKey: REGLAMENT });
    const forged = { ...applicant, elicenseRequestNumber: request.requestNumber, decision: 'issued', resultKind: 'licence' };
    const historyBefore = await t.host.dataSource.getRepository(HistoryEntity).count();

    for (const user of ['nobody', t.userOf('office'), 'admin']) {
      for (const route of ROUTES) {
        const res = await startThrough(route, user, 'egov-result-delivery', forged);
        expect({ user, route, status: res.status }).toEqual({ user, route, status: 403 });
        expect(res.message).toMatch(/"egov-result-delivery".*call activit/);
        if (route === 'api') expect(res.body.error.code).toBe('NOT_STARTABLE');
        else expect(res.body.type).toBe('AuthorizationException');
      }
    }

    expect(await instanceCount('egov-result-delivery')).toBe(0);
    expect(await t.host.dataSource.getRepository(HistoryEntity).count()).toBe(historyBefore);
    const recorded = t.simulators.elicense.byNumber(request.requestNumber)!;
    expect(recorded.decision).toBeUndefined();
    expect(recorded.licenceNumber).toBeUndefined();
    expect(t.simulators.cabinet.of(applicant.applicantIinBin)).toEqual([]);
  });

  it.each(SHARED_FLOWS)('refuses to start the shared flow %s directly, for any user, on both APIs', async (key) => {
    const applicant = await t.sim.prepareApplicant({ certificate: 'none' });
    const parameters = { ...applicant, paymentRequired: false, stateDatabase: 'by-applicant-kind', scProcedure: 'courier', decision: 'issued', resultKind: 'licence' };
    const registrationsBefore = t.simulators.elicense.requests.size;
    const scBefore = t.simulators.stateCorporation.applications.size;
    for (const user of ['nobody', t.userOf('office'), t.userOf('state-corporation'), 'admin']) {
      for (const route of ROUTES) {
        const res = await startThrough(route, user, key, parameters);
        expect({ user, route, status: res.status }).toEqual({ user, route, status: 403 });
        expect(res.message).toContain(`"${key}"`);
      }
    }
    expect(await instanceCount(key)).toBe(0);
    expect(t.simulators.elicense.requests.size).toBe(registrationsBefore);
    expect(t.simulators.stateCorporation.applications.size).toBe(scBefore);
  });

  it.each([
    ['a user of no group', 'nobody'],
    ['a specialist', 'sanzhar-specialist'],
    ['the head', 'hasan-head'],
  ])('refuses %s starting a reglament whose candidate starters are the office', async (_who, user) => {
    const applicant = await t.sim.prepareApplicant({ processKey: REGLAMENT });
    const before = await instanceCount(REGLAMENT);
    const registrationsBefore = t.simulators.elicense.requests.size;
    for (const route of ROUTES) {
      const res = await startThrough(route, user, REGLAMENT, { ...applicant, channel: 'portal', variant: 'issue', resultForm: 'electronic' });
      expect({ route, status: res.status }).toEqual({ route, status: 403 });
      expect(res.message).toContain(`"${REGLAMENT}"`);
      expect(res.message).toContain('office');
    }
    expect(await instanceCount(REGLAMENT)).toBe(before);
    expect(t.simulators.elicense.requests.size).toBe(registrationsBefore);
  });

  it.each([
    ['the office', 'olga-office'],
    ['an admin', 'admin'],
  ])('lets %s start a reglament, whose call activity still starts the shared intake flow', async (_who, user) => {
    const applicant = await t.sim.prepareApplicant({ processKey: REGLAMENT });
    const started = await t.call(user, 'POST', `/process-definitions/${REGLAMENT}/start`, { variables: { ...applicant, channel: 'portal', variant: 'issue', resultForm: 'electronic' } });
    expect(started.status).toBe(201);
    const children = (await t.call('admin', 'GET', '/process-instances?processDefinitionKey=egov-portal-intake')).body.items.filter((c: any) => c.parentInstanceId === started.body.id);
    expect(children).toEqual([expect.objectContaining({ outcome: 'request-registered' })]);
  });

  it('lets the office start a reglament through /engine-rest', async () => {
    const applicant = await t.sim.prepareApplicant({ processKey: REGLAMENT });
    const res = await startThrough('engine-rest by key', 'olga-office', REGLAMENT, { ...applicant, channel: 'office', variant: 'issue', resultForm: 'electronic' });
    expect(res.status).toBe(200);
    expect(res.body.definitionId).toMatch(new RegExp(`^${REGLAMENT}:`));
  });

  it.each([
    ['nobody', { [REGLAMENT]: false, 'egov-result-delivery': false }],
    ['olga-office', { [REGLAMENT]: true, 'egov-result-delivery': false }],
    ['sanzhar-specialist', { [REGLAMENT]: false, 'egov-result-delivery': false }],
    ['admin', { [REGLAMENT]: true, 'egov-result-delivery': false }],
  ])('lists for %s what they may start', async (user, expected) => {
    const listed = (await t.call(user, 'GET', '/process-definitions')).body as { key: string; startable: boolean }[];
    for (const [key, startable] of Object.entries(expected)) expect({ key, startable: listed.find((d) => d.key === key)?.startable }).toEqual({ key, startable });
    // Every shared flow is listed (for the catalog) and not startable, for anyone.
    for (const key of SHARED_FLOWS) expect({ key, startable: listed.find((d) => d.key === key)?.startable }).toEqual({ key, startable: false });
  });

  it("says on a definition why the caller may not start it, in the words of the server's refusal", async () => {
    const refusal = await t.call('nobody', 'POST', `/process-definitions/egov-result-delivery/start`, { variables: {} });
    const definition = (await t.call('nobody', 'GET', '/process-definitions/egov-result-delivery')).body;
    expect(definition).toMatchObject({ key: 'egov-result-delivery', startable: false, startRefusal: { code: 'NOT_STARTABLE', message: refusal.body.error.message } });
    const mine = (await t.call('olga-office', 'GET', `/process-definitions/${REGLAMENT}`)).body;
    expect(mine.startable).toBe(true);
    expect(mine.startRefusal).toBeUndefined();
  });

  it('reports startableInTasklist on /engine-rest as the diagram states it', async () => {
    const response = await fetch(`${t.url}/engine-rest/process-definition?latestVersion=true`, { headers: { authorization: `Bearer ${tokenOf('admin')}` } });
    const definitions = (await response.json()) as { key: string; startableInTasklist: boolean }[];
    const byKey = Object.fromEntries(definitions.map((d) => [d.key, d.startableInTasklist]));
    for (const key of SHARED_FLOWS) expect({ key, startable: byKey[key] }).toEqual({ key, startable: false });
    expect(byKey[REGLAMENT]).toBe(true);
    const one = await fetch(`${t.url}/engine-rest/process-definition/key/egov-result-delivery`, { headers: { authorization: `Bearer ${tokenOf('admin')}` } });
    expect(((await one.json()) as any).startableInTasklist).toBe(false);
  });
});
