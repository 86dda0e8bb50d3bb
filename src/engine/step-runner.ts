import { EventEmitter } from 'node:events';
import { DomainError } from '../errors';
import { BusinessError, HandlerRegistry, Variables } from '../handlers/registry';
import { createEngine, EngineExtension, SourceContext } from './engine-factory';
import { timerValueProblem, TimerType } from '../calendar/timer-values';
import { userVariables } from '../runtime/variables';

/** What the host asks of one step: start a new execution, or resume a saved one and deliver a signal. */
export type StepCommand =
  | { kind: 'start'; variables: Variables }
  /** Resume a saved execution as it is: a service task that was executing runs again (retry of an incident). */
  | { kind: 'resume'; engineState: string }
  | { kind: 'signal'; engineState: string; activityId: string; executionId: string; variables: Variables }
  /** A called process ended at an error end event: the call activity throws that BPMN error. */
  | { kind: 'error'; engineState: string; activityId: string; executionId: string; variables: Variables; code: string; message: string }
  /** The host's timer for a waiting timer event is due: the event fires. */
  | { kind: 'timer'; engineState: string; activityId: string; executionId: string };

export interface StepIdentity {
  instanceId: string;
  businessKey: string | null;
  processDefinitionKey: string;
  startedBy?: string | null;
  /** The reglament a called flow serves (its own key for a top-level instance). */
  rootProcessDefinitionKey?: string;
  /** The application (top-level instance) a called flow serves; its own id for a top-level instance. */
  rootInstanceId?: string;
  /** `camunda:property` values of service tasks by element id, handed to their handlers. */
  serviceProperties?: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/** A timer event that now waits; the host stores it and fires it when due. */
export interface ArmedTimer {
  activityId: string;
  /** Execution id of the waiting event activity (what getPostponed lists). */
  executionId: string;
  timerType: string;
  /** The resolved ISO 8601 duration, for timeDuration timers. */
  timeDuration?: string;
  /** The engine's expiry, used for timeDate timers (an absolute date). */
  expireAt?: Date;
}

export interface ActiveActivity {
  id: string;
  name?: string;
  type: string;
  executionId: string;
}

export interface StepEvent {
  at: Date;
  type: 'activity-end' | 'flow-taken' | 'service-completed' | 'business-error';
  activityId: string;
  activityName?: string;
  data?: Record<string, unknown>;
}

export interface StepOutcome {
  ended: boolean;
  /** Saved engine state without the definition source; null once the execution has ended. */
  engineState: string | null;
  variables: Variables;
  active: ActiveActivity[];
  /** Id of the last end event reached, when the execution ended. */
  outcome: string | null;
  events: StepEvent[];
  timers: ArmedTimer[];
  /**
   * A handler failed technically (its system unreachable, a timeout): the outcome is the execution
   * as it was when that service task began, so that a retry runs the handler again.
   */
  incident?: { activityId: string; handler: string; message: string };
}

interface Snapshot {
  state: any;
  active: ActiveActivity[];
  variables: Variables;
  eventCount: number;
  timerCount: number;
}

export interface StepRunnerOptions {
  handlers: HandlerRegistry;
  now: () => Date;
  /**
   * Engines kept after a step, ready for the instance's next step (at most this many; 0 keeps none).
   * A kept engine is used only when the state the next step starts from is exactly the one it
   * produced, so it never stands in for a state another operation or server process stored.
   */
  engineCacheSize?: number;
  /** A kept engine unused for this long is let go (ms): idle instances hold no engine. */
  engineCacheIdleMs?: number;
  /**
   * STEP_MAX_TRANSITIONS: activities started plus sequence flows taken in one step before it is
   * aborted as a loop that never waits (default 500; the largest step of the 13 reglaments takes 21).
   * bpmn-elements takes about half a millisecond per transition, and a loop of plain tasks and
   * gateways runs them without yielding: the bound is also how long such a loop holds the event loop.
   */
  maxTransitions?: number;
  /** STEP_TIMEOUT_MS: a step that has not reached a wait state after this long is aborted (default 60000; handlers call external systems with retries). */
  timeoutMs?: number;
}

export const DEFAULT_STEP_MAX_TRANSITIONS = 500;
export const DEFAULT_STEP_TIMEOUT_MS = 60_000;

/** What one run collects; a kept engine's listeners and handlers report to the run using it now. */
interface RunScope {
  identity: StepIdentity;
  events: StepEvent[];
  timers: ArmedTimer[];
  inFlight: Set<Promise<unknown>>;
  failure?: unknown;
  incident?: { snapshot: Snapshot; activityId: string; handler: string; message: string };
  lastEndEvent: string | null;
  engineError?: unknown;
  /** Activities started and flows taken in this step, and how often each element was. */
  transitions: number;
  taken: Map<string, number>;
  /** Handlers running now, by service task id (named when the step runs out of time). */
  running: Map<Promise<unknown>, string>;
  /** >0 while the host is inside a synchronous call into the engine, where aborting by throwing is caught. */
  entered: number;
}

/** Thrown from the engine's listener to break a loop that never yields; the run's failure says why. */
class StepAborted extends Error {
  constructor() {
    super('The step was aborted');
    this.name = 'StepAborted';
  }
}

const isStackOverflow = (error: unknown) => error instanceof RangeError && /call stack/i.test(error.message);

interface LiveEngine {
  engine: any;
  listener: EventEmitter;
  sourceContext: SourceContext;
  scope: RunScope;
  /** The saved state this engine is at (what its last step stored). */
  engineState: string;
  lastUsed: number;
}

const ACTIVITY_TYPES_WAITING_FOR_HOST = new Set(['bpmn:UserTask', 'bpmn:CallActivity', 'bpmn:ManualTask', 'bpmn:ReceiveTask']);

/**
 * Runs one instance for one step in memory: from a start or a delivered signal until every
 * remaining branch waits for the host (a user task, a call activity) or the execution ends.
 * Service handlers run inside the step; nothing is written here, the caller stores the outcome
 * in one transaction. If the step fails, the caller stores nothing and the instance stays where
 * it was.
 */
export class StepRunner {
  private readonly kept = new Map<string, LiveEngine>();
  private readonly cacheSize: number;
  private readonly cacheIdleMs: number;
  private readonly maxTransitions: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: StepRunnerOptions) {
    this.cacheSize = options.engineCacheSize ?? 100;
    this.cacheIdleMs = options.engineCacheIdleMs ?? 30_000;
    this.maxTransitions = options.maxTransitions ?? DEFAULT_STEP_MAX_TRANSITIONS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  }

