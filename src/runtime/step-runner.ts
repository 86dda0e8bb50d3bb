import { EventEmitter } from 'node:events';
import { AppError } from '../api/errors';
import { BusinessError, HandlerRegistry, Variables } from '../handlers/registry';
import { createEngine, EngineExtension, SourceContext } from './engine-factory';
import { userVariables } from './variables';

/** What the host asks of one step: start a new execution, or resume a saved one and deliver a signal. */
export type StepCommand =
  | { kind: 'start'; variables: Variables }
  | { kind: 'signal'; engineState: string; activityId: string; executionId: string; variables: Variables };

export interface StepIdentity {
  instanceId: string;
  businessKey: string | null;
  processDefinitionKey: string;
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
    const inFlight = new Set<Promise<unknown>>();
    let failure: unknown;
    let lastEndEvent: string | null = null;

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
          execute: (_executionMessage: unknown, callback: (err: unknown, output?: unknown) => void) => {
            const registration = topic ? runner.options.handlers.get(topic) : undefined;
            if (!registration) {
              failure = new AppError(500, 'HANDLER_MISSING', `Service task "${activity.id}" names handler "${topic}", which is not registered`);
              callback(failure);
              return;
            }
            const work = registration
              .handler({
                ...identity,
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
                  failure = new AppError(
                    502,
                    'HANDLER_FAILED',
                    `Handler "${topic}" of service task "${activity.id}" failed: ${err instanceof Error ? err.message : String(err)}`,
                    { activityId: activity.id, handler: topic },
                  );
                  callback(failure);
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
    listener.on('flow.take', (api: any) => {
      events.push({ at: this.options.now(), type: 'flow-taken', activityId: api.id });
    });

    const engine = createEngine({ name: identity.instanceId, sourceContext, extensions });
    let engineError: unknown;
    engine.once('error', (err: unknown) => (engineError = err));

    if (command.kind === 'start') {
      await engine.execute({ listener, variables: command.variables } as any);
    } else {
      engine.recover(JSON.parse(command.engineState));
      await engine.resume({ listener } as any);
      const target = engine.execution?.getPostponed().find((a: any) => a.executionId === command.executionId || a.id === command.activityId);
      if (!target) {
        throw new AppError(409, 'NOT_WAITING', `Activity "${command.activityId}" of instance ${identity.instanceId} is not waiting`);
      }
      engine.execution!.signal({ id: command.activityId, executionId: command.executionId, variables: command.variables });
    }

    await this.settle(engine, inFlight);
    if (failure) throw failure;
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
    return { ended, engineState, variables: processVariables, active, outcome: ended ? lastEndEvent : null, events };
  }

  /** Waits until no handler is running and the engine is no longer executing. */
  private async settle(engine: any, inFlight: Set<Promise<unknown>>): Promise<void> {
    for (let rounds = 0; rounds < 10_000; rounds++) {
      if (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await new Promise((resolve) => setImmediate(resolve));
      if (inFlight.size === 0 && (engine.state !== 'running' || engine.activityStatus !== 'executing')) return;
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
