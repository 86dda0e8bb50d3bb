import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type Scale = 'full' | 'small';

export interface BenchSettings {
  scale: Scale;
  /** Open instances of the large and the small database (ratios 2, 3, 4). */
  large: number;
  small: number;
  /** Full runs of every reglament per mode for ratio 1. */
  rounds: number;
  /** Concurrent runs (ratio 1) and concurrent clients (ratio 6). */
  concurrency: number;
  clients: number;
  /** Seconds each side of ratio 6 is measured. */
  twoServerSeconds: number;
  /** Task-list requests timed per database (after warm-up). */
  queries: number;
  /** Restarts timed per database (median). */
  restarts: number;
  /** Also time the host through its HTTP API (a detail of ratio 1; skipped in the small run). */
  httpLeg: boolean;
}

export function settings(env = process.env): BenchSettings {
  const scale: Scale = env.BENCH_SCALE === 'small' ? 'small' : 'full';
  const num = (name: string, fallback: number) => (env[name] && /^\d+$/.test(env[name]!) ? Number(env[name]) : fallback);
  if (scale === 'small') {
    return { scale, large: num('BENCH_LARGE', 2000), small: num('BENCH_SMALL', 200), rounds: num('BENCH_ROUNDS', 1), concurrency: 4, clients: 8, twoServerSeconds: num('BENCH_TWO_SERVER_SECONDS', 4), queries: 10, restarts: 1, httpLeg: false };
  }
  return { scale, large: num('BENCH_LARGE', 100_000), small: num('BENCH_SMALL', 1_000), rounds: num('BENCH_ROUNDS', 4), concurrency: 4, clients: 8, twoServerSeconds: num('BENCH_TWO_SERVER_SECONDS', 20), queries: 40, restarts: 3, httpLeg: true };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const log = (line: string) => process.stderr.write(`${line}\n`);

/** A one-line progress display on stderr (rewritten in place on a terminal, every ~10 % otherwise). */
export class Progress {
  private readonly started = Date.now();
  private lastShown = -1;
  private readonly tty = process.stderr.isTTY;
  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number): void {
    const pct = this.total ? Math.floor((done / this.total) * 100) : 100;
    const step = this.tty ? pct : Math.floor(pct / 10) * 10;
    if (step === this.lastShown && done !== this.total) return;
    this.lastShown = step;
    const elapsed = (Date.now() - this.started) / 1000;
    const rate = done / Math.max(elapsed, 0.001);
    const eta = rate > 0 ? (this.total - done) / rate : 0;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    const line = `  ${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct.toString().padStart(3)}% ${done}/${this.total}  ${Math.round(rate)}/s  eta ${eta.toFixed(0)}s`;
    if (this.tty) process.stderr.write(`\r${line}`);
    else process.stderr.write(`${line}\n`);
  }

  done(): void {
    if (this.lastShown !== 100) this.update(this.total);
    if (this.tty) process.stderr.write('\n');
  }
}

export function machine(): { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string } {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model?.trim() ?? 'unknown', memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10, node: process.version, platform: `${os.type()} ${os.release()} ${os.arch()}` };
}

/** Resident and peak resident memory of a process (Linux /proc), in bytes. */
export function rssOf(pid: number): { rss: number; hwm: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

export function repoRoot(): string {
  // dist/test/bench/*.js -> the repository
  return path.resolve(__dirname, '../../..');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
