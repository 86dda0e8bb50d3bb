import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { createDefaultHandlers } from '../../src/handlers';
import { camundaCall } from '../support/camunda-client';
import { startApplication, startFormOf, startValues } from '../support/reglament-driver';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';

/*
 * Issue 20, point 5, acceptance: the real camunda-external-task-client-js (npm), each worker a
 * process of its own (test/support/external-task-worker.mjs), works the service tasks of topics
 * the server hands to workers (EXTERNAL_TASK_TOPICS). On the cotton-warehouse licence (a reglament of
 * processes/) it fetches and completes the registration number (registry.assign-number) and reports
 * failures until the task becomes an incident; on the payment fixture (a service task with an error
 * boundary event) it throws a BPMN error the diagram catches, and a worker killed (SIGKILL) while
 * holding a lock loses the task to another worker once the lock expires: the instance completes once.
 */
const WORKER = path.resolve(__dirname, '../support/external-task-worker.mjs');
const WORKER_USER = 'wanda-worker';

interface WorkerEvent {
  event: string;
  workerId: string;
  id?: string;
  processInstanceId?: string;
  retries?: number | null;
  retriesLeft?: number;
  variables?: Record<string, unknown>;
  message?: string;
}

interface Worker {
  child: ChildProcess;
  events: WorkerEvent[];
  /** Resolves with the first event (seen or to come) that `match` accepts. */
  next(match: (e: WorkerEvent) => boolean, what: string): Promise<WorkerEvent>;
}

const workers: ChildProcess[] = [];

function startWorker(t: TestHost, env: Record<string, string>): Worker {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, ENGINE_URL: `${t.url}/engine-rest`, WORKER_USER, WORKER_TOKEN: tokenOf(WORKER_USER), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  workers.push(child);
  const events: WorkerEvent[] = [];
  const waiting: { match: (e: WorkerEvent) => boolean; resolve: (e: WorkerEvent) => void }[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as WorkerEvent;
    events.push(event);
    for (const w of [...waiting]) {
      if (w.match(event)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(event);
      }
    }
  });
  const exited = new Promise<never>((_resolve, reject) => child.once('exit', (code, signal) => reject(new Error(`worker ${env.WORKER_ID} exited (${code ?? signal}) before the awaited event; events: ${JSON.stringify(events)}`))));
  exited.catch(() => undefined);
  return {
    child,
    events,
    next: (match, what) => {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return Promise.race([new Promise<WorkerEvent>((resolve) => waiting.push({ match, resolve })), exited.catch((error: Error) => Promise.reject(new Error(`${what}: ${error.message}`)))]);
    },
  };
}

async function stop(worker: Worker): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  const gone = new Promise((resolve) => worker.child.once('exit', resolve));
  worker.child.kill('SIGKILL');
  await gone;
}