  /** Lets go of every kept engine (the host is closing). */
  async clear(): Promise<void> {
    const engines = [...this.kept.values()];
    this.kept.clear();
    await Promise.all(engines.map((live) => this.release(live)));
  }

  /** How many engines are kept now (for tests and diagnostics). */
  get keptEngines(): number {
    return this.kept.size;
  }

  async run(identity: StepIdentity, sourceContext: SourceContext, command: StepCommand): Promise<StepOutcome> {
    const scope: RunScope = { identity, events: [], timers: [], inFlight: new Set(), lastEndEvent: null, transitions: 0, taken: new Map(), running: new Map(), entered: 0 };
    const startedAt = Date.now();
    this.evictIdle();
    let live = command.kind === 'start' || command.kind === 'resume' ? undefined : this.checkOut(identity.instanceId, sourceContext, command.engineState);
    const recovered = !live;
    live ??= this.createLive(identity.instanceId, sourceContext, scope);
    live.scope = scope;
    const { engine } = live;
    const { events, timers } = scope;

    try {
      scope.entered++;
      await this.deliver(live, command, recovered);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_WAITING') throw error;
      // A loop aborted from the listener, or one deep enough to overflow the stack first.
      if (!scope.failure && isStackOverflow(error)) scope.failure = this.runaway(scope, 'stack');
      if (!scope.failure) {
        await this.release(live);
        throw error;
      }
    } finally {
      scope.entered--;
    }

    try {
      if (!scope.failure) await this.settle(engine, scope, startedAt, () => events.length + timers.length);
    } catch (error) {
      await this.release(live);
      throw error;
    }
    if (!scope.failure && isStackOverflow(scope.engineError)) scope.failure = this.runaway(scope, 'stack');
    if (scope.failure) {
      // The engine may be in the middle of a broken chain (stop() would never settle): let it go.
      this.abandon(live);
      throw scope.failure;
    }
    if (scope.incident) {
      const { snapshot: at } = scope.incident;
      // The engine went past the failed task; it is abandoned, the instance waits at the snapshot.
      await this.release(live);
      return {
        ended: false,
        engineState: JSON.stringify(at.state),
        variables: at.variables,
        active: at.active,
        outcome: null,
        events: events.slice(0, at.eventCount),
        timers: timers.slice(0, at.timerCount),
        incident: { activityId: scope.incident.activityId, handler: scope.incident.handler, message: scope.incident.message },
      };
    }
    if (scope.engineError) {
      await this.release(live);
      const message = scope.engineError instanceof Error ? scope.engineError.message : String(scope.engineError);
      throw new DomainError('unprocessable', 'ENGINE_ERROR', `The process failed in the engine: ${message}`);
    }

    const ended = engine.state !== 'running';
    const processVariables = this.processVariables(engine);
    const active: ActiveActivity[] = ended
      ? []
      : (engine.execution?.getPostponed() ?? []).map((a: any) => ({ id: a.id, name: a.name, type: a.type, executionId: a.executionId }));
    let engineState: string | null = null;
    if (!ended) {
      engineState = JSON.stringify(await stateWithoutSource(engine));
      this.keep(identity.instanceId, live, engineState);
    }
    return { ended, engineState, variables: processVariables, active, outcome: ended ? scope.lastEndEvent : null, events, timers };
  }

