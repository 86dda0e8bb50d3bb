import { randomUUID } from 'node:crypto';
import { Clock } from '../clock';
import type { LoadedDefinition } from '../definitions/definition-service';
import { sourceContextOf } from '../engine/source-context';
import type { ExternalResult, StepCommand } from '../engine/step';
import { conflict, DomainError, notFound } from '../errors';
import { Variables } from '../handlers/registry';
import { User } from '../identity/users';
import { IncidentRow, InstanceRow, TimerRow } from '../persistence/entities';
import { InstanceAggregate, InstanceStore, TaskWithGroups } from '../persistence/instance-store';
import type { ExternalTaskRow } from '../persistence/external-task-entity';
import { externalTaskIncident, externalTaskReported, externalTasksAfterStep } from './external-task-projection';
import { Changes, UnitOfWork } from '../persistence/unit-of-work';
import { callInputs, MAX_CALL_DEPTH } from './call-activities';
import { deterministicId } from './deterministic-id';
import { historyRow } from './history';
import { DefinitionSource, DueDateCalculator, StepEngine } from './ports';
import { deadlineOf, eventsOfStep, incidentsAfterStep, instanceAfterStep, taskCompletion, tasksAfterStep, timerFired, timersAfterStep, withEndEvent } from './projections';

export interface StepDependencies {
  /** Asked only for what a step cannot know from the aggregates: whether a call activity already started its child. */
  store: Pick<InstanceStore, 'childExecutions'>;
  definitions: DefinitionSource;
  engine: StepEngine;
  clock: Clock;
  dueDates: DueDateCalculator;
}

/** The caller of a new child instance: which call activity of which instance started it. */
export interface CallerLink {
  instanceId: string;
  activityId: string;
  executionId: string;
  rootKey: string;
}

/**
 * An instance as one operation sees it: the row it advances, and what it waits for (open tasks,
 * pending timers, open incidents) as loaded, less what the operation has moved, plus what it made.
 */
export class WorkingInstance {
  /** Executions with a task row (loaded open, or created by this operation). */
  readonly taskExecutions: Set<string>;
  /** Timer events with a row (loaded pending, or created by this operation). */
  readonly timerExecutions: Set<string>;
  /** Execution ids of call activities that started a child; loaded when a call activity first waits. */
  childExecutions: Set<string> | undefined;
  /** Service tasks waiting for workers with a row (loaded open, or created by this operation). */
  readonly externalExecutions: Set<string>;

  constructor(
    public row: InstanceRow,
    /** The revision the instance was read at; null for an instance this operation creates. */
    readonly expectedRev: number | null,
    /** Open tasks as loaded that this operation has not moved. */
    public openTasks: TaskWithGroups[],
    /** Pending timers as loaded that this operation has not moved. */
    public pendingTimers: TimerRow[],
    /** Open incidents, oldest first. */
    public openIncidents: IncidentRow[],
    /** Open external tasks as loaded that this operation has not moved. */
    public openExternalTasks: ExternalTaskRow[] = [],
  ) {
    this.externalExecutions = new Set(openExternalTasks.map((t) => t.executionId));
    this.taskExecutions = new Set(openTasks.map((t) => t.task.executionId));
    this.timerExecutions = new Set(pendingTimers.filter((t) => t.kind === 'event').map((t) => t.executionId));
    if (expectedRev === null) this.childExecutions = new Set();
  }

  /** Throws unless the instance waits for a step (a 404 or 409 for the caller). */
  assertRunning(): void {
    if (this.row.state !== 'running' || !this.row.engineState) throw conflict(`Process instance ${this.row.id} is ${this.row.state}`);
  }

  /** Keeps what the instance waits for in step with changes the operation made. */
  apply(changes: Changes): void {
    const movedTasks = new Set((changes.taskTransitions ?? []).map((t) => t.id));
    if (movedTasks.size > 0) this.openTasks = this.openTasks.filter((t) => !movedTasks.has(t.task.id));
    for (const { row } of changes.newTasks ?? []) this.taskExecutions.add(row.executionId);
    const movedTimers = new Set((changes.timerTransitions ?? []).map((t) => t.id));
    if (movedTimers.size > 0) this.pendingTimers = this.pendingTimers.filter((t) => !movedTimers.has(t.id));
    for (const timer of changes.newTimers ?? []) if (timer.kind === 'event') this.timerExecutions.add(timer.executionId);
    const movedExternal = new Set((changes.externalTaskTransitions ?? []).filter((t) => t.patch.state).map((t) => t.id));
    if (movedExternal.size > 0) this.openExternalTasks = this.openExternalTasks.filter((t) => !movedExternal.has(t.id));
    for (const row of changes.newExternalTasks ?? []) this.externalExecutions.add(row.executionId);
    for (const incident of changes.incidents ?? []) {
      const others = this.openIncidents.filter((i) => i.id !== incident.id);
      this.openIncidents = incident.resolvedAt === null ? [...others, incident].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0)) : others;
    }
  }
}

