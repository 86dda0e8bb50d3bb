import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppError, conflict, forbidden, notFound, validationFailed } from '../api/errors';
import { DefinitionService, LoadedDefinition } from '../definitions/definition-service';
import { Variables } from '../handlers/registry';
import { User } from '../identity/users';
import { HistoryRow, InstanceEntity, InstanceRow, TaskEntity, TaskGroupEntity, TaskRow } from '../persistence/entities';
import { Clock } from './clock';
import { validateVariables } from './form-validation';
import { KeyedMutex } from './keyed-mutex';
import { StepCommand, StepOutcome, StepRunner } from './step-runner';
import { UnitOfWork } from './unit-of-work';

/** Computes a task's due date from its creation time and the diagram's time limit. */
export interface DueDateCalculator {
  due(created: Date, timeLimit: string): Date;
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
  private readonly writeLock = new KeyedMutex();

  constructor(private readonly options: ProcessRuntimeOptions) {}

  async start(key: string, input: { businessKey?: string | null; variables?: unknown }, user: User): Promise<InstanceRow> {
    const definition = await this.options.definitions.latest(key);
    const loaded = await this.options.definitions.load(definition.id);
    const problems = validateVariables(loaded.model.startFormFields, input.variables);
    if (problems.length > 0) throw validationFailed(`Invalid start variables for "${key}"`, { fields: problems });
    const uow = new UnitOfWork();
    const instance = await this.startInstance(uow, loaded, { businessKey: input.businessKey ?? null, variables: (input.variables ?? {}) as Variables, user });
    await this.commit(uow);
    return instance.row;
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
    await this.writeLock.run('db', () =>
      this.options.dataSource.transaction(async (manager) => {
        const result = await manager
          .createQueryBuilder()
          .update(TaskEntity)
          .set({ assignee: user.id })
          .where("id = :id AND state = 'open' AND assignee IS NULL", { id: taskId })
          .execute();
        if (!result.affected) throw conflict(`Task ${taskId} was claimed or completed by someone else`);
        await manager.insert('History', this.historyRow(task.processInstanceId, 'task-claimed', task.taskDefinitionKey, task.name, user.id, { taskId }));
      }),
    );
    return { ...task, assignee: user.id };
  }

  async unclaim(taskId: string, user: User): Promise<TaskRow> {
    const task = await this.taskOrThrow(taskId);
    await this.assertMayAct(task, user);
    if (task.state !== 'open') throw conflict(`Task ${taskId} is already ${task.state}`);
    if (!task.assignee) return task;
    if (task.assignee !== user.id && !isAdmin(user)) throw conflict(`Task ${taskId} is claimed by ${task.assignee}; only they or an admin can unclaim it`);
    await this.writeLock.run('db', () =>
      this.options.dataSource.transaction(async (manager) => {
        const result = await manager
          .createQueryBuilder()
          .update(TaskEntity)
          .set({ assignee: null })
          .where("id = :id AND state = 'open' AND assignee = :assignee", { id: taskId, assignee: task.assignee })
          .execute();
        if (!result.affected) throw conflict(`Task ${taskId} changed meanwhile; reload it`);
        await manager.insert('History', this.historyRow(task.processInstanceId, 'task-unclaimed', task.taskDefinitionKey, task.name, user.id, { taskId }));
      }),
    );
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
    input: { businessKey: string | null; variables: Variables; user: User; parent?: { instanceId: string; activityId: string; executionId: string } },
  ): Promise<TrackedInstance> {
    const now = this.options.clock.now().toISOString();
    const row: InstanceRow = {
      id: randomUUID(),
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
    const outcome = await this.options.steps.run({ instanceId: row.id, businessKey: row.businessKey, processDefinitionKey: row.processDefinitionKey }, loaded.sourceContext, command);
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
    await this.syncTasks(uow, tracked, outcome, completingTaskId);

    if (outcome.ended) {
      uow.history.push(this.historyRow(row.id, 'instance-completed', outcome.outcome, outcome.outcome ? loaded.model.endEvents.get(outcome.outcome)?.name ?? null : null, null, { outcome: outcome.outcome }));
      if (row.parentInstanceId) await this.resumeParent(uow, updated, outcome.variables, user);
      return;
    }
    for (const activity of outcome.active.filter((a) => a.type === 'bpmn:CallActivity')) {
      if (await this.childExists(uow, row.id, activity.executionId)) continue;
      const calledKey = loaded.model.callActivities.get(activity.id)?.calledElement;
      if (!calledKey) throw new AppError(422, 'CALL_ACTIVITY_WITHOUT_TARGET', `Call activity "${activity.id}" names no called process`);
      const calledDefinition = await this.options.definitions.latest(calledKey);
      const calledLoaded = await this.options.definitions.load(calledDefinition.id);
      uow.history.push(this.historyRow(row.id, 'call-started', activity.id, activity.name ?? null, null, { calledElement: calledKey }));
      await this.startInstance(uow, calledLoaded, {
        businessKey: row.businessKey,
        variables: JSON.parse(tracked.row.variables),
        user,
        parent: { instanceId: row.id, activityId: activity.id, executionId: activity.executionId },
      });
    }
  }

  /** A called process ended: its variables flow back and the caller's call activity completes. */
  private async resumeParent(uow: UnitOfWork, child: InstanceRow, variables: Variables, user: User): Promise<void> {
    const parent = await this.loadInstance(child.parentInstanceId!, uow);
    uow.history.push(this.historyRow(parent.row.id, 'call-completed', child.parentActivityId, null, null, { childInstanceId: child.id, outcome: child.outcome }));
    await this.advance(uow, parent, {
      kind: 'signal',
      engineState: parent.row.engineState!,
      activityId: child.parentActivityId!,
      executionId: child.parentExecutionId!,
      variables,
    }, user);
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
        due: timeLimit ? this.options.dueDates.due(created, timeLimit).toISOString() : null,
        timeLimit,
        priority: 50,
        state: 'open',
        completedAt: null,
        completedBy: null,
      };
      uow.newTasks.push({ row: task, groups: model?.candidateGroups ?? [] });
      uow.history.push(this.historyRow(row.id, 'task-created', activity.id, task.name, null, { taskId: task.id, candidateGroups: model?.candidateGroups ?? [], due: task.due, timeLimit }));
    }
    const stillWaiting = new Set(waiting.map((a) => a.executionId));
    for (const task of open) {
      if (task.id === completingTaskId || stillWaiting.has(task.executionId)) continue;
      uow.taskTransitions.push({ id: task.id, expectedState: 'open', patch: { state: 'cancelled', completedAt: created.toISOString() } });
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

  /** sqlite has one writer; serialising commits in-process avoids nested-transaction errors. */
  private commit(uow: UnitOfWork): Promise<void> {
    return this.writeLock.run('db', () => uow.commit(this.options.dataSource));
  }
}