  /** Starts, resumes or signals the engine as the command says; the engine runs on synchronously from here. */
  private async deliver(live: LiveEngine, command: StepCommand, recovered: boolean): Promise<void> {
    const { engine, listener } = live;
    if (command.kind === 'start') {
      await engine.execute({ listener, variables: command.variables } as any);
      return;
    }
    if (command.kind === 'resume') {
      engine.recover(JSON.parse(command.engineState));
      await engine.resume({ listener } as any);
      return;
    }
    if (recovered) {
      engine.recover(JSON.parse(command.engineState));
      await engine.resume({ listener } as any);
    }
    const target = engine.execution?.getPostponed().find((a: any) => a.executionId === command.executionId || a.id === command.activityId);
    if (!target && command.kind !== 'timer') {
      await this.release(live);
      throw new DomainError('conflict', 'NOT_WAITING', `Activity "${command.activityId}" of instance ${live.scope.identity.instanceId} is not waiting`);
    }
    if (command.kind === 'timer' && !target) {
      // bpmn-elements completes a timer whose expiry (by the real time) passed while the
      // instance was resumed: the event already fired in this step, as the host's row said it should.
    } else if (command.kind === 'signal') {
      engine.execution!.signal({ id: command.activityId, executionId: command.executionId, variables: command.variables });
    } else if (command.kind === 'error') {
      // The child's variables come back before the error is routed, as with a normal end.
      for (const process of engine.execution?.definitions?.[0]?.getProcesses?.() ?? []) Object.assign(process.environment.variables, command.variables);
      target!.sendApiMessage('error', { message: command.message, code: command.code, name: 'BpmnError' });
    } else {
      // Cancelling a timer event completes it: the event fires (bpmn-elements TimerEventDefinition).
      // Addressed by element id: the timer definition listens on its own sub-execution id, not the event's.
      engine.execution!.cancelActivity({ id: command.activityId });
    }
  }

  /**
   * Counts one activity start or flow taken. Past the bound the step is a loop that never waits: the
   * run fails, and inside a synchronous call into the engine (where a loop of plain tasks and
   * gateways recurses without yielding) the throw unwinds the engine's chain.
   */
  private countTransition(scope: RunScope, id: string): void {
    scope.transitions++;
    scope.taken.set(id, (scope.taken.get(id) ?? 0) + 1);
    if (scope.transitions <= this.maxTransitions) return;
    scope.failure ??= this.runaway(scope, 'transitions');
    if (scope.entered > 0) throw new StepAborted();
  }

  /** The 422 of a step that reached no wait state; it names the elements taken most often, in the order first taken. */
  private runaway(scope: RunScope, why: 'transitions' | 'stack' | 'time'): DomainError {
    const most = Math.max(0, ...scope.taken.values());
    const loop = [...scope.taken].filter(([, count]) => most > 1 && count * 2 >= most).map(([id]) => id);
    const shown = loop.length > 12 ? [...loop.slice(0, 12), '...'] : loop;
    const through = shown.length > 0 ? `; it loops through ${shown.join(' -> ')}` : '';
    if (why === 'time') {
      const running = [...new Set(scope.running.values())];
      const still = running.length > 0 ? `; still running: ${running.map((id) => `"${id}"`).join(', ')}` : '';
      return new DomainError('unprocessable',
        'STEP_RUNAWAY',
        `The step reached no wait state within ${this.timeoutMs} ms (STEP_TIMEOUT_MS), after ${scope.transitions} transitions${through}${still}; nothing was stored`,
        { transitions: scope.transitions, loop, running },
      );
    }
    const bound = why === 'stack' ? 'before the engine ran out of stack' : `(at most ${this.maxTransitions}, STEP_MAX_TRANSITIONS)`;
    return new DomainError('unprocessable',
      'STEP_RUNAWAY',
      `The step took ${scope.transitions} transitions without reaching a wait state ${bound}${through}; nothing was stored`,
      { transitions: scope.transitions, loop },
    );
  }