/**
 * One operation on instances (a start, a completion, a timer, a retry): it works on aggregates
 * loaded once, runs the engine, derives every change with the projections and collects them in
 * one unit of work, which the caller commits. Besides the engine, the only thing it may read is
 * whether a waiting call activity already has its child.
 */
export class Step {
  readonly uow = new UnitOfWork();
  private readonly instances = new Map<string, WorkingInstance>();

  constructor(
    private readonly deps: StepDependencies,
    /** Who acts: recorded on history rows, resolved incidents and started instances. */
    private readonly user: User,
  ) {}

  /** Takes a loaded aggregate (and its callers') into the operation. */
  include(aggregate: InstanceAggregate): WorkingInstance {
    const known = this.instances.get(aggregate.instance.id);
    if (known) return known;
    if (aggregate.parent) this.include(aggregate.parent);
    const working = new WorkingInstance(aggregate.instance, aggregate.instance.rev, aggregate.openTasks, aggregate.pendingTimers, aggregate.openIncidents, aggregate.openExternalTasks ?? []);
    this.instances.set(aggregate.instance.id, working);
    return working;
  }

  instance(id: string): WorkingInstance | undefined {
    return this.instances.get(id);
  }

  /** Records changes of one instance and keeps its working view in step. */
  private apply(working: WorkingInstance, changes: Changes): void {
    working.apply(changes);
    this.uow.add(changes);
  }

  /** Records a history row of the operation (e.g. the retry that started it). */
  record(instanceId: string, type: string, data?: unknown): void {
    this.uow.history.push(historyRow(this.deps.clock.now(), instanceId, type, null, this.user.id, data));
  }

