import { randomUUID } from 'node:crypto';
import { DateTime, Duration } from 'luxon';
import { isUnstatedTimeLimit } from '../calendar/time-limit';
import { DataSource } from 'typeorm';
import { DomainError, conflict, forbidden, notFound, validationFailed } from '../errors';
import { DefinitionService, LoadedDefinition } from '../definitions/definition-service';
import { Variables } from '../handlers/registry';
import { User } from '../identity/users';
import { HistoryRow, InstanceEntity, InstanceRow, TaskEntity, TaskGroupEntity, TaskRow, TimerEntity, TimerRow, IncidentEntity, IncidentRow } from '../persistence/entities';
import { createExpressions } from '../expressions';
import { Clock } from '../clock';
import { validateVariables } from './form-validation';
import { KeyedMutex } from './keyed-mutex';
import { sourceContextOf } from '../engine/source-context';
import { StepCommand, StepOutcome, StepRunner } from '../engine/step-runner';
import { timerValueProblem } from '../calendar/timer-values';
import { UnitOfWork } from './unit-of-work';
import { deterministicId } from './deterministic-id';
import { assertMayStart } from '../identity/access';
import { isUniqueViolation } from '../persistence/errors';
import { writeTransaction } from '../persistence/write-lock';

/** Computes a task's due date from its creation time and the diagram's time limit. */
export interface DueDateCalculator {
  due(created: Date, timeLimit: string): Date;
  /** Working minutes between two instants (for the compliance report). */
  workingMinutes?(from: Date, to: Date): number;
}

export interface ProcessRuntimeOptions {
  dataSource: DataSource;
  definitions: DefinitionService;
  steps: StepRunner;
  clock: Clock;
  dueDates: DueDateCalculator;
}

interface TrackedInstance {
  row: InstanceRow;
  loaded: LoadedDefinition;
}

const expressions = createExpressions();

/** Due time of a timer the engine just armed: durations count from the host's clock (calendar-aware, UTC+5), dates are absolute. */
export function timerDueAt(timer: { timeDuration?: string; expireAt?: Date }, now: Date): Date | null {
  if (timer.timeDuration) {
    const duration = Duration.fromISO(timer.timeDuration);
    // The step runner refuses these already; a due date is never computed from one (a timer due at once, in a loop, never waits).
    if (!duration.isValid || timerValueProblem('timeDuration', timer.timeDuration) !== null) return null;
    return DateTime.fromJSDate(now, { zone: 'Asia/Almaty' }).plus(duration).toJSDate();
  }
  return timer.expireAt ?? null;
}

/** Identifies this server process in timer leases. */
const PROCESS_ID = `${process.pid}-${randomUUID().slice(0, 8)}`;
/** Longer than any step takes; a crashed holder's timers are picked up after it. */
const TIMER_LEASE_MS = 60_000;

/**
 * How deep call activities may nest in one application: the reglaments call one shared flow (depth 1).
 * Processes that call each other start children in the same step without end otherwise.
 */
const MAX_CALL_DEPTH = 8;

/** Overdue tasks are reported to the head of the provider (the lane group of the head). */
const ESCALATION_GROUP = 'head';

/** The actor recorded when the host's timer service advances an instance. */
const TIMER_USER: User = { id: 'timer-service', name: 'Timer service', groups: [] } as unknown as User;

export function isAdmin(user: User): boolean {
  return user.groups.includes('admin');
}

/**
 * The host's operations on instances. Each public operation loads what it needs, advances the
 * engine(s) in memory, and stores every change in one transaction. Engines live only for the
 * duration of an operation: an idle instance is a database row.
 */
export class ProcessRuntime {
  private readonly instanceLocks = new KeyedMutex();

  constructor(private readonly options: ProcessRuntimeOptions) {}

