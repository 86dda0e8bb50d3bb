import path from 'node:path';
import { createDefaultHandlers } from '../../src/handlers';
import { camundaCall } from '../support/camunda-client';
import { startTestHost, TestHost } from '../support/test-host';

/*
 * The runtime incident resource on /engine-rest (issue 20): GET /incident and /incident/count answer
 * the open incidents of the instances the user may see, in Camunda's IncidentDto, as webapps-neo's
 * cockpit asks for them (frontend/src/api/resources/incident.js: by processInstanceId and by
 * processDefinitionId). A resolved incident leaves the runtime list and stays in /history/incident.
 * The application of the fixture er-application reaches its registration, whose system is down.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/engine-rest');
const camundaDate = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/);

describe('GET /engine-rest/incident', () => {
  let t: TestHost;
  let registryDown = true;
  let instanceId: string;

  const ok = async (user: string, method: string, route: string, body?: unknown) => {
    const answer = await camundaCall(t, user, method, route, body);
    expect({ route, status: answer.status }).toEqual({ route, status: answer.status === 204 ? 204 : 200 });
    return answer.body;
  };

  beforeAll(async () => {
    const handlers = createDefaultHandlers().register(
      'er.register',
      'Test registry',
      async () => {
        if (registryDown) throw new Error('connect ECONNREFUSED 127.0.0.1:9');
        return { registrationNumber: 'REG-1' };
      },
      ['registrationNumber'],
    );
    t = await startTestHost({ processesDir: FIXTURES, handlers });
    instanceId = (await ok('olga-office', 'POST', '/process-definition/key/er-application/submit-form', { businessKey: 'INC-1', variables: { applicantName: { value: 'Aigerim', type: 'String' }, amount: { value: 7, type: 'Long' } } })).id;
    const [check] = await ok('olga-office', 'GET', `/task?processInstanceId=${instanceId}`);
    await ok('olga-office', 'POST', `/task/${check.id}/claim`, { userId: 'olga-office' });
    await ok('olga-office', 'POST', `/task/${check.id}/submit-form`, { variables: { approved: { value: true, type: 'Boolean' } } });
    const [review] = await ok('admin', 'GET', `/process-instance?superProcessInstance=${instanceId}`);
    const [reviewTask] = await ok('sanzhar-specialist', 'GET', `/task?processInstanceId=${review.id}`);
    await ok('sanzhar-specialist', 'POST', `/task/${reviewTask.id}/claim`, { userId: 'sanzhar-specialist' });
    await ok('sanzhar-specialist', 'POST', `/task/${reviewTask.id}/complete`, { variables: { checked: { value: true, type: 'Boolean' } } });
  });
  afterAll(() => t.close());

  it("lists the instance's open incident in Camunda's shape, by instance and by definition, and counts it", async () => {
    const incidents = await ok('olga-office', 'GET', `/incident?processInstanceId=${instanceId}`);
    expect(incidents).toEqual([
      {
        id: expect.any(String),
        processDefinitionId: 'er-application:1',
        processInstanceId: instanceId,
        executionId: instanceId,
        incidentTimestamp: camundaDate,
        incidentType: 'failedJob',
        activityId: 'register',
        failedActivityId: 'register',
        causeIncidentId: incidents[0].id,
        rootCauseIncidentId: incidents[0].id,
        configuration: expect.any(String),
        incidentMessage: expect.stringContaining('ECONNREFUSED'),
        tenantId: null,
        jobDefinitionId: null,
        annotation: null,
      },
    ]);
    expect(await ok('olga-office', 'GET', '/incident?processDefinitionId=er-application:1')).toEqual(incidents);
    expect(await ok('olga-office', 'GET', `/incident/count?processInstanceId=${instanceId}`)).toEqual({ count: 1 });
    expect(await ok('olga-office', 'GET', `/incident?processInstanceId=${instanceId}&activityId=check`)).toEqual([]);
    expect(await ok('olga-office', 'GET', `/incident?processInstanceId=${instanceId}&incidentType=failedExternalTask`)).toEqual([]);
    expect(await ok('olga-office', 'GET', `/incident?incidentId=${incidents[0].id}&sortBy=incidentTimestamp&sortOrder=desc`)).toEqual(incidents);
  });

  it('shows a user of another office nothing, and refuses what it cannot filter by', async () => {
    expect(await ok('nobody', 'GET', `/incident?processInstanceId=${instanceId}`)).toEqual([]);
    expect(await ok('nobody', 'GET', '/incident/count')).toEqual({ count: 0 });
    const tenants = await camundaCall(t, 'olga-office', 'GET', '/incident?tenantIdIn=x');
    expect([tenants.status, tenants.body]).toEqual([400, { type: 'InvalidRequestException', message: "Query parameter 'tenantIdIn' is not supported by this server: it has no tenants" }]);
    expect((await camundaCall(t, 'olga-office', 'GET', '/incident?sortBy=nothing&sortOrder=asc')).status).toBe(400);
  });

  it('drops a resolved incident from the runtime list; the history keeps it', async () => {
    const [open] = await ok('admin', 'GET', `/incident?processInstanceId=${instanceId}`);
    registryDown = false;
    const retried = await t.call('admin', 'POST', `/process-instances/${instanceId}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.resolved).toBe(true);
    expect(await ok('admin', 'GET', `/incident?processInstanceId=${instanceId}`)).toEqual([]);
    expect(await ok('admin', 'GET', `/incident/count?processInstanceId=${instanceId}`)).toEqual({ count: 0 });
    expect(await ok('admin', 'GET', `/history/incident?processInstanceId=${instanceId}`)).toEqual([expect.objectContaining({ id: open.id, open: false, resolved: true })]);
  });
});
