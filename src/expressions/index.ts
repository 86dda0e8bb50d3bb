import { evaluate } from './evaluate';
import { ExpressionError, findCall, parse, SyntaxProblem, type Node } from './parser';

/*
 * Camunda-style `${...}` expressions for bpmn-engine, handed to the Engine as its `expressions`
 * option (bpmn-elements' interface: resolveExpression, isExpression, hasExpression). No eval: the
 * body of every `${...}` is parsed by ./parser.ts (grammar there) and the tree
 * is cached by its text.
 *
 * Names. A name `x` is the process variable x: an own property of
 * `context.environment.variables`, and nothing else. A name that is not set is undefined, not an
 * error (Camunda would throw "Unknown property"), so `${x == null}` and `${empty x}` test for it.
 * `x.y` and `x[k]` read own properties of a variable's value. Outputs are deliberately not
 * consulted: bpmn-elements evaluates a sequence-flow condition with
 * `{ environment, ...cloneMessage(sourceActivityMessage) }`, so `content.output` is whatever the
 * source activity completed with; the host copies task and handler results into the variables
 * before the outgoing flows are evaluated (src/engine/step-runner.ts), so variables are the one
 * source.
 *
 * Nothing else. Diagrams are deployed by users of group deployer; an expression is data about
 * variables, never a way into the engine: `environment`, `content`, `properties`, `fields`,
 * `services`, `process`, `this` and the like are refused as names, `constructor`, `prototype` and
 * `__proto__` anywhere, and there are no calls (bpmn-elements' own handler, which would call
 * `${environment.services.fn()}`, is never used). Each is an ExpressionError with its column,
 * reported at deployment by the rules that validate expressions.
 *
 * Results. A text that is one `${...}` (surrounding whitespace ignored, unlike bpmn-elements,
 * because XML bodies are often indented) yields the raw value; otherwise the text is a template and
 * each `${...}` is replaced by its value as a string (null and undefined as ''). A text without
 * `${` is returned as it is. A malformed expression, including an unclosed `${`, throws an
 * ExpressionError naming the column; for a condition the engine reports it as an activity error.
 */

export { ExpressionError } from './parser';

/** bpmn-elements' expressions interface (docs/Expression.md in bpmn-elements). */
export interface ExpressionHandler {
  resolveExpression(expression: unknown, context?: unknown, fnContext?: unknown): unknown;
  isExpression(text: unknown): boolean;
  hasExpression(text: unknown): boolean;
}

type Compiled = { kind: 'native'; node: Node } | { kind: 'invalid'; index: number; reason: string };

interface Segment {
  /** Index of `$` in `${`. */
  start: number;
  /** Index just past the closing `}`. */
  end: number;
  body: string;
  /** Index of the body's first character in the whole text. */
  bodyStart: number;
}

const CACHE_LIMIT = 2000;
const cache = new Map<string, Compiled>();

function compile(body: string): Compiled {
  const cached = cache.get(body);
  if (cached) return cached;
  const compiled = compileUncached(body);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(body, compiled);
  return compiled;
}

function compileUncached(body: string): Compiled {
  let node: Node;
  try {
    node = parse(body);
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    return { kind: 'invalid', index: error.index, reason: error.reason };
  }
  const call = findCall(node);
  if (call) return { kind: 'invalid', index: call.index, reason: 'Function calls are not supported' };
  return { kind: 'native', node };
}

/**
 * Finds every `${...}`. A `}` inside a quoted string does not close the expression; if a quote is
 * never closed, the first `}` does (the parser then reports the unterminated string).
 */
function scan(text: string): Segment[] {
  const segments: Segment[] = [];
  let from = 0;
  for (let start = text.indexOf('${', from); start !== -1; start = text.indexOf('${', from)) {
    const bodyStart = start + 2;
    let close = -1;
    let quote: string | null = null;
    for (let i = bodyStart; i < text.length; i++) {
      const c = text[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
      } else if (c === "'" || c === '"') {
        quote = c;
      } else if (c === '}') {
        close = i;
        break;
      }
    }
    if (close === -1 && quote) close = text.indexOf('}', bodyStart);
    if (close === -1) throw new ExpressionError(text, start + 1, 'Unclosed "${"');
    segments.push({ start, end: close + 1, body: text.slice(bodyStart, close), bodyStart });
    from = close + 1;
  }
  return segments;
}

function compileSegment(text: string, segment: Segment): Compiled {
  const compiled = compile(segment.body);
  if (compiled.kind === 'invalid') throw new ExpressionError(text, segment.bodyStart + compiled.index + 1, compiled.reason);
  return compiled;
}

function isWhole(text: string, segments: Segment[]): boolean {
  return segments.length === 1 && text.slice(0, segments[0].start).trim() === '' && text.slice(segments[0].end).trim() === '';
}

function resolveSegment(compiled: Compiled, context: unknown): unknown {
  // compileSegment threw for anything else.
  return evaluate((compiled as Extract<Compiled, { kind: 'native' }>).node, context);
}

function scanQuietly(text: unknown): Segment[] | undefined {
  if (typeof text !== 'string' || !text.includes('${')) return undefined;
  try {
    return scan(text);
  } catch {
    return undefined;
  }
}

export function createExpressions(): ExpressionHandler {
  return {
    resolveExpression(expression: unknown, context?: unknown): unknown {
      if (typeof expression !== 'string' || !expression.includes('${')) return expression;
      const segments = scan(expression);
      const compiled = segments.map((segment) => compileSegment(expression, segment));
      if (isWhole(expression, segments)) return resolveSegment(compiled[0], context);
      let result = '';
      let at = 0;
      segments.forEach((segment, i) => {
        const value = resolveSegment(compiled[i], context);
        result += expression.slice(at, segment.start) + (value === null || value === undefined ? '' : String(value));
        at = segment.end;
      });
      return result + expression.slice(at);
    },

    /** The text is exactly one `${...}` (surrounding whitespace ignored). */
    isExpression(text: unknown): boolean {
      const segments = scanQuietly(text);
      return segments !== undefined && isWhole(text as string, segments);
    },

    /** The text contains at least one complete `${...}`. */
    hasExpression(text: unknown): boolean {
      const segments = scanQuietly(text);
      return segments !== undefined && segments.length > 0;
    },
  };
}

export interface ValidateOptions {
  /** Allow text around and between expressions (a template). Off by default: a condition must be one `${...}`. */
  template?: boolean;
}

/**
 * For the deploy linter: null if the text would resolve at runtime, otherwise why not (with the
 * column). By default the text must be a single `${...}` as a condition is: text around it would
 * turn the result into a non-empty string, which is always truthy.
 */
export function validateExpression(text: string, options: ValidateOptions = {}): string | null {
  try {
    if (typeof text !== 'string' || text.trim() === '') return 'Expression is empty';
    const segments = scan(text);
    if (segments.length === 0) return `"${text}" is not a \${...} expression`;
    for (const segment of segments) compileSegment(text, segment);
    if (!options.template && !isWhole(text, segments)) {
      return `"${text}" must be exactly one \${...} expression; text around it would make the result a string`;
    }
    return null;
  } catch (error) {
    if (error instanceof ExpressionError) return error.message;
    throw error;
  }
}
