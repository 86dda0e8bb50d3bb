import path from 'node:path';
import { ManualClock } from '../../src/clock';
import { startTestHost, tempDir, TestHost } from '../support/test-host';

/*
 * Host-owned timers (stored rows, fired by the host's clock, once) and BPMN errors thrown by a
 * called process's error end event, caught by an error boundary event on the call activity.
 */
const fixtures = path.resolve(__dirname, '../fixtures/processes/timers-and-errors');
const DAY = 24 * 3600 * 1000;

async function startParent(t: TestHost): Promise<string> {
  const started = await t.call('olga-office', 'POST', '/process-definitions/fixture-parent/start', { variables: { applicantName: 'Асель' } });
  expect(started.status).toBe(201);
  return started.body.id;
}

async function completeOnly(t: TestHost, user: string, businessFilter: string, variables: Record<string, unknown> = {}) {
  const tasks = await t.call(user, 'GET', `/tasks?${businessFilter}`);
  expect(tasks.body.items).toHaveLength(1);
  const done = await t.call(user, 'POST', `/tasks/${tasks.body.items[0].id}/complete`, { variables });
  expect(done.status).toBe(200);
  return tasks.body.items[0];
}

async function childOf(t: TestHost, parentId: string) {
  const children = await t.call('admin', 'GET', '/process-instances?processDefinitionKey=fixture-checker&all=true');
  return children.body.items.find((c: any) => c.parentInstanceId === parentId);
}

describe('BPMN errors from called processes', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ processesDir: fixtures });
  });
  afterAll(() => t.close());

  it('passes camunda:in parameters to the child and routes its error end to the error boundary event', async () => {
    const parentId = await startParent(t);
    const child = await childOf(t, parentId);
    const childDetail = await t.call('admin', 'GET', `/process-instances/${child.id}`);
    expect(childDetail.body.variables).toMatchObject({ level: 'strict', copied: 'Асель', applicantName: 'Асель' });

    await completeOnly(t, 'sanzhar-specialist', `processInstanceId=${child.id}`, { ok: false });
    const childEnd = await t.call('admin', 'GET', `/process-instances/${child.id}`);
    expect(childEnd.body).toMatchObject({ state: 'completed', outcome: 'c-refused' });
    const parent = await t.call('admin', 'GET', `/process-instances/${parentId}`);
    expect(parent.body).toMatchObject({ state: 'completed', outcome: 'p-refused' });
    expect(parent.body.variables.ok).toBe(false);
    const history = (await t.call('admin', 'GET', `/process-instances/${parentId}/history`)).body;
    expect(history.find((h: any) => h.type === 'call-completed').data).toMatchObject({ outcome: 'c-refused', errorCode: 'CHECK_FAILED' });
  });

  it('a normal child end completes the call activity and the caller goes on', async () => {
    const parentId = await startParent(t);
    const child = await childOf(t, parentId);
    await completeOnly(t, 'sanzhar-specialist', `processInstanceId=${child.id}`, { ok: true });
    const parent = await t.call('admin', 'GET', `/process-instances/${parentId}`);
    expect(parent.body.activeActivities.map((a: any) => a.id).sort()).toEqual(['p-timeout', 'p-wait']);
  });
});

