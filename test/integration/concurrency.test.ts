import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createDefaultHandlers } from '../../src/handlers';
import { createHost, Host } from '../../src/host';
import { sha256Hex, UserDirectory } from '../../src/identity/users';
import { startSimulators, Simulators } from '../../src/integrations/simulators';
import { recordBpmnCoverage } from '../support/bpmn-coverage';
import { SimulatorControl, simulatorAdapters } from '../support/simulators';
import { callApi, postgresFor, tempDir } from '../support/test-host';

/*
 * Concurrency (issue 6, item 2), through HTTP against a real host:
 *  - 50 clerks of one group claim one task at the same moment: exactly one 200, 49 × 409, and the
 *    history records one claim;
 *  - 50 clerks complete one task at the same moment: exactly one 200, 49 × 409, the history records
 *    the completion once and the next step is created once;
 *  - two clerks of two groups complete the two parallel tasks of one instance at the same moment:
 *    both succeed, the join fires once, and neither clerk's variables are lost. No reglament in
 *    processes/ has parallel branches (each is a single sequence of steps, with call activities),
 *    so this part runs on a test diagram, test/fixtures/processes/concurrency/parallel-review.bpmn.
 * The test host's users file has 50 clerks in group office (test/support's has two per group, and a
 * clerk who claims a task they already hold gets 200 again, by design), so each request of a race
 * comes from a different clerk.
 */
const KEY = 'weapon-registration';
const CLERKS = Array.from({ length: 50 }, (_, i) => `clerk-${String(i + 1).padStart(2, '0')}`);
const SPECIALIST = 'specialist-1';
const token = (id: string) => `concurrency-token-${id}`;

