import path from 'node:path';
import { startTestHost, TestHost } from '../support/test-host';

const fixtures = path.resolve(__dirname, '../fixtures/processes/call-activity');

describe('call activities across files', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ processesDir: fixtures });
  });
  afterAll(() => t.close());

  it('starts the called process, resumes the caller with its variables, and chains a child that ends at once', async () => {
    const started = await t.call('olga-office', 'POST', '/process-definitions/test-parent/start', { businessKey: 'CA-1' });
    expect(started.status).toBe(201);
    const parentId = started.body.id;

    const prepare = await t.call('olga-office', 'GET', `/tasks?processInstanceId=${parentId}`);
    expect(prepare.body.items.map((x: any) => x.taskDefinitionKey)).toEqual(['prepare']);
    expect((await t.call('olga-office', 'POST', `/tasks/${prepare.body.items[0].id}/complete`, {})).status).toBe(200);

    const parent = await t.call('admin', 'GET', `/process-instances/${parentId}`);
    expect(parent.body.state).toBe('running');
    expect(parent.body.activeActivities).toEqual([expect.objectContaining({ id: 'call-review', type: 'bpmn:CallActivity' })]);

    const children = await t.call('admin', 'GET', '/process-instances?processDefinitionKey=test-child-review');
    expect(children.body.total).toBe(1);
    const child = children.body.items[0];
    expect(child.parentInstanceId).toBe(parentId);
    expect(child.businessKey).toBe('CA-1');

    const review = await t.call('sanzhar-specialist', 'GET', '/tasks?businessKey=CA-1');
    expect(review.body.items).toHaveLength(1);
    expect(review.body.items[0]).toMatchObject({ taskDefinitionKey: 'review', processInstanceId: child.id, candidateGroups: ['specialist'] });
    const done = await t.call('sanzhar-specialist', 'POST', `/tasks/${review.body.items[0].id}/complete`, { variables: { checked: true } });
    expect(done.status).toBe(200);

    // The review child ended, the caller went on into the automatic child, which ended within the
    // same step, and the caller reached its end with variables from both children.
    const finished = await t.call('admin', 'GET', `/process-instances/${parentId}`);
    expect(finished.body.state).toBe('completed');
    expect(finished.body.outcome).toBe('approved');
    expect(finished.body.variables.checked).toBe(true);
    expect(finished.body.variables.registrationNumber).toMatch(/^REG-/);

    const auto = await t.call('admin', 'GET', '/process-instances?processDefinitionKey=test-child-auto');
    expect(auto.body.items).toEqual([expect.objectContaining({ state: 'completed', parentInstanceId: parentId })]);

    const history = (await t.call('admin', 'GET', `/process-instances/${parentId}/history`)).body;
    expect(history.filter((h: any) => h.type === 'call-started').map((h: any) => h.activityId)).toEqual(['call-review', 'call-auto']);
    expect(history.filter((h: any) => h.type === 'call-completed').map((h: any) => h.activityId)).toEqual(['call-review', 'call-auto']);
  });

  it('rejects a deployment whose call activity names an unknown process, listing the element', async () => {
    const fs = await import('node:fs');
    const source = fs.readFileSync(path.join(fixtures, 'parent.bpmn'), 'utf8').replace('calledElement="test-child-auto"', 'calledElement="no-such-process"');
    const before = (await t.call('admin', 'GET', '/process-definitions?all=true')).body;
    const res = await t.call('admin', 'POST', '/deployments', { resources: [{ name: 'parent.bpmn', source }] });
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'parent.bpmn', elementId: 'call-auto', rule: 'reglament/call-activity-target' })]));
    expect((await t.call('admin', 'GET', '/process-definitions?all=true')).body).toEqual(before);
  });
});
