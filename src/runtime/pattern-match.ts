/**
 * Form-field patterns matched with a time bound. A pattern runs on the server for every submitted
 * value; one that backtracks catastrophically (`^(a+)+$` on "aaaa...b") doubles its time with each
 * character and would hold the event loop for minutes. reglament/form-fields refuses such patterns
 * at deployment (safe-regex2), but that check misses some (`^(a|a)*$`), so the match itself is
 * bounded: it runs in a separate V8 context with vm's `timeout`, which interrupts a running regular
 * expression. The context holds only our two lines of code; the pattern and the value enter it as
 * strings and a boolean comes out.
 */
import vm from 'node:vm';

/**
 * How long one match may take. A real pattern on a real value takes microseconds, but vm measures
 * wall time: on a busy machine a valid IIN once took "50 ms" to match. A second still stops a
 * catastrophic pattern long before it matters (30 characters of `^(a+)+$` take 26 s).
 */
export const PATTERN_TIMEOUT_MS = 1000;

const context = vm.createContext(Object.create(null), { codeGeneration: { strings: false, wasm: false } });
vm.runInContext(
  `'use strict';
  var cache = new Map();
  function check(pattern, value) {
    var re = cache.get(pattern);
    if (re === undefined) {
      re = new RegExp(pattern);
      if (cache.size >= 500) cache.clear();
      cache.set(pattern, re);
    }
    return re.test(value) === true;
  }`,
  context,
);
const call = new vm.Script('check(pattern, value)');

/** The pattern's match of the value did not finish in time. */
export class PatternTimeoutError extends Error {
  constructor(
    readonly pattern: string,
    readonly timeoutMs: number,
  ) {
    super(`Matching the pattern ${pattern} was stopped after ${timeoutMs} ms`);
    this.name = 'PatternTimeoutError';
  }
}

/** Whether the value matches the pattern (a JavaScript RegExp source, no flags); throws PatternTimeoutError when it takes too long. */
export function matchesPattern(pattern: string, value: string, timeoutMs = PATTERN_TIMEOUT_MS): boolean {
  const scope = context as { pattern?: string; value?: string };
  scope.pattern = pattern;
  scope.value = value;
  try {
    return call.runInContext(context, { timeout: timeoutMs }) === true;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new PatternTimeoutError(pattern, timeoutMs);
    throw error;
  } finally {
    scope.pattern = undefined;
    scope.value = undefined;
  }
}

/** What a form field's problem says when its value does not match the pattern. */
export function patternMismatch(pattern: string): string {
  return `does not match the required pattern ${pattern}`;
}

/** What it says when the match was stopped by the bound. */
export function patternStopped(pattern: string, timeoutMs = PATTERN_TIMEOUT_MS): string {
  return `does not match the required pattern ${pattern} (checking it was stopped after ${timeoutMs} ms; shorten the value)`;
}

/** A form field's problem with the value and its pattern, or null: a mismatch, or a match stopped for taking too long. */
export function patternProblem(pattern: string, value: string): string | null {
  try {
    return matchesPattern(pattern, value) ? null : patternMismatch(pattern);
  } catch (error) {
    if (error instanceof PatternTimeoutError) return patternStopped(pattern, error.timeoutMs);
    throw error;
  }
}
