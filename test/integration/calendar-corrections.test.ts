import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../src/clock';
import { smallDiagram } from '../support/small-diagram';
import { startTestHost, tempDir, TestHost } from '../support/test-host';

/*
 * A calendar correction deployed at run time (PUT /api/calendar): open tasks' due dates and their
 * escalation timers that depend on a changed day are recomputed from their creation and limit, with
 * history; a correction that changes nothing moves nothing; bad input is a 400 naming the field.
 */
const KEY = 'calendar-bound';

function diagram(): string {
  return smallDiagram(
    KEY,
    [
      { id: 'start', type: 'bpmn:startEvent' },
      {
        id: 'review',
        type: 'bpmn:userTask',
        name: 'Өтінішті қарау',
        attrs: 'camunda:candidateGroups="office"',
        inner: '<bpmn:extensionElements><camunda:properties><camunda:property name="timeLimit" value="3 working days" /></camunda:properties></bpmn:extensionElements>',
      },
      { id: 'end', type: 'bpmn:endEvent' },
    ],
    [
      { id: 'f1', from: 'start', to: 'review' },
      { id: 'f2', from: 'review', to: 'end' },
    ],
  );
}

/** Monday 25 May 2026, 10:00 in Almaty; Kurban ait is Wednesday 27 May in the shipped calendar. */
const MONDAY = new Date('2026-05-25T05:00:00Z');
/** Mon 25, Tue 26, (Wed 27 off), Thu 28: closing time 18:00 Almaty. */
const DUE_WITH_KURBAN_ON_27 = '2026-05-28T13:00:00.000Z';
/** Kurban ait moved to Thursday 28: Mon 25, Tue 26, Wed 27. */
const DUE_WITH_KURBAN_ON_28 = '2026-05-27T13:00:00.000Z';

