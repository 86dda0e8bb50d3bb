import { Variables } from '../handlers/registry';

/**
 * bpmn-elements keeps its own bookkeeping (the running message's fields, content and properties)
 * in the process environment's variables. They are not process variables: they are hidden from
 * the API and a caller may not set them.
 */
export const RESERVED_VARIABLE_NAMES = new Set([
  'fields',
  'content',
  'properties',
  'environment',
  'services',
  // Names that reach an object's prototype when assigned (JSON.parse makes "__proto__" an own key).
  '__proto__',
  'constructor',
  'prototype',
]);

export function userVariables(raw: Record<string, unknown> | undefined): Variables {
  const out: Variables = {};
  if (!raw) return out;
  for (const [name, value] of Object.entries(raw)) {
    if (!RESERVED_VARIABLE_NAMES.has(name)) out[name] = value;
  }
  return out;
}
