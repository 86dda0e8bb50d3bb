/**
 * The runtime without a server or a database: ProcessRuntime and its step over an in-memory store,
 * the real engine in memory, a fake calendar and a manual clock. Checks what each operation
 * derives (tasks, due dates, timers, history, the instance's end) and that it reads the instance's
 * aggregate once and commits once.
 */
import { Duration } from 'luxon';
import { ManualClock } from '../../../src/clock';
import { LoadedDefinition } from '../../../src/definitions/definition-service';
import { describeProcess } from '../../../src/definitions/model';
import { parseBpmn } from '../../../src/definitions/parse';
import { StepRunner } from '../../../src/engine/step-runner';
import { HandlerRegistry } from '../../../src/handlers/registry';
import { User } from '../../../src/identity/users';
import { ProcessRuntime } from '../../../src/runtime/process-runtime';
import { DefinitionSource, DueDateCalculator } from '../../../src/runtime/ports';
import { Step } from '../../../src/runtime/step';
import { TimerScheduler } from '../../../src/scheduler/timer-scheduler';
import { MemoryStore } from '../../support/memory-store';
import { smallDiagram } from '../../support/small-diagram';

const timeLimit = (value: string) => `<bpmn:extensionElements><camunda:properties><camunda:property name="timeLimit" value="${value}" /></camunda:properties></bpmn:extensionElements>`;
const timer = (duration: string) => `<bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">${duration}</bpmn:timeDuration></bpmn:timerEventDefinition>`;

/** review (1 working day) -> wait 1 hour -> decide (2-hour boundary timer) -> approved | expired. */
const FIXTURE = smallDiagram(
  'step-fixture',
  [
    { id: 'start', type: 'bpmn:startEvent' },
    { id: 'review', type: 'bpmn:userTask', name: 'Review', attrs: 'camunda:candidateGroups="office"', inner: timeLimit('1 working day') },
    { id: 'wait', type: 'bpmn:intermediateCatchEvent', inner: timer('PT1H') },
    { id: 'decide', type: 'bpmn:userTask', name: 'Decide', attrs: 'camunda:candidateGroups="head"' },
    { id: 'deadline', type: 'bpmn:boundaryEvent', attrs: 'attachedToRef="decide"', inner: timer('PT2H') },
    { id: 'approved', type: 'bpmn:endEvent' },
    { id: 'expired', type: 'bpmn:endEvent' },
  ],
  [
    { id: 'f1', from: 'start', to: 'review' },
    { id: 'f2', from: 'review', to: 'wait' },
    { id: 'f3', from: 'wait', to: 'decide' },
    { id: 'f4', from: 'decide', to: 'approved' },
    { id: 'f5', from: 'deadline', to: 'expired' },
  ],
);

const T0 = new Date('2026-03-02T04:00:00Z');
const DAY = 24 * 3600_000;
/** A calendar in which every time limit is one day and timer durations count in plain hours. */
const fakeCalendar: DueDateCalculator = {
  due: (created) => new Date(created.getTime() + DAY),
  timerDue: (armed, now) => (armed.timeDuration ? new Date(now.getTime() + Duration.fromISO(armed.timeDuration).toMillis()) : (armed.expireAt ?? null)),
  workingMinutes: (from, to) => (to.getTime() - from.getTime()) / 60000,
};

const clerk = { id: 'olga', name: 'Olga', groups: ['office'] } as unknown as User;
const outsider = { id: 'gbd', name: 'GBD', groups: ['registry'] } as unknown as User;

async function fixtureDefinitions(): Promise<DefinitionSource> {
  const parsed = await parseBpmn(FIXTURE, 'step-fixture.bpmn');
  if (!parsed.definitions || !parsed.moddleContext) throw new Error(`fixture does not parse: ${JSON.stringify(parsed.problems)}`);
  const loaded: LoadedDefinition = {
    row: { id: 'step-fixture:1', key: 'step-fixture', version: 1, name: null, resourceName: 'step-fixture.bpmn', source: FIXTURE, sourceHash: '', deploymentId: 'd1', deployedAt: T0.toISOString() },
    model: describeProcess(parsed.definitions),
    moddleContext: parsed.moddleContext,
  };
  return { inForce: async () => ({ id: loaded.row.id }), load: async () => loaded };
}

async function setUp() {
  const store = new MemoryStore();
  const clock = new ManualClock(T0);
  const definitions = await fixtureDefinitions();
  const engine = new StepRunner({ handlers: new HandlerRegistry(), now: () => clock.now(), engineCacheSize: 0 });
  const runtime = new ProcessRuntime({ store, definitions, steps: engine, clock, dueDates: fakeCalendar, groups: { members: () => [] } });
  const scheduler = new TimerScheduler({ store, runtime, definitions, clock });
  return { store, clock, definitions, engine, runtime, scheduler };
}

const types = (rows: readonly { type: string }[]) => rows.map((r) => r.type);

