import path from 'node:path';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';

/*
 * Replays what a Camunda 7 tasklist sends to /engine-rest (issue 20, points 1 and 2): it keeps the
 * user's filters (POST /filter/create, GET /filter?resourceType=Task&itemCount=true), lists a filter's
 * tasks (POST /filter/{id}/list?firstResult&maxResults with a sorting body), opens a task
 * (GET /task/{id}), reads its form (GET /task/{id}/form-variables), claims it (POST /task/{id}/claim
 * {userId}) and submits the form (POST /task/{id}/submit-form with Camunda-typed variables). Every
 * request is HTTP Basic with the user id and token, accept: application/json.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/assignment');

describe('a Camunda 7 tasklist against /engine-rest', () => {
  let t: TestHost;

  beforeAll(async () => {
    t = await startTestHost({ processesDir: FIXTURES });
  });
  afterAll(() => t.close());

  async function camunda(user: string, method: string, route: string, body?: unknown) {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Basic ${Buffer.from(`${user}:${tokenOf(user)}`).toString('base64')}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${t.url}/engine-rest${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async function newApplication(): Promise<string> {
    const started = await t.call('office-user', 'POST', '/process-definitions/assign-chain/start', { variables: {} });
    expect(started.status).toBe(201);
    return started.body.id as string;
  }

  /** Camunda's date format, yyyy-MM-dd'T'HH:mm:ss.SSSZ. */
  const camundaDate = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/);

  it('lists a filter, its tasks, opens one, reads its form, claims it and submits the form', async () => {
    const instanceId = await newApplication();

    const created = await camunda('office-user', 'POST', '/filter/create', { resourceType: 'Task', name: 'Office', owner: 'office-user', query: { candidateGroup: 'office', processInstanceId: instanceId }, properties: { color: '#555555', priority: 1 } });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ id: expect.any(String), resourceType: 'Task', name: 'Office', owner: 'office-user', query: { candidateGroup: 'office', processInstanceId: instanceId }, properties: { color: '#555555', priority: 1 } });
    const filterId = created.body.id as string;

    const filters = await camunda('office-user', 'GET', '/filter?resourceType=Task&itemCount=true');
    expect(filters.status).toBe(200);
    expect(filters.body).toEqual([{ ...created.body, itemCount: 1 }]);
    // Filters are their owner's: another user neither lists nor opens it.
    expect((await camunda('office-user-2', 'GET', '/filter?resourceType=Task')).body).toEqual([]);
    const foreign = await camunda('office-user-2', 'GET', `/filter/${filterId}`);
    expect(foreign).toEqual({ status: 404, body: { type: 'InvalidRequestException', message: `Filter with id '${filterId}' does not exist.` } });

    const listed = await camunda('office-user', 'POST', `/filter/${filterId}/list?firstResult=0&maxResults=15`, { sorting: [{ sortBy: 'created', sortOrder: 'desc' }] });
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);
    const task = listed.body[0];
    expect(task).toEqual({
      id: expect.any(String),
      name: 'office step',
      assignee: null,
      owner: null,
      created: camundaDate,
      lastUpdated: null,
      due: camundaDate,
      followUp: null,
      delegationState: null,
      description: null,
      executionId: expect.any(String),
      parentTaskId: null,
      priority: 50,
      processDefinitionId: 'assign-chain:1',
      processInstanceId: instanceId,
      taskDefinitionKey: 'first',
      caseExecutionId: null,
      caseInstanceId: null,
      caseDefinitionId: null,
      suspended: false,
      formKey: null,
      camundaFormRef: null,
      tenantId: null,
    });
    expect(await camunda('office-user', 'GET', `/filter/${filterId}/count`)).toEqual({ status: 200, body: { count: 1 } });
    // The request's body extends the stored query: no task of this instance is assigned to the user yet.
    expect((await camunda('office-user', 'POST', `/filter/${filterId}/list`, { assignee: 'office-user' })).body).toEqual([]);

    const opened = await camunda('office-user', 'GET', `/task/${task.id}`);
    expect(opened).toEqual({ status: 200, body: task });

    const form = await camunda('office-user', 'GET', `/task/${task.id}/form-variables`);
    expect(form).toEqual({ status: 200, body: { firstNote: { type: 'String', value: null, valueInfo: {} } } });

    const links = await camunda('office-user', 'GET', `/task/${task.id}/identity-links`);
    expect(links).toEqual({ status: 200, body: [{ userId: null, groupId: 'office', type: 'candidate' }] });

    expect(await camunda('office-user', 'POST', `/task/${task.id}/claim`, { userId: 'office-user' })).toEqual({ status: 204, body: undefined });
    expect((await camunda('office-user', 'GET', `/task/${task.id}`)).body.assignee).toBe('office-user');
    const lost = await camunda('office-user-2', 'POST', `/task/${task.id}/claim`, { userId: 'office-user-2' });
    expect(lost.status).toBe(500);
    expect(lost.body).toEqual({ type: 'TaskAlreadyClaimedException', message: expect.stringContaining(task.id) });

    // Only the form's declared fields: stricter than Camunda (docs/camunda-7.md).
    const undeclared = await camunda('office-user', 'POST', `/task/${task.id}/submit-form`, { variables: { firstNote: { value: 'ok', type: 'String' }, approved: { value: true, type: 'Boolean' } } });
    expect(undeclared.status).toBe(400);
    expect(undeclared.body).toEqual({ type: 'InvalidRequestException', message: expect.stringContaining('approved') });

    const submitted = await camunda('office-user', 'POST', `/task/${task.id}/submit-form`, { variables: { firstNote: { value: 'checked', type: 'String' } } });
    expect(submitted).toEqual({ status: 204, body: undefined });
    // The task is done: it no longer exists for the runtime task resource; the head's step is next.
    expect((await camunda('office-user', 'GET', `/task/${task.id}`)).status).toBe(404);
    const next = await camunda('head-user', 'GET', `/task?processInstanceId=${instanceId}`);
    expect(next.body.map((x: { taskDefinitionKey: string }) => x.taskDefinitionKey)).toEqual(['second']);
  });

  it('completes with withVariablesInReturn: the instance variables, Camunda-typed', async () => {
    const instanceId = await newApplication();
    const [task] = (await camunda('office-user', 'GET', `/task?processInstanceId=${instanceId}`)).body;
    await camunda('office-user', 'POST', `/task/${task.id}/claim`, { userId: 'office-user' });
    const done = await camunda('office-user', 'POST', `/task/${task.id}/complete`, { variables: { firstNote: { value: 'fine', type: 'String' } }, withVariablesInReturn: true });
    expect(done.status).toBe(200);
    expect(done.body.firstNote).toEqual({ type: 'String', value: 'fine', valueInfo: {} });
  });

  it('queries tasks by the query parameters and the POST body, sorted and paged', async () => {
    const ids = [await newApplication(), await newApplication()];
    const mine = (q: string) => camunda('office-user', 'GET', `/task?${q}`).then((r) => (r.body as { processInstanceId: string }[]).map((x) => x.processInstanceId).filter((id) => ids.includes(id)));
    expect(await mine('candidateGroup=office&sortBy=created&sortOrder=asc')).toEqual(ids);
    expect(await mine('candidateGroups=office,head&sortBy=created&sortOrder=desc')).toEqual([...ids].reverse());
    expect(await mine('nameLike=office%25&unassigned=true&processDefinitionKey=assign-chain')).toEqual(ids);
    expect(await mine('nameLike=nothing%25')).toEqual([]);
    expect(await mine('dueAfter=2000-01-01T00:00:00.000%2B0000')).toEqual(ids);
    expect(await mine('dueBefore=2000-01-01T00:00:00.000%2B0000')).toEqual([]);
    const body = await camunda('office-user', 'POST', '/task?firstResult=0&maxResults=1', { processInstanceId: ids[1], sorting: [{ sortBy: 'priority', sortOrder: 'asc' }] });
    expect(body.body.map((x: { processInstanceId: string }) => x.processInstanceId)).toEqual([ids[1]]);
    expect(await camunda('office-user', 'POST', '/task/count', { processInstanceId: ids[0] })).toEqual({ status: 200, body: { count: 1 } });
    // A user of no group of these tasks sees none of them.
    expect(await camunda('sanzhar-specialist', 'GET', `/task/count?processInstanceId=${ids[0]}`)).toEqual({ status: 200, body: { count: 0 } });
  });

  it.each([
    ['an unknown task', 'office-user', 'GET', '/task/no-such-task', undefined, 404, 'InvalidRequestException', 'No matching task with id no-such-task'],
    ['a bad date in the query', 'office-user', 'GET', '/task?dueBefore=tomorrow', undefined, 400, 'InvalidRequestException', 'dueBefore'],
    ['sortBy without sortOrder', 'office-user', 'GET', '/task?sortBy=created', undefined, 400, 'InvalidRequestException', 'sortBy and sortOrder required'],
    ['an unsupported sort key', 'office-user', 'POST', '/task', { sorting: [{ sortBy: 'processVariable', sortOrder: 'asc' }] }, 400, 'InvalidRequestException', 'processVariable'],
    ['a filter of another resource type', 'office-user', 'POST', '/filter/create', { resourceType: 'ProcessInstance', name: 'x', query: {} }, 400, 'InvalidRequestException', 'resource type Task only'],
    ['a filter for another owner', 'office-user', 'POST', '/filter/create', { resourceType: 'Task', name: 'x', owner: 'office-user-2', query: {} }, 403, 'AuthorizationException', 'office-user-2'],
    ['an unknown filter', 'office-user', 'GET', '/filter/none/list', undefined, 404, 'InvalidRequestException', "Filter with id 'none' does not exist."],
  ] as const)('%s: Camunda\'s status and error shape', async (_name, user, method, route, body, status, type, message) => {
    const answer = await camunda(user, method, route, body);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ type, message: expect.stringContaining(message) });
  });

  it('a task of another group is 403 AuthorizationException, and nothing changes', async () => {
    const instanceId = await newApplication();
    const [task] = (await camunda('office-user', 'GET', `/task?processInstanceId=${instanceId}`)).body;
    for (const [method, route, body] of [['GET', `/task/${task.id}`], ['GET', `/task/${task.id}/form-variables`], ['POST', `/task/${task.id}/claim`, { userId: 'sanzhar-specialist' }]] as const) {
      const answer = await camunda('sanzhar-specialist', method, route, body);
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({ type: 'AuthorizationException', message: expect.stringContaining("'sanzhar-specialist'") });
    }
    expect((await camunda('office-user', 'GET', `/task/${task.id}`)).body.assignee).toBeNull();
  });

  it('updates and deletes a filter', async () => {
    const { body: f } = await camunda('office-user', 'POST', '/filter/create', { resourceType: 'Task', name: 'Mine', query: { assignee: 'office-user' } });
    expect(await camunda('office-user', 'PUT', `/filter/${f.id}`, { resourceType: 'Task', name: 'Renamed', query: { unassigned: true } })).toEqual({ status: 204, body: undefined });
    expect((await camunda('office-user', 'GET', `/filter/${f.id}`)).body).toMatchObject({ name: 'Renamed', query: { unassigned: true } });
    expect((await camunda('office-user-2', 'DELETE', `/filter/${f.id}`)).status).toBe(404);
    expect(await camunda('office-user', 'DELETE', `/filter/${f.id}`)).toEqual({ status: 204, body: undefined });
    expect((await camunda('office-user', 'GET', `/filter/${f.id}`)).status).toBe(404);
  });
});
