/** The external-task projections as tables: from a step's outcome and the loaded tasks to the rows that change. */
import type { StepOutcome } from '../../../src/engine/step';
import { IncidentRow, InstanceRow } from '../../../src/persistence/entities';
import type { ExternalTaskRow } from '../../../src/persistence/external-task-entity';
import { externalTaskIncident, externalTaskReported, externalTasksAfterStep } from '../../../src/runtime/external-task-projection';

const NOW = new Date('2026-03-02T04:00:00Z');

const instance: InstanceRow = {
  id: 'i1', definitionId: 'p:1', processDefinitionKey: 'p', version: 1, businessKey: 'B', state: 'running', engineState: '{}', variables: '{}', activeActivities: '[]', outcome: null,
  startedAt: NOW.toISOString(), endedAt: null, startedBy: 'olga', parentInstanceId: null, parentActivityId: null, parentExecutionId: null, rev: 3,
};

function outcome(over: Partial<StepOutcome> = {}): StepOutcome {
  return { ended: false, engineState: '{}', variables: {}, active: [], outcome: null, events: [], timers: [], ...over };
}

function row(id: string, executionId: string, over: Partial<ExternalTaskRow> = {}): ExternalTaskRow {
  return {
    id, topicName: 'payment.check', processInstanceId: 'i1', processDefinitionKey: 'p', definitionId: 'p:1', businessKey: 'B', activityId: 'check', executionId, state: 'open',
    retries: null, errorMessage: null, errorDetails: null, workerId: null, lockExpirationTime: null, priority: 0, createdAt: NOW.toISOString(), variables: '{}', endedAt: null, ...over,
  };
}

const waitingAt = (executionId: string) => ({ id: 'check', type: 'bpmn:ServiceTask', executionId });
const wait = (executionId: string) => ({ activityId: 'check', executionId, topic: 'payment.check', variables: { paid: true } });

describe('externalTasksAfterStep', () => {
  it.each([
    { name: 'a service task that began waiting for a worker becomes an open task with the variables its handler would read', active: [waitingAt('e1')], waits: [wait('e1')], open: [], known: [], resumed: false, created: [{ executionId: 'e1', variables: '{"paid":true}', state: 'open', retries: null }], moved: [], history: ['external-task-created'] },
    { name: 'a wait that has its task already (a resume re-runs the service task) adds nothing', active: [waitingAt('e1')], waits: [wait('e1')], open: [row('x1', 'e1')], known: ['e1'], resumed: false, created: [], moved: [], history: [] },
    { name: 'a wait that began and ended within the step (an interrupting event) makes no task', active: [], waits: [wait('e1')], open: [], known: [], resumed: false, created: [], moved: [], history: [] },
    { name: 'an open task whose service task no longer waits is cancelled', active: [], waits: [], open: [row('x1', 'e1')], known: ['e1'], resumed: false, created: [], moved: [{ id: 'x1', patch: { state: 'cancelled', endedAt: NOW.toISOString() } }], history: ['external-task-cancelled'] },
    { name: 'the admin\'s retry gives a task out of retries back to the workers', active: [waitingAt('e1')], waits: [wait('e1')], open: [row('x1', 'e1', { retries: 0, workerId: 'w1', lockExpirationTime: NOW.toISOString() })], known: ['e1'], resumed: true, created: [], moved: [{ id: 'x1', patch: { retries: null, workerId: null, lockExpirationTime: null } }], history: ['external-task-revived'] },
    { name: 'another step leaves a task out of retries as it is', active: [waitingAt('e1')], waits: [], open: [row('x1', 'e1', { retries: 0 })], known: ['e1'], resumed: false, created: [], moved: [], history: [] },
  ])('$name', ({ active, waits, open, known, resumed, created, moved, history }) => {
    const changes = externalTasksAfterStep({ instance, outcome: outcome({ active, externalWaits: waits }), openExternalTasks: open, knownExecutions: new Set(known), resumed, now: NOW });
    expect(changes.newExternalTasks).toEqual(created.map((c) => expect.objectContaining({ ...c, topicName: 'payment.check', processInstanceId: 'i1', activityId: 'check', workerId: null, lockExpirationTime: null })));
    expect(changes.externalTaskTransitions).toEqual(moved);
    expect(changes.history!.map((h) => h.type)).toEqual(history);
  });
});

describe('a worker\'s reports', () => {
  it('a completion ends the task only if that worker still holds it, with its variables in history', () => {
    const changes = externalTaskReported(row('x1', 'e1', { workerId: 'w1' }), { kind: 'complete', variables: { paymentChecked: true }, workerId: 'w1' }, 'wanda', NOW);
    expect(changes.externalTaskTransitions).toEqual([{ id: 'x1', workerId: 'w1', patch: { state: 'completed', endedAt: NOW.toISOString() } }]);
    expect(changes.history).toEqual([expect.objectContaining({ type: 'external-task-completed', userId: 'wanda', data: expect.stringContaining('"paymentChecked":true') })]);
  });

  it('no retries left opens an incident, or counts another attempt on the open one', () => {
    const first = externalTaskIncident({ task: row('x1', 'e1', { workerId: 'w1' }), workerId: 'w1', message: 'bank down', details: 'trace', openIncidents: [], userId: 'wanda', now: NOW });
    expect(first.incidents).toEqual([expect.objectContaining({ processInstanceId: 'i1', activityId: 'check', handler: 'payment.check', message: 'bank down', attempts: 1, resolvedAt: null })]);
    expect(first.externalTaskTransitions).toEqual([{ id: 'x1', workerId: 'w1', patch: { retries: 0, errorMessage: 'bank down', errorDetails: 'trace', lockExpirationTime: null } }]);
    const open = first.incidents![0] as IncidentRow;
    const again = externalTaskIncident({ task: row('x1', 'e1', { workerId: 'w1' }), workerId: 'w1', message: 'still down', details: null, openIncidents: [open], userId: 'wanda', now: NOW });
    expect(again.incidents).toEqual([expect.objectContaining({ id: open.id, message: 'still down', attempts: 2 })]);
    expect(again.history!.map((h) => h.type)).toEqual(['incident-retry-failed']);
  });
});
