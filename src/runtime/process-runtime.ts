import { Clock } from '../clock';
import type { FormField } from '../definitions/model';
import { conflict, DomainError, notFound, validationFailed } from '../errors';
import { Variables } from '../handlers/registry';
import { assertMayActOnTask, assertMayRetry, assertMayStart, assertMayUnclaim, assignRefusal, delegateRefusal, mayDistributeTasks, resolveRefusal } from '../identity/access';
import { User } from '../identity/users';
import { IncidentRow, InstanceRow, InstanceState, TaskRow, TimerRow } from '../persistence/entities';
import { isUniqueViolation } from '../persistence/errors';
import { IncidentFilter, InstanceStore, TaskWithGroups } from '../persistence/instance-store';
import type { SignatureWrite } from '../persistence/unit-of-work';
import { SignaturesInStep } from './signatures-in-step';
import { caseYear, formatCaseNumber, givenCaseNumber } from './case-number';
import { deterministicId } from './deterministic-id';
import { validateChoices, validateVariables } from './form-validation';
import { historyRow } from './history';
import { KeyedMutex } from './keyed-mutex';
import { DefinitionSource, DueDateCalculator, GroupMembers, StepEngine } from './ports';
import { Step, WorkingInstance } from './step';
import { assignmentChange, delegationChange, HolderChange, holdersOf, resolutionChange } from './task-assignment';


export interface ProcessRuntimeOptions {
  store: InstanceStore;
  definitions: DefinitionSource;
  steps: StepEngine;
  clock: Clock;
  dueDates: DueDateCalculator;
  /** Who is in a group now: a users-of-group form field takes one of them. */
  groups: GroupMembers;
  /** Where a completion's signature is visible to the handlers of its own step (see SignaturesInStep). */
  signaturesInStep?: SignaturesInStep;
}

/** A completed task, with the state its instance is left in (the answer needs no second read). */
export type CompletedTask = TaskRow & { processInstanceState: InstanceState; outcome: string | null };

/** The actor recorded when the host's timer service advances an instance. */
const TIMER_USER: User = { id: 'timer-service', name: 'Timer service', groups: [] } as unknown as User;

/** The person's signature of a signing step's document: checked before the step completes, stored with it. */
export interface TaskSignature {
  /** Throws when the signature is refused; answers the signature to store and the history detail of the signed document. */
  check(task: TaskRow): Promise<{ signature: SignatureWrite; history: Record<string, unknown> }>;
}

/**
 * Where an instance moves: start, complete, claim, retry, a timer event. Each operation loads the
 * aggregate of the instance once, advances the engine(s) in memory (step.ts), and commits every
 * change in one unit of work. Engines live only for the duration of an operation: an idle
 * instance is a database row. One operation per instance at a time in this process (the revision
 * check covers other processes).
 */
export class ProcessRuntime {
  private readonly instanceLocks = new KeyedMutex();

  constructor(private readonly options: ProcessRuntimeOptions) {}

  /**
   * Starts an instance of the version of `key` in force today (definitions/in-force.ts), or of
   * exactly `options.definitionId` (a start by id). With an idempotency key (the client's
   * Idempotency-Key header) the instance id is derived from it: a repeated request, say after the
   * connection broke while the first one ran, returns the instance the first one made
   * (`replayed`), and one whose first attempt a crash discarded makes the same instance again, so
   * the external systems it called see the same request id twice, not two requests.
   */
  async start(key: string, input: { businessKey?: string | null; variables?: unknown }, user: User, options: { idempotencyKey?: string; definitionId?: string } = {}): Promise<InstanceRow & { replayed?: boolean }> {
    const definitionId = options.definitionId ?? (await this.options.definitions.inForce(key, this.options.clock.now())).id;
    const loaded = await this.options.definitions.load(definitionId);
    // Before anything else, the replay of an earlier start included: a refused start stores and calls nothing.
    assertMayStart(loaded.model, user);
    const problems = this.formProblems(loaded.model.startFormFields, input.variables);
    if (problems.length > 0) throw validationFailed(`Invalid start variables for "${key}"`, { fields: problems });
    const given = givenCaseNumber(input.businessKey);
    const id = options.idempotencyKey === undefined ? undefined : deterministicId('start', key, options.idempotencyKey);
    if (id) {
      const earlier = await this.options.store.instance(id);
      if (earlier) return this.replayedStart(earlier, given, user, options.idempotencyKey!);
    }
    // Before the step: a repeated case number calls no state system and stores nothing.
    if (given !== null) await this.assertCaseNumberFree(loaded.row.key, given);
    const businessKey = given ?? (await this.newCaseNumber(loaded.row.key));
    const step = this.step(user);
    const instance = await step.start(loaded, { id, businessKey, variables: (input.variables ?? {}) as Variables });
    try {
      await this.options.store.commit(step.uow);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // The same request, at the same moment, from another connection or server: it won.
      const earlier = id ? await this.options.store.instance(id) : null;
      if (earlier) return this.replayedStart(earlier, given, user, options.idempotencyKey!);
      // Another start took the case number meanwhile (the unique index said so).
      await this.assertCaseNumberFree(loaded.row.key, businessKey);
      throw error;
    }
    return instance.row;
  }