  /** Checks what a timer event resolved to; a timer that would fire at once or for ever fails the step. */
  private checkTimer(scope: RunScope, activityId: string, content: Record<string, unknown>): void {
    for (const type of ['timeDuration', 'timeDate', 'timeCycle'] as TimerType[]) {
      if (!(type in content)) continue;
      const problem = content.repeat === -1 && type === 'timeCycle' ? `Timer cycle "${String(content[type])}" repeats without end` : timerValueProblem(type, content[type]);
      if (problem) {
        scope.failure ??= new DomainError('unprocessable', 'INVALID_TIMER', `Timer event "${activityId}": ${problem}; nothing was stored`, { activityId, [type]: content[type] });
        return;
      }
    }
  }

  /** Lets go of an engine without waiting for it: after an abort its chain may never settle. */
  private abandon(live: LiveEngine): void {
    live.listener.removeAllListeners();
    live.engine.removeAllListeners?.('error');
    live.engine.on?.('error', () => undefined);
  }

  /** The kept engine of an instance if it is at exactly `engineState`; it is taken out while a run uses it. */
  private checkOut(instanceId: string, sourceContext: SourceContext, engineState: string): LiveEngine | undefined {
    const live = this.kept.get(instanceId);
    if (!live) return undefined;
    this.kept.delete(instanceId);
    if (live.sourceContext === sourceContext && live.engineState === engineState) return live;
    void this.release(live);
    return undefined;
  }

  private keep(instanceId: string, live: LiveEngine, engineState: string): void {
    if (this.cacheSize <= 0) {
      void this.release(live);
      return;
    }
    live.engineState = engineState;
    live.lastUsed = Date.now();
    const previous = this.kept.get(instanceId);
    if (previous && previous !== live) void this.release(previous);
    this.kept.delete(instanceId);
    this.kept.set(instanceId, live);
    // Least recently used first (a Map keeps insertion order).
    for (const [id, oldest] of this.kept) {
      if (this.kept.size <= this.cacheSize) break;
      this.kept.delete(id);
      void this.release(oldest);
    }
  }

  private evictIdle(): void {
    const limit = Date.now() - this.cacheIdleMs;
    for (const [id, live] of this.kept) {
      if (live.lastUsed > limit) break;
      this.kept.delete(id);
      void this.release(live);
    }
  }

  /** stop() resolves on the engine's stop event, which an ended execution never emits. */
  private async release(live: LiveEngine): Promise<void> {
    if (live.engine.state === 'running') await live.engine.stop();
  }

