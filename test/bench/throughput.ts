/**
 * Ratio 1 (host against bare bpmn-engine) and the host side of ratio 5 (stored state at each
 * waiting point), plus the templates the database fill clones (rows exactly as the runtime wrote them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Adapters } from '../../src/integrations/clients';
import { loadConfig } from '../../src/config';
import { createDefaultHandlers } from '../../src/handlers';
import { HandlerRegistry } from '../../src/handlers/registry';
import { createHost, Host } from '../../src/host';
import { User, UserDirectory } from '../../src/identity/users';
import { HistoryEntity, InstanceEntity, InstanceRow, TaskEntity, TaskGroupEntity, TimerEntity } from '../../src/persistence/entities';
import { simulatorEnv, Simulators, startSimulators } from '../../src/integrations/simulators';
import type { TaskRef } from '../support/reglament-driver';
import { PreparedApplicant, simulatorAdapters, SimulatorControl } from '../support/simulators';
import { UNREGISTERED_EMPLOYEE, writeUsersFile } from '../support/test-host';
import { bareRun } from './bare';
import { applicantKindOf, candidatePlans, Catalog, CatalogEntry, NEGATIVE_OUTCOME } from './catalog';
import { log } from './common';
import { fullRun, httpPort, runtimePort } from './drive';
import { Template } from './fill';

export interface Environment {
  catalog: Catalog;
  simulators: Simulators;
  adapters: Adapters;
  handlers: HandlerRegistry;
  /** Prepares applicants in the simulators (the tests' SimulatorControl). */
  applicants: SimulatorControl;
  usersFile: string;
  /** The users of the users file, by id (the in-process runtime takes the user, not a token). */
  users: Map<string, User>;
  work: string;
}

export async function startEnvironment(catalog: Catalog, work: string): Promise<Environment> {
  const usersFile = writeUsersFile(work, catalog.groups);
  const users = new Map((JSON.parse(fs.readFileSync(usersFile, 'utf8')) as User[]).map((u) => [u.id, { id: u.id, name: u.name, groups: u.groups }]));
  const simulators = await startSimulators({ host: '127.0.0.1', employees: [...users.keys()].filter((id) => id !== UNREGISTERED_EMPLOYEE), dataDir: path.join(work, 'simulators') });
  const adapters = simulatorAdapters(simulators, { timeoutMs: 30_000, attempts: 3, backoffMs: 50 });
  return { catalog, simulators, adapters, handlers: createDefaultHandlers(adapters), applicants: new SimulatorControl(simulators, adapters, () => new Date()), usersFile, users, work };
}

/** Environment of a server process using the bench's simulators (so that prepared applicants are known to it). */
export function serverEnv(env: Environment, extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    HOST: '127.0.0.1',
    PROCESSES_DIR: env.catalog.dir,
    USERS_FILE: env.usersFile,
    ...simulatorEnv(env.simulators),
    EXTERNAL_TIMEOUT_MS: '30000',
    ...(process.env.BENCH_TIMER_POLL_MS ? { TIMER_POLL_MS: process.env.BENCH_TIMER_POLL_MS } : {}),
    ...extra,
  };
}

export async function startInProcessHost(env: Environment, dir: string): Promise<Host> {
  fs.mkdirSync(dir, { recursive: true });
  // ENGINE_CACHE_SIZE=0 npm run bench measures the host without kept engines (docs/performance.md).
  const cache = process.env.ENGINE_CACHE_SIZE !== undefined ? { ENGINE_CACHE_SIZE: process.env.ENGINE_CACHE_SIZE } : {};
  const config = loadConfig({ DATA_DIR: dir, DB_FILE: path.join(dir, 'host.sqlite'), PROCESSES_DIR: env.catalog.dir, USERS_FILE: env.usersFile, PORT: '0', ...cache });
  // signatures: a signing step's CMS is checked with the simulators' EDS adapter, as the test hosts do.
  const host = await createHost({ config, users: UserDirectory.fromFile(env.usersFile), handlers: env.handlers, signatures: env.adapters.eds, timerPollMs: 0 });
  await host.deployProcessDirectory();
  return host;
}

export interface Job {
  key: string;
  applicant: PreparedApplicant;
  businessKey: string;
}

/** Applicants for `rounds` runs of every reglament, prepared before any clock starts. */
export async function prepareJobs(env: Environment, rounds: number, prefix: string): Promise<Job[]> {
  const jobs: Job[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const entry of env.catalog.reglaments) {
      jobs.push({ key: entry.key, applicant: await env.applicants.prepareApplicant({ kind: applicantKindOf(entry), processKey: entry.key }), businessKey: `${prefix}-${entry.key}-${r}-${Math.random().toString(36).slice(2, 8)}` });
    }
  }
  return jobs;
}

