/**
 * The handler registry binds service-task topics (`camunda:topic`) to typed async functions.
 * A handler gets the instance's variables and returns the variables it sets. It reports a
 * business outcome the diagram must route (a refusal, a failed check) by throwing BusinessError;
 * its code is the BPMN error code an error boundary event catches.
 */
export type Variables = Record<string, unknown>;

export interface HandlerContext {
  instanceId: string;
  businessKey: string | null;
  processDefinitionKey: string;
  /** The user who started the instance (the employee, for the provider's path). */
  startedBy?: string | null;
  /** The top-level reglament's key when this runs inside a called (shared) flow; its own key otherwise. */
  rootProcessDefinitionKey?: string;
  activityId: string;
  activityName?: string;
  /** The service task's `camunda:property` values (handler parameters such as `notice`). */
  properties: Readonly<Record<string, string>>;
  variables: Readonly<Variables>;
  now: Date;
}

export type Handler = (context: HandlerContext) => Promise<Variables | void>;

export interface HandlerRegistration {
  name: string;
  description: string;
  handler: Handler;
}

export class BusinessError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly variables: Variables = {},
  ) {
    super(message);
    this.name = 'BusinessError';
  }
}

export class HandlerRegistry {
  private readonly handlers = new Map<string, HandlerRegistration>();

  register(name: string, description: string, handler: Handler): this {
    if (this.handlers.has(name)) throw new Error(`Handler "${name}" is registered twice`);
    this.handlers.set(name, { name, description, handler });
    return this;
  }

  get(name: string): HandlerRegistration | undefined {
    return this.handlers.get(name);
  }

  names(): string[] {
    return [...this.handlers.keys()].sort();
  }

  list(): HandlerRegistration[] {
    return this.names().map((name) => this.handlers.get(name)!);
  }
}
