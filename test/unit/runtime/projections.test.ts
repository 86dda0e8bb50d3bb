/** The runtime's projections as tables: from a step's outcome and what was loaded to the rows that change. */
import type { StepOutcome } from '../../../src/engine/step';
import { IncidentRow, InstanceRow, TaskRow, TimerRow } from '../../../src/persistence/entities';
import { TaskWithGroups } from '../../../src/persistence/instance-store';
import { dueTimerEnds, incidentsAfterStep, instanceAfterStep, taskCompletion, tasksAfterStep, timersAfterStep, withEndEvent } from '../../../src/runtime/projections';
import { escalation, escalationGroup, isOverdue } from '../../../src/scheduler/escalation';

const NOW = new Date('2026-03-02T04:00:00Z');
const HOUR = 3600_000;
const dueDates = { due: (created: Date) => new Date(created.getTime() + 24 * HOUR), timerDue: (t: { timeDuration?: string; expireAt?: Date }, now: Date) => (t.timeDuration === 'PT1H' ? new Date(now.getTime() + HOUR) : (t.expireAt ?? null)) };

const instance: InstanceRow = {
  id: 'i1', definitionId: 'p:1', processDefinitionKey: 'p', version: 1, businessKey: 'B', state: 'running', engineState: '{}', variables: '{}', activeActivities: '[]', outcome: null,
  startedAt: NOW.toISOString(), endedAt: null, startedBy: 'olga', parentInstanceId: null, parentActivityId: null, parentExecutionId: null, rev: 3,
};

function outcome(over: Partial<StepOutcome> = {}): StepOutcome {
  return { ended: false, engineState: '{"s":1}', variables: { a: 1 }, active: [], outcome: null, events: [], timers: [], ...over };
}

function task(id: string, executionId: string, over: Partial<TaskRow> = {}): TaskWithGroups {
  return {
    task: { id, processInstanceId: 'i1', processDefinitionKey: 'p', definitionId: 'p:1', businessKey: 'B', taskDefinitionKey: `act-${id}`, executionId, name: `Task ${id}`, assignee: null, created: NOW.toISOString(), due: null, timeLimit: null, priority: 50, state: 'open', completedAt: null, completedBy: null, ...over },
    groups: ['office'],
  };
}

function timer(id: string, kind: string, executionId: string): TimerRow {
  return { id, kind, processInstanceId: 'i1', processDefinitionKey: 'p', activityId: `act-${id}`, executionId, timerType: 'timeDuration', timerValue: 'PT1H', createdAt: NOW.toISOString(), dueAt: NOW.toISOString(), state: 'pending', firedAt: null };
}

const userTaskModel = { userTasks: new Map([['review', { id: 'review', type: 'bpmn:UserTask', name: 'Review', candidateGroups: ['office', 'head'], timeLimit: '1 working day', formFields: [] }], ['free', { id: 'free', type: 'bpmn:UserTask', name: 'Free', candidateGroups: ['office'], timeLimit: 'not stated', formFields: [] }]]) } as never;

describe('tasksAfterStep', () => {
  it.each([
    { name: 'a new wait becomes a task with its due date and due timer', active: [{ id: 'review', type: 'bpmn:UserTask', executionId: 'e1' }], open: [], known: [], created: [{ key: 'review', due: '2026-03-03T04:00:00.000Z', groups: ['office', 'head'] }], dueTimers: 1, cancelled: [], history: ['task-created'] },
    { name: 'a time limit not stated gives no due date and no timer', active: [{ id: 'free', type: 'bpmn:UserTask', executionId: 'e1' }], open: [], known: [], created: [{ key: 'free', due: null, groups: ['office'] }], dueTimers: 0, cancelled: [], history: ['task-created'] },
    { name: 'a wait that has its task already adds nothing', active: [{ id: 'review', type: 'bpmn:UserTask', executionId: 'e1' }], open: [task('t1', 'e1')], known: ['e1'], created: [], dueTimers: 0, cancelled: [], history: [] },
    { name: 'an open task whose activity no longer waits is cancelled with its due timer', active: [], open: [task('t1', 'e1')], known: ['e1'], created: [], dueTimers: 0, cancelled: ['t1'], history: ['task-cancelled'] },
    { name: 'other activities than user tasks make no task', active: [{ id: 'wait', type: 'bpmn:IntermediateCatchEvent', executionId: 'e2' }], open: [], known: [], created: [], dueTimers: 0, cancelled: [], history: [] },
  ])('$name', ({ active, open, known, created, dueTimers, cancelled, history }) => {
    const changes = tasksAfterStep({ instance, model: userTaskModel, outcome: outcome({ active }), openTasks: open, knownExecutions: new Set(known), pendingTimers: [timer('d1', 'task-due', 't1')], now: NOW, dueDates });
    expect(changes.newTasks!.map((t) => ({ key: t.row.taskDefinitionKey, due: t.row.due, groups: t.groups }))).toEqual(created);
    expect(changes.newTimers!.filter((t) => t.kind === 'task-due')).toHaveLength(dueTimers);
    expect(changes.taskTransitions!.map((t) => t.id)).toEqual(cancelled);
    expect(changes.timerTransitions!.map((t) => t.id)).toEqual(cancelled.length ? ['d1'] : []);
    expect(changes.history!.map((h) => h.type)).toEqual(history);
  });
});

