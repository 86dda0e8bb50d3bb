import { parsePrometheusText, sampleValue } from '../support/prometheus-text';

/* The test parser of the Prometheus text format is strict: what it accepts and what it refuses. */
describe('parsePrometheusText', () => {
  it('reads families, labels with escapes, histograms and special values', () => {
    const text = [
      '# HELP a_total Things, with a \\\\ backslash',
      '# TYPE a_total counter',
      'a_total{k="x \\"y\\"\\n",j="2"} 3',
      '# TYPE h histogram',
      'h_bucket{le="0.5"} 1',
      'h_bucket{le="+Inf"} 2',
      'h_sum 0.7',
      'h_count 2',
      '# TYPE g gauge',
      'g Nan',
      'g2 +Inf',
      '',
    ].join('\n');
    const families = parsePrometheusText(text);
    expect(families.get('a_total')).toMatchObject({ type: 'counter', help: 'Things, with a \\ backslash' });
    expect(sampleValue(families, 'a_total', { k: 'x "y"\n' })).toBe(3);
    expect(families.get('h')?.samples).toHaveLength(4);
    expect(sampleValue(families, 'g')).toBeNaN();
    expect(sampleValue(families, 'g2')).toBe(Infinity);
  });

  it.each([
    ['no final line feed', '# TYPE a gauge\na 1'],
    ['a family split in two', 'a 1\nb 1\na 2\n'],
    ['a TYPE after samples', 'a 1\n# TYPE a gauge\n'],
    ['a bad escape', 'a{k="\\x"} 1\n'],
    ['an unterminated label', 'a{k="x} 1\n'],
    ['a bad value', 'a 1,5\n'],
    ['a label twice', 'a{k="1",k="2"} 1\n'],
    ['buckets not cumulative', '# TYPE h histogram\nh_bucket{le="1"} 3\nh_bucket{le="+Inf"} 2\nh_count 2\n'],
    ['+Inf bucket not the count', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 3\n'],
    ['no +Inf bucket', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_count 2\n'],
  ])('refuses %s', (_case, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
