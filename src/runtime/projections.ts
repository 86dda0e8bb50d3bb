/**
 * From a step's outcome and what was loaded of the instance to the rows that change: the instance,
 * tasks, timers, incidents and history. Functions without I/O: the step (step.ts) runs the engine,
 * asks these what follows, and the store writes it all at once.
 */
import { randomUUID } from 'node:crypto';
import { isUnstatedTimeLimit } from '../calendar/time-limit';
import type { ProcessModel, UserTaskModel } from '../definitions/model';
import type { StepOutcome } from '../engine/step';
import { DomainError } from '../errors';
import { Variables } from '../handlers/registry';
import { IncidentRow, InstanceRow, TaskRow, TimerRow } from '../persistence/entities';
import { TaskWithGroups } from '../persistence/instance-store';
import { Changes, TimerTransition } from '../persistence/unit-of-work';
import { applicantOf } from './applicant';
import { historyRow, stepEventHistory } from './history';
import { DueDateCalculator } from './ports';

/** The outcome with the end event the instance ended at (an error end event reports its event definition's type on activity.end, so it is found by id). */
export function withEndEvent(outcome: StepOutcome, model: Pick<ProcessModel, 'endEvents'>): StepOutcome {
  if (!outcome.ended || outcome.outcome) return outcome;
  const end = [...outcome.events].reverse().find((e) => e.type === 'activity-end' && model.endEvents.has(e.activityId));
  return { ...outcome, outcome: end?.activityId ?? null };
}

/** The instance row after a step: engine state, variables (and the applicant they name), what waits, and the end. */
export function instanceAfterStep(row: InstanceRow, outcome: StepOutcome, now: Date): InstanceRow {
  return {
    ...row,
    ...applicantOf(outcome.variables),
    engineState: outcome.engineState,
    variables: JSON.stringify(outcome.variables),
    activeActivities: JSON.stringify(outcome.active.map(({ id, name, type }) => ({ id, name, type }))),
    state: outcome.ended ? 'completed' : 'running',
    outcome: outcome.outcome,
    endedAt: outcome.ended ? now.toISOString() : null,
  };
}

/** The service's legal deadline of a new top-level instance (a called flow has none of its own). */
export function deadlineOf(model: Pick<ProcessModel, 'serviceTimeLimit'>, topLevel: boolean, now: Date, dueDates: Pick<DueDateCalculator, 'due'>): { deadline: string | null; deadlineDerived: boolean | null } {
  const limit = model.serviceTimeLimit;
  if (!topLevel || !limit || isUnstatedTimeLimit(limit.value)) return { deadline: null, deadlineDerived: null };
  return { deadline: dueDates.due(now, limit.value).toISOString(), deadlineDerived: limit.derived };
}

/** A task that ends before its limit needs no escalation: its pending due timer is cancelled. */
export function dueTimerEnds(taskId: string, pendingTimers: readonly TimerRow[]): TimerTransition[] {
  const timer = pendingTimers.find((t) => t.kind === 'task-due' && t.executionId === taskId);
  return timer ? [{ id: timer.id, patch: { state: 'cancelled' } }] : [];
}

/** A user completes an open task with the values of its form. */
export function taskCompletion(input: { open: TaskWithGroups; pendingTimers: readonly TimerRow[]; userId: string; variables: Variables; now: Date }): Changes {
  const { task, groups } = input.open;
  return {
    taskTransitions: [{ id: task.id, expectedState: 'open', groups, patch: { state: 'completed', completedAt: input.now.toISOString(), completedBy: input.userId, assignee: task.assignee ?? input.userId } }],
    timerTransitions: dueTimerEnds(task.id, input.pendingTimers),
    history: [historyRow(input.now, task.processInstanceId, 'task-completed', task.taskDefinitionKey, input.userId, { taskId: task.id, variables: input.variables })],
  };
}

/** The engine's events of the step as history. */
export function eventsOfStep(instanceId: string, outcome: StepOutcome): Changes {
  return { history: stepEventHistory(instanceId, outcome) };
}

/**
 * Opens (or, on a failed retry, updates) the incident of a failed handler, and resolves the open
 * incidents the step got past.
 */
