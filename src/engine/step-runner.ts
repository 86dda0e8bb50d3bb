import { EventEmitter } from 'node:events';
import { DomainError } from '../errors';
import { HandlerRegistry, SignedDocuments } from '../handlers/registry';
import { EngineCache } from './engine-cache';
import { createEngine } from './engine-factory';
import { postponedActivities, processVariables, snapshotOf, stateWithoutSource } from './engine-state';
import { serviceHandlers } from './handler-bridge';
import { deliver, settle } from './run-loop';
import { isStackOverflow, newRunScope, RunScope } from './run-scope';
import { RunawayGuard } from './runaway-guard';
import { SourceContext } from './source-context';
import { StepCommand, StepIdentity, StepObserver, StepOutcome, StepTelemetry } from './step';
import { createStepListener } from './step-listener';
import { assignTaskVariables } from './task-variables';

export type { ActiveActivity, ArmedTimer, ExternalResult, ExternalWait, StepCommand, StepEnd, StepEvent, StepIdentity, StepIncident, StepObserver, StepOutcome, StepTelemetry } from './step';
export { DEFAULT_STEP_MAX_TRANSITIONS, DEFAULT_STEP_TIMEOUT_MS } from './runaway-guard';

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
  /** Told of every step that produced an outcome (the tests record BPMN coverage with it). */
  onStep?: StepObserver;
  /** Told when each step starts and how it ends (the host's metrics and logs). */
  telemetry?: StepTelemetry;
  /** EXTERNAL_TASK_TOPICS: service tasks of these topics wait for external workers instead of running their handler. */
  externalTopics?: ReadonlySet<string>;
  /** The documents people signed, as handlers read them (result.form delivers the authorised person's). */
  signedDocuments?: SignedDocuments;
}

/** An engine of one instance, with the listener and run it reports to. */
interface LiveEngine {
  engine: any;
  listener: EventEmitter;
  sourceContext: SourceContext;
  scope: RunScope;
  /** The saved state this engine is at (what its last step stored). */
  engineState: string;
}

/**
 * Runs one instance for one step in memory: from a start or a delivered signal until every
 * remaining branch waits for the host (a user task, a call activity) or the execution ends.
 * Service handlers run inside the step; nothing is written here, the caller stores the outcome
 * in one transaction. If the step fails, the caller stores nothing and the instance stays where
 * it was.
 */
export class StepRunner {
  private readonly cache: EngineCache<LiveEngine>;
  private readonly guard: RunawayGuard;

  constructor(private readonly options: StepRunnerOptions) {
    this.cache = new EngineCache({ size: options.engineCacheSize ?? 100, idleMs: options.engineCacheIdleMs ?? 30_000, release });
    this.guard = new RunawayGuard(options.maxTransitions, options.timeoutMs);
  }

  /** Lets go of every kept engine (the host is closing). */
  clear(): Promise<void> {
    return this.cache.clear();
  }

  /** How many engines are kept now (for tests and diagnostics). */
  get keptEngines(): number {
    return this.cache.size;
  }

  async run(identity: StepIdentity, sourceContext: SourceContext, command: StepCommand): Promise<StepOutcome> {
    const ended = this.options.telemetry?.stepStarted(identity, { kind: command.kind, activityId: 'activityId' in command ? command.activityId : undefined });
    let outcome: StepOutcome;
    try {
      outcome = await this.step(identity, sourceContext, command);
    } catch (error) {
      ended?.({ outcome: 'failed', code: error instanceof DomainError ? error.code : 'INTERNAL' });
      throw error;
    }
    ended?.(outcome.incident ? { outcome: 'incident', incidentActivityId: outcome.incident.activityId } : outcome.ended ? { outcome: 'ended', endEvent: outcome.outcome } : { outcome: 'waiting' });
    this.options.onStep?.(identity.processDefinitionKey, outcome.events);
    return outcome;
  }

