import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../src/clock';
import { smallDiagram } from '../support/small-diagram';
import { startTestHost, tempDir, TestHost } from '../support/test-host';

/*
 * The head's lateness list, the share-over-limit SLA figures and the at-risk warning, on a small
 * reglament of two steps: "Register" (30 minutes) then "Approve" (1 working day), both for the
 * office. The step ids sort the other way round alphabetically, so process order shows.
 * Calendar: Mon-Fri 09:00-13:00, 14:00-18:00 Almaty (UTC+5); AT_RISK_SHARE default 0.25: a
 * 30-minute task is at risk in its last 7.5 working minutes.
 */
const KEY = 'late-reglament';
const OTHER = 'late-other';
const BIN = '140540012346';
const startForm = `<bpmn:extensionElements><camunda:formData>
  <camunda:formField id="applicantName" label="Applicant" type="string" />
  <camunda:formField id="applicantIinBin" label="IIN/BIN" type="string" />
</camunda:formData></bpmn:extensionElements>`;
const limit = (value: string) => `<bpmn:extensionElements><camunda:properties><camunda:property name="timeLimit" value="${value}" /></camunda:properties></bpmn:extensionElements>`;
const diagram = (key: string) =>
  smallDiagram(
    key,
    [
      { id: 'start', type: 'bpmn:startEvent', inner: startForm },
      { id: 'z-register', type: 'bpmn:userTask', name: 'Register', attrs: 'camunda:candidateGroups="office"', inner: limit('30 minutes') },
      { id: 'a-approve', type: 'bpmn:userTask', name: 'Approve', attrs: 'camunda:candidateGroups="office"', inner: limit('1 working day') },
      { id: 'end', type: 'bpmn:endEvent' },
    ],
    [
      { id: 'f1', from: 'start', to: 'z-register' },
      { id: 'f2', from: 'z-register', to: 'a-approve' },
      { id: 'f3', from: 'a-approve', to: 'end' },
    ],
  );

