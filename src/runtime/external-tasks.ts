import { EventEmitter } from 'node:events';
import { Clock } from '../clock';
import type { ExternalResult } from '../engine/step';
import { DomainError } from '../errors';
import { HandlerRegistry, Variables } from '../handlers/registry';
import { User } from '../identity/users';
import type { HistoryRow } from '../persistence/entities';
import type { ExternalTaskRow } from '../persistence/external-task-entity';
import type { ExternalTaskFilter } from '../persistence/external-task-store';
import type { UnitOfWork } from '../persistence/unit-of-work';
import { historyRow } from './history';
import type { ProcessRuntime } from './process-runtime';

/** Where external tasks are read and locked (persistence/external-task-store.ts). */
export interface ExternalTaskStore {
  externalTask(id: string): Promise<ExternalTaskRow | null>;
  fetchable(topics: readonly string[], now: string, usePriority: boolean, limit: number): Promise<ExternalTaskRow[]>;
  nextRelease(topics: readonly string[], now: string): Promise<string | null>;
  lock(id: string, workerId: string, now: string, until: string): Promise<boolean>;
  changeHeld(id: string, workerId: string | null, patch: Partial<ExternalTaskRow>, history: HistoryRow | null, notExpiredAt?: string): Promise<boolean>;
  externalTasks(filter: ExternalTaskFilter, page: { firstResult: number; maxResults: number }): Promise<ExternalTaskRow[]>;
  externalTaskCount(filter: ExternalTaskFilter): Promise<number>;
}

/** One topic of a fetch: Camunda's FetchExternalTaskTopicDto, the part this server reads. */
export interface TopicFetch {
  topicName: string;
  lockDuration: number;
  businessKey?: string;
  processDefinitionKey?: string;
  processDefinitionKeyIn?: string[];
  processDefinitionId?: string;
  processDefinitionIdIn?: string[];
}

export interface FetchRequest {
  workerId: string;
  maxTasks: number;
  usePriority: boolean;
  topics: TopicFetch[];
  /** Long polling: wait this long (ms) for a task when none is free now. */
  asyncResponseTimeout?: number;
}

/** How often a waiting fetch looks again for tasks another server process made free (this one wakes it at once). */
const RECHECK_MS = 1000;

export const notFoundExternal = (id: string) => new DomainError('not-found', 'EXTERNAL_TASK_NOT_FOUND', `Cannot find external task with id ${id}`);
/** Camunda's BadUserRequestException of a worker acting on a task it does not hold. */
const notHolder = (what: string, task: ExternalTaskRow) => new DomainError('conflict', 'EXTERNAL_TASK_NOT_HELD', `${what}. It is locked by worker '${task.workerId ?? 'null'}'.`);
const badRequest = (message: string) => new DomainError('conflict', 'EXTERNAL_TASK_BAD_REQUEST', message);

/**
 * External tasks (Camunda 7): a service task whose topic is in EXTERNAL_TASK_TOPICS waits for a
 * worker. Workers fetch and lock tasks, then complete them (one step of the instance, with only the
 * variables the topic's handler declares it produces), report a failure (retries; none left is an
 * incident), throw a BPMN error (caught by the diagram, else an incident), extend or give up a lock.
 */
export class ExternalTasks {
  private readonly wake = new EventEmitter();
  private stopped = false;
  /** Fetches waiting for a task now (long polls), for diagnostics and tests. */
  waiting = 0;

  constructor(
    private readonly options: {
      store: ExternalTaskStore;
      runtime: ProcessRuntime;
      handlers: HandlerRegistry;
      clock: Clock;
      topics: ReadonlySet<string>;
    },
  ) {
    this.wake.setMaxListeners(0);
  }

  /** The server is closing: waiting fetches answer now (with what they hold, usually nothing), new ones do not wait. */
  stop(): void {
    this.stopped = true;
    this.wake.emit('tasks');
  }

  get topics(): ReadonlySet<string> {
    return this.options.topics;
  }

  /** Told of every committed unit of work: one that made or freed external tasks wakes waiting fetches. */
  committed(uow: UnitOfWork): void {
    if (uow.newExternalTasks.length > 0 || uow.externalTaskTransitions.some((t) => t.patch.retries === null)) this.wake.emit('tasks');
  }

  get(id: string): Promise<ExternalTaskRow | null> {
    return this.options.store.externalTask(id);
  }

  list(filter: Omit<ExternalTaskFilter, 'now'>, page: { firstResult: number; maxResults: number }): Promise<ExternalTaskRow[]> {
    return this.options.store.externalTasks({ ...filter, now: this.now() }, page);
  }

  count(filter: Omit<ExternalTaskFilter, 'now'>): Promise<number> {
    return this.options.store.externalTaskCount({ ...filter, now: this.now() });
  }

