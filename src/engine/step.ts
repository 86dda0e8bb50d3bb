import { HandlerContext, Variables } from '../handlers/registry';

/** What the host asks of one step: start a new execution, or resume a saved one and deliver a signal. */
export type StepCommand =
  | { kind: 'start'; variables: Variables }
  /** Resume a saved execution as it is: a service task that was executing runs again (retry of an incident). */
  | { kind: 'resume'; engineState: string }
  | { kind: 'signal'; engineState: string; activityId: string; executionId: string; variables: Variables }
  /** A called process ended at an error end event: the call activity throws that BPMN error. */
  | { kind: 'error'; engineState: string; activityId: string; executionId: string; variables: Variables; code: string; message: string }
  /** The host's timer for a waiting timer event is due: the event fires. */
  | { kind: 'timer'; engineState: string; activityId: string; executionId: string }
  /**
   * An external worker finished the service task that waits for it (topic served by workers): the
   * saved execution is resumed, the task runs again and takes the worker's result in place of its
   * handler's (variables, or a BPMN error the diagram routes).
   */
  | { kind: 'external'; engineState: string; activityId: string; executionId: string; result: ExternalResult };

/** What a worker reported for an external task: done with the variables it produced, or a BPMN error. */
export type ExternalResult = { kind: 'complete'; variables: Variables; workerId: string } | { kind: 'bpmnError'; code: string; message: string; variables: Variables; workerId: string };

/** A service task whose topic external workers serve: it waits (executing) until a worker reports. */
export interface ExternalWait {
  activityId: string;
  executionId: string;
  topic: string;
  /** The variables its handler would have read when the task began. */
  variables: Variables;
}

/** Who and what a step runs for: the identity its handlers see (HandlerContext), plus the service tasks' properties. */
export type StepIdentity = Pick<HandlerContext, 'instanceId' | 'businessKey' | 'processDefinitionKey' | 'startedBy' | 'rootProcessDefinitionKey' | 'rootInstanceId'> & {
  /** `camunda:property` values of service tasks by element id, handed to their handlers. */
  serviceProperties?: ReadonlyMap<string, Readonly<Record<string, string>>>;
};

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
  /** An element of the deployed definition, whose name and type the history reads from there. */
  activityId: string;
  data?: Record<string, unknown>;
}

/** A handler that failed technically, and the service task it failed in. */
export interface StepIncident {
  activityId: string;
  handler: string;
  message: string;
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
  /** Service tasks that began (or began again on a resume) in this step and wait for an external worker. */
  externalWaits?: ExternalWait[];
  /**
   * A handler failed technically (its system unreachable, a timeout): the outcome is the execution
   * as it was when that service task began, so that a retry runs the handler again.
   */
  incident?: StepIncident;
}

/** Told of every step that produced an outcome (before the caller stores it), e.g. to record BPMN coverage in tests. */
export type StepObserver = (processDefinitionKey: string, events: readonly StepEvent[]) => void;

/** How a step ended: waiting for the host again, the execution ended, a handler's incident, or refused (nothing stored). */
export type StepEnd = { outcome: 'waiting' | 'ended' | 'incident'; endEvent?: string | null; incidentActivityId?: string } | { outcome: 'failed'; code: string };

/**
 * Told when a step starts and how it ends (metrics and logs; the host wires them, so the engine
 * knows nothing of either). `activityId` is what the command addresses: the signalled task, the
 * timer event, or undefined for a start or a resumption.
 */
export interface StepTelemetry {
  stepStarted(identity: StepIdentity, command: { kind: StepCommand['kind']; activityId?: string }): (end: StepEnd) => void;
}
