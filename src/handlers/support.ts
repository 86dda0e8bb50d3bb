import { HandlerContext, Variables } from './registry';

/** The shared IS flows of the process contract (§2): their keys are not the reglament's. */
export const SHARED_FLOW_KEYS = new Set(['egov-portal-intake', 'elicense-provider-intake', 'state-corporation-intake', 'state-corporation-result-issuance', 'egov-result-delivery']);

export function stringVar(variables: Readonly<Variables>, name: string): string | undefined {
  const v = variables[name];
  return typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * The reglament (service) key: the `serviceKey` variable when a diagram sets it, else the
 * root process key when the runtime supplies it, else the instance's own key unless it is a
 * shared IS flow (then unknown).
 */
export function serviceKeyOf(context: HandlerContext): string | undefined {
  const fromVariables = stringVar(context.variables, 'serviceKey') ?? stringVar(context.variables, 'reglamentKey');
  if (fromVariables) return fromVariables;
  const root = (context as unknown as { rootProcessDefinitionKey?: string }).rootProcessDefinitionKey;
  if (root && !SHARED_FLOW_KEYS.has(root)) return root;
  return SHARED_FLOW_KEYS.has(context.processDefinitionKey) ? undefined : context.processDefinitionKey;
}

export function propertyOf(context: HandlerContext, name: string): string | undefined {
  const props = (context as unknown as { properties?: Record<string, string> }).properties;
  return props?.[name];
}