  /** A new engine whose extensions and listener report to whatever run uses it (`live.scope`). */
  private createLive(instanceId: string, sourceContext: SourceContext, scope: RunScope): LiveEngine {
    const runner = this; // eslint-disable-line @typescript-eslint/no-this-alias
    const live = { scope, sourceContext, engineState: '', lastUsed: Date.now() } as LiveEngine;
    const snapshot = (): Snapshot => ({
      state: executionStateWithoutSource(live.engine),
      active: (live.engine.execution.getPostponed() ?? []).map((a: any) => ({ id: a.id, name: a.name, type: a.type, executionId: a.executionId })),
      variables: this.processVariables(live.engine),
      eventCount: live.scope.events.length,
      timerCount: live.scope.timers.length,
    });

    const extensions: Record<string, EngineExtension> = {
      assignTaskVariables: (activity) => {
        if (!ACTIVITY_TYPES_WAITING_FOR_HOST.has(activity.type)) return;
        // The signal that completes a user task (or resumes a call activity) carries the
        // variables; they become process variables before the outgoing flows are evaluated.
        activity.on('end', (api: any) => {
          const assigned = api.content?.output?.variables;
          if (assigned && typeof assigned === 'object') Object.assign(activity.environment.variables, assigned);
        });
      },
      serviceHandlers: (activity) => {
        if (activity.type !== 'bpmn:ServiceTask') return;
        const topic: string | undefined = activity.behaviour?.topic;
        // bpmn-elements instantiates the Service with `new`, so it must be a constructor function.
        activity.behaviour.Service = function HandlerService() {
          return {
            type: 'reglament:handler',
            execute: (executionMessage: any, callback: (err: unknown, output?: unknown) => void) => {
              const run = live.scope;
              const registration = topic ? runner.options.handlers.get(topic) : undefined;
              if (!registration) {
                run.failure = new DomainError('internal', 'HANDLER_MISSING', `Service task "${activity.id}" names handler "${topic}", which is not registered`);
                callback(run.failure);
                return;
              }
              // Where the instance waits if the handler fails technically: the execution as it stands
              // while this task still executes. Taken only then (before the engine hears of the
              // failure), not before every handler: getState() serialises the whole execution.
              const standing = (): Snapshot => {
                const at = snapshot();
                // The executing service task is not among the postponed (waiting) activities; it is where the instance stands.
                if (!at.active.some((a) => a.id === activity.id)) {
                  at.active.push({ id: activity.id, name: activity.name, type: activity.type, executionId: executionMessage?.content?.executionId ?? activity.id });
                }
                return at;
              };
              const { identity } = run;
              let settled!: () => void;
              const delivered = new Promise<void>((resolve) => (settled = resolve));
              // The engine hears of the handler's result in a later macrotask, not in the promise's
              // microtask: a loop of service tasks would otherwise never let the event loop run (other
              // requests, this step's time guard). Once the step has failed, the engine hears nothing.
              const resume = (deliver: () => void) =>
                setImmediate(() => {
                  try {
                    if (run.failure) return;
                    run.entered++;
                    try {
                      deliver();
                    } finally {
                      run.entered--;
                    }
                  } catch (error) {
                    if (isStackOverflow(error)) run.failure ??= runner.runaway(run, 'stack');
                    else if (!(error instanceof StepAborted)) run.failure ??= error;
                  } finally {
                    settled();
                  }
                });
              let work: Promise<Variables | void>;
              try {
                work = registration.handler({
                  instanceId: identity.instanceId,
                  businessKey: identity.businessKey,
                  processDefinitionKey: identity.processDefinitionKey,
                  startedBy: identity.startedBy ?? null,
                  rootProcessDefinitionKey: identity.rootProcessDefinitionKey ?? identity.processDefinitionKey,
                  rootInstanceId: identity.rootInstanceId ?? identity.instanceId,
                  properties: identity.serviceProperties?.get(activity.id) ?? {},
                  activityId: activity.id,
                  activityName: activity.name,
                  variables: userVariables(activity.environment.variables),
                  now: runner.options.now(),
                });
              } catch (error) {
                work = Promise.reject(error);
              }
              work.then(
                (output) =>
                  resume(() => {
                    const produced = output ?? {};
                    Object.assign(activity.environment.variables, produced);
                    run.events.push({ at: runner.options.now(), type: 'service-completed', activityId: activity.id, activityName: activity.name, data: { handler: topic, output: produced } });
                    callback(null, produced);
                  }),
                (err: unknown) =>
                  resume(() => {
                    if (err instanceof BusinessError) {
                      Object.assign(activity.environment.variables, err.variables, { lastErrorCode: err.code, lastErrorMessage: err.message });
                      run.events.push({ at: runner.options.now(), type: 'business-error', activityId: activity.id, activityName: activity.name, data: { handler: topic, code: err.code, message: err.message } });
                      const bpmnError = Object.assign(new Error(err.message), { code: err.code, name: 'BusinessError' });
                      callback(bpmnError);
                      return;
                    }
                    if (!run.incident) {
                      run.incident = { snapshot: standing(), activityId: activity.id, handler: topic ?? '', message: err instanceof Error ? err.message : String(err) };
                    }
                    // The engine is abandoned after this step; nothing it does from here on is kept.
                    callback(Object.assign(new Error(run.incident.message), { name: 'HandlerFailure' }));
                  }),
              );
              run.inFlight.add(delivered);
              run.running.set(delivered, activity.id);
              void delivered.finally(() => {
                run.inFlight.delete(delivered);
                run.running.delete(delivered);
              });
            },
          };
        };
      },
    };

    const listener = new EventEmitter();
    listener.on('activity.end', (api: any) => {
      live.scope.events.push({ at: this.options.now(), type: 'activity-end', activityId: api.id, activityName: api.name, data: { type: api.type } });
      if (api.type === 'bpmn:EndEvent') live.scope.lastEndEvent = api.id;
    });
    listener.on('activity.start', (api: any) => this.countTransition(live.scope, api.id));
    listener.on('activity.timer', (api: any) => {
      const content = api.content ?? {};
      this.checkTimer(live.scope, api.id, content);
      live.scope.timers.push({
        activityId: api.id,
        executionId: content.parent?.executionId ?? api.executionId,
        timerType: content.timerType,
        ...(typeof content.timeDuration === 'string' ? { timeDuration: content.timeDuration } : {}),
        ...(content.expireAt ? { expireAt: new Date(content.expireAt) } : {}),
      });
    });
    listener.on('flow.take', (api: any) => {
      live.scope.events.push({ at: this.options.now(), type: 'flow-taken', activityId: api.id });
      this.countTransition(live.scope, api.id);
    });

    const engine = createEngine({
      name: instanceId,
      sourceContext,
      extensions,
      onScriptRefused: (error) => (live.scope.failure ??= new DomainError('unprocessable', 'SCRIPT_REFUSED', `${error.message}; nothing was stored`, { elementId: error.elementId })),
    });
    engine.on('error', (err: unknown) => (live.scope.engineError = err));
    live.engine = engine;
    live.listener = listener;
    return live;
  }