  /** 409 CASE_NUMBER_TAKEN naming the application that has the number in this reglament. */
  private async assertCaseNumberFree(processKey: string, businessKey: string): Promise<void> {
    const existing = await this.options.store.caseByNumber(processKey, businessKey);
    if (existing) {
      throw new DomainError('conflict', 'CASE_NUMBER_TAKEN', `Case number "${businessKey}" is already used in "${processKey}" by application ${existing.id}; give another number or none (one is then generated)`, {
        field: 'businessKey',
        businessKey,
        processDefinitionKey: processKey,
        instanceId: existing.id,
      });
    }
  }

  /** A generated case number; one typed by hand earlier in the same form is skipped. */
  private async newCaseNumber(processKey: string): Promise<string> {
    const year = caseYear(this.options.clock.now());
    for (let attempt = 0; ; attempt++) {
      const candidate = formatCaseNumber(processKey, year, await this.options.store.nextCaseSequence(processKey, year));
      if (attempt >= 20 || !(await this.options.store.caseByNumber(processKey, candidate))) return candidate;
    }
  }

  private replayedStart(earlier: InstanceRow, businessKey: string | null, user: User, idempotencyKey: string): InstanceRow & { replayed: boolean } {
    // A key names one request of one user; reused for something else it is a client error, not a replay.
    // A request that gave no case number matches the one generated for the first.
    if (earlier.startedBy !== user.id || (businessKey !== null && earlier.businessKey !== businessKey)) {
      throw conflict(`Idempotency-Key "${idempotencyKey}" was already used for another request (instance ${earlier.id}, business key ${earlier.businessKey ?? 'none'}); send a new key for a new application`);
    }
    return { ...earlier, replayed: true };
  }

  /**
   * Completes a task. A signing step (its `signs` property) is completed only with `signature`: the
   * check of the person's signature runs here, under the instance's lock and after every other
   * check; the signature and the step's `document-signed` history row are committed with the
   * completion.
   */
  async completeTask(taskId: string, variables: unknown, user: User, signature?: TaskSignature): Promise<CompletedTask> {
    const { task } = await this.taskOrThrow(taskId);
    return this.instanceLocks.run(task.processInstanceId, async () => {
      const aggregate = await this.options.store.aggregate(task.processInstanceId);
      // The task as it is now: among the instance's open tasks, or, when it left them meanwhile, read again for its state.
      const current = aggregate?.openTasks.find((t) => t.task.id === taskId) ?? (await this.taskOrThrow(taskId));
      assertMayActOnTask(user, current.task, current.groups);
      if (current.task.state !== 'open') throw conflict(`Task ${taskId} is already ${current.task.state}`);
      if (current.task.assignee && current.task.assignee !== user.id) throw conflict(`Task ${taskId} is claimed by ${current.task.assignee}`);
      // Camunda: a delegated task is resolved (back to its owner), not completed, by the delegate.
      if (current.task.delegationState === 'PENDING') throw new DomainError('conflict', 'TASK_DELEGATED', `Task ${taskId} was delegated by ${current.task.owner ?? 'nobody'}: the delegate resolves it, then its owner completes it`);
      if (!aggregate) throw notFound(`No process instance with id "${task.processInstanceId}"`);
      const step = this.step(user);
      const instance = this.running(step.include(aggregate));
      const loaded = await this.options.definitions.load(instance.row.definitionId);
      const form = loaded.model.userTasks.get(current.task.taskDefinitionKey);
      const problems = this.formProblems(form?.formFields ?? [], variables);
      if (problems.length > 0) throw validationFailed(`Invalid variables for task "${current.task.name ?? current.task.taskDefinitionKey}"`, { fields: problems });
      if (form?.signs && !signature) throw new DomainError('conflict', 'SIGNATURE_REQUIRED', `Step "${current.task.name ?? current.task.taskDefinitionKey}" is completed by signing its document with EDS (POST /api/tasks/${taskId}/sign), not by a form`);
      if (signature && !form?.signs) throw new DomainError('conflict', 'NOT_A_SIGNING_STEP', `Step "${current.task.name ?? current.task.taskDefinitionKey}" has no document to sign`);
      const signed = signature ? await signature.check(current.task) : undefined;

      const run = () => step.completeTask(instance, current, (variables ?? {}) as Variables);
      const completedAt = this.options.signaturesInStep ? await this.options.signaturesInStep.during(signed?.signature, run) : await run();
      if (signed) {
        // One transaction: the signature, the completion and its history row are stored together or not at all.
        step.uow.signatures.push(signed.signature);
        step.uow.history.push(historyRow(this.options.clock.now(), instance.row.id, 'document-signed', current.task.taskDefinitionKey, user.id, signed.history));
      }
      await this.options.store.commit(step.uow);
      return { ...current.task, state: 'completed', completedAt, completedBy: user.id, processInstanceState: instance.row.state, outcome: instance.row.outcome };
    });
  }