describe('calendar corrections', () => {
  let t: TestHost;
  let dir: string;
  const clock = new ManualClock(MONDAY);

  beforeAll(async () => {
    dir = tempDir();
    fs.mkdirSync(path.join(dir, 'processes'));
    fs.writeFileSync(path.join(dir, 'processes', `${KEY}.bpmn`), diagram());
    t = await startTestHost({ processesDir: path.join(dir, 'processes'), dir, clock });
  });
  afterAll(() => t.close());

  async function openApplication() {
    const started = await t.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, {});
    expect(started.status).toBe(201);
    const [task] = (await t.call('olga-office', 'GET', `/tasks?processInstanceId=${started.body.id}`)).body.items;
    const timers = (await t.call('admin', 'GET', `/timers?processInstanceId=${started.body.id}&kind=task-due`)).body;
    return { id: started.body.id as string, task, timers };
  }

  const calendarData = async () => (await t.call('admin', 'GET', '/calendar')).body;

  const withKurban = (data: any, date: string) => {
    const copy = structuredClone(data);
    copy.years['2026'].daysOff = copy.years['2026'].daysOff.map((d: any) => (d.note.includes('Kurban') ? { ...d, date } : d));
    return copy;
  };

  it('serves the calendar in force, stored from the file at start, with the dates still unconfirmed', async () => {
    const calendar = await calendarData();
    expect(calendar).toMatchObject({ version: 1, source: 'file' });
    expect(calendar.data.years['2026'].daysOff).toEqual([expect.objectContaining({ date: '2026-05-27', note: expect.stringContaining('Kurban ait') })]);
    expect(calendar.unconfirmed).toEqual([expect.objectContaining({ date: '2027-05-16', confirmed: false })]);
  });

  it('moving Kurban ait moves an open task’s due date and its escalation timer, with history', async () => {
    const before = await openApplication();
    expect(before.task.due).toBe(DUE_WITH_KURBAN_ON_27);
    expect(before.timers).toEqual([expect.objectContaining({ state: 'pending', dueAt: DUE_WITH_KURBAN_ON_27 })]);

    const version = (await calendarData()).version;
    const res = await t.call('admin', 'PUT', '/calendar', withKurban((await calendarData()).data, '2026-05-28'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: version + 1, changed: true });
    expect(res.body.moved).toEqual([{ taskId: before.task.id, processInstanceId: before.id, previousDue: DUE_WITH_KURBAN_ON_27, due: DUE_WITH_KURBAN_ON_28, timerId: before.timers[0].id }]);

    const task = (await t.call('olga-office', 'GET', `/tasks/${before.task.id}`)).body;
    expect(task.due).toBe(DUE_WITH_KURBAN_ON_28);
    const timers = (await t.call('admin', 'GET', `/timers?processInstanceId=${before.id}&kind=task-due`)).body;
    expect(timers).toEqual([expect.objectContaining({ id: before.timers[0].id, state: 'pending', dueAt: DUE_WITH_KURBAN_ON_28 })]);
    const history = (await t.call('admin', 'GET', `/process-instances/${before.id}/history`)).body;
    expect(history.filter((h: any) => h.type === 'due-date-recomputed')).toEqual([
      expect.objectContaining({ activityId: 'review', data: expect.objectContaining({ taskId: before.task.id, timerId: before.timers[0].id, previousDue: DUE_WITH_KURBAN_ON_27, due: DUE_WITH_KURBAN_ON_28, calendarVersion: version + 1 }) }),
    ]);

    // A task created after the correction is computed from the corrected calendar at once.
    expect((await openApplication()).task.due).toBe(DUE_WITH_KURBAN_ON_28);

    // The timer fires on the new date, not the old one.
    clock.set(new Date('2026-05-27T13:30:00Z'));
    expect((await t.call('admin', 'POST', '/timers/fire-due')).body.fired).toContain(before.timers[0].id);
    clock.set(MONDAY);
  });

  it('a correction that changes no day of an open task moves nothing; the same data again is no correction', async () => {
    const open = await openApplication();
    const data = (await calendarData()).data;
    const version = (await calendarData()).version;
    // Confirming Kurban ait 2027 changes no day at all; it is still a new version.
    const confirmed = structuredClone(data);
    confirmed.years['2027'].daysOff = confirmed.years['2027'].daysOff.map((d: any) => ({ ...d, confirmed: true }));
    const res = await t.call('admin', 'PUT', '/calendar', confirmed);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: version + 1, changed: true, moved: [] });
    expect((await calendarData()).unconfirmed).toEqual([]);

    const again = await t.call('admin', 'PUT', '/calendar', confirmed);
    expect(again.body).toMatchObject({ version: version + 1, changed: false, moved: [] });
    expect((await t.call('olga-office', 'GET', `/tasks/${open.task.id}`)).body.due).toBe(open.task.due);
    const history = (await t.call('admin', 'GET', `/process-instances/${open.id}/history`)).body;
    expect(history.filter((h: any) => h.type === 'due-date-recomputed')).toEqual([]);
  });

  it.each([
    ['a date that is no date', (d: any) => withKurban(d, '2026-05-32'), 'years.2026.daysOff[0].date', '"2026-05-32" is not a valid date'],
    ['an unknown key', (d: any) => ({ ...d, holydays: [] }), 'holydays', 'unknown key "holydays"'],
    ['a period that ends before it starts', (d: any) => ({ ...d, workingHours: { ...d.workingHours, mon: ['18:00-09:00'] } }), 'workingHours.mon[0]', '"18:00-09:00" is not a period'],
  ])('refuses %s with a 400 naming the field; nothing changes', async (_name, change, field, reason) => {
    const open = await openApplication();
    const before = await calendarData();
    const res = await t.call('admin', 'PUT', '/calendar', change(before.data));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_CALENDAR', details: { field, reason: expect.stringContaining(reason) } });
    expect(res.body.error.message).toContain(field);
    expect((await calendarData()).version).toBe(before.version);
    expect((await t.call('olga-office', 'GET', `/tasks/${open.task.id}`)).body.due).toBe(open.task.due);
  });

  it('lets only admins deploy a calendar', async () => {
    const res = await t.call('olga-office', 'PUT', '/calendar', (await calendarData()).data);
    expect(res.status).toBe(403);
  });

  it('a second server on the database computes from the corrected calendar: a restart keeps it, a later correction is taken up at its next poll', async () => {
    const other = await startTestHost({ processesDir: path.join(dir, 'processes'), dir, clock });
    try {
      // The unchanged file is not deployed again over the correction made through the API.
      const versionHere = (await calendarData()).version;
      expect((await other.call('admin', 'GET', '/calendar')).body).toMatchObject({ version: versionHere, source: 'api' });
      const started = await other.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, {});
      expect((await other.call('olga-office', 'GET', `/tasks?processInstanceId=${started.body.id}`)).body.items[0].due).toBe(DUE_WITH_KURBAN_ON_28);

      // Back to the 27th, deployed on the first server; the second takes it up at its next poll.
      const back = await t.call('admin', 'PUT', '/calendar', withKurban((await calendarData()).data, '2026-05-27'));
      expect(back.body.moved.map((m: any) => m.processInstanceId)).toContain(started.body.id);
      await other.host.calendar.refresh();
      expect((await other.call('admin', 'GET', '/calendar')).body.version).toBe(back.body.version);
      const later = await other.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, {});
      expect((await other.call('olga-office', 'GET', `/tasks?processInstanceId=${later.body.id}`)).body.items[0].due).toBe(DUE_WITH_KURBAN_ON_27);
    } finally {
      await other.close();
    }
  });
});
