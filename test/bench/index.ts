/**
 * `npm run bench` (BENCH_SCALE=small for a quick check that the script works): the six ratios of
 * issue 7, each measured in this run on this machine, printed as one table and written to
 * docs/performance.md (between the bench markers) with the command and the machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { defaultProcessesDir, loadCatalog } from './catalog';
import { log, machine, median, repoRoot, settings } from './common';
import { compileTemplate, createDatabase, fill } from './fill';
import { DatabaseMeasure, measureDatabase, measureServers, TwoServerMeasure } from './servers';
import { growthPerApplication, growthTable, StorageSnapshot, storageSnapshot } from './storage';
import { discoverPlansAlone, harvest, measureThroughput, prepareJobs, startEnvironment } from './throughput';

interface Line {
  n: number;
  what: string;
  ratio: number;
  goal: string;
  met: boolean;
  detail: string;
}

const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const mib = (bytes: number) => `${fmt(bytes / 2 ** 20, 1)} MiB`;
const count = (n: number) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

async function main(): Promise<void> {
  const s = settings();
  // BENCH_ONLY=storage: only the stored bytes (ratio 5 and the growth per open application, table by
  // table), without the timed legs; a quick measure while other work loads the machine. Not written to the docs.
  const storageOnly = process.env.BENCH_ONLY === 'storage';
  const began = Date.now();
  const processesDir = defaultProcessesDir();
  const catalog = await loadCatalog(processesDir);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'reglament-bench-'));
  log(`bench (${s.scale}): ${catalog.reglaments.length} reglaments in ${processesDir}: ${catalog.reglaments.map((r) => r.key).join(', ')}`);
  log(`working folder ${work}`);
  const env = await startEnvironment(catalog, work);
  const lines: Line[] = [];
  const notes: string[] = [];
  let storage: string[] = [];
  try {
    if (storageOnly) {
      log('\n[5] positive path of every reglament (channel, applicant kind), found through the host');
      await discoverPlansAlone(env);
    }
    // 1. Throughput
    if (!storageOnly) {
      log(`\n[1] throughput: ${s.rounds} full run(s) of every reglament, ${s.concurrency} at a time`);
      const t = await measureThroughput(env, s.rounds, s.concurrency, s.httpLeg);
      const perSecond = (x: { seconds: number; tasks: number }) => x.tasks / x.seconds;
      const mismatch = catalog.reglaments.filter((r) => t.hostOutcomes.get(r.key) !== t.bareOutcomes.get(r.key)).map((r) => `${r.key}: host ${t.hostOutcomes.get(r.key)}, bare ${t.bareOutcomes.get(r.key)}`);
      if (mismatch.length) notes.push(`Outcomes differ between host and bare engine: ${mismatch.join('; ')}`);
      lines.push({
        n: 1,
        what: 'Throughput, host (runtime + sqlite) / bare bpmn-engine',
        ratio: perSecond(t.host) / perSecond(t.bare),
        goal: '>= 0.85',
        met: perSecond(t.host) / perSecond(t.bare) >= 0.85,
        detail: `host ${fmt(perSecond(t.host), 1)} tasks/s (${t.host.runs} runs, ${t.host.tasks} tasks, ${fmt(t.host.seconds, 1)} s); bare ${fmt(perSecond(t.bare), 1)} tasks/s (${t.bare.runs} runs, ${fmt(t.bare.seconds, 1)} s); ${s.httpLeg ? `through HTTP ${fmt(perSecond(t.http), 1)} tasks/s = ${fmt(perSecond(t.http) / perSecond(t.bare))} x bare` : 'HTTP leg skipped in the small run'}`,
      });
    }

    // 5 (host side) and the fill templates
    log('\n[5] stored state at every waiting point (host rows vs bare getState()), and the fill templates');
    const h = await harvest(env);
    let hostBytes = 0;
    let bareBytes = 0;
    let matched = 0;
    for (const p of h.points) {
      const bare = h.bareState.get(`${p.rootKey}:${p.taskKeys[0]}`);
      if (bare === undefined) continue;
      hostBytes += p.stateBytes;
      bareBytes += bare;
      matched++;
    }

    // 2, 3, 4: databases with many open applications
    const groupsCount = new Map<string, number>();
    for (const p of h.points) for (const task of p.template.tasks) if (task.state === 'open') for (const g of p.template.groups.filter((x) => x.taskId === task.id)) groupsCount.set(g.groupId, (groupsCount.get(g.groupId) ?? 0) + 1);
    const group = [...groupsCount.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'office';
    const sizes: Record<number, number> = {};
    const measures: DatabaseMeasure[] = [];
    const snapshots: StorageSnapshot[] = [];
    for (const n of [s.small, s.large]) {
      log(`\n[2-4] database with ${n} open applications (cloned from ${h.points.length} waiting points of the runtime)`);
      const dir = path.join(work, `db-${n}`);
      fs.mkdirSync(dir, { recursive: true });
      const dbFile = path.join(dir, 'reglament.sqlite');
      const ds = await createDatabase(dbFile, processesDir);
      const templates = h.points.map((p) => compileTemplate(ds, p.template));
      const filled = await fill(ds, templates, n, `filling ${count(n).padStart(5)}`);
      const snapshot = await storageSnapshot(ds, 0);
      await ds.destroy();
      sizes[n] = fs.statSync(dbFile).size;
      snapshots.push({ ...snapshot, fileBytes: sizes[n] });
      log(`  ${filled.rows} rows in ${fmt(filled.seconds, 1)} s, ${mib(sizes[n])}${storageOnly ? '' : `; timing restarts, task list (group ${group}, by due, first page) and memory`}`);
      if (!storageOnly) measures.push(await measureDatabase(env, dbFile, dir, n, group, s.restarts, s.queries));
      else if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    }
    const growth = growthPerApplication(snapshots[0], snapshots[1], s.large - s.small);
    storage = [
      `Bytes per open application: **${fmt(growth.file / 1024, 1)} KiB** (growth of the database file from ${count(s.small)} to ${count(s.large)} open applications, divided by the difference), per table (sqlite dbstat: pages of the table and of its indexes, payload of its rows):`,
      '',
      ...growthTable(growth),
    ];
    log(`\n${storage.join('\n')}`);
    if (!storageOnly) {
      const [few, many] = measures;
      const q = (m: DatabaseMeasure) => median(m.queryMs);
      const r = (m: DatabaseMeasure) => median(m.restartMs);
      const label = `${count(s.large)} / ${count(s.small)}`;
      lines.push({
        n: 2,
        what: `Task list (group, by due, first page), ${label} open`,
        ratio: q(many) / q(few),
        goal: '<= 1.5',
        met: q(many) / q(few) <= 1.5,
        detail: `median ${fmt(q(many), 1)} ms vs ${fmt(q(few), 1)} ms over ${s.queries} requests (group ${group}: ${many.total} vs ${few.total} open tasks)`,
      });
      lines.push({ n: 3, what: `Memory (RSS of the server), ${label} open`, ratio: many.rss / few.rss, goal: '<= 1.3', met: many.rss / few.rss <= 1.3, detail: `${mib(many.rss)} vs ${mib(few.rss)} (peak ${mib(many.hwm)} vs ${mib(few.hwm)}), separate server processes after restart and the task-list requests` });
      lines.push({ n: 4, what: `Restart to first served task list, ${label} open`, ratio: r(many) / r(few), goal: '<= 1.5', met: r(many) / r(few) <= 1.5, detail: `median ${fmt(r(many), 0)} ms vs ${fmt(r(few), 0)} ms over ${s.restarts} restart(s) (spawn of dist/src/server.js -> first 200)` });
    }
    const perInstanceDb = (sizes[s.large] - sizes[s.small]) / (s.large - s.small);
    lines.push({
      n: 5,
      what: 'Stored state per waiting instance / bpmn-engine getState() JSON',
      ratio: hostBytes / bareBytes,
      goal: '<= 0.25',
      met: hostBytes / bareBytes <= 0.25,
      detail: `${fmt(hostBytes / matched / 1024, 1)} KiB (engineState + variables + activeActivities of the running instance rows) vs ${fmt(bareBytes / matched / 1024, 1)} KiB, mean of ${matched} waiting points; the whole database grows by ${fmt(perInstanceDb / 1024, 1)} KiB per open application (all rows, history and indexes)`,
    });

    // 6. One and two server processes on one database: PostgreSQL, the multi-node mode (sqlite has
    // one writer at a time, so a second process there only waits for the lock).
    if (!storageOnly) {
      const postgresUrl = await reachablePostgres(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
      const dbKind = postgresUrl ? 'PostgreSQL' : 'sqlite (PostgreSQL unreachable)';
      log(`\n[6] ${s.clients} clients completing tasks through one, then two server processes on one ${dbKind} database (${s.twoServerSeconds} s each)`);
      const poolSize = s.scale === 'small' ? 80 : 600;
      const results: TwoServerMeasure[] = [];
      const cpu: string[] = [];
      for (const servers of [1, 2]) {
        const dir = path.join(work, `servers-${servers}`);
        fs.mkdirSync(dir, { recursive: true });
        const dbFile = path.join(dir, 'reglament.sqlite');
        const schema = `bench_servers_${servers}_${process.pid}`;
        const postgres = postgresUrl ? { url: postgresUrl, schema } : undefined;
        await (await createDatabase(dbFile, processesDir, postgres)).destroy();
        const pool = await prepareJobs(env, Math.ceil(poolSize / catalog.reglaments.length), `servers${servers}`);
        const busyBefore = cpuBusy();
        try {
          results.push(await measureServers(env, dbFile, dir, servers, s.clients, s.twoServerSeconds, pool, postgres ? { DATABASE_URL: postgres.url, DATABASE_SCHEMA: schema } : {}));
        } finally {
          if (postgres) await dropSchema(postgres.url, schema);
        }
        const last = results[results.length - 1];
        cpu.push(`${servers} server(s): machine ${fmt(cpuBusy(busyBefore), 0)}% busy, server process(es) ${last.serverCores.map((c) => fmt(c)).join(' + ')} cores, clients and simulators ${fmt(last.benchCores)} cores`);
        const m = results[results.length - 1];
        log(`  ${servers} server(s): ${m.tasks} tasks in ${fmt(m.seconds, 1)} s, ${m.runs} runs, ${m.retries} retried requests, ${m.timeouts} timed out, ${m.errors} failed runs, ${m.stuckClients} clients stuck`);
    }
    const [one, two] = results;
    const tps = (m: TwoServerMeasure) => m.tasks / m.seconds;
    lines.push({
      n: 6,
      what: `Two server processes on one ${postgresUrl ? 'PostgreSQL' : 'sqlite'} database / one`,
      ratio: tps(two) / tps(one),
      goal: '>= 1.7',
      met: tps(two) / tps(one) >= 1.7,
      detail: `${fmt(tps(two), 1)} vs ${fmt(tps(one), 1)} tasks/s with ${s.clients} clients (retried requests ${two.retries} vs ${one.retries}, requests timed out ${two.timeouts} vs ${one.timeouts}, failed runs ${two.errors} vs ${one.errors}, clients stuck at the end ${two.stuckClients} vs ${one.stuckClients}); ${cpu.join(', ')} (${os.cpus().length} cores for the servers, the database, the simulators and the clients)`,
    });
    }
  } finally {
    await env.simulators.close();
  }

  const m = machine();
  const command = s.scale === 'small' ? 'BENCH_SCALE=small npm run bench' : 'npm run bench';
  const table = [
    '| # | ratio | measured | goal | met |',
    '|---|---|---|---|---|',
    ...lines.map((l) => `| ${l.n} | ${l.what} | **${fmt(l.ratio)}** | ${l.goal} | ${l.met ? 'yes' : 'no'} |`),
  ];
  const details = lines.map((l) => `- (${l.n}) ${l.detail}`);
  const plans = catalog.reglaments.map((r) => `\`${r.key}\` (${r.plan?.channel ?? 'no channel field'}, ${r.plan?.kind} -> \`${r.plan?.outcome}\`)`);
  const block = [
    `Command: \`${command}\`, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, took ${fmt((Date.now() - began) / 60000, 1)} min.`,
    `Machine: ${m.cpus} CPU (${m.cpuModel}), ${m.memoryGiB} GiB memory, Node ${m.node}, ${m.platform}.`,
    '',
    ...table,
    '',
    ...details,
    `- Reglaments driven (${catalog.reglaments.length}, discovered in processes/; channel, applicant kind -> outcome): ${plans.join(', ')}.`,
    ...notes.map((n) => `- Note: ${n}`),
    '',
    ...storage,
  ].join('\n');

  // stdout: the table
  process.stdout.write(`\n${table.join('\n')}\n\n${details.join('\n')}\n\n${storage.join('\n')}\n`);
  if (storageOnly) {
    if (!process.env.BENCH_KEEP) fs.rmSync(work, { recursive: true, force: true });
    return;
  }
  const doc = path.join(repoRoot(), 'docs', 'performance.md');
  const begin = s.scale === 'small' ? '<!-- bench-small:begin -->' : '<!-- bench:begin -->';
  const end = s.scale === 'small' ? '<!-- bench-small:end -->' : '<!-- bench:end -->';
  let text = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '# Performance\n\n## Latest `npm run bench`\n\n<!-- bench:begin -->\n<!-- bench:end -->\n';
  if (!text.includes(begin)) text += `\n## Latest \`BENCH_SCALE=small npm run bench\` (a check that the script works; small numbers, not the goals)\n\n${begin}\n${end}\n`;
  text = text.slice(0, text.indexOf(begin) + begin.length) + '\n' + block + '\n' + text.slice(text.indexOf(end));
  fs.writeFileSync(doc, text);
  log(`\nwritten to ${doc}`);
  fs.rmSync(work, { recursive: true, force: true });
}

void main().then(() => process.exit(0)).catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});

/** The URL when a PostgreSQL server answers there, else undefined. */
async function reachablePostgres(url: string): Promise<string | undefined> {
  const probe = new DataSource({ type: 'postgres', url });
  try {
    await probe.initialize();
    await probe.destroy();
    return url;
  } catch {
    return undefined;
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url });
  await admin.initialize();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.destroy();
  }
}

/** Share of the machine's CPU time spent busy since `since` (percent), or the counters now. */
function cpuBusy(): { idle: number; total: number };
function cpuBusy(since: { idle: number; total: number }): number;
function cpuBusy(since?: { idle: number; total: number }): number | { idle: number; total: number } {
  const now = os.cpus().reduce((acc, c) => ({ idle: acc.idle + c.times.idle, total: acc.total + c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq }), { idle: 0, total: 0 });
  if (!since) return now;
  const total = now.total - since.total;
  return total > 0 ? (100 * (total - (now.idle - since.idle))) / total : NaN;
}
