/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for tests: it throws
 * with the line number on anything a Prometheus server would reject or that breaks the format's
 * rules (a sample before its TYPE, a family split in two, a bad label escape, a histogram whose
 * buckets are not cumulative or whose +Inf bucket is not its count).
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help?: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const closed = new Set<string>();
  let current: MetricFamily | null = null;
  const fail = (n: number, message: string): never => {
    throw new Error(`line ${n + 1}: ${message}`);
  };
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
  const lines = text.split('\n');
  lines.pop();
  const familyOf = (n: number, name: string): MetricFamily => {
    if (!METRIC_NAME.test(name)) fail(n, `invalid metric name "${name}"`);
    if (current?.name !== name) {
      if (closed.has(name) || families.has(name)) fail(n, `metric family ${name} is split`);
      if (current) closed.add(current.name);
      current = { name, type: 'untyped', samples: [] };
      families.set(name, current);
    }
    return current;
  };
  lines.forEach((line, n) => {
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!m) return; // a plain comment
      const family = familyOf(n, m[2]);
      if (m[1] === 'HELP') {
        if (family.help !== undefined) fail(n, `second HELP for ${family.name}`);
        family.help = unescapeHelp(m[3] ?? '', () => fail(n, 'bad escape in HELP'));
      } else {
        if (family.samples.length) fail(n, `TYPE of ${family.name} after its samples`);
        if (!TYPES.has(m[3] ?? '')) fail(n, `unknown type "${m[3]}"`);
        family.type = m[3] as MetricFamily['type'];
      }
      return;
    }
    const sample = parseSample(line, (message) => fail(n, message));
    const base = familyName(sample.name, current);
    const family = familyOf(n, base);
    if (family.type === 'counter' && !(sample.name === `${base}_total` || sample.name === base)) fail(n, `counter sample ${sample.name}`);
    family.samples.push(sample);
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

/** The family a sample belongs to: histogram/summary suffixes, and counters named without _total in TYPE. */
function familyName(sample: string, current: MetricFamily | null): string {
  if (current) {
    const suffixes = current.type === 'histogram' ? ['_bucket', '_sum', '_count'] : current.type === 'summary' ? ['_sum', '_count'] : current.type === 'counter' ? ['_total'] : [];
    if (sample === current.name || suffixes.some((s) => sample === current.name + s)) return current.name;
  }
  return sample;
}

function parseSample(line: string, fail: (message: string) => never): Sample {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)(?: (-?\d+))?$/.exec(line);
  if (!m) fail(`not a sample: ${line}`);
  const labels: Record<string, string> = {};
  const body = m![2] ? m![2].slice(1, -1) : '';
  let i = 0;
  while (i < body.length) {
    const nameMatch = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(body.slice(i));
    if (!nameMatch || !LABEL_NAME.test(nameMatch[1])) fail(`bad label at "${body.slice(i)}"`);
    const name = nameMatch![1];
    if (name in labels) fail(`label ${name} twice`);
    i += nameMatch![0].length;
    let value = '';
    for (;;) {
      if (i >= body.length) fail('unterminated label value');
      const c = body[i];
      if (c === '"') break;
      if (c === '\\') {
        const next = body[i + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else fail(`bad escape \\${next} in label ${name}`);
        i += 2;
        continue;
      }
      if (c === '\n') fail('line feed in a label value');
      value += c;
      i++;
    }
    labels[name] = value;
    i++;
    if (i < body.length) {
      if (body[i] !== ',') fail(`expected "," after label ${name}`);
      i++;
    }
  }
  return { name: m![1], labels, value: parseValue(m![3], fail) };
}

/** A value as Prometheus reads it (Go's ParseFloat): a decimal or exponent number, or Inf/NaN in any case (prom-client writes "Nan" for an empty statistic). */
function parseValue(raw: string, fail: (message: string) => never): number {
  if (/^[-+]?inf(inity)?$/i.test(raw)) return raw.startsWith('-') ? -Infinity : Infinity;
  if (/^[-+]?nan$/i.test(raw)) return NaN;
  if (!/^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)$/.test(raw)) fail(`bad value "${raw}"`);
  return Number(raw);
}

function unescapeHelp(text: string, fail: () => never): string {
  return text.replace(/\\(.?)/g, (_all, c: string) => (c === '\\' ? '\\' : c === 'n' ? '\n' : fail()));
}

function checkHistogram(family: MetricFamily): void {
  const series = new Map<string, { buckets: { le: number; value: number }[]; count?: number }>();
  const keyOf = (labels: Record<string, string>) =>
    JSON.stringify(
      Object.entries(labels)
        .filter(([k]) => k !== 'le')
        .sort(),
    );
  for (const s of family.samples) {
    const key = keyOf(s.labels);
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (s.name.endsWith('_bucket')) {
      if (!('le' in s.labels)) throw new Error(`${family.name}: bucket without le`);
      entry.buckets.push({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), value: s.value });
    } else if (s.name.endsWith('_count')) entry.count = s.value;
  }
  for (const [key, { buckets, count }] of series) {
    if (!buckets.length || buckets[buckets.length - 1].le !== Infinity) throw new Error(`${family.name}${key}: no +Inf bucket`);
    for (let i = 1; i < buckets.length; i++) {
      if (!(buckets[i].le > buckets[i - 1].le)) throw new Error(`${family.name}${key}: buckets out of order`);
      if (buckets[i].value < buckets[i - 1].value) throw new Error(`${family.name}${key}: buckets not cumulative`);
    }
    if (count !== buckets[buckets.length - 1].value) throw new Error(`${family.name}${key}: +Inf bucket ${buckets[buckets.length - 1].value} is not the count ${count}`);
  }
}

/** The value of one sample, matched by name and (a subset of) labels; undefined when there is none. */
export function sampleValue(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const family of families.values()) {
    for (const s of family.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
    }
  }
  return undefined;
}