  /** Creates an instance of `loaded` and runs it to its first wait. */
  async start(loaded: LoadedDefinition, input: { id?: string; businessKey: string | null; variables: Variables; parent?: CallerLink & { inputs: Variables } }): Promise<WorkingInstance> {
    const now = this.deps.clock.now();
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
      startedAt: now.toISOString(),
      endedAt: null,
      startedBy: this.user.id,
      ...deadlineOf(loaded.model, input.parent === undefined, now, this.deps.dueDates),
      rootProcessDefinitionKey: input.parent?.rootKey ?? null,
      parentInstanceId: input.parent?.instanceId ?? null,
      parentActivityId: input.parent?.activityId ?? null,
      parentExecutionId: input.parent?.executionId ?? null,
      rootInstanceId: null,
      rev: 0,
    };
    // The application a called flow serves: its caller's (the caller is loaded with its own callers).
    const caller = input.parent ? this.instances.get(input.parent.instanceId)?.row : undefined;
    row.rootInstanceId = caller ? (caller.rootInstanceId ?? this.rootOf(caller).id) : row.id;
    const working = new WorkingInstance(row, null, [], [], []);
    this.instances.set(row.id, working);
    this.uow.instances.set(row.id, { row, expectedRev: null });
    this.uow.history.push(historyRow(now, row.id, 'instance-started', null, this.user.id, { processDefinitionKey: row.processDefinitionKey, version: row.version, businessKey: row.businessKey, ...startedWith(input.variables, input.parent?.inputs), parentInstanceId: row.parentInstanceId }));
    await this.advance(working, { kind: 'start', variables: input.variables });
    return working;
  }

  /** The acting user completes an open task of `working` with `variables`, and the instance moves on; resolves to the completion time. */
  async completeTask(working: WorkingInstance, open: TaskWithGroups, variables: Variables): Promise<string> {
    const now = this.deps.clock.now();
    this.apply(working, taskCompletion({ open, pendingTimers: working.pendingTimers, userId: this.user.id, variables, now }));
    await this.advance(working, { kind: 'signal', engineState: working.row.engineState!, activityId: open.task.taskDefinitionKey, executionId: open.task.executionId, variables });
    return now.toISOString();
  }

  /** The host's timer of a waiting timer event fires, and the instance moves on. */
  async fireTimer(working: WorkingInstance, timer: TimerRow): Promise<void> {
    this.apply(working, timerFired(timer, this.deps.clock.now()));
    await this.advance(working, { kind: 'timer', engineState: working.row.engineState!, activityId: timer.activityId, executionId: timer.executionId });
  }

  /** A worker's completion or BPMN error on an open external task of `working`: the task ends and the instance moves on with the worker's result. */
  async reportExternal(working: WorkingInstance, task: ExternalTaskRow, result: ExternalResult): Promise<void> {
    this.apply(working, externalTaskReported(task, result, this.user.id, this.deps.clock.now()));
    await this.advance(working, { kind: 'external', engineState: working.row.engineState!, activityId: task.activityId, executionId: task.executionId, result });
  }

  /**
   * An external task that cannot go on (no retries left, or an uncaught BPMN error) becomes an
   * incident; the instance stays where it is, its revision moves so that a concurrent step of it fails.
   */
  externalIncident(working: WorkingInstance, task: ExternalTaskRow, report: { workerId: string; message: string; details: string | null; lockExpirationTime?: string | null }): void {
    this.apply(working, externalTaskIncident({ task, ...report, openIncidents: working.openIncidents, userId: this.user.id, now: this.deps.clock.now() }));
    this.uow.instances.set(working.row.id, { row: working.row, expectedRev: working.expectedRev });
  }

  /** Runs the failed service task of `working` again. */
  async resume(working: WorkingInstance): Promise<void> {
    await this.advance(working, { kind: 'resume', engineState: working.row.engineState! });
  }

  /**
   * Runs one engine step for an instance and records its consequences: the new engine state, task
   * rows for user tasks that now wait, timers, incidents, child instances for call activities that
   * were entered, and the caller's resumption when the instance ends.
   */
  private async advance(working: WorkingInstance, command: StepCommand): Promise<void> {
    const row = working.row;
    const loaded = await this.deps.definitions.load(row.definitionId);
    const serviceProperties = new Map([...loaded.model.serviceTasks.values()].map((task) => [task.id, task.properties]));
    // Handlers act for the application: its starter and its id, never what a variable claims.
    const root = this.rootOf(row);
    const identity = { instanceId: row.id, businessKey: row.businessKey, processDefinitionKey: row.processDefinitionKey, rootProcessDefinitionKey: row.rootProcessDefinitionKey ?? row.processDefinitionKey, rootInstanceId: root.id, startedBy: root.startedBy, serviceProperties };
    const outcome = withEndEvent(await this.deps.engine.run(identity, sourceContextOf(loaded), command), loaded.model);
    const now = this.deps.clock.now();
    const updated = instanceAfterStep(row, outcome, now);
    working.row = updated;
    this.uow.instances.set(row.id, { row: updated, expectedRev: working.expectedRev });

    this.apply(working, eventsOfStep(row.id, outcome));
    // An external task out of retries stays an incident through other steps of the instance (a parallel
    // user task, a timer): only the admin's retry (a resume) gives it back to the workers.
    const stillWaiting = new Set(outcome.active.map((a) => a.executionId));
    const stuckExternal = new Set(command.kind === 'resume' ? [] : working.openExternalTasks.filter((t) => t.retries === 0 && stillWaiting.has(t.executionId)).map((t) => t.activityId));
    const openIncidents = working.openIncidents.filter((i) => !stuckExternal.has(i.activityId));
    this.apply(working, incidentsAfterStep({ instance: updated, outcome, openIncidents, userId: this.user.id, now }));
    this.apply(working, tasksAfterStep({ instance: updated, model: loaded.model, outcome, openTasks: working.openTasks, knownExecutions: working.taskExecutions, pendingTimers: working.pendingTimers, now, dueDates: this.deps.dueDates }));
    this.apply(working, timersAfterStep({ instance: updated, outcome, pendingEventTimers: working.pendingTimers.filter((t) => t.kind === 'event'), knownExecutions: working.timerExecutions, now, dueDates: this.deps.dueDates }));
    this.apply(working, externalTasksAfterStep({ instance: updated, outcome, openExternalTasks: working.openExternalTasks, knownExecutions: working.externalExecutions, resumed: command.kind === 'resume', now }));

    if (outcome.ended) {
      this.uow.history.push(historyRow(now, row.id, 'instance-completed', outcome.outcome, null, { outcome: outcome.outcome }));
      if (row.parentInstanceId) await this.resumeCaller(working, outcome.variables);
      return;
    }
    const calls = outcome.active.filter((a) => a.type === 'bpmn:CallActivity');
    if (calls.length > 0) working.childExecutions ??= new Set(await this.deps.store.childExecutions(row.id));
    for (const activity of calls) {
      if (working.childExecutions!.has(activity.executionId)) continue;
      const call = loaded.model.callActivities.get(activity.id);
      if (!call?.calledElement) throw new DomainError('unprocessable', 'CALL_ACTIVITY_WITHOUT_TARGET', `Call activity "${activity.id}" names no called process`);
      const calledKey = call.calledElement;
      const depth = this.callDepth(updated);
      if (depth >= MAX_CALL_DEPTH) {
        throw new DomainError('unprocessable', 'STEP_RUNAWAY', `Call activity "${activity.id}" of "${row.processDefinitionKey}" would start "${calledKey}" ${depth + 1} calls deep (at most ${MAX_CALL_DEPTH}): called processes that call each other never end; nothing was stored`);
      }
      // The called flow as the law stood when the application was filed, like the application itself.
      const called = await this.deps.definitions.load((await this.deps.definitions.inForce(calledKey, new Date(this.rootOf(updated).startedAt))).id);
      const callerVariables = JSON.parse(working.row.variables) as Variables;
      const inputs = callInputs(call.inputs, callerVariables, activity.id);
      this.uow.history.push(historyRow(this.deps.clock.now(), row.id, 'call-started', activity.id, null, { calledElement: calledKey, inputs }));
      // Derived from what the step started from (the caller's committed revision), so a step re-run
      // after a crash calls the same child, and the systems it calls see the same request id.
      const earlierCalls = [...this.uow.instances.values()].filter((i) => i.row.parentInstanceId === row.id && i.row.parentActivityId === activity.id).length;
      working.childExecutions!.add(activity.executionId);
      await this.start(called, {
        id: deterministicId('call', row.id, row.rev, activity.id, earlierCalls),
        businessKey: row.businessKey,
        variables: { ...callerVariables, ...inputs },
        parent: { instanceId: row.id, activityId: activity.id, executionId: activity.executionId, rootKey: row.rootProcessDefinitionKey ?? row.processDefinitionKey, inputs },
      });
    }
  }

  /**
   * A called process ended: its variables flow back and the caller's call activity completes, or,
   * when the child ended at an error end event, the call activity throws that BPMN error so that
   * an error boundary event on it routes the caller (Camunda's propagation of BPMN errors).
   */
  private async resumeCaller(child: WorkingInstance, variables: Variables): Promise<void> {
    const { row } = child;
    const caller = this.instances.get(row.parentInstanceId!);
    if (!caller) throw notFound(`No process instance with id "${row.parentInstanceId}"`);
    caller.assertRunning();
    const childModel = (await this.deps.definitions.load(row.definitionId)).model;
    const errorCode = row.outcome ? childModel.endEvents.get(row.outcome)?.errorCode : undefined;
    this.uow.history.push(historyRow(this.deps.clock.now(), caller.row.id, 'call-completed', row.parentActivityId, null, { childInstanceId: row.id, outcome: row.outcome, errorCode }));
    const target = { engineState: caller.row.engineState!, activityId: row.parentActivityId!, executionId: row.parentExecutionId!, variables };
    if (errorCode) {
      const message = childModel.endEvents.get(row.outcome!)?.name ?? errorCode;
      await this.advance(caller, { kind: 'error', ...target, code: errorCode, message });
      return;
    }
    await this.advance(caller, { kind: 'signal', ...target });
  }

  /** How many callers the instance has (0 for a top-level instance), counted up to one past MAX_CALL_DEPTH. */
  private callDepth(row: InstanceRow): number {
    let depth = 0;
    for (let current = row; current.parentInstanceId && depth <= MAX_CALL_DEPTH; depth++) {
      const parent = this.instances.get(current.parentInstanceId)?.row;
      if (!parent) break;
      current = parent;
    }
    return depth;
  }

  /** The top-level instance (the application) a called instance belongs to; the instance itself when it is top-level. */
  private rootOf(row: InstanceRow): InstanceRow {
    let current = row;
    for (let depth = 0; current.parentInstanceId && depth < 32; depth++) {
      const parent = this.instances.get(current.parentInstanceId)?.row;
      if (!parent) break;
      current = parent;
    }
    return current;
  }
}

/**
 * What an instance's `instance-started` row records of its variables: a top-level instance's all (the
 * start form's); a called instance's only its call's inputs, and the names of the caller's variables
 * it started with: their values were the caller's, and a copy of them (the applicant's signed request
 * among them) in every called flow's start was most of its bytes (docs/performance.md). /engine-rest
 * dates those variables from the start.
 */
function startedWith(variables: Variables, inputs: Variables | undefined): { variables: Variables; inherited?: string[] } {
  if (!inputs) return { variables };
  return { variables: inputs, inherited: Object.keys(variables).filter((name) => !Object.hasOwn(inputs, name)) };
}
