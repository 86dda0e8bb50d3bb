import path from 'node:path';
import { createDefaultHandlers } from '../../src/handlers';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';

/*
 * Issue 20 point 3, process definitions on /engine-rest as a Camunda 7.24 client (webapps-neo's start
 * dialog, a cockpit's definition list) uses them: the query with filters, sorting, paging and count,
 * the XML, the start form (startForm, form-variables, submit-form) by id and by key, and the
 * statistics per definition and per activity. The fixture er-application has a start form with a
 * required, an optional, a defaulted and an enum field; only group office starts it.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/engine-rest');

describe('process definitions on /engine-rest', () => {
  let t: TestHost;

  beforeAll(async () => {
    // The registry is down for the whole file: a registration always ends in an incident.
    const handlers = createDefaultHandlers().register('er.register', 'Test registry (down)', async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:9');
    }, ['registrationNumber']);
    t = await startTestHost({ processesDir: FIXTURES, handlers });
  });
  afterAll(() => t.close());

  async function camunda(user: string, method: string, route: string, body?: unknown) {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Basic ${Buffer.from(`${user}:${tokenOf(user)}`).toString('base64')}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${t.url}/engine-rest${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  const definitionJson = (id: string, key: string, name: string, startable: boolean) => ({
    id,
    key,
    category: 'http://bpmn.io/schema/bpmn',
    description: expect.any(String),
    name,
    version: 1,
    resource: expect.stringMatching(/\.bpmn$/),
    deploymentId: expect.any(String),
    diagram: null,
    suspended: false,
    tenantId: null,
    versionTag: null,
    historyTimeToLive: null,
    startableInTasklist: startable,
  });

  it('discovers the start form by key and by id: generated (no form key), its declared fields typed, defaults as values', async () => {
    const expected = {
      applicantName: { type: 'String', value: null, valueInfo: {} },
      category: { type: 'String', value: 'a', valueInfo: {} },
      amount: { type: 'Long', value: null, valueInfo: {} },
      urgent: { type: 'Boolean', value: false, valueInfo: {} },
      filedOn: { type: 'Date', value: null, valueInfo: {} },
    };
    for (const base of ['/process-definition/key/er-application', '/process-definition/er-application:1']) {
      expect(await camunda('olga-office', 'GET', `${base}/form-variables`)).toEqual({ status: 200, body: expected });
      expect(await camunda('olga-office', 'GET', `${base}/startForm`)).toEqual({ status: 200, body: { key: null, camundaFormRef: null, contextPath: null } });
    }
    expect((await camunda('olga-office', 'GET', '/process-definition/key/er-application/form-variables?variableNames=amount,urgent')).body).toEqual({ amount: expected.amount, urgent: expected.urgent });
    // A flow without a start form answers an empty form, not a 404.
    expect(await camunda('olga-office', 'GET', '/process-definition/key/er-review/form-variables')).toEqual({ status: 200, body: {} });
    // /api serves the same start form as a JSON Schema.
    const api = await t.call('olga-office', 'GET', '/process-definitions/er-application');
    expect(api.status).toBe(200);
    expect(api.body.startFormFields.map((f: { id: string }) => f.id)).toEqual(Object.keys(expected));
    expect(api.body.startFormSchema.required).toEqual(['applicantName']);
  });

  it.each([
    ['an unknown key', 'GET', '/process-definition/key/no-such/form-variables', 404, 'InvalidRequestException', 'No matching process definition with key: no-such'],
    ['an unknown id', 'GET', '/process-definition/no-such:1/startForm', 404, 'InvalidRequestException', 'No matching definition with id no-such:1'],
    ['an unknown id (xml)', 'GET', '/process-definition/no-such:1/xml', 404, 'InvalidRequestException', 'No matching definition with id no-such:1'],
    ['sortBy without sortOrder', 'GET', '/process-definition?sortBy=key', 400, 'InvalidRequestException', 'sortBy and sortOrder required'],
    ['an unknown sortBy', 'GET', '/process-definition?sortBy=colour&sortOrder=asc', 400, 'InvalidRequestException', "'sortBy' to value 'colour'"],
    ['a bad flag', 'GET', '/process-definition?latestVersion=yes', 400, 'InvalidRequestException', "'latestVersion' to value 'yes'"],
    ['tenants', 'GET', '/process-definition?tenantIdIn=t1', 400, 'InvalidRequestException', 'no tenants'],
  ])('%s is Camunda error shape', async (_what, method, route, status, type, message) => {
    const answer = await camunda('olga-office', method, route);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ type, message: expect.stringContaining(message) });
  });

  it('queries definitions with filters, sorting, paging and count', async () => {
    const application = definitionJson('er-application:1', 'er-application', 'Engine-rest application', true);
    const review = definitionJson('er-review:1', 'er-review', 'Engine-rest review', false);
    const cases: [string, string, unknown[]][] = [
      ['olga-office', '/process-definition', [application, review]],
      ['olga-office', '/process-definition?sortBy=key&sortOrder=desc', [review, application]],
      ['olga-office', '/process-definition?key=er-review', [review]],
      ['olga-office', '/process-definition?keyLike=er-app%25', [application]],
      ['olga-office', '/process-definition?nameLike=%25review', [review]],
      ['olga-office', '/process-definition?latestVersion=true&firstResult=1&maxResults=1', [review]],
      ['olga-office', '/process-definition?maxResults=0', []],
      ['olga-office', '/process-definition?suspended=true', []],
      // webapps-neo's start dialog: startable in the tasklist and by this user.
      ['olga-office', '/process-definition?latest=true&active=true&startableInTasklist=true&startablePermissionCheck=true&firstResult=0&maxResults=15', [application]],
      ['sanzhar-specialist', '/process-definition?startableInTasklist=true&startablePermissionCheck=true', []],
      ['sanzhar-specialist', '/process-definition?startableInTasklist=true', [application]],
    ];
    for (const [user, route, expected] of cases) {
      const answer = await camunda(user, 'GET', route);
      expect({ route, user, ...answer }).toEqual({ route, user, status: 200, body: expected });
      const count = await camunda(user, 'GET', route.replace('/process-definition', '/process-definition/count').replace(/[?&](firstResult|maxResults)=\d+/g, ''));
      if (!/maxResults|firstResult/.test(route)) expect({ route, count: count.body }).toEqual({ route, count: { count: expected.length } });
    }
    const deploymentId = (await camunda('olga-office', 'GET', '/process-definition/er-review:1')).body.deploymentId as string;
    expect((await camunda('olga-office', 'GET', `/process-definition?deploymentId=${deploymentId}&resourceName=er-review.bpmn`)).body).toEqual([review]);
  });

  it('names the flows a version calls, and counts a deployment’s running instances', async () => {
    expect(await camunda('olga-office', 'GET', '/process-definition/er-application:1/static-called-process-definitions')).toEqual({
      status: 200,
      body: [{ ...definitionJson('er-review:1', 'er-review', 'Engine-rest review', false), calledFromActivityIds: ['call-review'], callingProcessDefinitionId: 'er-application:1' }],
    });
    expect((await camunda('olga-office', 'GET', '/process-definition/er-review:1/static-called-process-definitions')).body).toEqual([]);
    const deploymentId = (await camunda('olga-office', 'GET', '/process-definition/er-application:1')).body.deploymentId as string;
    const before = (await camunda('olga-office', 'POST', '/process-instance/count', { deploymentId })).body.count as number;
    await camunda('olga-office', 'POST', '/process-definition/key/er-application/submit-form', { variables: { applicantName: { value: 'Counted', type: 'String' } } });
    expect(await camunda('olga-office', 'POST', '/process-instance/count', { deploymentId })).toEqual({ status: 200, body: { count: before + 1 } });
    expect(await camunda('olga-office', 'POST', '/process-instance/count', { deploymentId: 'no-such-deployment' })).toEqual({ status: 200, body: { count: 0 } });
  });

  it('answers the BPMN XML by id and by key', async () => {
    for (const base of ['/process-definition/er-review:1', '/process-definition/key/er-review']) {
      const xml = await camunda('olga-office', 'GET', `${base}/xml`);
      expect(xml.status).toBe(200);
      expect(xml.body).toEqual({ id: 'er-review:1', bpmn20Xml: expect.stringContaining('<bpmn:process id="er-review"') });
    }
  });

  it('submit-form starts only with declared, valid fields and only for a starter; a refusal stores nothing', async () => {
    const before = (await camunda('admin', 'GET', '/process-instance/count')).body.count as number;
    const refusals: [string, string, unknown, number, string, string][] = [
      ['an undeclared field', 'olga-office', { variables: { applicantName: { value: 'Aigerim', type: 'String' }, registrationNumber: { value: 'FORGED', type: 'String' } } }, 400, 'InvalidRequestException', 'registrationNumber'],
      ['a missing required field', 'olga-office', { variables: { amount: { value: 5, type: 'Long' } } }, 400, 'InvalidRequestException', 'applicantName'],
      ['a wrong type', 'olga-office', { variables: { applicantName: { value: 'A', type: 'String' }, amount: { value: 'five', type: 'Long' } } }, 400, 'InvalidRequestException', "variable 'amount'"],
      ['an enum value not declared', 'olga-office', { variables: { applicantName: { value: 'A', type: 'String' }, category: { value: 'z', type: 'String' } } }, 400, 'InvalidRequestException', 'category'],
      ['a user who is no starter', 'sanzhar-specialist', { variables: { applicantName: { value: 'A', type: 'String' } } }, 403, 'AuthorizationException', 'may not start'],
      ['not a JSON object', 'olga-office', [1, 2], 400, 'InvalidRequestException', 'JSON object'],
    ];
    for (const [what, user, body, status, type, message] of refusals) {
      const answer = await camunda(user, 'POST', '/process-definition/key/er-application/submit-form', body);
      expect({ what, status: answer.status, body: answer.body }).toEqual({ what, status, body: { type, message: expect.stringContaining(message) } });
    }
    // A flow only call activities start is refused to everyone, an admin included.
    const flow = await camunda('admin', 'POST', '/process-definition/er-review:1/submit-form', { variables: {} });
    expect(flow).toEqual({ status: 403, body: { type: 'AuthorizationException', message: expect.stringContaining('call activity') } });
    expect((await camunda('admin', 'GET', '/process-instance/count')).body.count).toBe(before);

    const started = await camunda('olga-office', 'POST', '/process-definition/er-application:1/submit-form', { businessKey: 'ER-SUBMIT-1', variables: { applicantName: { value: 'Aigerim', type: 'String' }, urgent: { value: true, type: 'Boolean' } } });
    expect(started).toEqual({
      status: 200,
      body: { links: [{ method: 'GET', href: expect.stringMatching(/\/engine-rest\/process-instance\/[\w-]+$/), rel: 'self' }], id: expect.any(String), definitionId: 'er-application:1', definitionKey: 'er-application', businessKey: 'ER-SUBMIT-1', caseInstanceId: null, ended: false, suspended: false, tenantId: null },
    });
    const variables = (await camunda('olga-office', 'GET', `/process-instance/${started.body.id}/variables`)).body;
    expect(variables).toMatchObject({ applicantName: { type: 'String', value: 'Aigerim' }, urgent: { type: 'Boolean', value: true } });
  });

  it('counts running instances per definition and per activity, with incidents when asked', async () => {
    const start = async (name: string) => (await camunda('olga-office', 'POST', '/process-definition/key/er-application/submit-form', { variables: { applicantName: { value: name, type: 'String' } } })).body.id as string;
    const baseline = (await camunda('admin', 'GET', '/process-definition/er-application:1/statistics')).body as { id: string; instances: number }[];
    const atCheck = baseline.find((s) => s.id === 'check')?.instances ?? 0;
    await start('Statistics one');
    const second = await start('Statistics two');
    // Drive the second to the registration, whose system is down: an incident there.
    const check = (await camunda('olga-office', 'GET', `/task?processInstanceId=${second}`)).body[0];
    expect((await camunda('olga-office', 'POST', `/task/${check.id}/complete`, { variables: { approved: { value: true, type: 'Boolean' } } })).status).toBe(204);
    const child = (await camunda('admin', 'GET', `/process-instance?superProcessInstance=${second}`)).body[0];
    const review = (await camunda('sanzhar-specialist', 'GET', `/task?processInstanceId=${child.id}`)).body[0];
    expect((await camunda('sanzhar-specialist', 'POST', `/task/${review.id}/complete`, { variables: { checked: { value: true, type: 'Boolean' } } })).status).toBe(204);

    const perActivity = (await camunda('admin', 'GET', '/process-definition/er-application:1/statistics?failedJobs=true&incidents=true')).body as { id: string }[];
    expect(perActivity.find((s) => s.id === 'check')).toEqual({ id: 'check', instances: atCheck + 1, failedJobs: 0, incidents: [] });
    expect(perActivity.find((s) => s.id === 'register')).toEqual({ id: 'register', instances: expect.any(Number), failedJobs: expect.any(Number), incidents: [{ incidentType: 'failedJob', incidentCount: expect.any(Number) }] });
    const register = perActivity.find((s) => s.id === 'register') as unknown as { instances: number; failedJobs: number; incidents: { incidentCount: number }[] };
    expect(register.failedJobs).toBe(register.instances);
    expect(register.incidents[0].incidentCount).toBe(register.instances);
    // Without failedJobs/incidents the counts are not computed, as in Camunda.
    expect((await camunda('admin', 'GET', '/process-definition/er-application:1/statistics')).body.find((s: { id: string }) => s.id === 'register')).toEqual({ id: 'register', instances: register.instances, failedJobs: 0, incidents: [] });

    const all = (await camunda('admin', 'GET', '/process-definition/statistics?incidents=true')).body as { id: string; instances: number; failedJobs: number; incidents: unknown[]; definition: { id: string } }[];
    expect(all.map((s) => s.id).sort()).toEqual(['er-application:1', 'er-review:1']);
    const application = all.find((s) => s.id === 'er-application:1')!;
    expect(application).toEqual({ id: 'er-application:1', instances: expect.any(Number), failedJobs: 0, incidents: [{ incidentType: 'failedJob', incidentCount: register.instances }], definition: definitionJson('er-application:1', 'er-application', 'Engine-rest application', true) });
    // A user of another office counts none of these instances.
    const stranger = (await camunda('bota-other-bodies', 'GET', '/process-definition/statistics')).body as { instances: number }[];
    expect(stranger.map((s) => s.instances)).toEqual([0, 0]);
    expect((await camunda('bota-other-bodies', 'GET', '/process-definition/er-application:1/statistics')).body).toEqual([]);
  });
});
