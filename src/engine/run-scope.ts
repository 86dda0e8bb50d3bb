import { Variables } from '../handlers/registry';
import { ActiveActivity, ArmedTimer, ExternalResult, ExternalWait, StepEvent, StepIdentity, StepIncident } from './step';

/** The execution at one moment, with how much of the run's events and timers had happened by then. */
export interface Snapshot {
  state: unknown;
  active: ActiveActivity[];
  variables: Variables;
  eventCount: number;
  timerCount: number;
}

/** What one run collects; a kept engine's listener and handlers report to the run using it now. */
export interface RunScope {
  identity: StepIdentity;
  events: StepEvent[];
  timers: ArmedTimer[];
  inFlight: Set<Promise<unknown>>;
  failure?: unknown;
  incident?: StepIncident & { snapshot: Snapshot };
  lastEndEvent: string | null;
  engineError?: unknown;
  /** Activities started and flows taken in this step, and how often each element was. */
  transitions: number;
  taken: Map<string, number>;
  /** Handlers running now, by service task id (named when the step runs out of time). */
  running: Map<Promise<unknown>, string>;
  /** Service tasks waiting for an external worker, by execution id. */
  externalWaits: Map<string, ExternalWait>;
  /** The worker's result this step delivers to one waiting execution; `taken` once its task ran again and took it. */
  delivery?: { executionId: string; result: ExternalResult; taken: boolean };
  /** >0 while the host is inside a synchronous call into the engine, where aborting by throwing is caught. */
  entered: number;
}

export function newRunScope(identity: StepIdentity): RunScope {
  return { identity, events: [], timers: [], inFlight: new Set(), lastEndEvent: null, transitions: 0, taken: new Map(), running: new Map(), entered: 0, externalWaits: new Map() };
}

/** Thrown from the engine's listener to break a loop that never yields; the run's failure says why. */
export class StepAborted extends Error {
  constructor() {
    super('The step was aborted');
    this.name = 'StepAborted';
  }
}

export const isStackOverflow = (error: unknown) => error instanceof RangeError && /call stack/i.test(error.message);
