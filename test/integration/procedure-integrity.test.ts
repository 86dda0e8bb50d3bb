import { DriveOptions, DriveResult, driveReglament, snapshotOf, startFormOf, starterOf, startValues } from '../support/reglament-driver';
import { startTestHost, tokenOf, TestHost } from '../support/test-host';

/*
 * Issue 13, findings 1 and 2: what an office insider tried, each refused with a 400 that names the
 * forged field, nothing stored, and the application, completed properly afterwards, ending where a
 * control run with the same honest choices ends.
 */

const COTTON = 'cotton-warehouse-license';
const WEAPON = 'weapon-registration';
const REFUSED = { decision: 'refused', refusalReason: 'Негіздерге сәйкес емес' };

interface Scenario {
  key: string;
  tasks?: DriveOptions['tasks'];
  /** Where the honest run ends (the control run is checked against it). */
  outcome: string;
}
const SCENARIOS: Record<string, Scenario> = {
  'cotton, issue': { key: COTTON, outcome: 'licence-issued' },
  'weapon registration, refused by the specialist': { key: WEAPON, tasks: { 'prepare-permit-individual': REFUSED, 'prepare-permit-legal-entity': REFUSED }, outcome: 'refused-qualification' },
};

describe('the procedure cannot be bypassed', () => {
  let t: TestHost;
  const controls = new Map<string, DriveResult>();
  let runs = 0;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  async function control(scenario: string): Promise<DriveResult> {
    if (!controls.has(scenario)) {
      const result = await driveReglament(t, { ...SCENARIOS[scenario], businessKey: `PI-CONTROL-${runs++}` });
      expect(result.outcome).toBe(SCENARIOS[scenario].outcome);
      controls.set(scenario, result);
    }
    return controls.get(scenario)!;
  }

  function namedFields(body: any): string[] {
    return ((body?.error?.details?.fields ?? []) as { field: string }[]).map((f) => f.field).sort();
  }

  it.each([
    // The cotton application was started as an issue; "duplicate" would skip the checks, the other bodies' conclusion and the head's signature.
    ['an office clerk re-labels an issue as a duplicate at registration', 'cotton, issue', 'register-application', { variant: 'duplicate' }],
    ['the office turns a refusal the specialist decided, agreed and signed into a permit', 'weapon registration, refused by the specialist', 'register-outgoing', { decision: 'issued' }],
    ['a specialist hands in any text as the licence', 'cotton, issue', 'formalise-licence', { resultDocument: 'any text' }],
    ['a clerk adds a registration number and a licence number of their own', 'cotton, issue', 'register-application', { registrationNumber: 'REG-FORGED', licenceNumber: 'LIC-FORGED' }],
  ] as const)('%s: 400 naming the field, nothing stored, the proper run ends as the control run', async (_name, scenario, taskKey, forged) => {
    const expected = await control(scenario);
    expect(expected.completed).toContain(taskKey);
    const businessKey = `PI-TASK-${runs++}`;
    let tried = false;
    const result = await driveReglament(t, {
      ...SCENARIOS[scenario],
      businessKey,
      beforeComplete: async (task, user, values) => {
        if (task.taskDefinitionKey !== taskKey) return;
        const before = await snapshotOf(t, task.processInstanceId, businessKey);
        const answer = await t.call(user, 'POST', `/tasks/${task.id}/complete`, { variables: { ...values, ...forged } });
        expect({ status: answer.status, code: answer.body?.error?.code, fields: namedFields(answer.body) }).toEqual({ status: 400, code: 'VALIDATION_FAILED', fields: Object.keys(forged).sort() });
        expect(await snapshotOf(t, task.processInstanceId, businessKey)).toEqual(before);
        tried = true;
      },
    });
    expect(tried).toBe(true);
    expect({ outcome: result.outcome, completed: result.completed }).toEqual({ outcome: expected.outcome, completed: expected.completed });
    for (const [name, value] of Object.entries(forged)) expect(result.variables[name]).not.toEqual(value);
  });

  it.each([
    ['registrationNumber', () => 'REG-20250101-FORGED'],
    ['elicenseRequestNumber', (c: DriveResult) => c.variables.elicenseRequestNumber],
    ['scReceiptNumber', () => 'SC-FORGED'],
    ['licenceNumber', () => 'KZ-LIC-FORGED'],
    ['refusalNumber', () => 'REF-FORGED'],
    ['startedBy', () => 'olga-office'],
    ['serviceKey', () => 'weapon-registration'],
  ] as const)('a start with %s is a 400 naming it; nothing is started; the proper start ends as the control run', async (name, valueOf) => {
    const expected = await control('cotton, issue');
    const value = valueOf(expected);
    expect(value).toEqual(expect.any(String));
    const businessKey = `PI-START-${runs++}`;
    let tried = false;
    const result = await driveReglament(t, {
      ...SCENARIOS['cotton, issue'],
      businessKey,
      beforeStart: async (starter, values) => {
        const answer = await t.call(starter, 'POST', `/process-definitions/${COTTON}/start`, { businessKey, variables: { ...values, [name]: value } });
        expect({ status: answer.status, code: answer.body?.error?.code, fields: namedFields(answer.body) }).toEqual({ status: 400, code: 'VALIDATION_FAILED', fields: [name] });
        expect(answer.body.error.details.fields[0].message).toMatch(/is not a field of this form \(declared: .*applicantIinBin/);
        expect((await t.call('admin', 'GET', `/process-instances?businessKey=${businessKey}`)).body).toMatchObject({ total: 0 });
        tried = true;
      },
    });
    expect(tried).toBe(true);
    expect({ outcome: result.outcome, completed: result.completed }).toEqual({ outcome: expected.outcome, completed: expected.completed });
    expect(result.variables[name]).not.toEqual(value);
  });

  it('a start through /engine-rest with an undeclared variable is a 400 naming it, and starts nothing', async () => {
    const { fields, starterGroups } = await startFormOf(t, COTTON);
    const values = await startValues(t, COTTON, fields);
    const businessKey = `PI-ENGINE-REST-${runs++}`;
    const typed = Object.fromEntries(Object.entries({ ...values, registrationNumber: 'REG-FORGED' }).map(([k, v]) => [k, { value: v, type: typeof v === 'boolean' ? 'Boolean' : 'String' }]));
    const res = await fetch(`${t.url}/engine-rest/process-definition/key/${COTTON}/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenOf(starterOf(t, starterGroups))}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ businessKey, variables: typed }),
    });
    const body = (await res.json()) as { type: string; message: string };
    expect({ status: res.status, type: body.type }).toEqual({ status: 400, type: 'InvalidRequestException' });
    expect(body.message).toMatch(/registrationNumber: is not a field of this form/);
    expect((await t.call('admin', 'GET', `/process-instances?businessKey=${businessKey}`)).body).toMatchObject({ total: 0 });
  });

  it('a completion of a task whose form declares no field names that, one problem per field', async () => {
    const businessKey = `PI-NO-FIELDS-${runs++}`;
    await driveReglament(t, {
      key: COTTON,
      businessKey,
      beforeComplete: async (task, user) => {
        if (task.taskDefinitionKey !== 'register-application') return;
        const answer = await t.call(user, 'POST', `/tasks/${task.id}/complete`, { variables: { variant: 'duplicate', decision: 'issued' } });
        expect(answer.status).toBe(400);
        expect(answer.body.error.details.fields).toEqual([
          { field: 'variant', message: "is not a field of this form (this step's form declares no field)" },
          { field: 'decision', message: "is not a field of this form (this step's form declares no field)" },
        ]);
      },
    });
  });
});
