import { EventEmitter } from 'node:events';
import { AppError } from '../api/errors';
import { BusinessError, HandlerRegistry, Variables } from '../handlers/registry';
import { createEngine, EngineExtension, SourceContext } from './engine-factory';
import { userVariables } from './variables';

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
  constructor(private readonly options: StepRunnerOptions) {}

  async run(identity: StepIdentity, sourceContext: SourceContext, command: StepCommand): Promise<StepOutcome> {
    const events: StepEvent[] = [];
    const timers: ArmedTimer[] = [];
    const inFlight = new Set<Promise<unknown>>();
    let failure: unknown;
    let incident: { snapshot: Snapshot; activityId: string; handler: string; message: string } | undefined;
    let lastEndEvent: string | null = null;
    let engineRef: any;
    const snapshot = (): Snapshot => ({
      state: engineRef.execution.getState(),
      active: (engineRef.execution.getPostponed() ?? []).map((a: any) => ({ id: a.id, name: a.name, type: a.type, executionId: a.executionId })),
      variables: this.processVariables(engineRef),
      eventCount: events.length,
      timerCount: timers.length,
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
        const runner = this; // eslint-disable-line @typescript-eslint/no-this-alias
        activity.behaviour.Service = function HandlerService() {
          return {
          type: 'reglament:handler',
          execute: (executionMessage: any, callback: (err: unknown, output?: unknown) => void) => {
            const registration = topic ? runner.options.handlers.get(topic) : undefined;
            if (!registration) {
              failure = new AppError(500, 'HANDLER_MISSING', `Service task "${activity.id}" names handler "${topic}", which is not registered`);
              callback(failure);
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
            const work = registration
              .handler({
                instanceId: identity.instanceId,
                businessKey: identity.businessKey,
                processDefinitionKey: identity.processDefinitionKey,
                startedBy: identity.startedBy ?? null,
                rootProcessDefinitionKey: identity.rootProcessDefinitionKey ?? identity.processDefinitionKey,
                properties: identity.serviceProperties?.get(activity.id) ?? {},
                activityId: activity.id,
                activityName: activity.name,
                variables: userVariables(activity.environment.variables),
                now: runner.options.now(),
              })
              .then(
                (output) => {
                  const produced = output ?? {};
                  Object.assign(activity.environment.variables, produced);
                  events.push({ at: runner.options.now(), type: 'service-completed', activityId: activity.id, activityName: activity.name, data: { handler: topic, output: produced } });
                  callback(null, produced);
                },
                (err: unknown) => {
                  if (err instanceof BusinessError) {
                    Object.assign(activity.environment.variables, err.variables, { lastErrorCode: err.code, lastErrorMessage: err.message });
                    events.push({ at: runner.options.now(), type: 'business-error', activityId: activity.id, activityName: activity.name, data: { handler: topic, code: err.code, message: err.message } });
                    const bpmnError = Object.assign(new Error(err.message), { code: err.code, name: 'BusinessError' });
                    callback(bpmnError);
                    return;
                  }
                  if (!incident) {
                    incident = { snapshot: standing(), activityId: activity.id, handler: topic ?? '', message: err instanceof Error ? err.message : String(err) };
                  }
                  // The engine is abandoned after this step; nothing it does from here on is kept.
                  callback(Object.assign(new Error(incident.message), { name: 'HandlerFailure' }));
                },
              );
            inFlight.add(work);
            void work.finally(() => inFlight.delete(work));
          },
          };
        };
      },
    };

    const listener = new EventEmitter();
    listener.on('activity.end', (api: any) => {
      events.push({ at: this.options.now(), type: 'activity-end', activityId: api.id, activityName: api.name, data: { type: api.type } });
      if (api.type === 'bpmn:EndEvent') lastEndEvent = api.id;
    });
    listener.on('activity.timer', (api: any) => {
      const content = api.content ?? {};
      timers.push({
        activityId: api.id,
        executionId: content.parent?.executionId ?? api.executionId,
        timerType: content.timerType,
        ...(typeof content.timeDuration === 'string' ? { timeDuration: content.timeDuration } : {}),
        ...(content.expireAt ? { expireAt: new Date(content.expireAt) } : {}),
      });
    });
    listener.on('flow.take', (api: any) => {
      events.push({ at: this.options.now(), type: 'flow-taken', activityId: api.id });
    });

    const engine = createEngine({ name: identity.instanceId, sourceContext, extensions });
    engineRef = engine;
    let engineError: unknown;
    engine.once('error', (err: unknown) => (engineError = err));

    if (command.kind === 'start') {
      await engine.execute({ listener, variables: command.variables } as any);
    } else if (command.kind === 'resume') {
      engine.recover(JSON.parse(command.engineState));
      await engine.resume({ listener } as any);
    } else {
      engine.recover(JSON.parse(command.engineState));
      await engine.resume({ listener } as any);
      const target = engine.execution?.getPostponed().find((a: any) => a.executionId === command.executionId || a.id === command.activityId);
      if (!target && command.kind !== 'timer') {
        throw new AppError(409, 'NOT_WAITING', `Activity "${command.activityId}" of instance ${identity.instanceId} is not waiting`);
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

    await this.settle(engine, inFlight, () => events.length + timers.length);
    if (failure) throw failure;
    if (incident) {
      const { snapshot: at } = incident;
      for (const definition of at.state.definitions ?? []) delete definition.source;
      if (engine.state === 'running') await engine.stop();
      return {
        ended: false,
        engineState: JSON.stringify(at.state),
        variables: at.variables,
        active: at.active,
        outcome: null,
        events: events.slice(0, at.eventCount),
        timers: timers.slice(0, at.timerCount),
        incident: { activityId: incident.activityId, handler: incident.handler, message: incident.message },
      };
    }
    if (engineError) {
      const message = engineError instanceof Error ? engineError.message : String(engineError);
      throw new AppError(422, 'ENGINE_ERROR', `The process failed in the engine: ${message}`);
    }

    const ended = engine.state !== 'running';
    const processVariables = this.processVariables(engine);
    const active: ActiveActivity[] = ended
      ? []
      : (engine.execution?.getPostponed() ?? []).map((a: any) => ({ id: a.id, name: a.name, type: a.type, executionId: a.executionId }));
    let engineState: string | null = null;
    if (!ended) {
      const state: any = await engine.getState();
      // The definition source is stored once per deployed version, not once per instance.
      for (const definition of state.definitions ?? []) delete definition.source;
      engineState = JSON.stringify(state);
    }
    // stop() resolves on the engine's stop event, which an ended execution never emits.
    if (!ended) await engine.stop();
    return { ended, engineState, variables: processVariables, active, outcome: ended ? lastEndEvent : null, events, timers };
  }

  /** Waits until no handler is running and the engine is no longer executing. */
  private async settle(engine: any, inFlight: Set<Promise<unknown>>, progress: () => number): Promise<void> {
    const quiet = () => inFlight.size === 0 && (engine.state !== 'running' || engine.activityStatus !== 'executing');
    for (let rounds = 0; rounds < 10_000; rounds++) {
      if (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await new Promise((resolve) => setImmediate(resolve));
      if (!quiet()) continue;
      // Quiet once is not enough: part of bpmn-elements' work (e.g. routing an error to a boundary
      // event) may still be queued behind a timer tick. Settled means still quiet, with no new
      // event, after one more macrotask.
      const seen = progress();
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (quiet() && progress() === seen) return;
    }
    throw new AppError(500, 'ENGINE_STALLED', 'The engine kept executing without reaching a wait state');
  }

  private processVariables(engine: any): Variables {
    const definition = engine.execution?.definitions?.[0];
    const processes = definition?.getProcesses?.() ?? [];
    const merged: Variables = {};
    for (const process of processes) Object.assign(merged, userVariables(process.environment?.variables));
    return merged;
  }
}
