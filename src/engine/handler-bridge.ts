import { DomainError } from '../errors';
import { BusinessError, HandlerRegistry, SignedDocuments, Variables } from '../handlers/registry';
import { userVariables } from './process-variables';
import { EngineExtension } from './engine-factory';
import { isStackOverflow, RunScope, Snapshot, StepAborted } from './run-scope';
import { RunawayGuard } from './runaway-guard';

export interface HandlerBridgeParts {
  handlers: HandlerRegistry;
  now: () => Date;
  /** The run the engine works for now (a kept engine serves its instance's steps in turn). */
  scope: () => RunScope;
  /** The execution as it stands now (taken only when a handler fails). */
  snapshot: () => Snapshot;
  guard: RunawayGuard;
  /** Topics served by external workers (EXTERNAL_TASK_TOPICS): their service tasks wait instead of calling the handler. */
  externalTopics?: ReadonlySet<string>;
  /** The host's port to the documents people signed, handed to every handler. */
  signedDocuments?: SignedDocuments;
}

/**
 * The engine extension that makes every service task call its handler from the registry (by the
 * task's `camunda:topic`). The engine hears of the result in a later macrotask; a business error
 * becomes a BPMN error the diagram routes; a technical failure becomes the run's incident, with the
 * execution as it stood when the task began, so a retry runs the handler again.
 */
export function serviceHandlers(parts: HandlerBridgeParts): EngineExtension {
  return (activity) => {
    if (activity.type !== 'bpmn:ServiceTask') return;
    const topic: string | undefined = activity.behaviour?.topic;
    // bpmn-elements instantiates the Service with `new`, so it must be a constructor function.
    activity.behaviour.Service = function HandlerService() {
      return {
        type: 'reglament:handler',
        execute: (executionMessage: any, callback: (err: unknown, output?: unknown) => void) => callHandler(parts, activity, topic, executionMessage, callback),
      };
    };
  };
}

function callHandler(parts: HandlerBridgeParts, activity: any, topic: string | undefined, executionMessage: any, callback: (err: unknown, output?: unknown) => void): void {
  const run = parts.scope();
  const registration = topic ? parts.handlers.get(topic) : undefined;
  if (!registration) {
    run.failure = new DomainError('internal', 'HANDLER_MISSING', `Service task "${activity.id}" names handler "${topic}", which is not registered`);
    callback(run.failure);
    return;
  }
  // Where the instance waits if the handler fails technically: the execution as it stands while
  // this task still executes. Taken only then (before the engine hears of the failure), not before
  // every handler: getState() serialises the whole execution.
  const standing = (): Snapshot => {
    const at = parts.snapshot();
    // The executing service task is not among the postponed (waiting) activities; it is where the instance stands.
    if (!at.active.some((a) => a.id === activity.id)) {
      at.active.push({ id: activity.id, name: activity.name, type: activity.type, executionId: executionMessage?.content?.executionId ?? activity.id });
    }
    return at;
  };
  const { identity } = run;
  const executionId: string = executionMessage?.content?.executionId ?? activity.id;
  let external: Promise<Variables | void> | undefined;
  if (topic && parts.externalTopics?.has(topic)) {
    const delivery = run.delivery;
    if (!delivery || delivery.executionId !== executionId || delivery.taken) {
      // No callback: the task stays executing, the step settles with it waiting for a worker.
      run.externalWaits.set(executionId, { activityId: activity.id, executionId, topic, variables: userVariables(activity.environment.variables) });
      return;
    }
    delivery.taken = true;
    const { result } = delivery;
    // The worker's report takes the handler's place, and goes the same way into the engine.
    external = result.kind === 'complete' ? Promise.resolve(result.variables) : Promise.reject(new BusinessError(result.code, result.message, result.variables));
  }
  let settled!: () => void;
  const delivered = new Promise<void>((resolve) => (settled = resolve));
  // The engine hears of the handler's result in a later macrotask, not in the promise's microtask:
  // a loop of service tasks would otherwise never let the event loop run (other requests, this
  // step's time guard). Once the step has failed, the engine hears nothing.
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
        if (isStackOverflow(error)) run.failure ??= parts.guard.failure(run, 'stack');
        else if (!(error instanceof StepAborted)) run.failure ??= error;
      } finally {
        settled();
      }
    });
  let work: Promise<Variables | void>;
  try {
    work = external ?? registration.handler({
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
      now: parts.now(),
      signedDocuments: parts.signedDocuments,
    });
  } catch (error) {
    work = Promise.reject(error);
  }
  work.then(
    (output) =>
      resume(() => {
        const produced = output ?? {};
        Object.assign(activity.environment.variables, produced);
        run.events.push({ at: parts.now(), type: 'service-completed', activityId: activity.id, data: { handler: topic, output: produced } });
        callback(null, produced);
      }),
    (err: unknown) =>
      resume(() => {
        if (err instanceof BusinessError) {
          Object.assign(activity.environment.variables, err.variables, { lastErrorCode: err.code, lastErrorMessage: err.message });
          run.events.push({ at: parts.now(), type: 'business-error', activityId: activity.id, data: { handler: topic, code: err.code, message: err.message } });
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
}