  async claim(taskId: string, user: User): Promise<TaskRow> {
    const { task, groups } = await this.taskOrThrow(taskId);
    assertMayActOnTask(user, task, groups);
    if (task.state !== 'open') throw conflict(`Task ${taskId} is already ${task.state}`);
    if (task.assignee === user.id) return task;
    if (task.assignee) throw conflict(`Task ${taskId} is already claimed by ${task.assignee}`);
    const claimed = await this.options.store.claimTask(taskId, user.id, historyRow(this.options.clock.now(), task.processInstanceId, 'task-claimed', task.taskDefinitionKey, user.id, { taskId }));
    if (!claimed) throw conflict(`Task ${taskId} was claimed or completed by someone else`);
    return { ...task, assignee: user.id };
  }

  async unclaim(taskId: string, user: User): Promise<TaskRow> {
    const { task, groups } = await this.taskOrThrow(taskId);
    assertMayActOnTask(user, task, groups);
    if (task.state !== 'open') throw conflict(`Task ${taskId} is already ${task.state}`);
    if (!task.assignee) return task;
    assertMayUnclaim(user, task);
    const released = await this.options.store.unclaimTask(taskId, task.assignee, historyRow(this.options.clock.now(), task.processInstanceId, 'task-unclaimed', task.taskDefinitionKey, user.id, { taskId }));
    if (!released) throw conflict(`Task ${taskId} changed meanwhile; reload it`);
    return { ...task, assignee: null };
  }

  /**
   * Gives an open task to `target` (nobody when null): an assignment, a reassignment or a head's take
   * back (identity/access assignRefusal says who may). With `expectedAssignee` (the holder the caller
   * saw) a task whose holder changed meanwhile is a 409; either way the store's compare-and-set lets
   * one of two reassignments at once win.
   */
  async assign(taskId: string, target: User | null, user: User, expectedAssignee?: string | null): Promise<TaskRow> {
    const { task, groups } = await this.openTaskOrThrow(taskId, expectedAssignee);
    const refusal = assignRefusal(user, task, groups, await this.distributes(user, task), target);
    if (refusal) throw refusal;
    return this.moveHolders(task, assignmentChange(task, target?.id ?? null, user.id), user);
  }

  /** Camunda's delegateTask: the owner stays, `target` holds the task (PENDING) until they resolve it. */
  async delegate(taskId: string, target: User, user: User, expectedAssignee?: string | null): Promise<TaskRow> {
    const { task, groups } = await this.openTaskOrThrow(taskId, expectedAssignee);
    const refusal = delegateRefusal(user, task, groups, await this.distributes(user, task), target);
    if (refusal) throw refusal;
    return this.moveHolders(task, delegationChange(task, target.id), user);
  }

  /** Camunda's resolveTask: the delegate hands the task back to its owner (RESOLVED). */
  async resolve(taskId: string, user: User): Promise<TaskRow> {
    const { task } = await this.openTaskOrThrow(taskId);
    const refusal = resolveRefusal(user, task);
    if (refusal) throw refusal;
    return this.moveHolders(task, resolutionChange(task), user);
  }

