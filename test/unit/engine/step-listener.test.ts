import { timerProblem } from '../../../src/engine/step-listener';

/* What a timer event resolved to, checked when it starts: one that would fire at once or for ever fails the step. */
describe('timerProblem', () => {
  it.each([
    { case: 'a positive duration', content: { timerType: 'timeDuration', timeDuration: 'P3D' }, code: undefined },
    { case: 'a bounded cycle', content: { timerType: 'timeCycle', timeCycle: 'R3/PT1H', repeat: 3 }, code: undefined },
    { case: 'a zero duration', content: { timerType: 'timeDuration', timeDuration: 'PT0S' }, code: 'INVALID_TIMER' },
    { case: 'an unparsable duration', content: { timerType: 'timeDuration', timeDuration: 'soon' }, code: 'INVALID_TIMER' },
    { case: 'a cycle without end', content: { timerType: 'timeCycle', timeCycle: 'R/PT1H', repeat: -1 }, code: 'INVALID_TIMER' },
  ])('$case', ({ content, code }) => {
    const problem = timerProblem('wait', content);
    expect(problem?.code).toBe(code);
    if (problem) expect(problem).toMatchObject({ kind: 'unprocessable', details: { activityId: 'wait' } });
  });
});