export function incidentsAfterStep(input: { instance: InstanceRow; outcome: StepOutcome; openIncidents: readonly IncidentRow[]; userId: string; now: Date }): Changes {
  const { instance, outcome, openIncidents } = input;
  const now = input.now.toISOString();
  const incidents: IncidentRow[] = [];
  const history = [];
  for (const incident of openIncidents) {
    if (outcome.incident?.activityId === incident.activityId) continue;
    incidents.push({ ...incident, resolvedAt: now, resolvedBy: input.userId, updatedAt: now });
    history.push(historyRow(input.now, instance.id, 'incident-resolved', incident.activityId, input.userId, { incidentId: incident.id }));
  }
  if (outcome.incident) {
    const { activityId, handler, message } = outcome.incident;
    const existing = openIncidents.find((i) => i.activityId === activityId);
    const incident: IncidentRow = existing
      ? { ...existing, message, attempts: existing.attempts + 1, updatedAt: now }
      : { id: randomUUID(), processInstanceId: instance.id, processDefinitionKey: instance.processDefinitionKey, activityId, handler, message, attempts: 1, createdAt: now, updatedAt: now, resolvedAt: null, resolvedBy: null };
    incidents.push(incident);
    history.push(historyRow(input.now, instance.id, existing ? 'incident-retry-failed' : 'incident-created', activityId, null, { incidentId: incident.id, handler, message, attempts: incident.attempts }));
  }
  return { incidents, history };
}

/**
 * Makes the task projection match what the engine waits for: a row per waiting user task (with
 * its due date by the calendar and a due timer for escalation), none for a wait that already has
 * one (a resume re-emits waits), and open tasks whose activity no longer waits (an interrupting
 * event took them away, or the instance ended) are cancelled with their due timers.
 */
export function tasksAfterStep(input: {
  instance: InstanceRow;
  model: Pick<ProcessModel, 'userTasks'>;
  outcome: StepOutcome;
  /** Open tasks as loaded that no change of this operation has moved yet. */
  openTasks: readonly TaskWithGroups[];
  /** Executions that have a task row already (loaded open, or created in this operation). */
  knownExecutions: ReadonlySet<string>;
  pendingTimers: readonly TimerRow[];
  now: Date;
  dueDates: Pick<DueDateCalculator, 'due' | 'riskFrom'>;
}): Changes {
  const { instance, model, now } = input;
  const changes: Required<Pick<Changes, 'newTasks' | 'newTimers' | 'taskTransitions' | 'timerTransitions' | 'history'>> = { newTasks: [], newTimers: [], taskTransitions: [], timerTransitions: [], history: [] };
  const waiting = input.outcome.active.filter((a) => a.type === 'bpmn:UserTask');
  const known = new Set(input.knownExecutions);
  for (const activity of waiting) {
    if (known.has(activity.executionId)) continue;
    known.add(activity.executionId);
    const userTask = model.userTasks.get(activity.id);
    const timeLimit = userTask?.timeLimit ?? null;
    const task: TaskRow = {
      id: randomUUID(),
      processInstanceId: instance.id,
      processDefinitionKey: instance.processDefinitionKey,
      definitionId: instance.definitionId,
      businessKey: instance.businessKey,
      taskDefinitionKey: activity.id,
      executionId: activity.executionId,
      name: userTask?.name ?? activity.name ?? null,
      assignee: assigneeAtCreation(userTask, input.outcome.variables),
      created: now.toISOString(),
      due: timeLimit && !isUnstatedTimeLimit(timeLimit) ? input.dueDates.due(now, timeLimit).toISOString() : null,
      timeLimit,
      priority: 50,
      state: 'open',
      completedAt: null,
      completedBy: null,
    };
    // At risk in the last share of the limit; a calendar that cannot say warns at the due date only.
    if (task.due) task.riskFrom = input.dueDates.riskFrom?.(now, new Date(task.due)).toISOString() ?? task.due;
    const candidateGroups = userTask?.candidateGroups ?? [];
    changes.newTasks.push({ row: task, groups: candidateGroups });
    // The legal limit is a host timer too: when it passes with the task still open, the task escalates.
    if (task.due) changes.newTimers.push(newTimer(instance, { kind: 'task-due', activityId: activity.id, executionId: task.id, timerType: 'timeLimit', timerValue: timeLimit, dueAt: task.due }, now));
    changes.history.push(historyRow(now, instance.id, 'task-created', activity.id, null, { taskId: task.id, candidateGroups, due: task.due, timeLimit, ...(task.assignee ? { assignee: task.assignee } : {}) }));
  }
  const stillWaiting = new Set(waiting.map((a) => a.executionId));
  for (const { task, groups } of input.openTasks) {
    if (stillWaiting.has(task.executionId)) continue;
    changes.taskTransitions.push({ id: task.id, expectedState: 'open', groups, patch: { state: 'cancelled', completedAt: now.toISOString() } });
    changes.timerTransitions.push(...dueTimerEnds(task.id, input.pendingTimers));
    changes.history.push(historyRow(now, instance.id, 'task-cancelled', task.taskDefinitionKey, null, { taskId: task.id }));
  }
  return changes;
}