/** Runs the jobs `concurrency` at a time; returns seconds taken and tasks completed. */
export async function runJobs(jobs: Job[], concurrency: number, run: (job: Job) => Promise<{ tasks: number; outcome: string | null; key: string }>, outcomes?: Map<string, string>) {
  const started = process.hrtime.bigint();
  let next = 0;
  let tasks = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const result = await run(job);
      tasks += result.tasks;
      outcomes?.set(result.key, String(result.outcome));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, tasks, runs: jobs.length };
}

/**
 * For every reglament, the first channel and applicant kind (see candidatePlans) whose run through
 * the host ends at an outcome that is not a refusal; kept on the catalog entry for every later run.
 */
export async function discoverPlans(env: Environment, host: Host, url: string): Promise<void> {
  const driver = runtimePort(host, env.catalog, env.users, { url, ca: env.simulators.ca });
  for (const entry of env.catalog.reglaments) {
    let first: CatalogEntry['plan'];
    for (const candidate of candidatePlans(entry)) {
      entry.plan = { ...candidate, outcome: null, positive: false };
      const applicant = await env.applicants.prepareApplicant({ kind: candidate.kind, processKey: entry.key });
      const result = await fullRun(driver, env.catalog, entry, applicant, `plan-${entry.key}-${candidate.channel}-${candidate.kind}`);
      entry.plan = { ...candidate, outcome: result.outcome, positive: !!result.outcome && !NEGATIVE_OUTCOME.test(result.outcome) };
      first ??= entry.plan;
      if (entry.plan.positive) break;
    }
    if (!entry.plan?.positive) {
      entry.plan = first;
      log(`  ${entry.key}: no channel / applicant kind reached a positive outcome; using ${first?.channel ?? '-'} / ${first?.kind} -> ${first?.outcome}`);
    }
    log(`  ${entry.key.padEnd(40)} channel ${String(entry.plan?.channel ?? '-').padEnd(18)} applicant ${String(entry.plan?.kind).padEnd(13)} -> ${entry.plan?.outcome}`);
  }
}

export interface ThroughputResult {
  host: { seconds: number; tasks: number; runs: number };
  bare: { seconds: number; tasks: number; runs: number };
  http: { seconds: number; tasks: number; runs: number };
  hostOutcomes: Map<string, string>;
  bareOutcomes: Map<string, string>;
  httpOutcomes: Map<string, string>;
}

export async function measureThroughput(env: Environment, rounds: number, concurrency: number, httpLeg = true): Promise<ThroughputResult> {
  const host = await startInProcessHost(env, path.join(env.work, 'throughput'));
  const { url } = await host.listen(0, '127.0.0.1');
  const runtime = runtimePort(host, env.catalog, env.users, { url, ca: env.simulators.ca });
  const http = httpPort(url, env.catalog, undefined, undefined, env.simulators.ca);
  const byKey = env.catalog.byKey;
  const hostRun = (driver: ReturnType<typeof httpPort>) => (job: Job) => fullRun(driver, env.catalog, byKey.get(job.key)!, job.applicant, job.businessKey);
  const bareOptions = { catalog: env.catalog, handlers: env.handlers };
  const bare = (job: Job) => bareRun(bareOptions, byKey.get(job.key)!, job.applicant, job.businessKey);
  try {
    log('  positive path of every reglament (channel, applicant kind), found through the host; also the warm-up');
    await discoverPlans(env, host, url);
    log('  warm-up over HTTP and on the bare engine');
    if (httpLeg) await runJobs(await prepareJobs(env, 1, 'warm-http'), concurrency, hostRun(http));
    await runJobs(await prepareJobs(env, 1, 'warm-bare'), concurrency, bare);
    const hostJobs = await prepareJobs(env, rounds, 'host');
    const bareJobs = await prepareJobs(env, rounds, 'bare');
    const httpJobs = httpLeg ? await prepareJobs(env, rounds, 'http') : [];
    const hostOutcomes = new Map<string, string>();
    const bareOutcomes = new Map<string, string>();
    const httpOutcomes = new Map<string, string>();
    // Interleaved halves, so that a drift of the machine (another load, a GC phase) hits both sides alike.
    const half = (jobs: Job[], i: number) => jobs.slice(i * Math.ceil(jobs.length / 2), (i + 1) * Math.ceil(jobs.length / 2));
    const sum = (a: { seconds: number; tasks: number; runs: number }, b: { seconds: number; tasks: number; runs: number }) => ({ seconds: a.seconds + b.seconds, tasks: a.tasks + b.tasks, runs: a.runs + b.runs });
    let h = { seconds: 0, tasks: 0, runs: 0 };
    let b = { seconds: 0, tasks: 0, runs: 0 };
    let w = { seconds: 0, tasks: 0, runs: 0 };
    for (const i of [0, 1]) {
      log(`  timed half ${i + 1}/2: host (runtime), bare engine, host over HTTP`);
      h = sum(h, await runJobs(half(hostJobs, i), concurrency, hostRun(runtime), hostOutcomes));
      b = sum(b, await runJobs(half(bareJobs, i), concurrency, bare, bareOutcomes));
      if (httpLeg) w = sum(w, await runJobs(half(httpJobs, i), concurrency, hostRun(http), httpOutcomes));
    }
    return { host: h, bare: b, http: w, hostOutcomes, bareOutcomes, httpOutcomes };
  } finally {
    await host.close();
  }
}

