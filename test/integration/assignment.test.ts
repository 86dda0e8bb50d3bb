import path from 'node:path';
import { historyRow } from '../../src/runtime/history';
import { SqlInstanceStore } from '../../src/persistence/sql-instance-store';
import { startTestHost, TestHost } from '../support/test-host';

/*
 * Assignment in Camunda 7's terms (issue 17, point 2): who may set a task's assignee, delegate it,
 * resolve it, and take it back; two reassignments at once; the users of a group for the chooser.
 * The fixture's reglament has an office step and a head step: group head answers for it.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/assignment');

describe('task assignment', () => {
  let t: TestHost;

  beforeAll(async () => {
    t = await startTestHost({ processesDir: FIXTURES });
  });
  afterAll(() => t.close());

  /** A new application's office task, held by `holder` (claimed by them) or by nobody. */
  async function officeTask(holder: string | null = null): Promise<{ id: string; instanceId: string }> {
    const started = await t.call('office-user', 'POST', '/process-definitions/assign-chain/start', { variables: {} });
    expect(started.status).toBe(201);
    const id = (await t.call('office-user', 'GET', `/tasks?processInstanceId=${started.body.id}`)).body.items[0].id as string;
    if (holder) expect((await t.call(holder, 'POST', `/tasks/${id}/claim`)).status).toBe(200);
    return { id, instanceId: started.body.id };
  }

  const historyOf = async (instanceId: string) => (await t.call('admin', 'GET', `/process-instances/${instanceId}/history`)).body as { type: string; user?: string; data?: Record<string, unknown> }[];

  describe('setting the assignee: who may', () => {
    it.each([
      // actor, holder before, new assignee, status, holder after, history type
      ['a clerk takes an unclaimed task for themselves', 'office-user', null, 'office-user', 200, 'office-user', 'task-assigned'],
      ['a clerk may not hand out an unclaimed task', 'office-user', null, 'office-user-2', 403, null, null],
      ['a clerk hands their own task to a colleague of the group', 'office-user', 'office-user', 'office-user-2', 200, 'office-user-2', 'task-assigned'],
      ['a clerk gives their own task back to the group', 'office-user', 'office-user', null, 200, null, 'task-unclaimed'],
      ["a clerk may not take a colleague's task", 'office-user', 'office-user-2', 'office-user', 409, 'office-user-2', null],
      ['the head takes a task back from a clerk and gives it to another', 'head-user', 'office-user', 'office-user-2', 200, 'office-user-2', 'task-taken-back'],
      ['the head takes a task back into the group', 'head-user', 'office-user', null, 200, null, 'task-taken-back'],
      ['an admin takes a task back', 'admin', 'office-user', 'olga-office', 200, 'olga-office', 'task-taken-back'],
      ['a user of no group of the task', 'sanzhar-specialist', null, 'office-user', 403, null, null],
      ['not to a user outside the task\'s groups, even by the head', 'head-user', 'office-user', 'sanzhar-specialist', 400, 'office-user', null],
      ['not to a user who does not exist', 'office-user', 'office-user', 'ghost-user', 400, 'office-user', null],
    ] as const)('%s', async (_name, actor, before, target, status, after, historyType) => {
      const task = await officeTask(before);
      const answer = await t.call(actor, 'POST', `/tasks/${task.id}/assignee`, { userId: target });
      expect(answer.status).toBe(status);
      expect((await t.call('admin', 'GET', `/tasks/${task.id}`)).body.assignee).toBe(after);
      const types = (await historyOf(task.instanceId)).map((e) => e.type);
      if (historyType) {
        expect(answer.body).toMatchObject({ id: task.id, assignee: after });
        const entry = (await historyOf(task.instanceId)).find((e) => e.type === historyType && e.data?.to === target);
        expect(entry).toMatchObject({ user: actor, data: { taskId: task.id, from: before, to: target } });
      } else {
        expect(types.filter((type) => ['task-assigned', 'task-taken-back', 'task-unclaimed'].includes(type))).toEqual([]);
      }
      if (status === 400) expect(answer.body.error.message).toContain(target);
      if (status === 409) expect(answer.body.error.details).toMatchObject({ reason: 'claimed', assignee: before });
    });

    it('the task list shows the assignee by display name', async () => {
      const task = await officeTask('office-user');
      const listed = (await t.call('office-user', 'GET', `/tasks?processInstanceId=${task.instanceId}`)).body.items[0];
      expect(listed).toMatchObject({ assignee: 'office-user', assigneeName: 'office-user', owner: null, delegationState: null });
    });
  });

  describe('delegation (Camunda delegateTask / resolveTask)', () => {
    it('the owner stays, the delegate holds it PENDING, cannot complete it, resolves it back to the owner, who completes it', async () => {
      const task = await officeTask('office-user');
      const delegated = await t.call('office-user', 'POST', `/tasks/${task.id}/delegate`, { userId: 'office-user-2' });
      expect(delegated.status).toBe(200);
      expect(delegated.body).toMatchObject({ assignee: 'office-user-2', owner: 'office-user', delegationState: 'PENDING' });
      expect((await t.call('office-user', 'GET', `/tasks?processInstanceId=${task.instanceId}`)).body.items[0]).toMatchObject({ assignee: 'office-user-2', owner: 'office-user', ownerName: 'office-user', delegationState: 'PENDING' });

      const completed = await t.call('office-user-2', 'POST', `/tasks/${task.id}/complete`, { variables: {} });
      expect(completed.status).toBe(409);
      expect(completed.body.error.code).toBe('TASK_DELEGATED');
      // The owner does not resolve for the delegate.
      expect((await t.call('office-user', 'POST', `/tasks/${task.id}/resolve`)).status).toBe(409);

      const resolved = await t.call('office-user-2', 'POST', `/tasks/${task.id}/resolve`);
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({ assignee: 'office-user', owner: 'office-user', delegationState: 'RESOLVED' });
      expect((await t.call('office-user', 'POST', `/tasks/${task.id}/complete`, { variables: {} })).status).toBe(200);

      const history = await historyOf(task.instanceId);
      expect(history.find((e) => e.type === 'task-delegated')).toMatchObject({ user: 'office-user', data: { owner: 'office-user', delegate: 'office-user-2' } });
      expect(history.find((e) => e.type === 'task-resolved')).toMatchObject({ user: 'office-user-2', data: { owner: 'office-user', delegate: 'office-user-2' } });
    });

    it.each([
      // actor, holder, delegate, status
      ['the holder delegates to a colleague', 'office-user', 'office-user', 'office-user-2', 200],
      ['the head delegates a clerk\'s task', 'head-user', 'office-user', 'office-user-2', 200],
      ['not a colleague\'s task', 'office-user-2', 'office-user', 'olga-office', 409],
      ['not an unclaimed task (claim it first)', 'office-user', null, 'office-user-2', 409],
      ['not to a user outside the task\'s groups', 'office-user', 'office-user', 'sanzhar-specialist', 400],
      ['not by a user of no group of the task', 'sanzhar-specialist', 'office-user', 'office-user-2', 403],
    ] as const)('%s', async (_name, actor, holder, delegate, status) => {
      const task = await officeTask(holder);
      const answer = await t.call(actor, 'POST', `/tasks/${task.id}/delegate`, { userId: delegate });
      expect(answer.status).toBe(status);
      const now = (await t.call('admin', 'GET', `/tasks/${task.id}`)).body;
      expect(now).toMatchObject(status === 200 ? { assignee: delegate, owner: holder, delegationState: 'PENDING' } : { assignee: holder, owner: null, delegationState: null });
    });

    it('a task that is not delegated has nothing to resolve', async () => {
      const task = await officeTask('office-user');
      expect((await t.call('office-user', 'POST', `/tasks/${task.id}/resolve`)).status).toBe(409);
    });

    it('the owner may take a delegated task back for themselves (RESOLVED)', async () => {
      const task = await officeTask('office-user');
      await t.call('office-user', 'POST', `/tasks/${task.id}/delegate`, { userId: 'office-user-2' });
      const back = await t.call('office-user', 'POST', `/tasks/${task.id}/assignee`, { userId: 'office-user' });
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ assignee: 'office-user', owner: 'office-user', delegationState: 'RESOLVED' });
    });
  });

  describe('two reassignments at once', () => {
    it('one wins, the other is a 409 naming the holder it lost to', async () => {
      const task = await officeTask('office-user');
      const answers = await Promise.all([
        t.call('head-user', 'POST', `/tasks/${task.id}/assignee`, { userId: 'office-user-2', expectedAssignee: 'office-user' }),
        t.call('admin', 'POST', `/tasks/${task.id}/assignee`, { userId: 'olga-office', expectedAssignee: 'office-user' }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const winner = answers.find((a) => a.status === 200)!.body.assignee as string;
      const loser = answers.find((a) => a.status === 409)!;
      expect(loser.body.error.details).toMatchObject({ reason: 'claimed', assignee: winner, assigneeName: winner });
      expect((await t.call('admin', 'GET', `/tasks/${task.id}`)).body.assignee).toBe(winner);
      expect((await historyOf(task.instanceId)).filter((e) => e.type === 'task-taken-back')).toHaveLength(1);
    });

    it('the store moves a holder only from what was read: a stale compare-and-set changes and records nothing', async () => {
      const task = await officeTask('office-user');
      const store = new SqlInstanceStore(t.host.dataSource);
      const entry = (to: string) => historyRow(new Date(), task.instanceId, 'task-taken-back', 'first', 'admin', { taskId: task.id, to });
      const read = { assignee: 'office-user', owner: null, delegationState: null };
      const [first, second] = await Promise.all([
        store.moveHolders(task.id, read, { ...read, assignee: 'office-user-2' }, entry('office-user-2')),
        store.moveHolders(task.id, read, { ...read, assignee: 'olga-office' }, entry('olga-office')),
      ]);
      expect([first, second].sort()).toEqual([false, true]);
      const holder = (await t.call('admin', 'GET', `/tasks/${task.id}`)).body.assignee;
      expect(holder).toBe(first ? 'office-user-2' : 'olga-office');
      expect((await historyOf(task.instanceId)).filter((e) => e.type === 'task-taken-back').map((e) => e.data?.to)).toEqual([holder]);
    });
  });

  describe('the members of a group for the chooser', () => {
    it.each([
      ['a member of the group', 'office-user', 'office', 200],
      ['the head, any group', 'head-user', 'office', 200],
      ['an admin, any group', 'admin', 'office', 200],
      ['a user of another group', 'sanzhar-specialist', 'office', 403],
    ] as const)('%s', async (_name, actor, group, status) => {
      const answer = await t.call(actor, 'GET', `/users?group=${group}`);
      expect(answer.status).toBe(status);
      if (status !== 200) return;
      const ids = (answer.body as { id: string; name: string }[]).map((u) => u.id);
      expect(ids).toEqual(expect.arrayContaining(['office-user', 'office-user-2', 'olga-office']));
      expect(ids).not.toContain('sanzhar-specialist');
      expect(JSON.stringify(answer.body)).not.toMatch(/token|sha256/i);
    });
  });
});
