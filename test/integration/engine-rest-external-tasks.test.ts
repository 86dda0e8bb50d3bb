import path from 'node:path';
import { createDefaultHandlers } from '../../src/handlers';
import { camundaCall } from '../support/camunda-client';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';

/*
 * The external task resource of /engine-rest (issue 20, point 5) as Camunda 7.24 answers it: the
 * payment check of the business-error fixture is served by workers (EXTERNAL_TASK_TOPICS), so a start
 * waits at the service task; a worker fetches and locks it, and each answer and refusal has Camunda's
 * status, shape and words (Operaton's ExternalTaskRestService).
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/business-error');
const TOPIC = 'test.check-payment';

describe('external tasks on /engine-rest', () => {
  let t: TestHost;
  let builtInCalls = 0;

  beforeAll(async () => {
    const handlers = createDefaultHandlers().register(TOPIC, 'Test payment check', async () => {
      builtInCalls++;
      return { paymentChecked: true };
    }, ['paymentChecked']);
    t = await startTestHost({ processesDir: FIXTURES, handlers, env: { EXTERNAL_TASK_TOPICS: TOPIC } });
  });
  afterAll(() => t.close());

  async function camunda(user: string, method: string, route: string, body?: unknown) {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Basic ${Buffer.from(`${user}:${tokenOf(user)}`).toString('base64')}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${t.url}/engine-rest${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
  }

  async function start(paid: boolean): Promise<string> {
    const started = await t.call('olga-office', 'POST', '/process-definitions/test-payment/start', { variables: { paid } });
    expect(started.status).toBe(201);
    expect(started.body.state).toBe('running');
    return started.body.id as string;
  }

  const fetchOne = (workerId: string, extra: Record<string, unknown> = {}) =>
    camunda('wanda-worker', 'POST', '/external-task/fetchAndLock', { workerId, maxTasks: 1, usePriority: true, topics: [{ topicName: TOPIC, lockDuration: 60_000, ...extra }] });

  const camundaDate = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/);

  it('a start waits at the service task of a worker topic; the worker fetches it with the variables its handler would read, completes it, and the instance moves on', async () => {
    const id = await start(true);
    expect(builtInCalls).toBe(0);
    const waiting = await t.call('admin', 'GET', `/process-instances/${id}`);
    expect(waiting.body.activeActivities).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'check-payment' })]));

    const listed = await camunda('wanda-worker', 'GET', `/external-task?processInstanceId=${id}`);
    expect(listed).toMatchObject({ status: 200, contentType: 'application/json' });
    expect(listed.body).toEqual([
      { activityId: 'check-payment', activityInstanceId: expect.any(String), errorMessage: null, executionId: expect.any(String), id: expect.any(String), lockExpirationTime: null, createTime: camundaDate, processDefinitionId: expect.any(String), processDefinitionKey: 'test-payment', processDefinitionVersionTag: null, processInstanceId: id, tenantId: null, retries: null, suspended: false, workerId: null, topicName: TOPIC, priority: 0, businessKey: expect.any(String) },
    ]);
    const taskId = listed.body[0].id;
    expect((await camunda('wanda-worker', 'GET', `/external-task/count?topicName=${TOPIC}&notLocked=true`)).body.count).toBeGreaterThanOrEqual(1);

    const fetched = await fetchOne('w1', { variables: ['paid'], includeExtensionProperties: true });
    expect(fetched).toMatchObject({ status: 200, contentType: 'application/json' });
    expect(fetched.body).toEqual([
      expect.objectContaining({ id: taskId, topicName: TOPIC, workerId: 'w1', lockExpirationTime: camundaDate, retries: null, errorDetails: null, processInstanceId: id, variables: { paid: { type: 'Boolean', value: true, valueInfo: {} } }, extensionProperties: {} }),
    ]);
    // Locked: nobody else gets it.
    expect((await fetchOne('w2')).body).toEqual([]);
    expect((await camunda('wanda-worker', 'GET', `/external-task/${taskId}`)).body).toMatchObject({ workerId: 'w1', lockExpirationTime: camundaDate });

    expect(await camunda('wanda-worker', 'POST', `/external-task/${taskId}/complete`, { workerId: 'w2', variables: {} })).toMatchObject({
      status: 400,
      body: { type: 'RestException', message: `External Task ${taskId} cannot be completed by worker 'w2'. It is locked by worker 'w1'.` },
    });
    const done = await camunda('wanda-worker', 'POST', `/external-task/${taskId}/complete`, { workerId: 'w1', variables: { paymentChecked: { value: true, type: 'Boolean' } } });
    expect(done.status).toBe(204);
    const after = await t.call('admin', 'GET', `/process-instances/${id}`);
    expect(after.body).toMatchObject({ state: 'completed', outcome: 'paid', variables: expect.objectContaining({ paymentChecked: true }) });

    // A repeated completion (the answer was lost) is Camunda's 404 and makes no second step.
    expect(await camunda('wanda-worker', 'POST', `/external-task/${taskId}/complete`, { workerId: 'w1', variables: {} })).toMatchObject({
      status: 404,
      body: { type: 'RestException', message: `External task with id ${taskId} does not exist` },
    });
    const history = (await t.call('admin', 'GET', `/process-instances/${id}/history`)).body as { type: string }[];
    expect(history.filter((h) => h.type === 'instance-completed')).toHaveLength(1);
    expect(history.filter((h) => h.type === 'external-task-completed')).toHaveLength(1);
    expect(builtInCalls).toBe(0);
  });

  it('refuses what the topic does not produce, bad bodies and other users, each in Camunda\'s shape, and stores nothing', async () => {
    const id = await start(true);
    const [task] = (await fetchOne('w1')).body;
    expect(task.processInstanceId).toBe(id);
    const cases: [string, string, string, unknown, number, Record<string, unknown>][] = [
      ['a variable the handler does not produce', 'wanda-worker', `/external-task/${task.id}/complete`, { workerId: 'w1', variables: { paid: { value: false, type: 'Boolean' } } }, 400, { type: 'InvalidRequestException', message: expect.stringContaining('a worker may not set paid') }],
      ['local variables', 'wanda-worker', `/external-task/${task.id}/complete`, { workerId: 'w1', localVariables: { x: { value: 1, type: 'Integer' } } }, 400, { type: 'InvalidRequestException' }],
      ['no workerId', 'wanda-worker', `/external-task/${task.id}/complete`, {}, 400, { type: 'InvalidRequestException', message: expect.stringContaining('workerId') }],
      ['an unknown task', 'wanda-worker', '/external-task/nope/complete', { workerId: 'w1' }, 404, { type: 'RestException', message: 'External task with id nope does not exist' }],
      ['get an unknown task', 'wanda-worker', '/external-task/nope', undefined, 404, { type: 'RestException', message: 'External task with id nope does not exist' }],
      ['a failure by another worker', 'wanda-worker', `/external-task/${task.id}/failure`, { workerId: 'w9', errorMessage: 'x', retries: 1, retryTimeout: 0 }, 400, { type: 'RestException', message: `Failure of External Task ${task.id} cannot be reported by worker 'w9'. It is locked by worker 'w1'.` }],
      ['a BPMN error by another worker', 'wanda-worker', `/external-task/${task.id}/bpmnError`, { workerId: 'w9', errorCode: 'NOT_PAID' }, 400, { type: 'RestException', message: `Bpmn error of External Task ${task.id} cannot be reported by worker 'w9'. It is locked by worker 'w1'.` }],
      ['a BPMN error without a code', 'wanda-worker', `/external-task/${task.id}/bpmnError`, { workerId: 'w1' }, 400, { type: 'InvalidRequestException', message: expect.stringContaining('errorCode') }],
      ['extendLock by another worker', 'wanda-worker', `/external-task/${task.id}/extendLock`, { workerId: 'w9', newDuration: 1000 }, 400, { type: 'RestException', message: `The lock of the External Task ${task.id} cannot be extended by worker 'w9'. It is locked by worker 'w1'.` }],
      ['extendLock without a duration', 'wanda-worker', `/external-task/${task.id}/extendLock`, { workerId: 'w1', newDuration: 0 }, 400, { type: 'InvalidRequestException' }],
      ['fetch without lockDuration', 'wanda-worker', '/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, topics: [{ topicName: TOPIC }] }, 400, { type: 'InvalidRequestException', message: expect.stringContaining('lockDuration') }],
      ['a long poll over 30 minutes', 'wanda-worker', '/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, asyncResponseTimeout: 1_800_001, topics: [] }, 400, { type: 'InvalidRequestException', message: expect.stringContaining('The asynchronous response timeout cannot be set to a value greater than 1800000 milliseconds') }],
      ['a clerk', 'olga-office', '/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, topics: [{ topicName: TOPIC, lockDuration: 1000 }] }, 403, { type: 'AuthorizationException', message: expect.stringContaining('needs group admin or worker') }],
      ['a clerk listing', 'olga-office', '/external-task', undefined, 403, { type: 'AuthorizationException' }],
    ];
    for (const [what, user, route, body, status, shape] of cases) {
      const answer = await camunda(user, body === undefined ? 'GET' : 'POST', route, body);
      expect({ what, status: answer.status, body: answer.body }).toEqual({ what, status, body: expect.objectContaining(shape) });
    }
    const still = (await camunda('wanda-worker', 'GET', `/external-task/${task.id}`)).body;
    expect(still).toMatchObject({ workerId: 'w1', retries: null, errorMessage: null });
    expect((await t.call('admin', 'GET', `/process-instances/${id}`)).body).toMatchObject({ state: 'running', incidents: [] });

    // extendLock by the holder, unlock by anyone allowed, then another worker takes it.
    expect((await camunda('wanda-worker', 'POST', `/external-task/${task.id}/extendLock`, { workerId: 'w1', newDuration: 120_000 })).status).toBe(204);
    expect((await camunda('wanda-worker', 'POST', `/external-task/${task.id}/unlock`)).status).toBe(204);
    expect((await camunda('wanda-worker', 'GET', `/external-task/${task.id}`)).body).toMatchObject({ workerId: null, lockExpirationTime: null });
    const taken = await fetchOne('w2');
    expect(taken.body.map((x: { id: string; workerId: string }) => [x.id, x.workerId])).toEqual([[task.id, 'w2']]);
    expect((await camunda('wanda-worker', 'POST', `/external-task/${task.id}/complete`, { workerId: 'w2' })).status).toBe(204);
  });

  it('a failure with retries left frees the task after its retry timeout; with none left it is an incident that the admin\'s retry revives', async () => {
    const id = await start(true);
    const [task] = (await fetchOne('w1')).body;
    expect((await camunda('wanda-worker', 'POST', `/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'bank down', errorDetails: 'stack', retries: 2, retryTimeout: 0 })).status).toBe(204);
    const again = (await fetchOne('w1')).body;
    expect(again).toEqual([expect.objectContaining({ id: task.id, retries: 2, errorMessage: 'bank down', errorDetails: 'stack' })]);
    expect((await camunda('wanda-worker', 'POST', `/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'bank still down', retries: 0, retryTimeout: 0 })).status).toBe(204);
    expect((await fetchOne('w1')).body).toEqual([]);
    const broken = (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
    expect(broken.incidents).toEqual([expect.objectContaining({ activityId: 'check-payment', handler: TOPIC, message: 'bank still down', resolvedAt: null })]);
    expect((await camunda('wanda-worker', 'GET', `/external-task?processInstanceId=${id}&noRetriesLeft=true`)).body).toEqual([expect.objectContaining({ id: task.id, retries: 0 })]);

    const retried = await t.call('admin', 'POST', `/process-instances/${id}/retry`);
    expect(retried.body).toMatchObject({ resolved: true, incidents: [] });
    const revived = (await fetchOne('w3')).body;
    expect(revived).toEqual([expect.objectContaining({ id: task.id, retries: null, workerId: 'w3' })]);
  });

  it('a BPMN error the diagram catches routes the instance; variables the topic does not produce are refused', async () => {
    const id = await start(false);
    const [task] = (await fetchOne('w1')).body;
    expect((await camunda('wanda-worker', 'POST', `/external-task/${task.id}/bpmnError`, { workerId: 'w1', errorCode: 'NOT_PAID', errorMessage: 'no payment', variables: { paid: { value: true, type: 'Boolean' } } })).status).toBe(400);
    expect((await camunda('wanda-worker', 'POST', `/external-task/${task.id}/bpmnError`, { workerId: 'w1', errorCode: 'NOT_PAID', errorMessage: 'no payment' })).status).toBe(204);
    const routed = (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
    expect(routed.activeActivities).toEqual([expect.objectContaining({ id: 'handle-unpaid' })]);
    expect(routed.variables).toMatchObject({ lastErrorCode: 'NOT_PAID', lastErrorMessage: 'no payment' });
  });

  it('a BPMN error the diagram does not catch is an incident, the instance stays at the task', async () => {
    const id = await start(false);
    const [task] = (await fetchOne('w1')).body;
    expect((await camunda('wanda-worker', 'POST', `/external-task/${task.id}/bpmnError`, { workerId: 'w1', errorCode: 'NOBODY_CATCHES', errorMessage: 'odd' })).status).toBe(204);
    const stuck = (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
    expect(stuck.state).toBe('running');
    expect(stuck.activeActivities).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'check-payment' })]));
    expect(stuck.incidents).toEqual([expect.objectContaining({ activityId: 'check-payment', message: expect.stringContaining('NOBODY_CATCHES') })]);
  });

  it('two workers fetching at once never lock the same task; two completions at once make one step', async () => {
    const ids = [await start(true), await start(true)];
    const [a, b] = await Promise.all(['racer-a', 'racer-b'].map((workerId) => camunda('wanda-worker', 'POST', '/external-task/fetchAndLock', { workerId, maxTasks: 2, topics: [{ topicName: TOPIC, lockDuration: 60_000 }] })));
    const taken = [...a.body, ...b.body].filter((x: { processInstanceId: string }) => ids.includes(x.processInstanceId));
    expect(taken.map((x: { processInstanceId: string }) => x.processInstanceId).sort()).toEqual([...ids].sort());
    const task = taken[0] as { id: string; workerId: string; processInstanceId: string };
    const answers = await Promise.all([1, 2].map(() => camunda('wanda-worker', 'POST', `/external-task/${task.id}/complete`, { workerId: task.workerId, variables: { paymentChecked: { value: true, type: 'Boolean' } } })));
    expect(answers.map((x) => x.status).sort()).toEqual([204, 404]);
    const history = (await t.call('admin', 'GET', `/process-instances/${task.processInstanceId}/history`)).body as { type: string }[];
    expect(history.filter((h) => h.type === 'instance-completed')).toHaveLength(1);
    expect(history.filter((h) => h.type === 'service-completed')).toHaveLength(1);
  });

  it('a long poll answers as soon as a task appears', async () => {
    // Drain what earlier tests left.
    while ((await fetchOne('drain')).body.length > 0);
    const polling = camunda('wanda-worker', 'POST', '/external-task/fetchAndLock', { workerId: 'poller', maxTasks: 1, asyncResponseTimeout: 600_000, topics: [{ topicName: TOPIC, lockDuration: 60_000 }] });
    let answered = false;
    void polling.then(() => (answered = true));
    // The poll is waiting (nothing to fetch) until the start below creates a task.
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    const id = await start(true);
    const result = await polling;
    expect(result.body).toEqual([expect.objectContaining({ processInstanceId: id, workerId: 'poller' })]);
  });
});

describe('external tasks beside other work of the instance', () => {
  let t: TestHost;

  beforeAll(async () => {
    const handlers = createDefaultHandlers().register(TOPIC, 'Test payment check', async () => ({ paymentChecked: true }), ['paymentChecked']);
    t = await startTestHost({ processesDir: path.resolve(__dirname, '../fixtures/processes/external-tasks'), handlers, env: { EXTERNAL_TASK_TOPICS: TOPIC } });
  });
  afterAll(() => t.close());

  const worker = (route: string, body: unknown) => camundaCall(t, 'wanda-worker', 'POST', route, body);

  it('the incident of a task out of retries stays open while a parallel user task is completed, until the admin retries it', async () => {
    const started = await t.call('olga-office', 'POST', '/process-definitions/test-parallel-check/start', { variables: { paid: true } });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    expect(started.body.activeActivities.map((a: { id: string }) => a.id).sort()).toEqual(['check-payment', 'review']);
    const fetched = await worker('/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, topics: [{ topicName: TOPIC, lockDuration: 60_000 }] });
    const [task] = fetched.body;
    expect((await worker(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'bank down', retries: 0, retryTimeout: 0 })).status).toBe(204);

    const review = (await t.call('olga-office', 'GET', `/tasks?processInstanceId=${id}`)).body.items[0];
    expect((await t.call('olga-office', 'POST', `/tasks/${review.id}/complete`, { variables: {} })).status).toBe(200);
    const waiting = (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
    // The join waits for the payment branch (bpmn-elements lists the review's flow waiting at it).
    expect(waiting.activeActivities.map((a: { id: string }) => a.id)).toContain('check-payment');
    expect(waiting.activeActivities.map((a: { id: string }) => a.id)).not.toContain('review');
    expect(waiting.incidents).toEqual([expect.objectContaining({ activityId: 'check-payment', message: 'bank down', resolvedAt: null })]);
    expect((await worker('/external-task/fetchAndLock', { workerId: 'w2', maxTasks: 1, topics: [{ topicName: TOPIC, lockDuration: 60_000 }] })).body).toEqual([]);

    expect((await t.call('admin', 'POST', `/process-instances/${id}/retry`)).body).toMatchObject({ resolved: true });
    const again = (await worker('/external-task/fetchAndLock', { workerId: 'w2', maxTasks: 1, topics: [{ topicName: TOPIC, lockDuration: 60_000 }] })).body;
    expect(again).toEqual([expect.objectContaining({ id: task.id })]);
    expect((await worker(`/external-task/${task.id}/complete`, { workerId: 'w2', variables: { paymentChecked: { value: true, type: 'Boolean' } } })).status).toBe(204);
    expect((await t.call('admin', 'GET', `/process-instances/${id}`)).body).toMatchObject({ state: 'completed', outcome: 'done' });
  });
});

it('a topic no handler registers stops the start, naming it', async () => {
  await expect(startTestHost({ processesDir: FIXTURES, env: { EXTERNAL_TASK_TOPICS: 'no.such-topic' } })).rejects.toThrow('EXTERNAL_TASK_TOPICS names no.such-topic, which no handler registers');
});

it('a long poll waiting when the server shuts down is answered at once with no tasks', async () => {
  const handlers = createDefaultHandlers().register(TOPIC, 'Test payment check', async () => ({ paymentChecked: true }), ['paymentChecked']);
  const t = await startTestHost({ processesDir: FIXTURES, handlers, env: { EXTERNAL_TASK_TOPICS: TOPIC, SHUTDOWN_TIMEOUT_MS: '600000' } });
  let closed = false;
  try {
    const polling = camundaCall(t, 'wanda-worker', 'POST', '/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, asyncResponseTimeout: 600_000, topics: [{ topicName: TOPIC, lockDuration: 1000 }] });
    // The poll has reached the server and waits.
    while (t.host.externalTasks!.waiting === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const closing = t.close().then(() => (closed = true));
    const answer = await polling;
    expect(answer).toMatchObject({ status: 200, body: [] });
    await closing;
  } finally {
    if (!closed) await t.close();
  }
});