  /** Locks up to maxTasks free tasks of the topics; with asyncResponseTimeout waits for one until then (or until `aborted`). */
  async fetchAndLock(request: FetchRequest, aborted?: AbortSignal): Promise<ExternalTaskRow[]> {
    const deadline = Date.now() + (request.asyncResponseTimeout ?? 0);
    const topics = request.topics.filter((t) => this.options.topics.has(t.topicName));
    for (;;) {
      const locked = await this.lockFree(request, topics);
      const left = deadline - Date.now();
      if (locked.length > 0 || left <= 0 || aborted?.aborted || request.maxTasks === 0 || this.stopped) return locked;
      const release = await this.options.store.nextRelease(topics.map((t) => t.topicName), this.now());
      const untilRelease = release ? Math.max(0, Date.parse(release) - this.options.clock.now().getTime()) : Infinity;
      this.waiting++;
      try {
        await this.sleep(Math.min(left, RECHECK_MS, untilRelease + 1), aborted);
      } finally {
        this.waiting--;
      }
    }
  }

  private sleep(ms: number, aborted?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake.off('tasks', done);
        aborted?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake.on('tasks', done);
      aborted?.addEventListener('abort', done);
    });
  }

  private async lockFree(request: FetchRequest, topics: TopicFetch[]): Promise<ExternalTaskRow[]> {
    if (topics.length === 0 || request.maxTasks === 0) return [];
    const now = this.options.clock.now();
    const byTopic = new Map(topics.map((t) => [t.topicName, t]));
    const candidates = await this.options.store.fetchable([...byTopic.keys()], now.toISOString(), request.usePriority, request.maxTasks * 4 + 20);
    const locked: ExternalTaskRow[] = [];
    for (const task of candidates) {
      if (locked.length >= request.maxTasks) break;
      const topic = byTopic.get(task.topicName)!;
      if (!matches(task, topic)) continue;
      const until = new Date(now.getTime() + topic.lockDuration).toISOString();
      // Another worker (or server) may take it between the read and here: then it is not ours.
      if (await this.options.store.lock(task.id, request.workerId, now.toISOString(), until)) locked.push({ ...task, workerId: request.workerId, lockExpirationTime: until });
    }
    return locked;
  }

  /** The worker holding the lock completes the task: one step of the instance with the variables it produced. */
  async complete(id: string, workerId: string, variables: Variables, user: User): Promise<void> {
    const task = await this.held(id, workerId, `External Task ${id} cannot be completed by worker '${workerId}'`);
    this.assertProduced(task, variables);
    await this.step(task, user, async (step, instance) => {
      const current = this.openIn(instance.openExternalTasks, id, workerId, `External Task ${id} cannot be completed by worker '${workerId}'`);
      await step.reportExternal(instance, current, { kind: 'complete', variables, workerId });
    });
  }

  /** A BPMN error: the diagram routes it (an error boundary event); one it does not catch is an incident. */
  async bpmnError(id: string, workerId: string, error: { code: string; message: string | null; variables: Variables }, user: User): Promise<void> {
    const what = `Bpmn error of External Task ${id} cannot be reported by worker '${workerId}'`;
    const task = await this.held(id, workerId, what);
    this.assertProduced(task, error.variables);
    const result: ExternalResult = { kind: 'bpmnError', code: error.code, message: error.message ?? error.code, variables: error.variables, workerId };
    try {
      await this.step(task, user, async (step, instance) => {
        await step.reportExternal(instance, this.openIn(instance.openExternalTasks, id, workerId, what), result);
      });
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'ENGINE_ERROR')) throw err;
      // Nothing of the failed step was stored; the task waits as before, now as an incident.
      await this.step(task, user, async (step, instance) => {
        const current = this.openIn(instance.openExternalTasks, id, workerId, what);
        step.externalIncident(instance, current, { workerId, message: `BPMN error "${error.code}" (${result.kind === 'bpmnError' ? result.message : ''}) of worker ${workerId} is not caught by the diagram at "${task.activityId}"`, details: null });
      });
    }
  }

  /** A failure: retries left make the task fetchable again after retryTimeout; none left is an incident. */
  async failure(id: string, workerId: string, report: { errorMessage: string | null; errorDetails: string | null; retries: number; retryTimeout: number }, user: User): Promise<void> {
    const what = `Failure of External Task ${id} cannot be reported by worker '${workerId}'`;
    const task = await this.held(id, workerId, what);
    const now = this.options.clock.now();
    const lockExpirationTime = new Date(now.getTime() + report.retryTimeout).toISOString();
    const message = report.errorMessage ?? `Worker ${workerId} reported a failure`;
    if (report.retries > 0) {
      const history = historyRow(now, task.processInstanceId, 'external-task-failed', task.activityId, user.id, { externalTaskId: id, workerId, message, retries: report.retries, retryTimeout: report.retryTimeout });
      if (!(await this.options.store.changeHeld(id, workerId, { retries: report.retries, errorMessage: report.errorMessage, errorDetails: report.errorDetails, lockExpirationTime }, history))) throw await this.gone(id, what);
      return;
    }
    await this.step(task, user, async (step, instance) => {
      const current = this.openIn(instance.openExternalTasks, id, workerId, what);
      step.externalIncident(instance, current, { workerId, message, details: report.errorDetails, lockExpirationTime });
    });
  }

  async extendLock(id: string, workerId: string, newDuration: number): Promise<void> {
    const what = `The lock of the External Task ${id} cannot be extended by worker '${workerId}'`;
    const task = await this.held(id, workerId, what);
    const now = this.options.clock.now();
    if (!task.lockExpirationTime || task.lockExpirationTime < now.toISOString()) throw badRequest('Cannot extend a lock that expired');
    const until = new Date(now.getTime() + newDuration).toISOString();
    if (!(await this.options.store.changeHeld(id, workerId, { lockExpirationTime: until }, null, now.toISOString()))) throw await this.gone(id, what);
  }

  /** Camunda's lock of one task by id: refused only while another worker's lock still runs. */
  async lock(id: string, workerId: string, lockDuration: number): Promise<void> {
    const task = await this.open(id);
    const now = this.options.clock.now();
    if (task.workerId && task.workerId !== workerId && task.lockExpirationTime && task.lockExpirationTime >= now.toISOString()) throw notHolder(`External Task ${id} cannot be locked by worker '${workerId}'`, task);
    const until = new Date(now.getTime() + lockDuration).toISOString();
    if (!(await this.options.store.changeHeld(id, task.workerId, { workerId, lockExpirationTime: until }, null))) throw badRequest(`External Task ${id} changed meanwhile; try again`);
  }

  /** Frees the task for any worker (Camunda's unlock asks no worker id). */
  async unlock(id: string, user: User): Promise<void> {
    const task = await this.open(id);
    const history = historyRow(this.options.clock.now(), task.processInstanceId, 'external-task-unlocked', task.activityId, user.id, { externalTaskId: id, workerId: task.workerId });
    if (!(await this.options.store.changeHeld(id, null, { workerId: null, lockExpirationTime: null }, history))) throw notFoundExternal(id);
    this.wake.emit('tasks');
  }

  /**
   * One step of the task's instance. A report that lost the race to another one for the same task
   * (the instance moved on or ended meanwhile) is told the task is gone, as a late report is.
   */
  private async step(task: ExternalTaskRow, user: User, act: Parameters<ProcessRuntime['externalTaskStep']>[2]): Promise<void> {
    try {
      await this.options.runtime.externalTaskStep(task.processInstanceId, user, act);
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'conflict' && err.code !== 'EXTERNAL_TASK_NOT_HELD') {
        const now = await this.options.store.externalTask(task.id);
        if (!now || now.state !== 'open') throw notFoundExternal(task.id);
      }
      throw err;
    }
  }

  private now(): string {
    return this.options.clock.now().toISOString();
  }

  private async open(id: string): Promise<ExternalTaskRow> {
    const task = await this.options.store.externalTask(id);
    if (!task || task.state !== 'open') throw notFoundExternal(id);
    return task;
  }

  private async held(id: string, workerId: string, what: string): Promise<ExternalTaskRow> {
    const task = await this.open(id);
    if (task.workerId !== workerId) throw notHolder(what, task);
    return task;
  }

  /** The task among the instance's open ones as the step loaded them, still held by the worker. */
  private openIn(open: readonly ExternalTaskRow[], id: string, workerId: string, what: string): ExternalTaskRow {
    const task = open.find((t) => t.id === id);
    if (!task) throw notFoundExternal(id);
    if (task.workerId !== workerId) throw notHolder(what, task);
    return task;
  }

  private async gone(id: string, what: string): Promise<DomainError> {
    const task = await this.options.store.externalTask(id);
    return !task || task.state !== 'open' ? notFoundExternal(id) : notHolder(what, task);
  }

  /** The procedure is the law: a worker sets only what the topic's handler declares it produces. */
  private assertProduced(task: ExternalTaskRow, variables: Variables): void {
    const produces = this.options.handlers.get(task.topicName)?.produces ?? [];
    const undeclared = Object.keys(variables).filter((name) => !produces.includes(name));
    if (undeclared.length > 0) {
      throw new DomainError('invalid', 'UNDECLARED_VARIABLES', `Topic "${task.topicName}" produces only ${produces.join(', ') || 'no variables'}; a worker may not set ${undeclared.join(', ')}; nothing was stored`, { fields: undeclared.map((field) => ({ field, message: 'not produced by this topic' })) });
    }
  }
}

function matches(task: ExternalTaskRow, topic: TopicFetch): boolean {
  if (topic.businessKey !== undefined && task.businessKey !== topic.businessKey) return false;
  if (topic.processDefinitionKey !== undefined && task.processDefinitionKey !== topic.processDefinitionKey) return false;
  if (topic.processDefinitionKeyIn && !topic.processDefinitionKeyIn.includes(task.processDefinitionKey)) return false;
  if (topic.processDefinitionId !== undefined && task.definitionId !== topic.processDefinitionId) return false;
  if (topic.processDefinitionIdIn && !topic.processDefinitionIdIn.includes(task.definitionId)) return false;
  return true;
}