describe('host timers', () => {
  it('a 40-day boundary timer is a stored row, survives a restart, fires once when due by the host clock', async () => {
    const dir = tempDir();
    const clock = new ManualClock(new Date('2026-03-02T05:00:00Z'));
    let t = await startTestHost({ processesDir: fixtures, dir, clock });
    const parentId = await startParent(t);
    // The service's overall limit (process property, flagged derived) gives the instance a deadline; a called child has none.
    expect((await t.call('admin', 'GET', `/process-instances/${parentId}`)).body).toMatchObject({ deadline: '2026-03-06T13:00:00.000Z', deadlineDerived: true, overdue: false });
    const child = await childOf(t, parentId);
    expect((await t.call('admin', 'GET', `/process-instances/${child.id}`)).body).toMatchObject({ deadline: null });
    await completeOnly(t, 'sanzhar-specialist', `processInstanceId=${child.id}`, { ok: true });

    const timers = (await t.call('admin', 'GET', `/timers?processInstanceId=${parentId}&kind=event`)).body;
    expect(timers).toEqual([expect.objectContaining({ activityId: 'p-timeout', state: 'pending', timerValue: 'P40D', dueAt: '2026-04-11T05:00:00.000Z' })]);
    expect((await t.call('olga-office', 'GET', '/timers')).status).toBe(403);

    // The server is down while the task's own 1-working-day limit passes. Day 39, back up: the
    // 40-day timer is not due, the task escalates (flag, history, notification to the head's
    // group, here admin), once.
    await t.close();
    clock.advance(39 * DAY);
    t = await startTestHost({ processesDir: fixtures, dir, clock });
    const escalation = (await t.call('admin', 'GET', `/timers?processInstanceId=${parentId}&kind=task-due`)).body;
    expect(escalation).toEqual([expect.objectContaining({ activityId: 'p-wait', state: 'pending', timerValue: '1 working day' })]);
    expect((await t.call('admin', 'POST', '/timers/fire-due')).body.fired).toEqual([escalation[0].id]);
    expect((await t.call('admin', 'POST', '/timers/fire-due')).body.fired).toEqual([]);
    expect((await t.call('admin', 'GET', `/process-instances/${parentId}`)).body.overdue).toBe(true);
    const overdue = await t.call('admin', 'GET', `/tasks?processInstanceId=${parentId}&overdue=true`);
    expect(overdue.body.items).toEqual([expect.objectContaining({ taskDefinitionKey: 'p-wait', overdue: true, escalatedAt: clock.now().toISOString() })]);
    const notes = (await t.call('admin', 'GET', '/notifications')).body;
    expect(notes.items).toEqual([expect.objectContaining({ type: 'task-overdue', groupId: 'admin', taskId: overdue.body.items[0].id })]);
    expect((await t.call('olga-office', 'GET', '/notifications')).body.total).toBe(0);
    await t.close();

    // The server is down when the timer comes due; the next one fires it.
    clock.advance(3 * DAY);
    t = await startTestHost({ processesDir: fixtures, dir, clock });
    const first = await t.call('admin', 'POST', '/timers/fire-due');
    expect(first.body).toEqual({ fired: [timers[0].id], failed: [], warned: [] });
    expect((await t.call('admin', 'POST', '/timers/fire-due')).body.fired).toEqual([]);

    const parent = await t.call('admin', 'GET', `/process-instances/${parentId}`);
    expect(parent.body).toMatchObject({ state: 'completed', outcome: 'p-expired' });
    const tasks = await t.call('admin', 'GET', `/tasks?processInstanceId=${parentId}&state=cancelled`);
    expect(tasks.body.items.map((x: any) => x.taskDefinitionKey)).toEqual(['p-wait']);
    const history = (await t.call('admin', 'GET', `/process-instances/${parentId}/history`)).body;
    expect(history.filter((h: any) => h.type === 'timer-fired')).toHaveLength(1);
    expect(history.filter((h: any) => h.type === 'task-overdue')).toHaveLength(1);
    expect((await t.call('admin', 'GET', `/timers?processInstanceId=${parentId}&kind=event`)).body[0]).toMatchObject({ state: 'fired', firedAt: '2026-04-13T05:00:00.000Z' });
    await t.close();
  });

  it('completing the task first cancels its boundary timer; a timeDate catch event fires at that date', async () => {
    // bpmn-engine resolves a timeDate against the real time (a past date completes at once), so
    // this clock starts at the real now and the date lies ahead of it.
    const start = new Date(Math.floor(Date.now() / 1000) * 1000);
    const testDate = new Date(start.getTime() + 18 * DAY);
    const clock = new ManualClock(start);
    const t = await startTestHost({ processesDir: fixtures, clock });
    try {
      const parentId = await startParent(t);
      const child = await childOf(t, parentId);
      await completeOnly(t, 'sanzhar-specialist', `processInstanceId=${child.id}`, { ok: true });
      await completeOnly(t, 'olga-office', `processInstanceId=${parentId}`, { testDate: testDate.toISOString() });

      const timers = (await t.call('admin', 'GET', `/timers?processInstanceId=${parentId}&kind=event`)).body;
      expect(timers.map((x: any) => [x.activityId, x.state])).toEqual([
        ['p-date', 'pending'],
        ['p-timeout', 'cancelled'],
      ]);
      expect(timers[0].dueAt).toBe(testDate.toISOString());
      clock.set(new Date(testDate.getTime() - 60_000));
      expect((await t.call('admin', 'POST', '/timers/fire-due')).body.fired).not.toContain(timers[0].id);
      clock.set(testDate);
      expect((await t.call('admin', 'POST', '/timers/fire-due')).body.fired).toEqual([timers[0].id]);
      expect((await t.call('admin', 'GET', `/process-instances/${parentId}`)).body).toMatchObject({ state: 'completed', outcome: 'p-done' });
    } finally {
      await t.close();
    }
  });
});