describe('concurrency: one winner per task, no lost update', () => {
  let dir: string;
  let host: Host;
  let simulators: Simulators;
  let sim: SimulatorControl;
  let url: string;
  const call = (user: string, method: string, route: string, body?: unknown) =>
    callApi(url, null, method, route, body, { authorization: `Bearer ${token(user)}` });

  beforeAll(async () => {
    dir = tempDir('reglament-concurrency-');
    const users = [
      { id: 'admin', groups: ['admin'] },
      { id: SPECIALIST, groups: ['specialist'] },
      ...CLERKS.map((id) => ({ id, groups: ['office'] })),
    ];
    const usersFile = path.join(dir, 'users.json');
    fs.writeFileSync(usersFile, JSON.stringify(users.map((u) => ({ ...u, name: u.id, tokenSha256: sha256Hex(token(u.id)) }))));
    const config = loadConfig({ DATA_DIR: dir, DB_FILE: path.join(dir, 'concurrency.sqlite'), PROCESSES_DIR: path.resolve(__dirname, '../../processes'), USERS_FILE: usersFile, PORT: '0', ...postgresFor(dir) });
    simulators = await startSimulators({ host: '127.0.0.1', employees: users.map((u) => u.id) });
    const adapters = simulatorAdapters(simulators);
    sim = new SimulatorControl(simulators, adapters, () => new Date());
    host = await createHost({ config, users: UserDirectory.fromFile(usersFile), handlers: createDefaultHandlers(adapters), timerPollMs: 0, onStep: recordBpmnCoverage });
    await host.deployProcessDirectory();
    url = (await host.listen(0, '127.0.0.1')).url;
    const fixture = fs.readFileSync(path.resolve(__dirname, '../fixtures/processes/concurrency/parallel-review.bpmn'), 'utf8');
    const deployed = await call('admin', 'POST', '/deployments', { resources: [{ name: 'parallel-review.bpmn', source: fixture }] });
    expect({ status: deployed.status, body: deployed.body }).toMatchObject({ status: 201 });
  });

  afterAll(async () => {
    await host?.close();
    await simulators?.close();
  });

  /** A weapon-registration application through the provider channel; its first task is attach-documents (office). */
  async function openTask(businessKey: string): Promise<{ taskId: string; childId: string }> {
    const applicant = await sim.prepareApplicant({ kind: 'legal-entity', processKey: KEY });
    const started = await call(CLERKS[0], 'POST', `/process-definitions/${KEY}/start`, { businessKey, variables: { ...applicant, channel: 'provider', variant: 'registration', applicantKind: 'legal-entity' } });
    expect(started.status).toBe(201);
    const tasks = (await call('admin', 'GET', `/tasks?businessKey=${businessKey}`)).body.items;
    expect(tasks.map((x: any) => x.taskDefinitionKey)).toEqual(['attach-documents']);
    return { taskId: tasks[0].id, childId: tasks[0].processInstanceId };
  }

  /** Fires all requests at once (each on its own connection) and waits for every answer. */
  async function race(requests: (() => Promise<{ status: number; body: any }>)[]) {
    const results = await Promise.all(requests.map((r) => r()));
    const statuses = results.map((r) => r.status);
    return { results, ok: statuses.filter((s) => s === 200).length, conflicts: statuses.filter((s) => s === 409).length, other: statuses.filter((s) => s !== 200 && s !== 409) };
  }

  it('50 clerks claim one task at once: one 200, 49 × 409, one claim in the history', async () => {
    const { taskId, childId } = await openTask('RACE-CLAIM');
    const outcome = await race(CLERKS.map((clerk) => () => call(clerk, 'POST', `/tasks/${taskId}/claim`)));
    expect(outcome).toMatchObject({ ok: 1, conflicts: 49, other: [] });
    const winner = CLERKS[outcome.results.findIndex((r) => r.status === 200)];
    for (const r of outcome.results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('CONFLICT');
    const task = (await call('admin', 'GET', `/tasks/${taskId}`)).body;
    expect(task.assignee).toBe(winner);
    const history = (await call('admin', 'GET', `/process-instances/${childId}/history`)).body as any[];
    expect(history.filter((h) => h.type === 'task-claimed')).toEqual([expect.objectContaining({ user: winner })]);
    // The losers cannot complete it either; the winner can.
    const loser = CLERKS.find((c) => c !== winner)!;
    expect((await call(loser, 'POST', `/tasks/${taskId}/complete`, { variables: { scannedDocuments: 1 } })).status).toBe(409);
    expect((await call(winner, 'POST', `/tasks/${taskId}/complete`, { variables: { scannedDocuments: 1 } })).status).toBe(200);
  });

  it('50 clerks complete one task at once: one 200, 49 × 409, the completion and the next step once', async () => {
    const { taskId, childId } = await openTask('RACE-COMPLETE');
    const outcome = await race(CLERKS.map((clerk, i) => () => call(clerk, 'POST', `/tasks/${taskId}/complete`, { variables: { scannedDocuments: i + 1 } })));
    expect(outcome).toMatchObject({ ok: 1, conflicts: 49, other: [] });
    const winnerIndex = outcome.results.findIndex((r) => r.status === 200);
    const history = (await call('admin', 'GET', `/process-instances/${childId}/history`)).body as any[];
    const completed = history.filter((h) => h.type === 'task-completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ user: CLERKS[winnerIndex], data: { taskId, variables: { scannedDocuments: winnerIndex + 1 } } });
    const ended = history.filter((h) => h.type === 'activity-end').map((h) => h.activityId);
    expect(new Set(ended).size).toBe(ended.length);
    // The winner's value is the one stored; the next task (register-application) exists once.
    const tasks = (await call('admin', 'GET', `/tasks?businessKey=RACE-COMPLETE&state=all`)).body.items as any[];
    expect(tasks.map((x) => `${x.taskDefinitionKey}:${x.state}`).sort()).toEqual(['attach-documents:completed', 'register-application:open']);
    const parent = tasks.find((x) => x.taskDefinitionKey === 'register-application').processInstanceId;
    expect((await call('admin', 'GET', `/process-instances/${parent}`)).body.variables.scannedDocuments).toBe(winnerIndex + 1);
  });

  it('one start sent 20 times at once with one Idempotency-Key: one instance, one E-licensing registration', async () => {
    const applicant = await sim.prepareApplicant({ kind: 'legal-entity', processKey: KEY });
    const body = { businessKey: 'RACE-IDEMPOTENT-START', variables: { ...applicant, channel: 'provider', variant: 'registration', applicantKind: 'legal-entity' } };
    const headers = { authorization: `Bearer ${token(CLERKS[0])}`, 'idempotency-key': 'race-idempotent-start-1' };
    const results = await Promise.all(Array.from({ length: 20 }, () => callApi(url, null, 'POST', `/process-definitions/${KEY}/start`, body, headers)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    expect(statuses.filter((x) => x === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const instances = (await call('admin', 'GET', '/process-instances?businessKey=RACE-IDEMPOTENT-START')).body.items as any[];
    // The reglament and the provider-intake flow it called, once each.
    expect(instances.map((i) => i.processDefinitionKey).sort()).toEqual(['elicense-provider-intake', KEY]);
    const tasks = (await call('admin', 'GET', '/tasks?businessKey=RACE-IDEMPOTENT-START')).body.items as any[];
    expect(tasks.map((x) => x.taskDefinitionKey)).toEqual(['attach-documents']);
    // The intake goes on once: one registration in E-licensing, under the application's (the top-level instance's) id.
    expect((await call(CLERKS[0], 'POST', `/tasks/${tasks[0].id}/complete`, { variables: { scannedDocuments: 1 } })).status).toBe(200);
    const application = instances.find((i) => !i.parentInstanceId)!;
    expect([...simulators.elicense.requests.values()].filter((r) => r.applicantIinBin === applicant.applicantIinBin).map((r) => r.requestId)).toEqual([application.id]);
  });

  it('50 clerks each complete a different instance at once: all 50 succeed', async () => {
    const tasks = [];
    for (let i = 0; i < 50; i++) tasks.push((await openTask(`PARALLEL-INSTANCES-${i}`)).taskId);
    const outcome = await race(tasks.map((taskId, i) => () => call(CLERKS[i], 'POST', `/tasks/${taskId}/complete`, { variables: { scannedDocuments: 1 } })));
    expect(outcome).toMatchObject({ ok: 50, conflicts: 0, other: [] });
  });

  it('two clerks complete the two parallel tasks of one instance at once: both succeed, nothing is lost', async () => {
    for (let round = 0; round < 10; round++) {
      const started = await call(CLERKS[0], 'POST', '/process-definitions/fixture-parallel-review/start', { businessKey: `PARALLEL-${round}` });
      expect(started.status).toBe(201);
      const id = started.body.id;
      const tasks = (await call('admin', 'GET', `/tasks?processInstanceId=${id}`)).body.items as any[];
      expect(tasks.map((x) => x.taskDefinitionKey).sort()).toEqual(['office-check', 'specialist-check']);
      const officeTask = tasks.find((x) => x.taskDefinitionKey === 'office-check').id;
      const specialistTask = tasks.find((x) => x.taskDefinitionKey === 'specialist-check').id;
      const outcome = await race([
        () => call(CLERKS[round], 'POST', `/tasks/${officeTask}/complete`, { variables: { officeNote: `office ${round}` } }),
        () => call(SPECIALIST, 'POST', `/tasks/${specialistTask}/complete`, { variables: { specialistNote: `specialist ${round}` } }),
      ]);
      expect(outcome).toMatchObject({ ok: 2, conflicts: 0, other: [] });
      const instance = (await call('admin', 'GET', `/process-instances/${id}`)).body;
      expect(instance).toMatchObject({ state: 'completed', outcome: 'done', variables: expect.objectContaining({ officeNote: `office ${round}`, specialistNote: `specialist ${round}` }) });
      const history = (await call('admin', 'GET', `/process-instances/${id}/history`)).body as any[];
      expect(history.filter((h) => h.type === 'task-completed').map((h) => h.activityId).sort()).toEqual(['office-check', 'specialist-check']);
      expect(history.filter((h) => h.type === 'activity-end' && h.activityId === 'join')).toHaveLength(1);
      expect(history.filter((h) => h.type === 'instance-completed')).toHaveLength(1);
    }
  });
});
