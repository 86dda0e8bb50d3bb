import { parseArgs } from 'node:util';

/** What a crash-safety run does; see the command line in index.ts. */
export interface FaultOptions {
  kills: number;
  /** The least number of applications (default: two per reglament). */
  instances?: number;
  workers: number;
  seed: number;
  minUptimeMs: number;
  maxUptimeMs: number;
  latencyMs: number;
  /** Share of the kills that wait for a side effect to reach its system. */
  afterSideEffect: number;
  strictOrphans: boolean;
  /** Steps between two deployments (0: none). */
  deployEvery: number;
}

const NUMBERS = ['kills', 'instances', 'workers', 'seed', 'min-uptime-ms', 'max-uptime-ms', 'latency-ms', 'after-side-effect', 'strict-orphans', 'deploy-every'] as const;

export function parseFaultOptions(args: string[]): FaultOptions {
  const { values } = parseArgs({ args, strict: true, options: Object.fromEntries(NUMBERS.map((name) => [name, { type: 'string' }])) as Record<(typeof NUMBERS)[number], { type: 'string' }> });
  const number = (name: (typeof NUMBERS)[number], fallback: number): number => {
    const text = values[name];
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a non-negative number`);
    return n;
  };
  const minUptimeMs = number('min-uptime-ms', 150);
  return {
    kills: number('kills', 200),
    instances: values.instances === undefined ? undefined : number('instances', 0),
    workers: Math.max(1, number('workers', 6)),
    seed: number('seed', Math.floor(Math.random() * 1e9)),
    minUptimeMs,
    maxUptimeMs: Math.max(minUptimeMs, number('max-uptime-ms', 900)),
    latencyMs: number('latency-ms', 30),
    afterSideEffect: Math.min(1, number('after-side-effect', 0.5)),
    strictOrphans: number('strict-orphans', 1) > 0,
    deployEvery: number('deploy-every', 5),
  };
}
