import { matchesPattern, patternProblem, PatternTimeoutError } from '../../../src/runtime/pattern-match';

describe('form-field patterns are matched with a time bound', () => {
  it.each([
    ['^\\d{12}$', '960101300123', true],
    ['^\\d{12}$', '96010130012', false],
    ['^[A-Z]{2}-\\d+$', 'KZ-1', true],
  ])('%s on %s is %s', (pattern, value, expected) => {
    expect(matchesPattern(pattern, value)).toBe(expected);
  });

  // safe-regex2 does not flag ^(a|a)*$, so a pattern like it can reach the server: the bound is the last wall.
  it('stops a catastrophically backtracking match and reports it as a field problem, not a crash', () => {
    const value = `${'a'.repeat(40)}b`;
    const started = Date.now();
    expect(() => matchesPattern('^(a|a)*$', value, 100)).toThrow(PatternTimeoutError);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(patternProblem('^(a+)+$', `${'a'.repeat(40)}b`)).toMatch(/stopped after \d+ ms/);
  });
});