  /**
   * Starts an instance of the latest version of `key`. With an idempotency key (the client's
   * Idempotency-Key header) the instance id is derived from it: a repeated request, say after the
   * connection broke while the first one ran, returns the instance the first one made
   * (`replayed`), and one whose first attempt a crash discarded makes the same instance again, so
   * the external systems it called see the same request id twice, not two requests.
   */
  async start(key: string, input: { businessKey?: string | null; variables?: unknown }, user: User, options: { idempotencyKey?: string } = {}): Promise<InstanceRow & { replayed?: boolean }> {
    const definition = await this.options.definitions.latest(key);
    const loaded = await this.options.definitions.load(definition.id);
    // Before anything else, the replay of an earlier start included: a refused start stores and calls nothing.
    assertMayStart(loaded.model, user);
    const problems = validateVariables(loaded.model.startFormFields, input.variables);
    if (problems.length > 0) throw validationFailed(`Invalid start variables for "${key}"`, { fields: problems });
    const businessKey = input.businessKey ?? null;
    const id = options.idempotencyKey === undefined ? undefined : deterministicId('start', key, options.idempotencyKey);
    if (id) {
      const earlier = await this.options.dataSource.getRepository(InstanceEntity).findOne({ where: { id } });
      if (earlier) return this.replayedStart(earlier, businessKey, user, options.idempotencyKey!);
    }
    const uow = new UnitOfWork();
    const instance = await this.startInstance(uow, loaded, { id, businessKey, variables: (input.variables ?? {}) as Variables, user });
    try {
      await this.commit(uow);
    } catch (error) {
      // The same request, at the same moment, from another connection or server: it won.
      const earlier = id && isUniqueViolation(error) ? await this.options.dataSource.getRepository(InstanceEntity).findOne({ where: { id } }) : null;
      if (earlier) return this.replayedStart(earlier, businessKey, user, options.idempotencyKey!);
      throw error;
    }
    return instance.row;
  }

  private replayedStart(earlier: InstanceRow, businessKey: string | null, user: User, idempotencyKey: string): InstanceRow & { replayed: boolean } {
    // A key names one request of one user; reused for something else it is a client error, not a replay.
    if (earlier.startedBy !== user.id || earlier.businessKey !== businessKey) {
      throw conflict(`Idempotency-Key "${idempotencyKey}" was already used for another request (instance ${earlier.id}, business key ${earlier.businessKey ?? 'none'}); send a new key for a new application`);
    }
    return { ...earlier, replayed: true };
  }

  async completeTask(taskId: string, variables: unknown, user: User): Promise<TaskRow> {
    const task = await this.taskOrThrow(taskId);
    return this.instanceLocks.run(task.processInstanceId, async () => {
      const current = await this.taskOrThrow(taskId);
      await this.assertMayAct(current, user);
      if (current.state !== 'open') throw conflict(`Task ${taskId} is already ${current.state}`);
      if (current.assignee && current.assignee !== user.id) throw conflict(`Task ${taskId} is claimed by ${current.assignee}`);
      const tracked = await this.loadInstance(current.processInstanceId);
      const model = tracked.loaded.model.userTasks.get(current.taskDefinitionKey);
      const problems = validateVariables(model?.formFields ?? [], variables);
      if (problems.length > 0) throw validationFailed(`Invalid variables for task "${current.name ?? current.taskDefinitionKey}"`, { fields: problems });

      const uow = new UnitOfWork();
      const now = this.options.clock.now().toISOString();
      const submitted = (variables ?? {}) as Variables;
      uow.taskTransitions.push({ id: current.id, expectedState: 'open', patch: { state: 'completed', completedAt: now, completedBy: user.id, assignee: current.assignee ?? user.id } });
      await this.endTaskDueTimer(uow, current.id);
      uow.history.push(this.historyRow(current.processInstanceId, 'task-completed', current.taskDefinitionKey, current.name, user.id, { taskId: current.id, variables: submitted }));
      await this.advance(uow, tracked, { kind: 'signal', engineState: tracked.row.engineState!, activityId: current.taskDefinitionKey, executionId: current.executionId, variables: submitted }, user, current.id);
      await this.commit(uow);
      return { ...current, state: 'completed', completedAt: now, completedBy: user.id };
    });
  }

