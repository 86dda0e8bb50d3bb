import { startValues } from '../support/reglament-driver';
import { startTestHost, TestHost } from '../support/test-host';

/*
 * Issue 16, Build points 2 and 5: cases found again (GET /api/cases: search, paging, sorting,
 * visibility), the case number unique per reglament (409 CASE_NUMBER_TAKEN, generated when not given,
 * unique under concurrent starts), IIN/BIN control digit checked before any state database, a start
 * that ended at once answered with its real state and outcome.
 * The reglament is weapon-registration through the provider channel: the application calls the flow
 * elicense-provider-intake, whose task attach-documents (group office) is the clerk's.
 */
const KEY = 'weapon-registration';
const START = `/process-definitions/${KEY}/start`;
const office = 'office-user';
const admin = 'admin';
const head = 'head-user';

describe('cases: the applications a user may see, found again', () => {
  let t: TestHost;
  /** Applications started in beforeAll, with their applicants. */
  const started: { id: string; caseNumber: string; applicantName: string; applicantIinBin: string }[] = [];

  async function startApplication(options: { businessKey?: string; name?: string; user?: string; inStateDatabase?: boolean } = {}) {
    const applicant = await t.sim.prepareApplicant({ kind: 'legal-entity', processKey: KEY, name: options.name, inStateDatabase: options.inStateDatabase });
    return t.call(options.user ?? office, 'POST', START, { businessKey: options.businessKey, variables: { ...applicant, channel: 'provider', variant: 'registration', applicantKind: 'legal-entity' } });
  }

  async function openTaskOf(instanceId: string): Promise<string> {
    const child = (await t.call(admin, 'GET', '/process-instances?processDefinitionKey=elicense-provider-intake&maxResults=1000')).body.items.find((i: any) => i.parentInstanceId === instanceId);
    return (await t.call(admin, 'GET', `/tasks?processInstanceId=${child.id}`)).body.items[0].id;
  }

  const cases = async (user: string, query = '') => (await t.call(user, 'GET', `/cases${query}`)).body;

  beforeAll(async () => {
    t = await startTestHost();
    const names = ['ТОО «Мақта Терминал»', 'ТОО «Ақмола Астық»', 'ТОО «Оңтүстік Мақта»', 'ТОО «Шығыс»', 'ТОО «Батыс»'];
    for (const [i, name] of names.entries()) {
      const res = await startApplication({ name, businessKey: i === 0 ? 'WR-FIRST' : undefined });
      expect(res.status).toBe(201);
      const instance = (await t.call(admin, 'GET', `/process-instances/${res.body.id}`)).body;
      started.push({ id: res.body.id, caseNumber: res.body.businessKey, applicantName: name, applicantIinBin: instance.variables.applicantIinBin });
    }
  });
  afterAll(() => t.close());

  it('generates a case number <prefix>-<year>-<6 digits> when the start gives none, and keeps one given', () => {
    expect(started[0].caseNumber).toBe('WR-FIRST');
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Almaty', year: 'numeric' }).format(new Date()));
    for (const s of started.slice(1)) expect(s.caseNumber).toMatch(new RegExp(`^WR-${year}-\\d{6}$`));
    expect(new Set(started.map((s) => s.caseNumber)).size).toBe(started.length);
  });

  it('answers each case with its number, applicant, reglament, state, dates and current step', async () => {
    const page = await cases(admin, `?caseNumber=WR-FIRST`);
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({
      id: started[0].id,
      caseNumber: 'WR-FIRST',
      processDefinitionKey: KEY,
      reglamentName: expect.any(String),
      applicantName: 'ТОО «Мақта Терминал»',
      applicantIinBin: started[0].applicantIinBin,
      state: 'running',
      outcome: null,
      startedAt: expect.any(String),
      endedAt: null,
      currentSteps: [expect.objectContaining({ activityId: 'attach-documents', assignee: null })],
    });
  });

  it.each([
    ['the BIN', () => `?q=${started[2].applicantIinBin}`, () => [started[2].id]],
    ['a case number', () => `?q=${started[3].caseNumber}`, () => [started[3].id]],
    ['a case number typed in lower case', () => `?q=${started[3].caseNumber.toLowerCase()}`, () => [started[3].id]],
    ['part of a name in another case (Cyrillic)', () => `?q=${encodeURIComponent('мақта')}`, () => [started[2].id, started[0].id]],
    ['the name field, upper case', () => `?applicantName=${encodeURIComponent('АҚМОЛА')}`, () => [started[1].id]],
    ['a name with LIKE wildcards taken literally', () => `?q=${encodeURIComponent('%')}`, () => []],
    ['the exact IIN/BIN field', () => `?iinBin=${started[4].applicantIinBin}`, () => [started[4].id]],
    ['reglament and state', () => `?processDefinitionKey=${KEY}&state=completed`, () => []],
  ])('finds cases by %s', async (_name, query, expected) => {
    const page = await cases(admin, query());
    expect(page.items.map((c: any) => c.id)).toEqual(expected());
    expect(page.total).toBe(expected().length);
  });

  it('pages a stable order: no case twice, none left out, in each sort', async () => {
    const all = started.map((s) => s.id).sort();
    for (const sort of ['sortBy=started&sortOrder=desc', 'sortBy=started&sortOrder=asc', 'sortBy=caseNumber&sortOrder=asc', 'sortBy=applicant&sortOrder=desc']) {
      const seen: string[] = [];
      for (let first = 0; first < 10; first += 2) {
        const page = await cases(admin, `?processDefinitionKey=${KEY}&${sort}&firstResult=${first}&maxResults=2`);
        expect(page.total).toBe(started.length);
        seen.push(...page.items.map((c: any) => c.id));
      }
      expect([...seen].sort()).toEqual(all);
    }
    const byName = (await cases(admin, `?processDefinitionKey=${KEY}&sortBy=applicant&sortOrder=asc`)).items.map((c: any) => c.applicantName);
    expect(byName).toEqual([...byName].sort((a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  it("shows a clerk the cases of their group's tasks, also after they completed the step, and hides them from others", async () => {
    const { id, applicantIinBin } = started[1];
    const task = await openTaskOf(id);
    expect((await t.call(office, 'POST', `/tasks/${task}/complete`, { variables: { scannedDocuments: 2 } })).status).toBe(200);
    // The clerk's task list no longer has it; the case list does, and the case opens.
    const otherClerk = 'office-user-2';
    expect((await cases(otherClerk, `?q=${applicantIinBin}`)).items.map((c: any) => c.id)).toEqual([id]);
    expect((await t.call(otherClerk, 'GET', `/process-instances/${id}`)).status).toBe(200);
    // Specialists had no task in it yet; a user of no reglament group sees nothing.
    expect((await cases('specialist-user', `?q=${applicantIinBin}`)).total).toBe(0);
    expect((await cases('nobody')).total).toBe(0);
    expect((await t.call('nobody', 'GET', `/process-instances/${id}`)).status).toBe(404);
    // The head sees every case of the reglaments whose steps name the head's group.
    expect((await cases(head, `?processDefinitionKey=${KEY}`)).total).toBe(started.length);
  });

  it('lists only applications, never the flows they called', async () => {
    const page = await cases(admin, '?maxResults=1000');
    expect(page.items.every((c: any) => c.processDefinitionKey !== 'elicense-provider-intake')).toBe(true);
  });

  it('shows the applicant in the task list', async () => {
    const task = await openTaskOf(started[3].id);
    const list = (await t.call(office, 'GET', '/tasks?maxResults=1000')).body.items;
    expect(list.find((x: any) => x.id === task)).toMatchObject({ applicantName: started[3].applicantName, applicantIinBin: started[3].applicantIinBin });
  });

  describe('the case number is unique per reglament', () => {
    const count = async () => (await t.call(admin, 'GET', '/process-instances?maxResults=1')).body.total;

    it.each([
      ['/api', async () => startApplication({ businessKey: 'WR-FIRST' }), (b: any) => expect(b.error).toMatchObject({ code: 'CASE_NUMBER_TAKEN', details: { instanceId: started[0].id, businessKey: 'WR-FIRST' } })],
      ['/api, with spaces around it', async () => startApplication({ businessKey: '  WR-FIRST ' }), (b: any) => expect(b.error.details.instanceId).toBe(started[0].id)],
      [
        '/engine-rest',
        async () => {
          const applicant = await t.sim.prepareApplicant({ kind: 'legal-entity', processKey: KEY });
          const variables = Object.fromEntries(Object.entries({ ...applicant, channel: 'provider', variant: 'registration', applicantKind: 'legal-entity' }).map(([k, v]) => [k, { value: v, type: 'String' }]));
          const res = await fetch(`${t.url}/engine-rest/process-definition/key/${KEY}/start`, { method: 'POST', headers: { authorization: 'Bearer token-of-office-user', 'content-type': 'application/json' }, body: JSON.stringify({ businessKey: 'WR-FIRST', variables }) });
          return { status: res.status, body: await res.json() };
        },
        (b: any) => expect(b.message).toContain(started[0].id),
      ],
    ])('a repeated number through %s is a 409 naming the case, and nothing is stored', async (_name, send, check) => {
      const before = await count();
      const lookups = t.simulators.gbd.lookups.length;
      const res = await send();
      expect(res.status).toBe(409);
      check(res.body);
      expect(await count()).toBe(before);
      expect(t.simulators.gbd.lookups.length).toBe(lookups);
    });

    it('generates distinct numbers for concurrent starts', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => startApplication()));
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
      const numbers = results.map((r) => r.body.businessKey);
      expect(new Set(numbers).size).toBe(8);
      const all = (await cases(admin, `?processDefinitionKey=${KEY}&maxResults=1000`)).items.map((c: any) => c.caseNumber);
      expect(new Set(all).size).toBe(all.length);
    });

    it('may repeat in another reglament', async () => {
      const other = 'weapon-activity-license';
      const fields = (await t.call(admin, 'GET', `/process-definitions/${other}`)).body.startFormFields;
      const res = await t.call(office, 'POST', `/process-definitions/${other}/start`, { businessKey: 'WR-FIRST', variables: await startValues(t, other, fields) });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ businessKey: 'WR-FIRST', processDefinitionKey: other });
    });
  });

  describe('field errors before legal outcomes', () => {
    it('a mistyped BIN is a 400 at the field; no state database is asked and nothing is stored', async () => {
      const applicant = await t.sim.prepareApplicant({ kind: 'legal-entity', processKey: KEY });
      const bin = applicant.applicantIinBin;
      const typo = `${bin.slice(0, 11)}${(Number(bin[11]) + 1) % 10}`;
      const lookups = t.simulators.gbd.lookups.length;
      const before = (await t.call(admin, 'GET', '/process-instances?maxResults=1')).body.total;
      const res = await t.call(office, 'POST', START, { variables: { ...applicant, applicantIinBin: typo, channel: 'provider', variant: 'registration', applicantKind: 'legal-entity' } });
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields).toEqual([{ field: 'applicantIinBin', message: expect.stringContaining('control digit') }]);
      expect(t.simulators.gbd.lookups.length).toBe(lookups);
      expect((await t.call(admin, 'GET', '/process-instances?maxResults=1')).body.total).toBe(before);
    });

    it('a start whose run ended at once answers with its real state and outcome', async () => {
      const res = await startApplication({ user: t.unregisteredEmployee });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ state: 'completed', outcome: 'refused-employee-authorization', outcomeName: expect.any(String) });
      expect((await cases(admin, `?caseNumber=${res.body.businessKey}`)).items[0]).toMatchObject({ state: 'completed', outcome: 'refused-employee-authorization', endedAt: expect.any(String) });
    });

    it('a variable no form declares is refused at that variable', async () => {
      const applicant = await t.sim.prepareApplicant({ kind: 'legal-entity', processKey: KEY });
      const res = await t.call(office, 'POST', START, { variables: { ...applicant, channel: 'provider', variant: 'registration', applicantKind: 'legal-entity', foo: 1 } });
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields).toEqual([{ field: 'foo', message: expect.stringContaining('is not a field of this form') }]);
    });
  });
});

describe('the same case number given by concurrent starts', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  it('starts one application; the others are 409 CASE_NUMBER_TAKEN naming it (the unique index decides a race)', async () => {
    const bodies = await Promise.all(
      Array.from({ length: 5 }, async () => ({ businessKey: 'WR-RACE', variables: { ...(await t.sim.prepareApplicant({ kind: 'legal-entity', processKey: KEY })), channel: 'provider', variant: 'registration', applicantKind: 'legal-entity' } })),
    );
    const answers = await Promise.all(bodies.map((body) => t.call(office, 'POST', START, body)));
    const started = answers.filter((a) => a.status === 201);
    expect(started).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.map((a) => [a.status, a.body.error.code, a.body.error.details.instanceId])).toEqual(refused.map(() => [409, 'CASE_NUMBER_TAKEN', started[0].body.id]));
    expect((await t.call(admin, 'GET', `/cases?caseNumber=WR-RACE`)).body.total).toBe(1);
  });
});
