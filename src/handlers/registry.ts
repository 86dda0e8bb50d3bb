/**
 * The handler registry binds service-task topics (`camunda:topic`) to typed async functions.
 * A handler gets the instance's variables and returns the variables it sets, all of them named
 * when it is registered: those names are the handlers' own, no form may declare them
 * (reglament/form-field-not-produced), so no user input reaches them. It reports a business
 * outcome the diagram must route (a refusal, a failed check) by throwing BusinessError; its code
 * is the BPMN error code an error boundary event catches.
 */
export type Variables = Record<string, unknown>;

export interface HandlerContext {
  instanceId: string;
  businessKey: string | null;
  processDefinitionKey: string;
  /** The user who started the application (the top-level instance): the employee, for the provider's path. */
  startedBy?: string | null;
  /** The top-level reglament's key when this runs inside a called (shared) flow; its own key otherwise. */
  rootProcessDefinitionKey?: string;
  /** The top-level instance (the application) when this runs inside a called flow; absent or the own id otherwise. */
  rootInstanceId?: string;
  activityId: string;
  activityName?: string;
  /** The service task's `camunda:property` values (handler parameters such as `notice`). */
  properties: Readonly<Record<string, string>>;
  variables: Readonly<Variables>;
  now: Date;
  /** The documents people of the application signed at its signing steps (the host's port; absent where no host runs the step). */
  signedDocuments?: SignedDocuments;
}

/** A document a person signed with their own EDS at a signing step whose task was completed with it. */
export interface PersonSignedDocument {
  /** The document's id (its verification URL's second part). */
  id: string;
  kind: string;
  taskDefinitionKey: string;
  /** Base64 DER of the signer's CMS, the PDF attached. */
  cms: string;
  signerIin: string | null;
  signedAt: string | null;
}

/** Reads the documents people signed; the host implements it over its database (handlers import no persistence). */
export interface SignedDocuments {
  /** The last document of `kind` signed in the application `rootInstanceId` (its called flows' included), or null. */
  lastSigned(rootInstanceId: string, kind: string): Promise<PersonSignedDocument | null>;
}

export type Handler = (context: HandlerContext) => Promise<Variables | void>;

export interface HandlerRegistration {
  name: string;
  description: string;
  handler: Handler;
  /** The variables the handler may return (or set through a BusinessError), sorted. */
  produces: readonly string[];
}

/**
 * Variables the host itself sets when a handler throws a BusinessError (src/engine/handler-bridge.ts),
 * with who sets them. Like handler outputs, no form may declare them (HandlerRegistry.producers()).
 */
export const HOST_SET_VARIABLES: Readonly<Record<string, string>> = {
  lastErrorCode: 'the host (BPMN error of a handler)',
  lastErrorMessage: 'the host (BPMN error of a handler)',
};

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

  register(name: string, description: string, handler: Handler, produces: readonly string[]): this {
    if (this.handlers.has(name)) throw new Error(`Handler "${name}" is registered twice`);
    const declared = [...new Set(produces)].sort();
    const undeclared = (variables: Variables | undefined) => Object.keys(variables ?? {}).filter((key) => !declared.includes(key));
    const fail = (names: string[]) => new Error(`Handler "${name}" returned variable(s) it does not declare: ${names.join(', ')} (declared: ${declared.join(', ') || 'none'})`);
    // A handler that sets a name it did not declare could set one a form declares: a programming error, never stored.
    const checked: Handler = async (context) => {
      let output: Variables | void;
      try {
        output = await handler(context);
      } catch (error) {
        if (error instanceof BusinessError && undeclared(error.variables).length > 0) throw fail(undeclared(error.variables));
        throw error;
      }
      const extra = undeclared(output ?? {});
      if (extra.length > 0) throw fail(extra);
      return output;
    };
    this.handlers.set(name, { name, description, handler: checked, produces: declared });
    return this;
  }

  /** Every variable a handler or the host produces, sorted. */
  producedVariables(): string[] {
    return [...this.producers().keys()].sort();
  }

  /** Variable -> who produces it: handler names, or the host's own description for what it sets itself. */
  producers(): Map<string, string[]> {
    const producers = new Map<string, string[]>();
    const add = (variable: string, producer: string) => producers.set(variable, [...(producers.get(variable) ?? []), producer].sort());
    for (const registration of this.list()) for (const variable of registration.produces) add(variable, registration.name);
    for (const [variable, producer] of Object.entries(HOST_SET_VARIABLES)) add(variable, producer);
    return producers;
  }

  producersOf(variable: string): string[] {
    return this.producers().get(variable) ?? [];
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