  /**
   * Waits until no handler is running and the engine is no longer executing, or until the run fails
   * (an abort, a refused script) or runs out of time (STEP_TIMEOUT_MS, a 422 that names what still runs).
   */
  private async settle(engine: any, scope: RunScope, startedAt: number, progress: () => number): Promise<void> {
    const { inFlight } = scope;
    const quiet = () => inFlight.size === 0 && (engine.state !== 'running' || engine.activityStatus !== 'executing');
    const deadline = startedAt + this.timeoutMs;
    let idleRounds = 0;
    while (!scope.failure) {
      if (Date.now() >= deadline) {
        scope.failure = this.runaway(scope, 'time');
        return;
      }
      const before = progress();
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]);
        clearTimeout(timer);
        continue;
      }
      await new Promise((resolve) => setImmediate(resolve));
      if (!quiet()) {
        // Executing with nothing in flight and nothing happening: the engine is stuck, not looping.
        idleRounds = progress() === before ? idleRounds + 1 : 0;
        if (idleRounds >= 10_000) throw new DomainError('internal', 'ENGINE_STALLED', 'The engine kept executing without reaching a wait state');
        continue;
      }
      // Quiet once is not enough: part of bpmn-elements' work (e.g. routing an error to a boundary
      // event) may still be queued behind a timer tick. Settled means still quiet, with no new
      // event, after one more macrotask.
      const seen = progress();
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (quiet() && progress() === seen) return;
    }
  }

  private processVariables(engine: any): Variables {
    const definition = engine.execution?.definitions?.[0];
    const processes = definition?.getProcesses?.() ?? [];
    const merged: Variables = {};
    for (const process of processes) Object.assign(merged, userVariables(process.environment?.variables));
    return merged;
  }
}

/** bpmn-engine's version as its states record it; read from the first full getState() of the process. */
let engineVersion: string | undefined;

/**
 * The engine's saved state without the definition source. bpmn-engine's getState() serialises the
 * whole definition into every state (`source`), which the host stores once per deployed version and
 * gives back on recovery; building the state from the execution's parts skips that serialisation
 * (a tenth of a step in the profile, docs/performance.md). Same shape as getState() minus `source`.
 */
async function stateWithoutSource(engine: any): Promise<any> {
  if (engineVersion === undefined) {
    const full: any = await engine.getState();
    engineVersion = full.engineVersion;
    for (const definition of full.definitions ?? []) delete definition.source;
    return full;
  }
  return executionStateWithoutSource(engine);
}

function executionStateWithoutSource(engine: any): any {
  const execution = engine.execution;
  return {
    name: engine.name,
    state: execution.state,
    stopped: execution.stopped,
    engineVersion,
    environment: execution.environment.getState(),
    definitions: execution.definitions.map((definition: any) => definition.getState()),
  };
}