/**
 * The diagram's `camunda:assignee` of a new task: a user id, or the user a variable names (the
 * specialist a department head chose). Camunda semantics: the candidate groups stay, the task is that
 * user's. A variable not set (or not a text) leaves the task to its groups.
 */
export function assigneeAtCreation(userTask: Pick<UserTaskModel, 'assignee'> | undefined, variables: Readonly<Record<string, unknown>>): string | null {
  const assignee = userTask?.assignee;
  if (!assignee) return null;
  if ('user' in assignee) return assignee.user;
  const value = variables[assignee.variable];
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Stores a row per timer event that now waits (a timer re-armed by a resume finds its row), and
 * cancels pending rows whose event no longer waits (its task completed first, or the instance ended).
 */
export function timersAfterStep(input: {
  instance: InstanceRow;
  outcome: StepOutcome;
  /** Pending timer events as loaded that no change of this operation has moved yet. */
  pendingEventTimers: readonly TimerRow[];
  /** Executions that have a timer event row already (loaded pending, or created in this operation). */
  knownExecutions: ReadonlySet<string>;
  now: Date;
  dueDates: Pick<DueDateCalculator, 'timerDue'>;
}): Changes {
  const { instance, outcome, now } = input;
  const changes: Required<Pick<Changes, 'newTimers' | 'timerTransitions' | 'history'>> = { newTimers: [], timerTransitions: [], history: [] };
  const waiting = new Set(outcome.active.map((a) => a.executionId));
  const known = new Set(input.knownExecutions);
  for (const timer of outcome.timers) {
    if (!waiting.has(timer.executionId) || known.has(timer.executionId)) continue;
    known.add(timer.executionId);
    const due = input.dueDates.timerDue(timer, now);
    if (!due) throw new DomainError('unprocessable', 'INVALID_TIMER', `Timer event "${timer.activityId}" has no valid duration or date (${timer.timeDuration ?? timer.expireAt ?? 'none'})`);
    changes.newTimers.push(
      newTimer(instance, { kind: 'event', activityId: timer.activityId, executionId: timer.executionId, timerType: timer.timerType ?? 'timer', timerValue: timer.timeDuration ?? timer.expireAt?.toISOString() ?? null, dueAt: due.toISOString() }, now),
    );
    changes.history.push(historyRow(now, instance.id, 'timer-created', timer.activityId, null, { dueAt: due.toISOString(), timeDuration: timer.timeDuration }));
  }
  for (const timer of input.pendingEventTimers) {
    if (waiting.has(timer.executionId)) continue;
    changes.timerTransitions.push({ id: timer.id, patch: { state: 'cancelled', firedAt: null } });
    changes.history.push(historyRow(now, instance.id, 'timer-cancelled', timer.activityId, null, { timerId: timer.id }));
  }
  return changes;
}

/** The host's timer of a timer event fires. */
export function timerFired(timer: TimerRow, now: Date): Changes {
  return {
    timerTransitions: [{ id: timer.id, patch: { state: 'fired', firedAt: now.toISOString() } }],
    history: [historyRow(now, timer.processInstanceId, 'timer-fired', timer.activityId, null, { timerId: timer.id, dueAt: timer.dueAt })],
  };
}

function newTimer(instance: InstanceRow, timer: Pick<TimerRow, 'kind' | 'activityId' | 'executionId' | 'timerType' | 'timerValue' | 'dueAt'>, now: Date): TimerRow {
  return { id: randomUUID(), processInstanceId: instance.id, processDefinitionKey: instance.processDefinitionKey, ...timer, createdAt: now.toISOString(), state: 'pending', firedAt: null };
}