/** Stored bytes of the host's state columns at a waiting point, and the rows to clone for the fill. */
export interface WaitingPoint {
  rootKey: string;
  taskKeys: string[];
  stateBytes: number;
  template: Template;
}

/**
 * One run of every reglament through the in-process host; at each waiting point the rows of the
 * application (all instances, tasks, candidate groups, timers and history of its business key) are
 * read back as the runtime wrote them. The bare engine's default getState() is taken at the same
 * points by a separate bare run.
 */
export async function harvest(env: Environment): Promise<{ points: WaitingPoint[]; bareState: Map<string, number> }> {
  const host = await startInProcessHost(env, path.join(env.work, 'harvest'));
  const ds = host.dataSource;
  const points: WaitingPoint[] = [];
  const { url } = await host.listen(0, '127.0.0.1');
  try {
    for (const entry of env.catalog.reglaments) {
      const applicant = await env.applicants.prepareApplicant({ kind: applicantKindOf(entry), processKey: entry.key });
      const businessKey = `harvest-${entry.key}`;
      await fullRun(runtimePort(host, env.catalog, env.users, { url, ca: env.simulators.ca }), env.catalog, entry, applicant, businessKey, async (open: TaskRef[]) => {
        const instances = await ds.getRepository(InstanceEntity).find({ where: { businessKey } });
        const ids = instances.map((i) => i.id);
        const tasks = await ds.getRepository(TaskEntity).createQueryBuilder('t').where('t.processInstanceId IN (:...ids)', { ids }).getMany();
        const groups = tasks.length ? await ds.getRepository(TaskGroupEntity).createQueryBuilder('g').where('g.taskId IN (:...ids)', { ids: tasks.map((t) => t.id) }).getMany() : [];
        const timers = await ds.getRepository(TimerEntity).createQueryBuilder('t').where('t.processInstanceId IN (:...ids)', { ids }).getMany();
        const history = await ds.getRepository(HistoryEntity).createQueryBuilder('h').where('h.processInstanceId IN (:...ids)', { ids }).orderBy('h.id', 'ASC').getMany();
        const running = instances.filter((i: InstanceRow) => i.state === 'running');
        // The bytes as stored (deflated on sqlite), not the length of the text the rows read back as.
        const stored: { bytes: number | null }[] = running.length ? await ds.query(`SELECT SUM(LENGTH(CAST("engineState" AS BLOB)) + LENGTH(CAST("variables" AS BLOB)) + LENGTH(CAST("activeActivities" AS BLOB))) AS "bytes" FROM "process_instances" WHERE "id" IN (${running.map(() => '?').join(', ')})`, running.map((i) => i.id)) : [];
        const stateBytes = Number(stored[0]?.bytes ?? 0);
        points.push({ rootKey: entry.key, taskKeys: open.map((t) => t.taskDefinitionKey), stateBytes, template: { instances, tasks, groups, timers, history: history.map(({ id: _id, ...rest }) => rest) } });
      });
    }
  } finally {
    await host.close();
  }
  const bareState = new Map<string, number>();
  for (const entry of env.catalog.reglaments) {
    const applicant = await env.applicants.prepareApplicant({ kind: applicantKindOf(entry), processKey: entry.key });
    await bareRun(
      {
        catalog: env.catalog,
        handlers: env.handlers,
        measureState: (rootKey, taskKey, bytes) => {
          const k = `${rootKey}:${taskKey}`;
          if (!bareState.has(k)) bareState.set(k, bytes);
        },
      },
      entry,
      applicant,
      `harvest-bare-${entry.key}`,
    );
  }
  return { points, bareState };
}

/** discoverPlans on a host of its own (BENCH_ONLY=storage, where no throughput run finds the plans). */
export async function discoverPlansAlone(env: Environment): Promise<void> {
  const host = await startInProcessHost(env, path.join(env.work, 'plans'));
  try {
    await discoverPlans(env, host, (await host.listen(0, '127.0.0.1')).url);
  } finally {
    await host.close();
  }
}
