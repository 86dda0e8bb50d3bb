import { DomainError } from '../../../src/errors';
import { newRunScope, StepAborted } from '../../../src/engine/run-scope';
import { loopOf, RunawayGuard } from '../../../src/engine/runaway-guard';

/* The runaway guard alone: when a step is a loop, and how its 422 names the loop. */
const scopeAfter = (ids: string[]) => {
  const scope = newRunScope({ instanceId: 'i', businessKey: null, processDefinitionKey: 'p' });
  for (const id of ids) {
    scope.transitions++;
    scope.taken.set(id, (scope.taken.get(id) ?? 0) + 1);
  }
  return scope;
};
const times = (n: number, ids: string[]) => Array.from({ length: n }, () => ids).flat();

describe('loopOf', () => {
  it.each([
    { case: 'no element taken twice: no loop', taken: ['start', 'f1', 'task', 'f2', 'end'], loop: [] },
    { case: 'the elements of a cycle, in the order first taken', taken: ['start', 'f0', ...times(5, ['check', 'back', 'fix', 'again'])], loop: ['check', 'back', 'fix', 'again'] },
    { case: 'elements taken less than half as often as the most are not the loop', taken: ['a', ...times(2, ['b']), ...times(6, ['c', 'd'])], loop: ['c', 'd'] },
    { case: 'at least half as often still is', taken: [...times(3, ['b']), ...times(6, ['c'])], loop: ['b', 'c'] },
  ])('$case', ({ taken, loop }) => {
    expect(loopOf(scopeAfter(taken).taken)).toEqual(loop);
  });
});

describe('RunawayGuard', () => {
  it('counts transitions and fails the run past the bound, aborting only inside a call into the engine', () => {
    const guard = new RunawayGuard(3, 1000);
    const outside = scopeAfter([]);
    for (const id of ['a', 'b', 'a']) guard.count(outside, id);
    expect(outside.failure).toBeUndefined();
    guard.count(outside, 'b');
    expect(outside.failure).toBeInstanceOf(DomainError);
    expect(outside.failure).toMatchObject({ kind: 'unprocessable', code: 'STEP_RUNAWAY', details: { transitions: 4, loop: ['a', 'b'] } });

    const inside = scopeAfter(['a', 'b', 'a']);
    inside.entered = 1;
    expect(() => guard.count(inside, 'b')).toThrow(StepAborted);
    expect(inside.failure).toMatchObject({ code: 'STEP_RUNAWAY' });
  });

  it.each([
    { why: 'transitions' as const, says: ['took 8 transitions without reaching a wait state (at most 5, STEP_MAX_TRANSITIONS)', 'it loops through x -> y', 'nothing was stored'] },
    { why: 'stack' as const, says: ['took 8 transitions without reaching a wait state before the engine ran out of stack', 'it loops through x -> y'] },
    { why: 'time' as const, says: ['reached no wait state within 250 ms (STEP_TIMEOUT_MS), after 8 transitions', 'it loops through x -> y', 'still running: "call-gbd"'] },
  ])('names the loop when the step fails by $why', ({ why, says }) => {
    const guard = new RunawayGuard(5, 250);
    const scope = scopeAfter(times(4, ['x', 'y']));
    scope.running.set(Promise.resolve(), 'call-gbd');
    const error = guard.failure(scope, why);
    expect(error).toMatchObject({ kind: 'unprocessable', code: 'STEP_RUNAWAY' });
    for (const text of says) expect(error.message).toContain(text);
  });

  it('shows at most twelve elements of a long loop', () => {
    const ids = Array.from({ length: 20 }, (_, i) => `e${i}`);
    const error = new RunawayGuard(5, 250).failure(scopeAfter(times(2, ids)), 'transitions');
    expect(error.message).toContain(`it loops through ${ids.slice(0, 12).join(' -> ')} -> ...`);
    expect(error.details).toMatchObject({ loop: ids });
  });
});
