import path from 'node:path';
import { startTestHost, TestHost } from '../support/test-host';

/*
 * Comments on a case and on a task (issue 17, point 3): who, when, text (1 to 4000 characters), only by
 * those who may see the case, stored durably with a history row, never a variable of the case.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/assignment');

describe('comments', () => {
  let t: TestHost;
  let instanceId: string;
  let taskId: string;

  beforeAll(async () => {
    t = await startTestHost({ processesDir: FIXTURES });
    instanceId = (await t.call('office-user', 'POST', '/process-definitions/assign-chain/start', { variables: {} })).body.id;
    taskId = (await t.call('office-user', 'GET', `/tasks?processInstanceId=${instanceId}`)).body.items[0].id;
  });
  afterAll(() => t.close());

  const stored = async () => ({
    onCase: (await t.call('admin', 'GET', `/process-instances/${instanceId}/comments`)).body as unknown[],
    onTask: (await t.call('admin', 'GET', `/tasks/${taskId}/comments`)).body as unknown[],
    history: ((await t.call('admin', 'GET', `/process-instances/${instanceId}/history`)).body as { type: string }[]).filter((e) => e.type === 'comment-added'),
  });

  it('a comment on the case: who, when, text; listed, in the history, and not a variable', async () => {
    const before = (await t.call('admin', 'GET', `/process-instances/${instanceId}`)).body.variables;
    const answer = await t.call('office-user', 'POST', `/process-instances/${instanceId}/comments`, { text: '  Құжаттар толық емес: салық анықтамасы жоқ.  ' });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ processInstanceId: instanceId, taskId: null, user: 'office-user', userName: 'office-user', text: 'Құжаттар толық емес: салық анықтамасы жоқ.' });
    expect(Date.parse(answer.body.at)).not.toBeNaN();
    const listed = (await t.call('office-user', 'GET', `/process-instances/${instanceId}/comments`)).body;
    expect(listed).toEqual([answer.body]);
    const history = (await t.call('office-user', 'GET', `/process-instances/${instanceId}/history`)).body as { type: string; user?: string; data?: { text?: string } }[];
    expect(history.find((e) => e.type === 'comment-added')).toMatchObject({ user: 'office-user', data: { commentId: answer.body.id, taskId: null, text: 'Құжаттар толық емес: салық анықтамасы жоқ.' } });
    expect((await t.call('admin', 'GET', `/process-instances/${instanceId}`)).body.variables).toEqual(before);
  });

  it('a comment on a task: on the task, and on its case page with the task named', async () => {
    const answer = await t.call('office-user-2', 'POST', `/tasks/${taskId}/comments`, { text: 'Өтініш берушіге хабарластым.' });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ taskId, taskName: 'office step', user: 'office-user-2' });
    expect((await t.call('office-user', 'GET', `/tasks/${taskId}/comments`)).body).toEqual([answer.body]);
    const onCase = (await t.call('office-user', 'GET', `/process-instances/${instanceId}/comments`)).body as { id: string }[];
    expect(onCase.map((c) => c.id)).toContain(answer.body.id);
  });

  it('4000 characters are accepted', async () => {
    expect((await t.call('office-user', 'POST', `/process-instances/${instanceId}/comments`, { text: 'ә'.repeat(4000) })).status).toBe(201);
  });

  it.each([
    // name, user, where, body, status
    ['empty', 'office-user', 'case', { text: '' }, 400],
    ['only blanks', 'office-user', 'task', { text: ' \n\t ' }, 400],
    ['4001 characters', 'office-user', 'case', { text: 'a'.repeat(4001) }, 400],
    ['no text', 'office-user', 'task', {}, 400],
    ['text not a string', 'office-user', 'case', { text: 42 }, 400],
    ['by a user who may not see the case', 'sanzhar-specialist', 'case', { text: 'hello' }, 404],
    ['on a task of a case the user may not see', 'sanzhar-specialist', 'task', { text: 'hello' }, 404],
    ['without signing in', null, 'case', { text: 'hello' }, 401],
  ] as const)('refused: %s (4xx, nothing stored)', async (_name, user, where, body, status) => {
    const before = await stored();
    const route = where === 'case' ? `/process-instances/${instanceId}/comments` : `/tasks/${taskId}/comments`;
    const answer = await t.call(user, 'POST', route, body);
    expect(answer.status).toBe(status);
    if (status === 400) expect(answer.body.error.message + JSON.stringify(answer.body.error.details ?? '')).toContain('text');
    expect(await stored()).toEqual(before);
  });

  it.each([
    ['case', (id: string) => `/process-instances/${id}/comments`],
    ['task', () => `/tasks/${taskId}/comments`],
  ])('a user who may not see the case does not read its comments (%s)', async (_where, route) => {
    expect((await t.call('sanzhar-specialist', 'GET', route(instanceId))).status).toBe(404);
  });

  it('comments are kept across a restart of the server (stored in the database)', async () => {
    const before = (await stored()).onCase;
    expect(before.length).toBeGreaterThan(0);
    const dir = t.dir;
    await t.close();
    t = await startTestHost({ processesDir: FIXTURES, dir });
    expect((await stored()).onCase).toEqual(before);
  });
});
