/*
 * The value of a parsed `${...}` body (./parser.ts) against bpmn-elements' expression context, with
 * JUEL's coercions. Reads own properties only and never calls anything.
 */
import { ComparisonOperator, FORBIDDEN_NAMES, Node } from './parser';

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function readProperty(object: unknown, key: unknown): unknown {
  if (object === null || object === undefined) return undefined;
  if (typeof key === 'number') {
    // Like bpmn-elements: list[-1] is the last item.
    if (Array.isArray(object) && Number.isInteger(key) && key < 0) return object[object.length + key];
  } else if (typeof key !== 'string') {
    return undefined;
  }
  if (FORBIDDEN_NAMES.has(String(key))) return undefined;
  // Own properties only: a value's methods (toString, valueOf) are not data.
  if (!Object.prototype.hasOwnProperty.call(object, key)) return undefined;
  return (object as Record<string | number, unknown>)[key];
}

/**
 * JUEL's coercion to boolean for `!`, `&&`, `||`: booleans as they are, null/undefined false, a
 * string true only if it is "true" (any case), a number true unless 0 or NaN, anything else true.
 */
function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim().toLowerCase() === 'true';
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return true;
}

/** `empty x`: null, undefined, '', an empty array, Map or Set, or an object without own keys. */
function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Map || value instanceof Set) return value.size === 0;
  if (typeof value === 'object' && !(value instanceof Date)) return Object.keys(value).length === 0;
  return false;
}

const NUMERIC_STRING = /^\s*-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function numberFrom(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC_STRING.test(value)) return Number(value);
  return undefined;
}

/**
 * `==`: null and undefined equal each other and nothing else; same types compare with === (dates by
 * time); a number and a numeric string compare as numbers; a boolean and "true"/"false" (any case)
 * compare as booleans; anything else is unequal.
 */
function looselyEquals(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a === null || a === undefined) && (b === null || b === undefined);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === typeof b) return a === b;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = numberFrom(a);
    const y = numberFrom(b);
    return x !== undefined && y !== undefined && x === y;
  }
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b.trim().toLowerCase();
  if (typeof b === 'boolean' && typeof a === 'string') return String(b) === a.trim().toLowerCase();
  return false;
}

/**
 * Ordering for `< <= > >=`: numbers (or a number and a numeric string) numerically, two strings by
 * UTF-16 code units (so ISO dates order correctly), two dates by time. Anything else, including a
 * null or missing operand, is not comparable and every relational operator yields false.
 */
function order(a: unknown, b: unknown): number | undefined {
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'number' || typeof b === 'number') {
    const x = numberFrom(a);
    const y = numberFrom(b);
    if (x === undefined || y === undefined || Number.isNaN(x) || Number.isNaN(y)) return undefined;
    return x - y;
  }
  return undefined;
}

function compare(op: ComparisonOperator, a: unknown, b: unknown): boolean {
  if (op === '==') return looselyEquals(a, b);
  if (op === '!=') return !looselyEquals(a, b);
  const sign = order(a, b);
  if (sign === undefined) return false;
  switch (op) {
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
  }
}

/**
 * Evaluates a tree without calls against bpmn-elements' expression context (`{ environment, fields,
 * content, properties, ... }`), of which it reads only the process variables: a name is the own
 * property of `context.environment.variables` of that name, undefined if there is none.
 */
export function evaluate(node: Node, context: unknown): unknown {
  switch (node.t) {
    case 'literal':
      return node.value;
    case 'variable': {
      const variables = (context as { environment?: { variables?: unknown } } | null | undefined)?.environment?.variables;
      if (variables === null || typeof variables !== 'object') return undefined;
      return hasOwn(variables, node.name) ? (variables as Record<string, unknown>)[node.name] : undefined;
    }
    case 'member':
      return readProperty(evaluate(node.object, context), node.key);
    case 'index':
      return readProperty(evaluate(node.object, context), evaluate(node.key, context));
    case 'not':
      return !toBoolean(evaluate(node.operand, context));
    case 'empty':
      return isEmpty(evaluate(node.operand, context));
    case 'and':
      return toBoolean(evaluate(node.left, context)) && toBoolean(evaluate(node.right, context));
    case 'or':
      return toBoolean(evaluate(node.left, context)) || toBoolean(evaluate(node.right, context));
    case 'compare':
      return compare(node.op, evaluate(node.left, context), evaluate(node.right, context));
    case 'call':
      throw new Error('Calls are resolved by bpmn-elements, not evaluated here');
  }
}
