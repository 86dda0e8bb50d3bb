/**
 * Server processes (dist/src/server.js) on prepared sqlite files: restart time to the first served
 * task-list request, task-list latency and resident memory (ratios 2-4), and one against two
 * processes on one database (ratio 6).
 */
import fs from 'node:fs';
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { ReglamentPort } from '../support/reglament-driver';
import { userOf } from '../support/test-host';
import { freePort, log, repoRoot, rssOf, sleep } from './common';
import { api, fullRun, httpPort } from './drive';
import { Environment, Job, serverEnv } from './throughput';

export interface RunningServer {
  proc: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the first task-list request answered 200. */
  firstServedMs: number;
  output: string[];
  stop(): Promise<void>;
}

export async function startServer(env: Environment, options: { dbFile: string; dataDir: string; probe: { user: string; route: string }; extraEnv?: Record<string, string> }): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const started = process.hrtime.bigint();
  const proc = spawn(process.execPath, [path.join(repoRoot(), 'dist/src/server.js')], {
    cwd: repoRoot(),
    env: serverEnv(env, { DB_FILE: options.dbFile, DATA_DIR: options.dataDir, PORT: String(port), ...(options.extraEnv ?? {}) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited: number | null = null;
  proc.on('exit', (code) => (exited = code ?? -1));
  proc.stdout!.on('data', (d) => output.push(String(d)));
  proc.stderr!.on('data', (d) => output.push(String(d)));
  const stop = async () => {
    if (exited !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 3_000).unref();
    });
  };
  for (;;) {
    if (exited !== null) throw new Error(`server exited with ${exited}:\n${output.join('')}`);
    try {
      await api(url, options.probe.user, 'GET', options.probe.route);
      break;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status && status !== 503) {
        await stop();
        throw error;
      }
      await sleep(5);
    }
  }
  const firstServedMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { proc, url, firstServedMs, output, stop };
}

export interface DatabaseMeasure {
  instances: number;
  restartMs: number[];
  queryMs: number[];
  rss: number;
  hwm: number;
  total: number;
}

/**
 * On one prepared database: a warm-up start, then `restarts` timed starts (spawn -> first served
 * task-list request); on the last server, `queries` timed task-list requests (after 5 untimed),
 * then its resident memory.
 */
export async function measureDatabase(env: Environment, dbFile: string, dataDir: string, instances: number, group: string, restarts: number, queries: number): Promise<DatabaseMeasure> {
  const route = `/tasks?candidateGroup=${encodeURIComponent(group)}&sortBy=due&sortOrder=asc&firstResult=0&maxResults=20`;
  const probe = { user: userOf(group), route };
  const warm = await startServer(env, { dbFile, dataDir, probe });
  await warm.stop();
  const restartMs: number[] = [];
  let server: RunningServer | undefined;
  for (let i = 0; i < restarts; i++) {
    if (server) await server.stop();
    server = await startServer(env, { dbFile, dataDir, probe });
    restartMs.push(server.firstServedMs);
  }
  try {
    let total = 0;
    for (let i = 0; i < 5; i++) total = (await api(server!.url, probe.user, 'GET', route)).total;
    const queryMs: number[] = [];
    for (let i = 0; i < queries; i++) {
      const t = process.hrtime.bigint();
      await api(server!.url, probe.user, 'GET', route);
      queryMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const { rss, hwm } = rssOf(server!.proc.pid!);
    return { instances, restartMs, queryMs, rss, hwm, total };
  } finally {
    await server!.stop();
  }
}

export interface TwoServerMeasure {
  servers: number;
  seconds: number;
  tasks: number;
  runs: number;
  retries: number;
  errors: number;
  /** Requests that got no answer within the time-out (a server stuck on the database). */
  timeouts: number;
  /** Clients still waiting for an answer when the window closed (plus a grace of 5 s). */
  stuckClients: number;
  /** CPU used in the window, in cores: each server process, and this process (clients and simulators). */
  serverCores: number[];
  benchCores: number;
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); NaN elsewhere. */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * `clients` concurrent clients, each driving whole applications (start, then every task) through
 * one server (client i -> server i mod n) for `seconds`; throughput = tasks completed in the window.
 */
export async function measureServers(env: Environment, dbFile: string, dataDir: string, servers: number, clients: number, seconds: number, pool: Job[], extraEnv: Record<string, string> = {}): Promise<TwoServerMeasure> {
  const probe = { user: userOf('admin'), route: '/tasks?maxResults=1' };
  const running: RunningServer[] = [];
  for (let i = 0; i < servers; i++) running.push(await startServer(env, { dbFile, dataDir, probe, extraEnv }));
  // Warm-up, untimed: one application through each server (first handler calls, CRL, caches).
  for (const server of running) {
    const job = pool.pop();
    if (job) await fullRun(httpPort(server.url, env.catalog, undefined, undefined, env.simulators.ca), env.catalog, env.catalog.byKey.get(job.key)!, job.applicant, job.businessKey).catch((e) => log(`    warm-up: ${(e as Error).message}`));
  }
  const stats = { retries: 0, timeouts: 0 };
  let tasks = 0;
  let runs = 0;
  let errors = 0;
  let next = 0;
  let deadline = 0;
  const byKey = env.catalog.byKey;
  try {
    const counting = (driver: ReglamentPort): ReglamentPort => ({
      ...driver,
      complete: async (...args) => {
        if (Date.now() > deadline) throw new Error('window closed');
        await driver.complete(...args);
        if (Date.now() <= deadline) tasks++;
      },
    });
    const started = Date.now();
    const cpuBefore = running.map((r) => cpuSecondsOf(r.proc.pid));
    const benchBefore = process.cpuUsage();
    deadline = started + seconds * 1000;
    let finished = 0;
    const all = Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const driver = counting(httpPort(running[c % servers].url, env.catalog, stats, Math.max(5_000, seconds * 1000), env.simulators.ca));
        while (Date.now() < deadline && next < pool.length) {
          const job = pool[next++];
          try {
            await fullRun(driver, env.catalog, byKey.get(job.key)!, job.applicant, job.businessKey);
            if (Date.now() <= deadline) runs++;
          } catch (error) {
            if ((error as Error).message !== 'window closed') {
              errors++;
              if (errors <= 3) log(`    client error: ${(error as Error).message}`);
            }
          }
        }
        finished++;
      }),
    );
    // A client whose server hangs on the database is abandoned after the window and a grace period.
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())))]);
    const window = (Date.now() - started) / 1000;
    const serverCores = running.map((r, i) => (cpuSecondsOf(r.proc.pid) - cpuBefore[i]) / window);
    const benchUsage = process.cpuUsage(benchBefore);
    const benchCores = (benchUsage.user + benchUsage.system) / 1e6 / window;
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (finished < clients) log(`    ${clients - finished} client(s) still waiting for an answer after the window: a server is stuck`);
    if (next >= pool.length) log('    (the prepared applicants ran out before the window closed)');
    return { servers, seconds: Math.min(seconds, (Date.now() - started) / 1000), tasks, runs, retries: stats.retries, errors, timeouts: stats.timeouts, stuckClients: clients - finished, serverCores, benchCores };
  } finally {
    for (const s of running) await s.stop();
  }
}