  private async openTaskOrThrow(taskId: string, expectedAssignee?: string | null): Promise<TaskWithGroups> {
    const found = await this.taskOrThrow(taskId);
    if (found.task.state !== 'open') throw conflict(`Task ${taskId} is already ${found.task.state}`);
    if (expectedAssignee !== undefined && found.task.assignee !== expectedAssignee) throw conflict(`Task ${taskId} is now held by ${found.task.assignee ?? 'nobody'}, not ${expectedAssignee ?? 'nobody'}`);
    return found;
  }

  /** Whether the user hands out the work of the task's reglament (an admin, or a head of it). */
  private async distributes(user: User, task: TaskRow): Promise<boolean> {
    const model = (await this.options.definitions.load(task.definitionId)).model;
    return mayDistributeTasks(user, [...model.userTasks.values()].flatMap((t) => t.candidateGroups));
  }

  private async moveHolders(task: TaskRow, change: HolderChange | null, user: User): Promise<TaskRow> {
    if (!change) return task;
    const history = historyRow(this.options.clock.now(), task.processInstanceId, change.type, task.taskDefinitionKey, user.id, change.data);
    if (!(await this.options.store.moveHolders(task.id, holdersOf(task), change.next, history))) throw conflict(`Task ${task.id} changed meanwhile; reload it`);
    return { ...task, ...change.next };
  }

  /** An admin retries the failed service task of an instance with an open incident. */
  async retry(instanceId: string, user: User): Promise<{ resolved: boolean; incidents: IncidentRow[]; instance: InstanceRow }> {
    assertMayRetry(user);
    return this.instanceLocks.run(instanceId, async () => {
      const step = this.step(user);
      const instance = await this.loadRunning(step, instanceId);
      if (instance.openIncidents.length === 0) throw conflict(`Process instance ${instanceId} has no open incident to retry`);
      step.record(instanceId, 'incident-retried');
      await step.resume(instance);
      await this.options.store.commit(step.uow);
      return { resolved: instance.openIncidents.length === 0, incidents: instance.openIncidents, instance: instance.row };
    });
  }

  /** The host's timer of a waiting timer event is due (the scheduler holds its lease): the instance moves on. */
  async fireTimer(timer: TimerRow): Promise<void> {
    await this.instanceLocks.run(timer.processInstanceId, async () => {
      const step = this.step(TIMER_USER);
      const instance = await this.loadRunning(step, timer.processInstanceId);
      await step.fireTimer(instance, timer);
      await this.options.store.commit(step.uow);
    });
  }

  /**
   * An operation of a worker on one of the instance's external tasks (runtime/external-tasks.ts), a
   * step like any other: under the instance's lock, on its aggregate loaded once, committed once.
   */
  async externalTaskStep<T>(instanceId: string, user: User, act: (step: Step, instance: WorkingInstance) => Promise<T>): Promise<T> {
    return this.instanceLocks.run(instanceId, async () => {
      const step = this.step(user);
      const instance = await this.loadRunning(step, instanceId);
      const result = await act(step, instance);
      await this.options.store.commit(step.uow);
      return result;
    });
  }

  openIncidents(instanceId: string): Promise<IncidentRow[]> {
    return this.options.store.incidents({ processInstanceId: instanceId, open: true });
  }

  listIncidents(filter: IncidentFilter): Promise<IncidentRow[]> {
    return this.options.store.incidents(filter);
  }

  /** The form's rules, then each users-of-group choice against the group as it is now. */
  private formProblems(fields: readonly FormField[], variables: unknown) {
    const problems = validateVariables(fields, variables);
    const checked = new Set(problems.map((p) => p.field));
    return [...problems, ...validateChoices(fields, variables, (group) => this.options.groups.members(group)).filter((p) => !checked.has(p.field))];
  }

  private step(user: User): Step {
    const { store, definitions, steps, clock, dueDates } = this.options;
    return new Step({ store, definitions, engine: steps, clock, dueDates }, user);
  }

  private async taskOrThrow(taskId: string): Promise<TaskWithGroups> {
    const found = await this.options.store.task(taskId);
    if (!found) throw notFound(`No task with id "${taskId}"`);
    return found;
  }

  private async loadRunning(step: Step, instanceId: string): Promise<WorkingInstance> {
    const aggregate = await this.options.store.aggregate(instanceId);
    if (!aggregate) throw notFound(`No process instance with id "${instanceId}"`);
    return this.running(step.include(aggregate));
  }

  private running(instance: WorkingInstance): WorkingInstance {
    instance.assertRunning();
    return instance;
  }
}