  async claim(taskId: string, user: User): Promise<TaskRow> {
    const task = await this.taskOrThrow(taskId);
    await this.assertMayAct(task, user);
    if (task.state !== 'open') throw conflict(`Task ${taskId} is already ${task.state}`);
    if (task.assignee === user.id) return task;
    if (task.assignee) throw conflict(`Task ${taskId} is already claimed by ${task.assignee}`);
    await writeTransaction(this.options.dataSource, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(TaskEntity)
        .set({ assignee: user.id })
        .where("id = :id AND state = 'open' AND assignee IS NULL", { id: taskId })
        .execute();
      if (!result.affected) throw conflict(`Task ${taskId} was claimed or completed by someone else`);
      await manager.insert('History', this.historyRow(task.processInstanceId, 'task-claimed', task.taskDefinitionKey, task.name, user.id, { taskId }));
    });
    return { ...task, assignee: user.id };
  }

  async unclaim(taskId: string, user: User): Promise<TaskRow> {
    const task = await this.taskOrThrow(taskId);
    await this.assertMayAct(task, user);
    if (task.state !== 'open') throw conflict(`Task ${taskId} is already ${task.state}`);
    if (!task.assignee) return task;
    if (task.assignee !== user.id && !isAdmin(user)) throw conflict(`Task ${taskId} is claimed by ${task.assignee}; only they or an admin can unclaim it`);
    await writeTransaction(this.options.dataSource, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(TaskEntity)
        .set({ assignee: null })
        .where("id = :id AND state = 'open' AND assignee = :assignee", { id: taskId, assignee: task.assignee })
        .execute();
      if (!result.affected) throw conflict(`Task ${taskId} changed meanwhile; reload it`);
      await manager.insert('History', this.historyRow(task.processInstanceId, 'task-unclaimed', task.taskDefinitionKey, task.name, user.id, { taskId }));
    });
    return { ...task, assignee: null };
  }

  async taskGroups(taskId: string): Promise<string[]> {
    const rows = await this.options.dataSource.getRepository(TaskGroupEntity).find({ where: { taskId } });
    return rows.map((r) => r.groupId).sort();
  }

  /** A user may act on a task of one of their groups; admins on every task. */
  async assertMayAct(task: TaskRow, user: User): Promise<void> {
    if (isAdmin(user)) return;
    const groups = await this.taskGroups(task.id);
    if (!groups.some((g) => user.groups.includes(g))) {
      throw forbidden(`Task ${task.id} belongs to group(s) ${groups.join(', ') || '(none)'}; user ${user.id} is in ${user.groups.join(', ') || 'no group'}`);
    }
  }

  private async taskOrThrow(taskId: string): Promise<TaskRow> {
    const task = await this.options.dataSource.getRepository(TaskEntity).findOne({ where: { id: taskId } });
    if (!task) throw notFound(`No task with id "${taskId}"`);
    return task;
  }

  private async loadInstance(id: string, uow?: UnitOfWork): Promise<TrackedInstance> {
    const pending = uow?.instances.get(id);
    const row = pending?.row ?? (await this.options.dataSource.getRepository(InstanceEntity).findOne({ where: { id } }));
    if (!row) throw notFound(`No process instance with id "${id}"`);
    if (row.state !== 'running' || !row.engineState) throw conflict(`Process instance ${id} is ${row.state}`);
    return { row, loaded: await this.options.definitions.load(row.definitionId) };
  }

  private async startInstance(
    uow: UnitOfWork,
    loaded: LoadedDefinition,
    input: { id?: string; businessKey: string | null; variables: Variables; user: User; parent?: { instanceId: string; activityId: string; executionId: string; rootKey: string } },
  ): Promise<TrackedInstance> {
    const now = this.options.clock.now().toISOString();
    const row: InstanceRow = {
      id: input.id ?? randomUUID(),
      definitionId: loaded.row.id,
      processDefinitionKey: loaded.row.key,
      version: loaded.row.version,
      businessKey: input.businessKey,
      state: 'running',
      engineState: null,
      variables: '{}',
      activeActivities: '[]',
      outcome: null,
      startedAt: now,
      endedAt: null,
      startedBy: input.user.id,
      ...this.deadlineOf(loaded, input.parent === undefined),
      rootProcessDefinitionKey: input.parent?.rootKey ?? null,
      parentInstanceId: input.parent?.instanceId ?? null,
      parentActivityId: input.parent?.activityId ?? null,
      parentExecutionId: input.parent?.executionId ?? null,
      rev: 0,
    };
    uow.instances.set(row.id, { row, expectedRev: null });
    uow.history.push(this.historyRow(row.id, 'instance-started', null, null, input.user.id, { processDefinitionKey: row.processDefinitionKey, version: row.version, businessKey: row.businessKey, variables: input.variables, parentInstanceId: row.parentInstanceId }));
    const tracked = { row, loaded };
    await this.advance(uow, tracked, { kind: 'start', variables: input.variables }, input.user);
    return tracked;
  }

  /**
   * Runs one engine step for an instance and records its consequences in the unit of work:
   * the new engine state, task rows for user tasks that now wait, child instances for call
   * activities that were entered, and the parent's resumption when the instance ends.
   */
  private async advance(uow: UnitOfWork, tracked: TrackedInstance, command: StepCommand, user: User, completingTaskId?: string): Promise<void> {
    const { row, loaded } = tracked;
    const serviceProperties = new Map([...loaded.model.serviceTasks.values()].map((task) => [task.id, task.properties]));
    // Handlers act for the application: its starter and its id, never what a variable claims.
    const root = await this.rootOf(uow, row);
    const outcome = await this.options.steps.run({ instanceId: row.id, businessKey: row.businessKey, processDefinitionKey: row.processDefinitionKey, rootProcessDefinitionKey: row.rootProcessDefinitionKey ?? row.processDefinitionKey, rootInstanceId: root.id, startedBy: root.startedBy, serviceProperties }, sourceContextOf(loaded), command);
    if (outcome.ended && !outcome.outcome) {
      // An error end event reports its event definition's type on activity.end; find it by id.
      const ends = [...outcome.events].reverse().find((e) => e.type === 'activity-end' && loaded.model.endEvents.has(e.activityId));
      outcome.outcome = ends?.activityId ?? null;
    }
    const now = this.options.clock.now();
    const previous = uow.instances.get(row.id);
    const updated: InstanceRow = {
      ...row,
      engineState: outcome.engineState,
      variables: JSON.stringify(outcome.variables),
      activeActivities: JSON.stringify(outcome.active.map(({ id, name, type }) => ({ id, name, type }))),
      state: outcome.ended ? 'completed' : 'running',
      outcome: outcome.outcome,
      endedAt: outcome.ended ? now.toISOString() : null,
    };
    uow.instances.set(row.id, { row: updated, expectedRev: previous ? previous.expectedRev : row.rev });
    tracked.row = updated;
    this.recordEvents(uow, row.id, outcome);
    await this.syncIncidents(uow, updated, outcome, user);
    await this.syncTasks(uow, tracked, outcome, completingTaskId);
    await this.syncTimers(uow, updated, outcome);

    if (outcome.ended) {
      uow.history.push(this.historyRow(row.id, 'instance-completed', outcome.outcome, outcome.outcome ? loaded.model.endEvents.get(outcome.outcome)?.name ?? null : null, null, { outcome: outcome.outcome }));
      if (row.parentInstanceId) await this.resumeParent(uow, updated, outcome.variables, user);
      return;
    }
    for (const activity of outcome.active.filter((a) => a.type === 'bpmn:CallActivity')) {
      if (await this.childExists(uow, row.id, activity.executionId)) continue;
      const calledKey = loaded.model.callActivities.get(activity.id)?.calledElement;
      if (!calledKey) throw new DomainError('unprocessable', 'CALL_ACTIVITY_WITHOUT_TARGET', `Call activity "${activity.id}" names no called process`);
      const depth = await this.callDepth(uow, row);
      if (depth >= MAX_CALL_DEPTH) {
        throw new DomainError('unprocessable', 'STEP_RUNAWAY', `Call activity "${activity.id}" of "${row.processDefinitionKey}" would start "${calledKey}" ${depth + 1} calls deep (at most ${MAX_CALL_DEPTH}): called processes that call each other never end; nothing was stored`);
      }
      const calledDefinition = await this.options.definitions.latest(calledKey);
      const calledLoaded = await this.options.definitions.load(calledDefinition.id);
      const callerVariables = JSON.parse(tracked.row.variables) as Variables;
      const inputs = this.callInputs(loaded.model.callActivities.get(activity.id)?.inputs ?? [], callerVariables, activity.id);
      uow.history.push(this.historyRow(row.id, 'call-started', activity.id, activity.name ?? null, null, { calledElement: calledKey, inputs }));
      // Derived from what the step started from (the caller's committed revision), so a step re-run
      // after a crash calls the same child, and the systems it calls see the same request id.
      const earlierCalls = [...uow.instances.values()].filter((i) => i.row.parentInstanceId === row.id && i.row.parentActivityId === activity.id).length;
      await this.startInstance(uow, calledLoaded, {
        id: deterministicId('call', row.id, row.rev, activity.id, earlierCalls),
        businessKey: row.businessKey,
        variables: { ...callerVariables, ...inputs },
        user,
        parent: { instanceId: row.id, activityId: activity.id, executionId: activity.executionId, rootKey: row.rootProcessDefinitionKey ?? row.processDefinitionKey },
      });
    }
  }

  /** How many callers the instance has (0 for a top-level instance), counted up to one past MAX_CALL_DEPTH. */
  private async callDepth(uow: UnitOfWork, row: InstanceRow): Promise<number> {
    let depth = 0;
    for (let current = row; current.parentInstanceId && depth <= MAX_CALL_DEPTH; depth++) {
      const parent = uow.instances.get(current.parentInstanceId)?.row ?? (await this.options.dataSource.getRepository(InstanceEntity).findOne({ where: { id: current.parentInstanceId } }));
      if (!parent) break;
      current = parent;
    }
    return depth;
  }

  /** The top-level instance (the application) a called instance belongs to; the instance itself when it is top-level. */
  private async rootOf(uow: UnitOfWork, row: InstanceRow): Promise<InstanceRow> {
    let current = row;
    for (let depth = 0; current.parentInstanceId && depth < 32; depth++) {
      const parent = uow.instances.get(current.parentInstanceId)?.row ?? (await this.options.dataSource.getRepository(InstanceEntity).findOne({ where: { id: current.parentInstanceId } }));
      if (!parent) break;
      current = parent;
    }
    return current;
  }

  private deadlineOf(loaded: LoadedDefinition, topLevel: boolean): { deadline: string | null; deadlineDerived: boolean | null } {
    const limit = loaded.model.serviceTimeLimit;
    if (!topLevel || !limit || isUnstatedTimeLimit(limit.value)) return { deadline: null, deadlineDerived: null };
    return { deadline: this.options.dueDates.due(this.options.clock.now(), limit.value).toISOString(), deadlineDerived: limit.derived };
  }

  /** A task that ends before its limit needs no escalation. */
  private async endTaskDueTimer(uow: UnitOfWork, taskId: string): Promise<void> {
    const timer = await this.options.dataSource.getRepository(TimerEntity).findOne({ where: { kind: 'task-due', executionId: taskId, state: 'pending' } });
    if (timer) uow.timerTransitions.push({ id: timer.id, patch: { state: 'cancelled' } });
  }

  /** Opens (or, on a failed retry, updates) the incident of a failed handler; resolves open incidents the step got past. */
  private async syncIncidents(uow: UnitOfWork, row: InstanceRow, outcome: StepOutcome, user: User): Promise<void> {
    const now = this.options.clock.now().toISOString();
    const open = await this.openIncidents(row.id);
    for (const incident of open) {
      if (outcome.incident?.activityId === incident.activityId) continue;
      uow.incidents.push({ ...incident, resolvedAt: now, resolvedBy: user.id, updatedAt: now });
      uow.history.push(this.historyRow(row.id, 'incident-resolved', incident.activityId, null, user.id, { incidentId: incident.id }));
    }
    if (!outcome.incident) return;
    const { activityId, handler, message } = outcome.incident;
    const existing = open.find((i) => i.activityId === activityId);
    const incident: IncidentRow = existing
      ? { ...existing, message, attempts: existing.attempts + 1, updatedAt: now }
      : { id: randomUUID(), processInstanceId: row.id, processDefinitionKey: row.processDefinitionKey, activityId, handler, message, attempts: 1, createdAt: now, updatedAt: now, resolvedAt: null, resolvedBy: null };
    uow.incidents.push(incident);
    uow.history.push(this.historyRow(row.id, existing ? 'incident-retry-failed' : 'incident-created', activityId, null, null, { incidentId: incident.id, handler, message, attempts: incident.attempts }));
  }

  async openIncidents(instanceId: string): Promise<IncidentRow[]> {
    const rows = await this.options.dataSource.getRepository(IncidentEntity).find({ where: { processInstanceId: instanceId }, order: { createdAt: 'ASC' } });
    return rows.filter((r) => r.resolvedAt === null);
  }

  async listIncidents(filter: { processInstanceId?: string; open?: boolean }): Promise<IncidentRow[]> {
    const where: Record<string, string> = {};
    if (filter.processInstanceId) where.processInstanceId = filter.processInstanceId;
    const rows = await this.options.dataSource.getRepository(IncidentEntity).find({ where, order: { createdAt: 'ASC' } });
    return filter.open ? rows.filter((r) => r.resolvedAt === null) : rows;
  }

  /** An admin retries the failed service task of an instance with an open incident. */
  async retry(instanceId: string, user: User): Promise<{ resolved: boolean; incidents: IncidentRow[] }> {
    if (!isAdmin(user)) throw forbidden(`Only an admin may retry an incident; user ${user.id} is in ${user.groups.join(', ') || 'no group'}`);
    return this.instanceLocks.run(instanceId, async () => {
      const tracked = await this.loadInstance(instanceId);
      if ((await this.openIncidents(instanceId)).length === 0) throw conflict(`Process instance ${instanceId} has no open incident to retry`);
      const uow = new UnitOfWork();
      uow.history.push(this.historyRow(instanceId, 'incident-retried', null, null, user.id));
      await this.advance(uow, tracked, { kind: 'resume', engineState: tracked.row.engineState! }, user);
      await this.commit(uow);
      const incidents = await this.openIncidents(instanceId);
      return { resolved: incidents.length === 0, incidents };
    });
  }

  /** Camunda input mappings of a call activity, evaluated over the caller's variables. */
  private callInputs(inputs: { target: string; source?: string; sourceExpression?: string }[], variables: Variables, activityId: string): Variables {
    const result: Variables = {};
    for (const input of inputs) {
      if (input.sourceExpression !== undefined) {
        try {
          result[input.target] = expressions.resolveExpression(input.sourceExpression, { environment: { variables } });
        } catch (error) {
          throw new DomainError('unprocessable', 'CALL_INPUT_FAILED', `Input "${input.target}" of call activity "${activityId}" could not be evaluated: ${error instanceof Error ? error.message : String(error)}`);
        }
      } else if (input.source !== undefined) {
        result[input.target] = variables[input.source];
      }
    }
    return result;
  }

  /**
   * A called process ended: its variables flow back and the caller's call activity completes, or,
   * when the child ended at an error end event, the call activity throws that BPMN error so that
   * an error boundary event on it routes the caller (Camunda's propagation of BPMN errors).
   */
  private async resumeParent(uow: UnitOfWork, child: InstanceRow, variables: Variables, user: User): Promise<void> {
    const parent = await this.loadInstance(child.parentInstanceId!, uow);
    const childModel = (await this.options.definitions.load(child.definitionId)).model;
    const errorCode = child.outcome ? childModel.endEvents.get(child.outcome)?.errorCode : undefined;
    uow.history.push(this.historyRow(parent.row.id, 'call-completed', child.parentActivityId, null, null, { childInstanceId: child.id, outcome: child.outcome, errorCode }));
    const target = { engineState: parent.row.engineState!, activityId: child.parentActivityId!, executionId: child.parentExecutionId!, variables };
    if (errorCode) {
      const message = childModel.endEvents.get(child.outcome!)?.name ?? errorCode;
      await this.advance(uow, parent, { kind: 'error', ...target, code: errorCode, message }, user);
      return;
    }
    await this.advance(uow, parent, { kind: 'signal', ...target }, user);
  }

  /**
   * Stores a row per timer event that now waits (a timer re-armed by a resume finds its row), and
   * cancels pending rows whose event no longer waits (its task completed first, or the instance ended).
   */
  private async syncTimers(uow: UnitOfWork, row: InstanceRow, outcome: StepOutcome): Promise<void> {
    const pending = await this.options.dataSource.getRepository(TimerEntity).find({ where: { processInstanceId: row.id, state: 'pending', kind: 'event' } });
    const waiting = new Set(outcome.active.map((a) => a.executionId));
    const known = new Set([...pending.map((t) => t.executionId), ...uow.newTimers.filter((t) => t.processInstanceId === row.id && t.kind === 'event').map((t) => t.executionId)]);
    const now = this.options.clock.now();
    for (const timer of outcome.timers) {
      if (!waiting.has(timer.executionId) || known.has(timer.executionId)) continue;
      known.add(timer.executionId);
      const due = timerDueAt(timer, now);
      if (!due) throw new DomainError('unprocessable', 'INVALID_TIMER', `Timer event "${timer.activityId}" has no valid duration or date (${timer.timeDuration ?? timer.expireAt ?? 'none'})`);
      uow.newTimers.push({
        id: randomUUID(),
        kind: 'event',
        processInstanceId: row.id,
        processDefinitionKey: row.processDefinitionKey,
        activityId: timer.activityId,
        executionId: timer.executionId,
        timerType: timer.timerType ?? 'timer',
        timerValue: timer.timeDuration ?? timer.expireAt?.toISOString() ?? null,
        createdAt: now.toISOString(),
        dueAt: due.toISOString(),
        state: 'pending',
        firedAt: null,
      });
      uow.history.push(this.historyRow(row.id, 'timer-created', timer.activityId, null, null, { dueAt: due.toISOString(), timeDuration: timer.timeDuration }));
    }
    for (const timer of pending) {
      if (waiting.has(timer.executionId) || uow.timerTransitions.some((t) => t.id === timer.id)) continue;
      uow.timerTransitions.push({ id: timer.id, patch: { state: 'cancelled', firedAt: null } });
      uow.history.push(this.historyRow(row.id, 'timer-cancelled', timer.activityId, null, null, { timerId: timer.id }));
    }
  }

  /**
   * Fires every pending timer that is due by the host's clock, oldest first, one transaction each.
   * A timer another server process fired meanwhile is skipped (the pending -> fired update finds
   * nothing to change), so each timer fires once however many processes poll.
   */
  async fireDueTimers(limit = 100): Promise<{ fired: string[]; failed: { timerId: string; error: string }[] }> {
    const now = this.options.clock.now();
    const due = await this.options.dataSource
      .getRepository(TimerEntity)
      .createQueryBuilder('t')
      .where("t.state = 'pending' AND t.dueAt <= :now", { now: now.toISOString() })
      .orderBy('t.dueAt', 'ASC')
      .limit(limit)
      .getMany();
    const fired: string[] = [];
    const failed: { timerId: string; error: string }[] = [];
    for (const timer of due) {
      if (!(await this.leaseTimer(timer.id, now))) continue;
      try {
        if (timer.kind === 'task-due') {
          await this.escalate(timer);
          fired.push(timer.id);
          continue;
        }
        await this.instanceLocks.run(timer.processInstanceId, async () => {
          const tracked = await this.loadInstance(timer.processInstanceId);
          const uow = new UnitOfWork();
          uow.timerTransitions.push({ id: timer.id, patch: { state: 'fired', firedAt: this.options.clock.now().toISOString() } });
          uow.history.push(this.historyRow(timer.processInstanceId, 'timer-fired', timer.activityId, null, null, { timerId: timer.id, dueAt: timer.dueAt }));
          await this.advance(uow, tracked, { kind: 'timer', engineState: tracked.row.engineState!, activityId: timer.activityId, executionId: timer.executionId }, TIMER_USER);
          await this.commit(uow);
        });
        fired.push(timer.id);
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'conflict') continue;
        failed.push({ timerId: timer.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return { fired, failed };
  }

  /**
   * A task's legal time limit passed. If it is still open it is flagged, the history records it,
   * and the head's group of its diagram (or admin when the diagram has no head lane) is notified;
   * otherwise the timer simply ends. Exactly once: both the timer and the task move under compare-and-set.
   */
  private async escalate(timer: TimerRow): Promise<void> {
    const now = this.options.clock.now().toISOString();
    const uow = new UnitOfWork();
    uow.timerTransitions.push({ id: timer.id, patch: { state: 'fired', firedAt: now } });
    const task = await this.options.dataSource.getRepository(TaskEntity).findOne({ where: { id: timer.executionId } });
    if (task && task.state === 'open' && !task.escalatedAt) {
      const loaded = await this.options.definitions.load(task.definitionId);
      const headGroup = loaded.model.lanes.find((lane) => lane.group === ESCALATION_GROUP)?.group ?? 'admin';
      uow.taskTransitions.push({ id: task.id, expectedState: 'open-not-escalated', patch: { escalatedAt: now } });
      uow.history.push(this.historyRow(task.processInstanceId, 'task-overdue', task.taskDefinitionKey, task.name, null, { taskId: task.id, due: task.due, timeLimit: task.timeLimit, notified: headGroup }));
      uow.notifications.push({
        id: randomUUID(),
        groupId: headGroup,
        userId: null,
        type: 'task-overdue',
        message: `«${task.name ?? task.taskDefinitionKey}» (${task.processDefinitionKey}${task.businessKey ? `, ${task.businessKey}` : ''}) passed its legal time limit of ${task.timeLimit} at ${task.due}${task.assignee ? `; claimed by ${task.assignee}` : '; not claimed'}`,
        processInstanceId: task.processInstanceId,
        taskId: task.id,
        createdAt: now,
        readAt: null,
        readBy: null,
      });
    }
    await this.commit(uow);
  }

  /**
   * Takes a short lease on a due timer so that of several server processes polling one database
   * only one runs it (and its handlers); a lease left by a killed process expires.
   */
  private async leaseTimer(id: string, now: Date): Promise<boolean> {
    const until = new Date(now.getTime() + TIMER_LEASE_MS).toISOString();
    const result = await writeTransaction(this.options.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(TimerEntity)
        .set({ lockedBy: PROCESS_ID, lockedUntil: until })
        .where("id = :id AND state = 'pending' AND (lockedUntil IS NULL OR lockedUntil < :now)", { id, now: now.toISOString() })
        .execute(),
    );
    return !!result.affected;
  }

  async listTimers(filter: { processInstanceId?: string; state?: string; kind?: string }): Promise<TimerRow[]> {
    const where: Record<string, string> = {};
    if (filter.kind) where.kind = filter.kind;
    if (filter.processInstanceId) where.processInstanceId = filter.processInstanceId;
    if (filter.state) where.state = filter.state;
    return this.options.dataSource.getRepository(TimerEntity).find({ where, order: { dueAt: 'ASC' } });
  }

  private async childExists(uow: UnitOfWork, parentId: string, executionId: string): Promise<boolean> {
    for (const { row } of uow.instances.values()) {
      if (row.parentInstanceId === parentId && row.parentExecutionId === executionId) return true;
    }
    const count = await this.options.dataSource.getRepository(InstanceEntity).count({ where: { parentInstanceId: parentId, parentExecutionId: executionId } });
    return count > 0;
  }

  /**
   * Makes the task projection match what the engine waits for: a row per waiting user task
   * (re-emitted waits after a resume find their row and add nothing), and open rows whose
   * activity no longer waits (an interrupting event took them away) are cancelled.
   */
  private async syncTasks(uow: UnitOfWork, tracked: TrackedInstance, outcome: StepOutcome, completingTaskId?: string): Promise<void> {
    const { row, loaded } = tracked;
    const open = await this.options.dataSource.getRepository(TaskEntity).find({ where: { processInstanceId: row.id, state: 'open' } });
    const waiting = outcome.active.filter((a) => a.type === 'bpmn:UserTask');
    const known = new Set([...open.map((t) => t.executionId), ...uow.newTasks.filter((t) => t.row.processInstanceId === row.id).map((t) => t.row.executionId)]);
    const created = this.options.clock.now();
    for (const activity of waiting) {
      if (known.has(activity.executionId)) continue;
      const model = loaded.model.userTasks.get(activity.id);
      const timeLimit = model?.timeLimit ?? null;
      const task: TaskRow = {
        id: randomUUID(),
        processInstanceId: row.id,
        processDefinitionKey: row.processDefinitionKey,
        definitionId: row.definitionId,
        businessKey: row.businessKey,
        taskDefinitionKey: activity.id,
        executionId: activity.executionId,
        name: model?.name ?? activity.name ?? null,
        assignee: null,
        created: created.toISOString(),
        due: timeLimit && !isUnstatedTimeLimit(timeLimit) ? this.options.dueDates.due(created, timeLimit).toISOString() : null,
        timeLimit,
        priority: 50,
        state: 'open',
        completedAt: null,
        completedBy: null,
      };
      uow.newTasks.push({ row: task, groups: model?.candidateGroups ?? [] });
      if (task.due) {
        // The legal limit is a host timer too: when it passes with the task still open, the task escalates.
        uow.newTimers.push({
          id: randomUUID(),
          kind: 'task-due',
          processInstanceId: row.id,
          processDefinitionKey: row.processDefinitionKey,
          activityId: activity.id,
          executionId: task.id,
          timerType: 'timeLimit',
          timerValue: timeLimit,
          createdAt: created.toISOString(),
          dueAt: task.due,
          state: 'pending',
          firedAt: null,
        });
      }
      uow.history.push(this.historyRow(row.id, 'task-created', activity.id, task.name, null, { taskId: task.id, candidateGroups: model?.candidateGroups ?? [], due: task.due, timeLimit }));
    }
    const stillWaiting = new Set(waiting.map((a) => a.executionId));
    for (const task of open) {
      // A task completed in this operation is already moving (its parent may be advanced again when a child ends at once).
      if (task.id === completingTaskId || stillWaiting.has(task.executionId) || uow.taskTransitions.some((t) => t.id === task.id)) continue;
      uow.taskTransitions.push({ id: task.id, expectedState: 'open', patch: { state: 'cancelled', completedAt: created.toISOString() } });
      await this.endTaskDueTimer(uow, task.id);
      uow.history.push(this.historyRow(row.id, 'task-cancelled', task.taskDefinitionKey, task.name, null, { taskId: task.id }));
    }
  }

  private recordEvents(uow: UnitOfWork, instanceId: string, outcome: StepOutcome): void {
    for (const event of outcome.events) {
      uow.history.push({
        processInstanceId: instanceId,
        at: event.at.toISOString(),
        type: event.type,
        activityId: event.activityId,
        activityName: event.activityName ?? null,
        userId: null,
        data: event.data ? JSON.stringify(event.data) : null,
      });
    }
  }

  private historyRow(instanceId: string, type: string, activityId: string | null, activityName: string | null | undefined, userId: string | null, data?: unknown): HistoryRow {
    return {
      processInstanceId: instanceId,
      at: this.options.clock.now().toISOString(),
      type,
      activityId,
      activityName: activityName ?? null,
      userId,
      data: data === undefined ? null : JSON.stringify(data),
    };
  }

  /** The unit of work takes the DataSource's write lock (src/persistence/write-lock.ts), as every write does. */
  private commit(uow: UnitOfWork): Promise<void> {
    return uow.commit(this.options.dataSource);
  }
}
