/**
 * From a step's outcome to the external-task rows that change (service tasks whose topic external
 * workers serve), and the changes of a worker's reports. Functions without I/O, like projections.ts.
 */
import { randomUUID } from 'node:crypto';
import type { ExternalResult, StepOutcome } from '../engine/step';
import { IncidentRow, InstanceRow } from '../persistence/entities';
import type { ExternalTaskRow } from '../persistence/external-task-entity';
import { Changes } from '../persistence/unit-of-work';
import { historyRow } from './history';

/**
 * A row per service task that now waits for a worker; open rows whose task no longer waits (an
 * interrupting event took it away, the instance ended) are cancelled; after an admin's retry
 * (`resumed`) a task that had run out of retries is fetchable again.
 */
export function externalTasksAfterStep(input: {
  instance: InstanceRow;
  outcome: StepOutcome;
  /** Open external tasks as loaded that no change of this operation has moved yet. */
  openExternalTasks: readonly ExternalTaskRow[];
  /** Executions that have an external task row already (loaded open, or created in this operation). */
  knownExecutions: ReadonlySet<string>;
  resumed: boolean;
  now: Date;
}): Changes {
  const { instance, outcome, now } = input;
  const at = now.toISOString();
  const changes: Required<Pick<Changes, 'newExternalTasks' | 'externalTaskTransitions' | 'history'>> = { newExternalTasks: [], externalTaskTransitions: [], history: [] };
  const waiting = new Set(outcome.active.filter((a) => a.type === 'bpmn:ServiceTask').map((a) => a.executionId));
  for (const wait of outcome.externalWaits ?? []) {
    if (!waiting.has(wait.executionId) || input.knownExecutions.has(wait.executionId)) continue;
    const row: ExternalTaskRow = {
      id: randomUUID(),
      topicName: wait.topic,
      processInstanceId: instance.id,
      processDefinitionKey: instance.processDefinitionKey,
      definitionId: instance.definitionId,
      businessKey: instance.businessKey,
      activityId: wait.activityId,
      executionId: wait.executionId,
      state: 'open',
      retries: null,
      errorMessage: null,
      errorDetails: null,
      workerId: null,
      lockExpirationTime: null,
      priority: 0,
      createdAt: at,
      variables: JSON.stringify(wait.variables),
      endedAt: null,
    };
    changes.newExternalTasks.push(row);
    changes.history.push(historyRow(now, instance.id, 'external-task-created', wait.activityId, null, { externalTaskId: row.id, topicName: wait.topic }));
  }
  for (const task of input.openExternalTasks) {
    if (!waiting.has(task.executionId)) {
      changes.externalTaskTransitions.push({ id: task.id, patch: { state: 'cancelled', endedAt: at } });
      changes.history.push(historyRow(now, instance.id, 'external-task-cancelled', task.activityId, null, { externalTaskId: task.id }));
    } else if (input.resumed && task.retries === 0) {
      // Camunda: setting retries again resolves the incident; here the admin's retry of the incident does.
      changes.externalTaskTransitions.push({ id: task.id, patch: { retries: null, workerId: null, lockExpirationTime: null } });
      changes.history.push(historyRow(now, instance.id, 'external-task-revived', task.activityId, null, { externalTaskId: task.id }));
    }
  }
  return changes;
}

/** A worker's completion or BPMN error ends the task (the step then moves the instance on). */
export function externalTaskReported(task: ExternalTaskRow, result: ExternalResult, userId: string, now: Date): Changes {
  const data = result.kind === 'complete' ? { externalTaskId: task.id, workerId: result.workerId, variables: result.variables } : { externalTaskId: task.id, workerId: result.workerId, code: result.code, message: result.message, variables: result.variables };
  return {
    externalTaskTransitions: [{ id: task.id, workerId: result.workerId, patch: { state: 'completed', endedAt: now.toISOString() } }],
    history: [historyRow(now, task.processInstanceId, result.kind === 'complete' ? 'external-task-completed' : 'external-task-bpmn-error', task.activityId, userId, data)],
  };
}

/**
 * The task cannot go on without someone: the worker reported a failure with no retries left, or a
 * BPMN error the diagram does not catch. It stays open with no retries (no worker fetches it), and
 * an incident like a failing handler's says why; the admin's retry revives it.
 */
export function externalTaskIncident(input: { task: ExternalTaskRow; workerId: string; message: string; details: string | null; openIncidents: readonly IncidentRow[]; userId: string; now: Date; lockExpirationTime?: string | null }): Changes {
  const { task, now } = input;
  const at = now.toISOString();
  const existing = input.openIncidents.find((i) => i.activityId === task.activityId);
  const incident: IncidentRow = existing
    ? { ...existing, message: input.message, attempts: existing.attempts + 1, updatedAt: at }
    : { id: randomUUID(), processInstanceId: task.processInstanceId, processDefinitionKey: task.processDefinitionKey, activityId: task.activityId, handler: task.topicName, message: input.message, attempts: 1, createdAt: at, updatedAt: at, resolvedAt: null, resolvedBy: null };
  return {
    externalTaskTransitions: [{ id: task.id, workerId: input.workerId, patch: { retries: 0, errorMessage: input.message, errorDetails: input.details, lockExpirationTime: input.lockExpirationTime ?? task.lockExpirationTime } }],
    incidents: [incident],
    history: [historyRow(now, task.processInstanceId, existing ? 'incident-retry-failed' : 'incident-created', task.activityId, input.userId, { incidentId: incident.id, handler: task.topicName, message: input.message, attempts: incident.attempts, externalTaskId: task.id, workerId: input.workerId })],
  };
}
