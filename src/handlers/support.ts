import { HandlerContext, Variables } from './registry';

/** The shared IS flows of the process contract (§2): their keys are not the reglament's. */
export const SHARED_FLOW_KEYS = new Set(['egov-portal-intake', 'elicense-provider-intake', 'state-corporation-intake', 'state-corporation-result-issuance', 'egov-result-delivery']);

export function stringVar(variables: Readonly<Variables>, name: string): string | undefined {
  const v = variables[name];
  return typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * The reglament (service) key, from the host: the top-level instance's key (a shared flow serves
 * the reglament that called it), else the instance's own key unless it is a shared IS flow (then
 * unknown). Never from a variable: a forged `serviceKey` would let a payment for another service count.
 */
export function serviceKeyOf(context: HandlerContext): string | undefined {
  const root = context.rootProcessDefinitionKey;
  if (root && !SHARED_FLOW_KEYS.has(root)) return root;
  return SHARED_FLOW_KEYS.has(context.processDefinitionKey) ? undefined : context.processDefinitionKey;
}

/**
 * The application an external request belongs to: the top-level instance. The shared flows of one
 * application (intake, result delivery) thus address the same request at E-licensing and the State
 * corporation, and a re-run after a crash the same one again, without reading a number from a variable.
 */
export function applicationIdOf(context: HandlerContext): string {
  return context.rootInstanceId ?? context.instanceId;
}

export function propertyOf(context: HandlerContext, name: string): string | undefined {
  return context.properties?.[name];
}