describe('the assignee a diagram gives a new task (camunda:assignee, issue 17)', () => {
  const model = (assignee: unknown) => ({ userTasks: new Map([['check', { id: 'check', type: 'bpmn:UserTask', name: 'Check', candidateGroups: ['specialist'], timeLimit: '1 working day', formFields: [], assignee }]]) }) as never;
  const created = (assignee: unknown, variables: Record<string, unknown>) =>
    tasksAfterStep({ instance, model: model(assignee), outcome: outcome({ variables, active: [{ id: 'check', type: 'bpmn:UserTask', executionId: 'e1' }] as never }), openTasks: [], knownExecutions: new Set(), pendingTimers: [], now: NOW, dueDates });

  it.each([
    ['the user a variable names (the chosen specialist)', { variable: 'responsibleSpecialist' }, { responsibleSpecialist: 'aliya' }, 'aliya'],
    ['a user id written in the diagram', { user: 'sanzhar' }, {}, 'sanzhar'],
    ['nobody when the variable is not set', { variable: 'responsibleSpecialist' }, {}, null],
    ['nobody when the variable is not a text', { variable: 'responsibleSpecialist' }, { responsibleSpecialist: 42 }, null],
    ['nobody when the diagram names none', undefined, { responsibleSpecialist: 'aliya' }, null],
  ])('%s', (_what, assignee, variables, expected) => {
    const changes = created(assignee, variables);
    // Camunda semantics: the assignee is set, the candidate groups stay.
    expect(changes.newTasks!.map((t) => ({ assignee: t.row.assignee, groups: t.groups }))).toEqual([{ assignee: expected, groups: ['specialist'] }]);
    const data = JSON.parse(String(changes.history![0].data));
    expect(data).toEqual(expect.objectContaining({ candidateGroups: ['specialist'], ...(expected ? { assignee: expected } : {}) }));
    if (!expected) expect(data).not.toHaveProperty('assignee');
  });
});

describe('timersAfterStep', () => {
  it.each([
    { name: 'a waiting timer event gets a row due by the calendar', armed: [{ activityId: 'w', executionId: 'e1', timerType: 'timeDuration', timeDuration: 'PT1H' }], active: ['e1'], pending: [], created: ['2026-03-02T05:00:00.000Z'], cancelled: [] },
    { name: 'a timer re-armed by a resume finds its row', armed: [{ activityId: 'w', executionId: 'e1', timerType: 'timeDuration', timeDuration: 'PT1H' }], active: ['e1'], pending: [timer('x', 'event', 'e1')], created: [], cancelled: [] },
    { name: 'a pending timer whose event no longer waits is cancelled', armed: [], active: [], pending: [timer('x', 'event', 'e1')], created: [], cancelled: ['x'] },
    { name: 'an armed timer that no longer waits is not stored', armed: [{ activityId: 'w', executionId: 'e1', timerType: 'timeDuration', timeDuration: 'PT1H' }], active: [], pending: [], created: [], cancelled: [] },
  ])('$name', ({ armed, active, pending, created, cancelled }) => {
    const changes = timersAfterStep({ instance, outcome: outcome({ timers: armed, active: active.map((executionId) => ({ id: 'w', type: 'bpmn:IntermediateCatchEvent', executionId })) }), pendingEventTimers: pending, knownExecutions: new Set(pending.map((t) => t.executionId)), now: NOW, dueDates });
    expect(changes.newTimers!.map((t) => t.dueAt)).toEqual(created);
    expect(changes.timerTransitions).toEqual(cancelled.map((id) => ({ id, patch: { state: 'cancelled', firedAt: null } })));
  });

  it('refuses a timer without a valid due time (INVALID_TIMER)', () => {
    expect(() => timersAfterStep({ instance, outcome: outcome({ timers: [{ activityId: 'w', executionId: 'e1', timerType: 'timeDuration', timeDuration: 'PT0S' }], active: [{ id: 'w', type: 'x', executionId: 'e1' }] }), pendingEventTimers: [], knownExecutions: new Set(), now: NOW, dueDates })).toThrow(
      expect.objectContaining({ code: 'INVALID_TIMER' }),
    );
  });
});

