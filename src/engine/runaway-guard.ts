import { DomainError } from '../errors';
import { RunScope, StepAborted } from './run-scope';

export const DEFAULT_STEP_MAX_TRANSITIONS = 500;
export const DEFAULT_STEP_TIMEOUT_MS = 60_000;

export type RunawayReason = 'transitions' | 'stack' | 'time';

/** The elements taken about as often as the most taken one (at least half), in the order first taken: the loop. */
export function loopOf(taken: ReadonlyMap<string, number>): string[] {
  const most = Math.max(0, ...taken.values());
  return [...taken].filter(([, count]) => most > 1 && count * 2 >= most).map(([id]) => id);
}

/**
 * Bounds a step that never reaches a wait state: by transitions (activities started plus flows
 * taken), by the engine's stack, and by time. Its failures are 422 STEP_RUNAWAY naming the loop.
 */
export class RunawayGuard {
  constructor(
    readonly maxTransitions = DEFAULT_STEP_MAX_TRANSITIONS,
    readonly timeoutMs = DEFAULT_STEP_TIMEOUT_MS,
  ) {}

  /**
   * Counts one activity start or flow taken. Past the bound the step is a loop that never waits: the
   * run fails, and inside a synchronous call into the engine (where a loop of plain tasks and
   * gateways recurses without yielding) the throw unwinds the engine's chain.
   */
  count(scope: RunScope, id: string): void {
    scope.transitions++;
    scope.taken.set(id, (scope.taken.get(id) ?? 0) + 1);
    if (scope.transitions <= this.maxTransitions) return;
    scope.failure ??= this.failure(scope, 'transitions');
    if (scope.entered > 0) throw new StepAborted();
  }

  /** The 422 of a step that reached no wait state; it names the elements taken most often, in the order first taken. */
  failure(scope: Pick<RunScope, 'transitions' | 'taken' | 'running'>, why: RunawayReason): DomainError {
    const loop = loopOf(scope.taken);
    const shown = loop.length > 12 ? [...loop.slice(0, 12), '...'] : loop;
    const through = shown.length > 0 ? `; it loops through ${shown.join(' -> ')}` : '';
    if (why === 'time') {
      const running = [...new Set(scope.running.values())];
      const still = running.length > 0 ? `; still running: ${running.map((id) => `"${id}"`).join(', ')}` : '';
      return new DomainError(
        'unprocessable',
        'STEP_RUNAWAY',
        `The step reached no wait state within ${this.timeoutMs} ms (STEP_TIMEOUT_MS), after ${scope.transitions} transitions${through}${still}; nothing was stored`,
        { transitions: scope.transitions, loop, running },
      );
    }
    const bound = why === 'stack' ? 'before the engine ran out of stack' : `(at most ${this.maxTransitions}, STEP_MAX_TRANSITIONS)`;
    return new DomainError(
      'unprocessable',
      'STEP_RUNAWAY',
      `The step took ${scope.transitions} transitions without reaching a wait state ${bound}${through}; nothing was stored`,
      { transitions: scope.transitions, loop },
    );
  }
}