describe('the runtime step over an in-memory store', () => {
  it('a start derives the instance, the first task with its due date from the calendar, its due timer and history, in one commit', async () => {
    const { store, clock, definitions, engine } = await setUp();
    const step = new Step({ store, definitions, engine, clock, dueDates: fakeCalendar }, clerk);
    const instance = await step.start(await definitions.load('step-fixture:1'), { businessKey: 'B-1', variables: {} });
    const { uow } = step;

    expect(uow.instances.get(instance.row.id)).toMatchObject({ expectedRev: null, row: { state: 'running', startedBy: 'olga', businessKey: 'B-1' } });
    expect(uow.newTasks).toEqual([{ row: expect.objectContaining({ taskDefinitionKey: 'review', name: 'Review', state: 'open', created: T0.toISOString(), due: new Date(T0.getTime() + DAY).toISOString(), timeLimit: '1 working day' }), groups: ['office'] }]);
    expect(uow.newTimers).toEqual([expect.objectContaining({ kind: 'task-due', executionId: uow.newTasks[0].row.id, dueAt: uow.newTasks[0].row.due, state: 'pending' })]);
    expect(types(uow.history)).toEqual(['instance-started', 'activity-end', 'flow-taken', 'task-created']);
    expect(uow.taskTransitions).toEqual([]);
    expect(store.commits).toHaveLength(0);
  });

  it('completing a task: the completion, its due timer cancelled, the timer event stored; one load, one commit, and the answer carries the instance state', async () => {
    const { store, clock, runtime } = await setUp();
    const started = await runtime.start('step-fixture', { businessKey: 'B-2' }, clerk);
    const [review] = store.allTasks();
    clock.advance(60_000);
    store.loads.length = 0;

    const completed = await runtime.completeTask(review.id, {}, clerk);

    expect(completed).toMatchObject({ id: review.id, state: 'completed', completedBy: 'olga', processInstanceState: 'running', outcome: null });
    expect(store.loads).toEqual([started.id]);
    const uow = store.commits.at(-1)!;
    expect(uow.taskTransitions).toEqual([{ id: review.id, expectedState: 'open', groups: ['office'], patch: { state: 'completed', completedAt: clock.now().toISOString(), completedBy: 'olga', assignee: 'olga' } }]);
    expect(uow.timerTransitions).toEqual([{ id: store.allTimers().find((t) => t.kind === 'task-due')!.id, patch: { state: 'cancelled' } }]);
    expect(uow.newTimers).toEqual([expect.objectContaining({ kind: 'event', activityId: 'wait', dueAt: new Date(clock.now().getTime() + 3600_000).toISOString(), timerValue: 'PT1H' })]);
    expect(uow.newTasks).toEqual([]);
    expect(types(uow.history)).toEqual(['task-completed', 'activity-end', 'flow-taken', 'timer-created']);
    expect(uow.instances.get(started.id)?.expectedRev).toBe(0);
  });

  it('timers fire by the clock: the wait gives the next task and its boundary timer; the boundary timer cancels the task and ends the instance', async () => {
    const { store, clock, runtime, scheduler } = await setUp();
    const started = await runtime.start('step-fixture', { businessKey: 'B-3' }, clerk);
    await runtime.completeTask(store.allTasks()[0].id, {}, clerk);

    expect((await scheduler.fireDueTimers()).fired).toEqual([]);
    clock.advance(3600_000);
    const wait = store.allTimers().find((t) => t.activityId === 'wait')!;
    expect(await scheduler.fireDueTimers()).toEqual({ fired: [wait.id], failed: [], warned: [] });
    const decide = store.allTasks().find((t) => t.taskDefinitionKey === 'decide')!;
    expect(decide).toMatchObject({ state: 'open', due: null });
    const deadline = store.allTimers().find((t) => t.activityId === 'deadline')!;
    expect(deadline).toMatchObject({ kind: 'event', state: 'pending', dueAt: new Date(clock.now().getTime() + 2 * 3600_000).toISOString() });

    clock.advance(2 * 3600_000);
    expect((await scheduler.fireDueTimers()).fired).toEqual([deadline.id]);
    const uow = store.commits.at(-1)!;
    expect(uow.taskTransitions).toEqual([expect.objectContaining({ id: decide.id, patch: expect.objectContaining({ state: 'cancelled' }) })]);
    expect(types(uow.history)).toEqual(expect.arrayContaining(['timer-fired', 'task-cancelled', 'instance-completed']));
    expect(await store.instance(started.id)).toMatchObject({ state: 'completed', outcome: 'expired', engineState: null, rev: 3 });
    expect(store.allTimers().every((t) => t.state !== 'pending')).toBe(true);
    expect(store.allTasks().every((t) => t.state !== 'open')).toBe(true);
  });

  it.each([
    { name: 'a user outside the task groups', user: outsider, kind: 'forbidden' },
    { name: 'a second completion', user: clerk, twice: true, kind: 'conflict' },
  ])('refuses $name and stores nothing', async ({ user, twice, kind }) => {
    const { store, runtime } = await setUp();
    await runtime.start('step-fixture', {}, clerk);
    const [review] = store.allTasks();
    if (twice) await runtime.completeTask(review.id, {}, clerk);
    const commits = store.commits.length;
    await expect(runtime.completeTask(review.id, {}, user)).rejects.toMatchObject({ kind });
    expect(store.commits).toHaveLength(commits);
  });

  it('an overdue task escalates once to the head group of its diagram (or admin), with a notification', async () => {
    const { store, clock, runtime, scheduler } = await setUp();
    await runtime.start('step-fixture', { businessKey: 'B-4' }, clerk);
    const [review] = store.allTasks();
    clock.advance(DAY);
    const dueTimer = store.allTimers().find((t) => t.kind === 'task-due')!;
    expect((await scheduler.fireDueTimers()).fired).toEqual([dueTimer.id]);
    expect(store.allTasks()[0].escalatedAt).toBe(clock.now().toISOString());
    expect(store.notifications).toEqual([expect.objectContaining({ groupId: 'admin', type: 'task-overdue', taskId: review.id })]);
    expect((await scheduler.fireDueTimers()).fired).toEqual([]);
  });
});
