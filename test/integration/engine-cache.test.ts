import { startTestHost, TestHost, tempDir } from '../support/test-host';

/*
 * The engines of recently active instances are kept between steps (StepRunner), and used only when
 * the state a step starts from is exactly the one they produced. Two hosts on one database play two
 * server processes: what one of them stored makes the other's kept engine stale, and the step must
 * then run from the stored state, never from the engine.
 */
const KEY = 'cotton-warehouse-license';
const start = { variant: 'duplicate', resultForm: 'electronic', applicantName: 'ТОО «Кэш»', applicantIinBin: '140540012346' };

describe('kept engines', () => {
  const dir = tempDir();
  let a: TestHost;
  let b: TestHost;

  beforeAll(async () => {
    a = await startTestHost({ dir });
    b = await startTestHost({ dir });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  /** The values each step's form requires; the specialist chosen at assign-specialist then holds formalise-licence. */
  const VALUES: Record<string, Record<string, unknown>> = {
    'head-resolution': { headResolution: 'Бөлімге', resolutionUnit: 'department' },
    'assign-specialist': { departmentHeadResolution: 'Орындауға', responsibleSpecialist: 'sanzhar-specialist' },
  };

  async function completeOpenTask(t: TestHost, businessKey: string, expectedKey: string): Promise<void> {
    const task = (await t.call('admin', 'GET', `/tasks?businessKey=${businessKey}`)).body.items[0];
    expect(task?.taskDefinitionKey).toBe(expectedKey);
    const done = await t.call(task.assignee ?? 'admin', 'POST', `/tasks/${task.id}/complete`, { variables: VALUES[expectedKey] ?? {} });
    expect({ status: done.status, body: done.body }).toMatchObject({ status: 200 });
  }

  it('a step after another process advanced the instance runs from the stored state, not from the stale kept engine', async () => {
    const started = await a.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, { businessKey: 'CACHE-1', variables: start });
    expect(started.status).toBe(201);
    expect(a.host.steps.keptEngines).toBeGreaterThan(0);
    // A keeps the engine it ran register-application on ...
    await completeOpenTask(a, 'CACHE-1', 'register-application');
    // ... B (another process) runs the next step from the stored state ...
    await completeOpenTask(b, 'CACHE-1', 'head-resolution');
    // ... and A's kept engine, still waiting at head-resolution, must not serve the step after it.
    await completeOpenTask(a, 'CACHE-1', 'assign-specialist');
    await completeOpenTask(a, 'CACHE-1', 'formalise-licence');
    const instance = (await a.call('admin', 'GET', `/process-instances/${started.body.id}`)).body;
    expect(instance).toMatchObject({ state: 'completed', outcome: 'licence-issued' });
    const history = (await a.call('admin', 'GET', `/process-instances/${started.body.id}/history`)).body as any[];
    const completed = history.filter((h) => h.type === 'task-completed').map((h) => h.activityId);
    expect(completed).toEqual(['register-application', 'head-resolution', 'assign-specialist', 'formalise-licence']);
    const ended = history.filter((h) => h.type === 'activity-end').map((h) => h.activityId);
    expect(new Set(ended).size).toBe(ended.length);
  });

  it('the same path on one host, from kept engines, ends the same way', async () => {
    const started = await a.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, { businessKey: 'CACHE-2', variables: start });
    for (const key of ['register-application', 'head-resolution', 'assign-specialist', 'formalise-licence']) await completeOpenTask(a, 'CACHE-2', key);
    expect((await a.call('admin', 'GET', `/process-instances/${started.body.id}`)).body).toMatchObject({ state: 'completed', outcome: 'licence-issued' });
    const history = (await a.call('admin', 'GET', `/process-instances/${started.body.id}/history`)).body as any[];
    expect(history.filter((h) => h.type === 'task-completed').map((h) => h.activityId)).toEqual(['register-application', 'head-resolution', 'assign-specialist', 'formalise-licence']);
  });
});