/** Looks again until `read` answers something `done` accepts (the server moves on in its own time). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let round = 0; round < 600; round++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never: ${what}`);
}

const historyOf = async (t: TestHost, id: string) => (await t.call('admin', 'GET', `/process-instances/${id}/history`)).body as { type: string; activityId: string | null; data: any }[];

afterAll(async () => {
  await Promise.all(workers.filter((w) => w.exitCode === null && w.signalCode === null).map((w) => new Promise((resolve) => {
    w.once('exit', resolve);
    w.kill('SIGKILL');
  })));
});

describe('a Camunda 7 worker (camunda-external-task-client-js) on a reglament: the registration number of the cotton-warehouse licence', () => {
  let t: TestHost;
  const TOPIC = 'registry.assign-number';

  beforeAll(async () => {
    t = await startTestHost({ env: { EXTERNAL_TASK_TOPICS: `${TOPIC},egov.authorize` } });
  });
  afterAll(() => t.close());

  async function fileCottonApplication(businessKey: string): Promise<string> {
    const key = 'cotton-warehouse-license';
    const { fields } = await startFormOf(t, key);
    const variables = await startValues(t, key, fields, { start: { channel: 'office', variant: 'issue', resultForm: 'electronic' } });
    const started = await t.call('olga-office', 'POST', `/process-definitions/${key}/start`, { businessKey, variables });
    expect(started.status).toBe(201);
    // The office's step starts with the registration number, which now waits for a worker.
    expect(started.body.activeActivities).toEqual([expect.objectContaining({ id: 'assign-registration-number', type: 'bpmn:ServiceTask' })]);
    return started.body.id as string;
  }

  it('fetches and completes the task: the instance moves on to the registration with the number the worker produced', async () => {
    const id = await fileCottonApplication('EXT-COMPLETE-1');
    const worker = startWorker(t, { WORKER_ID: 'registry-1', TOPIC, MODE: 'complete', VARIABLES: JSON.stringify({ registrationNumber: 'KZ-REG-0001', registeredAt: '2026-12-05T09:00:00.000Z' }) });
    const done = await worker.next((e) => e.event === 'completed' && e.processInstanceId === id, 'the worker completes the task');
    // What the handler would have read: the application's variables.
    expect(done.variables).toMatchObject({ channel: 'office', variant: 'issue' });
    await stop(worker);

    const instance = (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
    expect(instance.variables).toMatchObject({ registrationNumber: 'KZ-REG-0001', registeredAt: '2026-12-05T09:00:00.000Z' });
    expect(instance.activeActivities).toEqual([expect.objectContaining({ id: 'register-application' })]);
    const history = await historyOf(t, id);
    expect(history.filter((h) => h.type === 'external-task-completed')).toEqual([expect.objectContaining({ activityId: 'assign-registration-number', data: expect.objectContaining({ workerId: 'registry-1' }) })]);
    expect(history.filter((h) => h.type === 'service-completed' && h.activityId === 'assign-registration-number')).toHaveLength(1);
  });

  it('works a service task of a called flow: the portal intake refuses the authorization, the licence application ends refused', async () => {
    const started = await startApplication(t, 'cotton-warehouse-license', { businessKey: 'EXT-PORTAL-1', starter: 'olga-office', channel: 'portal', form: { variant: 'issue', resultForm: 'electronic' } });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const worker = startWorker(t, { WORKER_ID: 'portal-1', TOPIC: 'egov.authorize', MODE: 'complete', VARIABLES: JSON.stringify({ portalAuthorized: false, portalAuthorizationReason: 'The applicant is blocked at the portal' }) });
    const done = await worker.next((e) => e.event === 'completed', 'the worker completes the authorization');
    await stop(worker);
    // The task belongs to the called intake flow, not to the application itself.
    expect(done.processInstanceId).not.toBe(id);
    const application = await eventually(() => t.call('admin', 'GET', `/process-instances/${id}`).then((r) => r.body), (b) => b.state === 'completed', 'the application ends');
    expect(application).toMatchObject({ state: 'completed', outcome: 'refused-authorization' });
    const intake = (await t.call('admin', 'GET', `/process-instances/${done.processInstanceId}`)).body;
    expect(intake).toMatchObject({ state: 'completed', variables: expect.objectContaining({ portalAuthorized: false }) });
    expect((await historyOf(t, done.processInstanceId!)).filter((h) => h.type === 'external-task-completed')).toHaveLength(1);
  });

  it('reports failures until no retries are left: an incident, visible on /api; the admin\'s retry gives the task back to the workers', async () => {
    const id = await fileCottonApplication('EXT-FAIL-1');
    const failing = startWorker(t, { WORKER_ID: 'registry-failing', TOPIC, MODE: 'fail', RETRIES: '2' });
    await failing.next((e) => e.event === 'failed' && e.processInstanceId === id && e.retriesLeft === 0, 'the last failure');
    await stop(failing);
    expect(failing.events.filter((e) => e.event === 'failed').map((e) => [e.retries, e.retriesLeft])).toEqual([
      [null, 2],
      [2, 1],
      [1, 0],
    ]);
    const incidents = (await t.call('admin', 'GET', '/incidents')).body as any[];
    expect(incidents.filter((i) => i.processInstanceId === id)).toEqual([expect.objectContaining({ activityId: 'assign-registration-number', handler: TOPIC, message: 'register unreachable (0 retries left)', resolvedAt: null })]);
    const stuck = (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
    expect(stuck.activeActivities).toEqual([expect.objectContaining({ id: 'assign-registration-number' })]);
    expect((await camundaCall(t, WORKER_USER, 'GET', `/external-task?processInstanceId=${id}`)).body).toEqual([expect.objectContaining({ retries: 0, errorMessage: 'register unreachable (0 retries left)' })]);

    const retried = await t.call('admin', 'POST', `/process-instances/${id}/retry`);
    expect(retried.body).toMatchObject({ resolved: true, incidents: [] });
    const worker = startWorker(t, { WORKER_ID: 'registry-2', TOPIC, MODE: 'complete', VARIABLES: JSON.stringify({ registrationNumber: 'KZ-REG-0002', registeredAt: '2026-12-05T10:00:00.000Z' }) });
    await worker.next((e) => e.event === 'completed' && e.processInstanceId === id, 'the revived task is completed');
    await stop(worker);
    expect((await t.call('admin', 'GET', `/process-instances/${id}`)).body.activeActivities).toEqual([expect.objectContaining({ id: 'register-application' })]);
  });
});

describe('a Camunda 7 worker on a service task with an error boundary event, and a worker killed while it holds a lock', () => {
  let t: TestHost;
  const TOPIC = 'test.check-payment';

  beforeAll(async () => {
    const handlers = createDefaultHandlers().register(TOPIC, 'Test payment check', async () => ({ paymentChecked: true }), ['paymentChecked']);
    t = await startTestHost({ processesDir: path.resolve(__dirname, '../fixtures/processes/business-error'), handlers, env: { EXTERNAL_TASK_TOPICS: TOPIC } });
  });
  afterAll(() => t.close());

  async function start(paid: boolean): Promise<string> {
    const started = await t.call('olga-office', 'POST', '/process-definitions/test-payment/start', { variables: { paid } });
    expect(started.status).toBe(201);
    return started.body.id as string;
  }

  it('throws a BPMN error that the diagram catches', async () => {
    const id = await start(false);
    const worker = startWorker(t, { WORKER_ID: 'bank-1', TOPIC, MODE: 'bpmn-error', ERROR_CODE: 'NOT_PAID', ERROR_MESSAGE: 'No payment was found' });
    await worker.next((e) => e.event === 'bpmn-error' && e.processInstanceId === id, 'the BPMN error');
    await stop(worker);
    const instance = (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
    expect(instance.activeActivities).toEqual([expect.objectContaining({ id: 'handle-unpaid' })]);
    expect(instance.variables).toMatchObject({ lastErrorCode: 'NOT_PAID', lastErrorMessage: 'No payment was found' });
    expect(instance.incidents).toEqual([]);
  });

  it('a worker killed while holding the lock loses the task to another once the lock expires; the instance completes once', async () => {
    const id = await start(true);
    const holder = startWorker(t, { WORKER_ID: 'bank-doomed', TOPIC, MODE: 'hold', LOCK_DURATION: '1500' });
    const locked = await holder.next((e) => e.event === 'locked' && e.processInstanceId === id, 'the doomed worker locks the task');
    await stop(holder);
    expect(holder.child.signalCode).toBe('SIGKILL');
    expect((await camundaCall(t, WORKER_USER, 'GET', `/external-task/${locked.id}`)).body).toMatchObject({ workerId: 'bank-doomed' });

    const heir = startWorker(t, { WORKER_ID: 'bank-heir', TOPIC, MODE: 'complete', VARIABLES: JSON.stringify({ paymentChecked: true }) });
    const done = await heir.next((e) => e.event === 'completed' && e.processInstanceId === id, 'the second worker completes the task');
    expect(done.id).toBe(locked.id);
    await stop(heir);

    const instance = await eventually(() => t.call('admin', 'GET', `/process-instances/${id}`).then((r) => r.body), (b) => b.state === 'completed', 'the instance completes');
    expect(instance).toMatchObject({ state: 'completed', outcome: 'paid', variables: expect.objectContaining({ paymentChecked: true }) });
    const history = await historyOf(t, id);
    expect(history.filter((h) => h.type === 'instance-completed')).toHaveLength(1);
    expect(history.filter((h) => h.type === 'external-task-completed').map((h) => h.data.workerId)).toEqual(['bank-heir']);
    // The dead worker's late answer (say, from a process that only looked dead) changes nothing.
    const late = await camundaCall(t, WORKER_USER, 'POST', `/external-task/${locked.id}/complete`, { workerId: 'bank-doomed', variables: { paymentChecked: { value: false, type: 'Boolean' } } });
    expect(late).toMatchObject({ status: 404, body: { type: 'RestException', message: `External task with id ${locked.id} does not exist` } });
    expect((await historyOf(t, id)).filter((h) => h.type === 'instance-completed')).toHaveLength(1);
  });
});