  private async step(identity: StepIdentity, sourceContext: SourceContext, command: StepCommand): Promise<StepOutcome> {
    const scope = newRunScope(identity);
    if (command.kind === 'external') scope.delivery = { executionId: command.executionId, result: command.result, taken: false };
    const startedAt = Date.now();
    this.cache.evictIdle();
    let live =
      command.kind === 'start' || command.kind === 'resume' || command.kind === 'external'
        ? undefined
        : this.cache.checkOut(identity.instanceId, (kept) => kept.sourceContext === sourceContext && kept.engineState === command.engineState);
    const recovered = !live;
    live ??= this.createLive(identity.instanceId, sourceContext, scope);
    live.scope = scope;
    const { engine } = live;

    try {
      scope.entered++;
      await deliver(engine, live.listener, command, recovered, identity.instanceId);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_WAITING') {
        await release(live);
        throw error;
      }
      // A loop aborted from the listener, or one deep enough to overflow the stack first.
      if (!scope.failure && isStackOverflow(error)) scope.failure = this.guard.failure(scope, 'stack');
      if (!scope.failure) {
        await release(live);
        throw error;
      }
    } finally {
      scope.entered--;
    }

    try {
      if (!scope.failure) await settle(engine, scope, startedAt, this.guard);
    } catch (error) {
      await release(live);
      throw error;
    }
    if (!scope.failure && isStackOverflow(scope.engineError)) scope.failure = this.guard.failure(scope, 'stack');
    if (scope.failure) {
      // The engine may be in the middle of a broken chain (stop() would never settle): let it go.
      abandon(live);
      throw scope.failure;
    }
    if (scope.incident) {
      const { snapshot: at, activityId, handler, message } = scope.incident;
      // The engine went past the failed task; it is abandoned, the instance waits at the snapshot.
      await release(live);
      return {
        ended: false,
        engineState: JSON.stringify(at.state),
        variables: at.variables,
        active: at.active,
        outcome: null,
        events: scope.events.slice(0, at.eventCount),
        timers: scope.timers.slice(0, at.timerCount),
        externalWaits: [...scope.externalWaits.values()],
        incident: { activityId, handler, message },
      };
    }
    if (scope.engineError) {
      await release(live);
      const message = scope.engineError instanceof Error ? scope.engineError.message : String(scope.engineError);
      throw new DomainError('unprocessable', 'ENGINE_ERROR', `The process failed in the engine: ${message}`);
    }

    if (scope.delivery && !scope.delivery.taken) {
      await release(live);
      throw new DomainError('conflict', 'NOT_WAITING', `Service task "${command.kind === 'external' ? command.activityId : ''}" of instance ${identity.instanceId} does not wait for a worker`);
    }
    const ended = engine.state !== 'running';
    const variables = processVariables(engine);
    const active = ended ? [] : postponedActivities(engine);
    let engineState: string | null = null;
    if (!ended) {
      engineState = JSON.stringify(await stateWithoutSource(engine));
      live.engineState = engineState;
      this.cache.keep(identity.instanceId, live);
    }
    return { ended, engineState, variables, active, outcome: ended ? scope.lastEndEvent : null, events: scope.events, timers: scope.timers, externalWaits: [...scope.externalWaits.values()] };
  }

  /** A new engine whose extensions and listener report to whatever run uses it (`live.scope`). */
  private createLive(instanceId: string, sourceContext: SourceContext, scope: RunScope): LiveEngine {
    const live = { scope, sourceContext, engineState: '' } as LiveEngine;
    const scopeNow = () => live.scope;
    const now = () => this.options.now();
    live.listener = createStepListener(scopeNow, this.guard, now);
    live.engine = createEngine({
      name: instanceId,
      sourceContext,
      extensions: {
        assignTaskVariables,
        serviceHandlers: serviceHandlers({ handlers: this.options.handlers, now, scope: scopeNow, snapshot: () => snapshotOf(live.engine, live.scope), guard: this.guard, externalTopics: this.options.externalTopics, signedDocuments: this.options.signedDocuments }),
      },
      onScriptRefused: (error) => (live.scope.failure ??= new DomainError('unprocessable', 'SCRIPT_REFUSED', `${error.message}; nothing was stored`, { elementId: error.elementId })),
    });
    live.engine.on('error', (err: unknown) => (live.scope.engineError = err));
    return live;
  }
}

/** stop() resolves on the engine's stop event, which an ended execution never emits. */
async function release(live: LiveEngine): Promise<void> {
  if (live.engine.state === 'running') await live.engine.stop();
}

/** Lets go of an engine without waiting for it: after an abort its chain may never settle. */
function abandon(live: LiveEngine): void {
  live.listener.removeAllListeners();
  live.engine.removeAllListeners?.('error');
  live.engine.on?.('error', () => undefined);
}