describe('incidentsAfterStep', () => {
  const open: IncidentRow = { id: 'inc', processInstanceId: 'i1', processDefinitionKey: 'p', activityId: 'call-gbd', handler: 'gbd', message: 'down', attempts: 1, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), resolvedAt: null, resolvedBy: null };
  it.each([
    { name: 'a failed handler opens an incident', open: [], failure: 'call-gbd', rows: [{ attempts: 1, resolvedAt: null }], history: ['incident-created'] },
    { name: 'a failed retry counts one more attempt', open: [open], failure: 'call-gbd', rows: [{ id: 'inc', attempts: 2, resolvedAt: null }], history: ['incident-retry-failed'] },
    { name: 'a step past the task resolves the incident', open: [open], failure: undefined, rows: [{ id: 'inc', resolvedAt: NOW.toISOString(), resolvedBy: 'admin' }], history: ['incident-resolved'] },
    { name: 'no incident, nothing to do', open: [], failure: undefined, rows: [], history: [] },
  ])('$name', ({ open: incidents, failure, rows, history }) => {
    const changes = incidentsAfterStep({ instance, outcome: outcome(failure ? { incident: { activityId: failure, handler: 'gbd', message: 'still down' } } : {}), openIncidents: incidents, userId: 'admin', now: NOW });
    expect(changes.incidents).toEqual(rows.map((r) => expect.objectContaining(r)));
    expect(changes.history!.map((h) => h.type)).toEqual(history);
  });
});

describe('the instance, a completion, the end event', () => {
  it('instanceAfterStep: running, then ended', () => {
    expect(instanceAfterStep(instance, outcome({ active: [{ id: 'a', name: 'A', type: 'bpmn:UserTask', executionId: 'e' }] }), NOW)).toMatchObject({ state: 'running', engineState: '{"s":1}', variables: '{"a":1}', activeActivities: '[{"id":"a","name":"A","type":"bpmn:UserTask"}]', endedAt: null, rev: 3 });
    expect(instanceAfterStep(instance, outcome({ ended: true, engineState: null, outcome: 'done' }), NOW)).toMatchObject({ state: 'completed', outcome: 'done', endedAt: NOW.toISOString() });
  });

  it('withEndEvent finds the error end event an ended step passed', () => {
    const ended = outcome({ ended: true, events: [{ at: NOW, type: 'activity-end', activityId: 'refused' }, { at: NOW, type: 'activity-end', activityId: 'x' }] });
    expect(withEndEvent(ended, { endEvents: new Map([['refused', {}]]) } as never).outcome).toBe('refused');
    expect(withEndEvent(outcome(), { endEvents: new Map() } as never).outcome).toBeNull();
  });

  it('taskCompletion: the task, its due timer, the history; the assignee becomes the completer when unclaimed', () => {
    const changes = taskCompletion({ open: task('t1', 'e1'), pendingTimers: [timer('d1', 'task-due', 't1'), timer('other', 'task-due', 't2')], userId: 'olga', variables: { ok: true }, now: NOW });
    expect(changes.taskTransitions).toEqual([{ id: 't1', expectedState: 'open', groups: ['office'], patch: { state: 'completed', completedAt: NOW.toISOString(), completedBy: 'olga', assignee: 'olga' } }]);
    expect(changes.timerTransitions).toEqual(dueTimerEnds('t1', [timer('d1', 'task-due', 't1')]));
    expect(changes.history![0]).toMatchObject({ type: 'task-completed', userId: 'olga', data: JSON.stringify({ taskId: 't1', variables: { ok: true } }) });
  });
});

describe('escalation', () => {
  it.each([
    { name: 'an open task is flagged and its head notified', task: task('t1', 'e1').task, lanes: [{ id: 'l', group: 'head' }], notified: 'head' },
    { name: 'a diagram without a head lane notifies admins', task: task('t1', 'e1').task, lanes: [], notified: 'admin' },
    { name: 'a completed task only ends the timer', task: task('t1', 'e1', { state: 'completed' }).task, lanes: [], notified: null },
    { name: 'an escalated task is not escalated twice', task: task('t1', 'e1', { escalatedAt: NOW.toISOString() }).task, lanes: [], notified: null },
    { name: 'a task that is gone only ends the timer', task: null, lanes: [], notified: null },
  ])('$name', ({ task: row, lanes, notified }) => {
    const changes = escalation(timer('d1', 'task-due', 't1'), isOverdue(row) ? { task: row, notified: escalationGroup({ lanes }) } : null, NOW);
    expect(changes.timerTransitions).toEqual([{ id: 'd1', patch: { state: 'fired', firedAt: NOW.toISOString() } }]);
    expect((changes.notifications ?? []).map((n) => n.groupId)).toEqual(notified ? [notified] : []);
    expect((changes.taskTransitions ?? []).map((t) => t.expectedState)).toEqual(notified ? ['open-not-escalated'] : []);
  });
});