// Monday 2 March 2026 in Almaty (UTC+5).
const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00+05:00`);

describe('lateness: GET /reports/lateness, share over the limit, at-risk warnings', () => {
  let t: TestHost;
  const clock = new ManualClock(at('09:00'));
  const started: Record<string, string> = {};

  async function start(key: string, businessKey: string, applicantName: string) {
    const res = await t.call('olga-office', 'POST', `/process-definitions/${key}/start`, { businessKey, variables: { applicantName, applicantIinBin: BIN } });
    expect(res.status).toBe(201);
    started[businessKey] = res.body.id;
  }
  const openTask = async (businessKey: string) => (await t.call('olga-office', 'GET', `/tasks?businessKey=${businessKey}`)).body.items[0];
  const fire = async () => (await t.call('admin', 'POST', '/timers/fire-due')).body;
  const notificationsOf = async (type: string) => (await t.call('admin', 'GET', '/notifications?maxResults=1000')).body.items.filter((n: any) => n.type === type);

  beforeAll(async () => {
    const dir = tempDir('lateness-');
    fs.writeFileSync(path.join(dir, `${KEY}.bpmn`), diagram(KEY));
    fs.writeFileSync(path.join(dir, `${OTHER}.bpmn`), diagram(OTHER));
    t = await startTestHost({ processesDir: dir, clock });

    await start(KEY, 'LATE-D', 'Claimed and late'); // 09:00, due 09:30
    expect((await t.call('olga-office', 'POST', `/tasks/${(await openTask('LATE-D')).id}/claim`)).status).toBe(200);
    clock.set(at('09:05'));
    await start(KEY, 'LATE-A', 'Unclaimed and late'); // due 09:35
    // A minute later: two tasks due at the same instant are in id order, which is random.
    clock.set(at('09:06'));
    await start(OTHER, 'OTHER-1', 'Other reglament'); // due 09:36
    clock.set(at('10:00'));
    await start(KEY, 'LATE-B', 'At risk'); // due 10:30, at risk from 10:22:30
    clock.set(at('10:20'));
    await start(KEY, 'LATE-C', 'In time'); // due 10:50, at risk from 10:42:30
    clock.set(at('10:25'));
  });
  afterAll(() => t.close());

  it('lists every open application overdue or at risk, most overdue first, with case, applicant, step, holder and working time', async () => {
    const res = await t.call('hasan-head', 'GET', `/reports/lateness?processDefinitionKey=${KEY}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 3, overdue: 2 });
    const rows = res.body.items.map((e: any) => [e.businessKey, e.applicantName, e.applicantIinBin, e.stepName, e.assignee, e.candidateGroups, e.state, e.workingMinutesOver, e.workingMinutesLeft, e.processInstanceId]);
    expect(rows).toEqual([
      ['LATE-D', 'Claimed and late', BIN, 'Register', 'olga-office', ['office'], 'overdue', 55, 0, started['LATE-D']],
      ['LATE-A', 'Unclaimed and late', BIN, 'Register', null, ['office'], 'overdue', 50, 0, started['LATE-A']],
      ['LATE-B', 'At risk', BIN, 'Register', null, ['office'], 'at-risk', 0, 5, started['LATE-B']],
    ]);
  });

  it.each([
    ['all reglaments together', '', ['LATE-D', 'LATE-A', 'OTHER-1', 'LATE-B'], 4],
    ['one page of them', '?firstResult=1&maxResults=2', ['LATE-A', 'OTHER-1'], 4],
    ['the other reglament', `?processDefinitionKey=${OTHER}`, ['OTHER-1'], 1],
  ])('for %s', async (_name, query, cases, total) => {
    const res = await t.call('admin', 'GET', `/reports/lateness${query}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: any) => e.businessKey)).toEqual(cases);
    expect(res.body.total).toBe(total);
  });

  it('is for heads and admins only, and refuses a bad page size naming it', async () => {
    expect((await t.call('olga-office', 'GET', '/reports/lateness')).status).toBe(403);
    const bad = await t.call('hasan-head', 'GET', '/reports/lateness?maxResults=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('maxResults');
  });

  it('warns once per task when it enters the last share of its limit, even when two servers sweep at once', async () => {
    clock.set(at('10:21'));
    const early = await fire();
    expect(early.warned).not.toContain((await openTask('LATE-B')).id);
    clock.set(at('10:25'));
    const [first, second] = await Promise.all([fire(), fire()]);
    const b = await openTask('LATE-B');
    expect([...first.warned, ...second.warned].filter((id: string) => id === b.id)).toHaveLength(1);
    await fire();
    const warnings = await notificationsOf('task-at-risk');
    // Only B: D, A and OTHER-1 were already overdue (their overdue notification says more), C is not yet at risk.
    expect(warnings.map((n: any) => n.taskId)).toEqual([b.id]);
    expect(warnings[0]).toMatchObject({ groupId: 'admin', processInstanceId: started['LATE-B'], readAt: null, task: { businessKey: 'LATE-B', name: 'Register' } });
    expect((await notificationsOf('task-overdue')).map((n: any) => n.task.businessKey).sort()).toEqual(['LATE-A', 'LATE-D', 'OTHER-1']);

    clock.set(at('10:45'));
    await fire();
    expect((await notificationsOf('task-at-risk')).map((n: any) => n.task.businessKey).sort()).toEqual(['LATE-B', 'LATE-C']);
  });

  it('marks notifications read one and all; the unread count follows', async () => {
    const unread = async () => (await t.call('admin', 'GET', '/notifications?unread=true&maxResults=1')).body.total;
    const before = await unread();
    expect(before).toBeGreaterThanOrEqual(3);
    const [one] = (await t.call('admin', 'GET', '/notifications?unread=true&maxResults=1')).body.items;
    expect((await t.call('admin', 'POST', `/notifications/${one.id}/read`)).body.readBy).toBe('admin');
    expect(await unread()).toBe(before - 1);
    const list = (await t.call('admin', 'GET', '/notifications?maxResults=1000')).body.items;
    expect(list[list.length - 1].id).toBe(one.id); // unread first
    expect((await t.call('admin', 'POST', '/notifications/read-all')).body).toEqual({ marked: before - 1 });
    expect(await unread()).toBe(0);
  });
});

describe('SLA: share of tasks over the limit, completed and open; steps in process order', () => {
  let t: TestHost;
  const clock = new ManualClock(at('09:00'));

  beforeAll(async () => {
    const dir = tempDir('sla-share-');
    fs.writeFileSync(path.join(dir, `${KEY}.bpmn`), diagram(KEY));
    t = await startTestHost({ processesDir: dir, clock });
    // The case: eight applications, seven registered in 10 minutes, one 26 times over its 30 minutes.
    for (let i = 1; i <= 8; i++) {
      const res = await t.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, { businessKey: `SLA-${i}`, variables: { applicantName: `A${i}`, applicantIinBin: BIN } });
      expect(res.status).toBe(201);
    }
    const tasks = (await t.call('olga-office', 'GET', `/tasks?processDefinitionKey=${KEY}&sortBy=created&maxResults=100`)).body.items;
    clock.set(at('09:10'));
    for (const task of tasks.slice(0, 7)) expect((await t.call('olga-office', 'POST', `/tasks/${task.id}/complete`, { variables: {} })).status).toBe(200);
    // 26 x 30 = 780 working minutes after 09:00: 480 on Monday (09:00-18:00 less lunch) and 300 on Tuesday (09:00-13:00, 14:00-15:00).
    clock.set(new Date('2026-03-03T15:00:00+05:00'));
    expect((await t.call('olga-office', 'POST', `/tasks/${tasks[7].id}/complete`, { variables: {} })).status).toBe(200);
  });
  afterAll(() => t.close());

  it('shows the step late by 1 of 8 over, with median and 90th percentile beside, in process order', async () => {
    const res = await t.call('hasan-head', 'GET', `/reports/sla?processDefinitionKey=${KEY}`);
    expect(res.status).toBe(200);
    const [reglament] = res.body.processes;
    expect(reglament.steps.map((s: any) => s.taskDefinitionKey)).toEqual(['z-register', 'a-approve']);
    expect(reglament.steps[0]).toMatchObject({
      completed: 8,
      withinLimit: 7,
      completedOverLimit: 1,
      open: 0,
      overLimitShare: 0.125,
      medianWorkingMinutes: 10,
      p90WorkingMinutes: 780,
      limitWorkingMinutes: 30,
      p90ShareOfLimit: 26,
    });
    // Approve: seven opened Monday 09:10 (due Monday 18:00), one Tuesday 15:00 (due Tuesday 18:00); at Tuesday 15:00 seven are over.
    expect(reglament.steps[1]).toMatchObject({ completed: 0, open: 8, openOverLimit: 7, openAtRisk: 0, withLimit: 8, overLimitShare: 0.875, medianWorkingMinutes: null });
    expect(reglament).toMatchObject({ completed: 8, open: 8, openOverLimit: 7, overLimitShare: 0.5 });
  });
});
