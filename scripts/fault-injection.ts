/**
 * Crash-safety fault injection (issue 6, item 3).
 *
 *   npm run build && node dist/scripts/fault-injection.js [--kills 200] [--instances N] [--workers 6]
 *                                                        [--seed S] [--min-uptime-ms 150] [--max-uptime-ms 900]
 *                                                        [--latency-ms 30] [--after-side-effect 0.5] [--strict-orphans 1|0]
 *                                                        [--deploy-every 5]
 *
 * Starts the real server (dist/src/server.js) as a child process on a fresh sqlite file (or on
 * DATABASE_URL when it is set), with the simulators of the external systems running in this
 * process (their state survives every server kill). It then drives at least `--instances`
 * applications (default: two per reglament; more while kills are still due) of every reglament in
 * processes/ generically, `--workers` at a time: each is started with variables that satisfy its start
 * form (a fresh applicant prepared in the simulators: portal user, GBD record, payment, EDS-signed
 * request), and every open task is completed with values that satisfy its form fields (enums and
 * booleans chosen at random, so refusals and approvals both happen). Meanwhile the server is
 * killed with SIGKILL at random moments (after a random uptime while requests are in flight) and
 * started again, `--kills` times. Every answer of an external system is held `--latency-ms` by a
 * proxy in front of its simulator, so that many kills land inside a step, between a side effect and the
 * step's commit; a share `--after-side-effect` of the kills waits for such a moment: it comes as
 * soon as a side-effecting call (a registration, a decision, a notification) has reached its system
 * and before the server has the answer. A request that the kill cut off is checked before it is repeated
 * (is the instance there? is the task still open?), as a careful client would.
 *
 * At the end, with the server up for good, it checks:
 *  - every application has exactly one root instance, and every instance has completed or waits on
 *    an open task; no incident is open;
 *  - every instance's history has each step once (each task created and completed once, each
 *    activity ended once, each service task completed once) and the completions match the tasks;
 *  - the simulators saw each side effect at most once per request: one E-licensing registration
 *    per instance tree, whose number, decision and licence number are those the instance stored;
 *    one State corporation registration per instance tree; one cabinet notification per instance
 *    and service task, and the result document the recipient got is the one the instance stored
 *    (signed once). A step whose transaction the kill discarded is made again with the same ids
 *    (starts carry an Idempotency-Key; called instances get ids derived from their caller's state),
 *    so its repeat reaches the systems as the same request: a side effect that belongs to no
 *    instance (`orphanSideEffects`) fails the run unless `--strict-orphans 0`.
 *  - every completion the server answered 200 is stored whole: its task is completed, the history
 *    records the completion once and the engine left the task (its activity ended);
 *  - every deployment answered 2xx is stored as it said: the version it reported holds the content sent.
 * Deployments run during the whole run (`--deploy-every` steps apart, 0 = none), each under the same
 * kills: in turn a small diagram (test/fixtures/processes/write-lock) whose documentation changes, a
 * reglament of processes/ unchanged (no new version), and a reglament whose documentation changes (a
 * new version: applications started after it run on it, running ones stay on theirs).
 * It prints its counts and, last, one line `FAULT-INJECTION-RESULT <json>`; exit code 0 when every
 * check passed.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describeProcess, FormField } from '../src/definitions/model';
import { parseBpmn } from '../src/definitions/parse';
import { SHARED_FLOW_KEYS } from '../src/handlers/support';
import { sha256Hex } from '../src/identity/users';
import { startSimulators } from '../src/simulators';
import { SimulatorControl, simulatorAdapters } from '../test/support/simulators';

// ---------------------------------------------------------------------------------------------
// Arguments, randomness, users

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a non-negative number`);
  return n;
}

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'dist/src/server.js');
const PROCESSES_DIR = process.env.PROCESSES_DIR ? path.resolve(process.env.PROCESSES_DIR) : path.join(ROOT, 'processes');

/** mulberry32: a small seeded generator, so a failing run can be repeated with --seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const token = (id: string) => `fault-token-${id}`;
const userOfGroup = (group: string) => (group === 'admin' ? 'admin' : `${group}-clerk`);

function groupsOfDiagrams(dir: string): string[] {
  const groups = new Set<string>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.bpmn'))) {
    const xml = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const m of xml.matchAll(/camunda:candidateGroups="([^"]*)"/g)) m[1].split(',').forEach((g) => g.trim() && groups.add(g.trim()));
    for (const m of xml.matchAll(/<camunda:property name="group" value="([^"]*)"/g)) groups.add(m[1]);
  }
  return [...groups].sort();
}

/**
 * A proxy in front of a simulator that passes every request on at once and holds the answer for
 * `latencyMs`: with slow external systems a step takes long enough for many kills to land inside
 * it, after some of its side effects and before its commit.
 */
let externalCalls = 0;
/** Called when a side-effecting call (PUT/POST to a system's /api) reached its system; the killer may be waiting for one. */
let onSideEffect: (() => void) | undefined;
async function slowProxy(target: string, latencyMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const to = new URL(target);
  const server = http.createServer((req, res) => {
    externalCalls++;
    const sideEffect = (req.method === 'PUT' || req.method === 'POST') && (req.url ?? '').startsWith('/api/');
    // The request reaches the system at once (its side effect happens); the answer comes late.
    const upstream = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        if (sideEffect) onSideEffect?.();
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(chunks));
        }, latencyMs);
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// The server under test: started, killed with SIGKILL, started again

class ServerUnderTest {
  private child?: ChildProcess;
  private url: string | null = null;
  private waiting: ((url: string) => void)[] = [];
  starts = 0;
  kills = 0;
  log: string[] = [];

  constructor(private readonly env: Record<string, string>) {}

  /** The base URL of the running server; waits while it is (re)starting. */
  current(): Promise<string> {
    if (this.url) return Promise.resolve(this.url);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [SERVER], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
    this.child = child;
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/\S+)\/api/.exec(output);
        if (match) resolve(match[1]);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (c: Buffer) => {
        output += c.toString();
        this.log.push(c.toString());
        if (this.log.length > 200) this.log.shift();
      });
      child.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${output.slice(-4000)}`)));
    });
    this.starts++;
    this.url = url;
    for (const w of this.waiting.splice(0)) w(url);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.url = null;
    this.child = undefined;
    await new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    this.kills++;
  }

  async stop(): Promise<void> {
    await this.kill();
    this.kills--;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP with kills in mind

class Cut extends Error {}

interface Answer {
  status: number;
  body: any;
}

function makeClient(server: ServerUnderTest) {
  /** One attempt; a connection the kill cut off is a Cut (the caller decides whether to repeat). */
  async function once(user: string, method: string, route: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Answer> {
    const url = await server.current();
    const headers: Record<string, string> = { ...extraHeaders, authorization: `Bearer ${token(user)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${url}/api${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
      text = await response.text();
    } catch (error) {
      throw new Cut(`${method} ${route}: ${error instanceof Error ? error.message : String(error)}`);
    }
    let parsed: unknown = text || undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: a diagram's XML
    }
    return { status: response.status, body: parsed };
  }
  /** Reads are repeated until a server answers them. */
  async function read(user: string, route: string): Promise<Answer> {
    for (;;) {
      try {
        return await once(user, 'GET', route);
      } catch (error) {
        if (!(error instanceof Cut)) throw error;
        await sleep(20);
      }
    }
  }
  return { once, read };
}

// ---------------------------------------------------------------------------------------------
// Values that satisfy a form

function valueFor(field: FormField, random: () => number): unknown {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  switch (field.type) {
    case 'boolean':
      return random() < 0.75; // mostly the positive branch, so that paths reach their last steps
    case 'enum': {
      const values = (field.values ?? []).map((v) => v.id);
      if (values.length === 0) return undefined;
      // Prefer an "issued"-like value three times out of four where there is one.
      const positive = values.find((v) => /^(issued|issue|yes|approved|positive|met)$/.test(v));
      return positive && random() < 0.75 ? positive : pick(values);
    }
    case 'long': {
      const min = field.min ?? 1;
      const max = field.max ?? Math.max(min, 10);
      return Math.min(max, Math.max(min, Math.floor(min + random() * (max - min + 1))));
    }
    case 'date':
      return new Date().toISOString().slice(0, 10);
    default: {
      const digits = field.pattern ? /^\^?\\d\{(\d+)\}\$?$/.exec(field.pattern) : null;
      if (digits) return Array.from({ length: Number(digits[1]) }, () => Math.floor(random() * 10)).join('');
      const text = 'Тексеру нәтижесі (fault injection)';
      const max = field.maxlength ?? text.length;
      return text.slice(0, Math.max(field.minlength ?? 1, Math.min(max, text.length))).padEnd(field.minlength ?? 0, 'x');
    }
  }
}

function formValues(fields: FormField[], random: () => number, given: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (given[field.id] !== undefined) continue;
    const value = valueFor(field, random);
    if (value !== undefined) out[field.id] = value;
  }
  return { ...out, ...given };
}

// ---------------------------------------------------------------------------------------------
// The run

interface Application {
  key: string;
  businessKey: string;
  variables: Record<string, unknown>;
  rootId?: string;
  done: boolean;
  error?: string;
}

export interface FaultInjectionResult {
  ok: boolean;
  seed: number;
  reglaments: string[];
  instances: number;
  instancesTotal: number;
  kills: number;
  serverStarts: number;
  steps: number;
  cutRequests: number;
  /** Starts repeated after a kill that the server answered with the instance the first attempt made. */
  replayedStarts: number;
  /** Deployments answered 2xx during the run (new versions among them), and those a kill cut off. */
  deployments: { answered: number; newVersions: number; cut: number };
  /** Completions answered 200, each checked to be stored whole. */
  acknowledgedCompletions: number;
  outcomes: Record<string, number>;
  sideEffects: Record<string, number>;
  orphanSideEffects: Record<string, number>;
  failures: string[];
  seconds: number;
}

async function main(): Promise<FaultInjectionResult> {
  const began = Date.now();
  const killsWanted = arg('kills', 200);
  const seed = arg('seed', Math.floor(Math.random() * 1e9));
  const workers = Math.max(1, arg('workers', 6));
  const minUptime = arg('min-uptime-ms', 150);
  const maxUptime = Math.max(minUptime, arg('max-uptime-ms', 900));
  const random = rng(seed);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reglament-faults-'));
  const groups = groupsOfDiagrams(PROCESSES_DIR);
  const users = [{ id: 'admin', groups: ['admin'] }, ...groups.map((g) => ({ id: userOfGroup(g), groups: [g] }))];
  const usersFile = path.join(dir, 'users.json');
  fs.writeFileSync(usersFile, JSON.stringify(users.map((u) => ({ id: u.id, name: u.id, groups: u.groups, tokenSha256: sha256Hex(token(u.id)) }))));

  const simulators = await startSimulators({ host: '127.0.0.1', employees: users.map((u) => u.id), dataDir: path.join(dir, 'simulators') });
  const sim = new SimulatorControl(simulators, simulatorAdapters(simulators), () => new Date());
  let paymentChecks = 0;
  const find = simulators.payments.find.bind(simulators.payments);
  simulators.payments.find = (payer: string, service?: string) => {
    paymentChecks++;
    return find(payer, service);
  };

  const latency = arg('latency-ms', 30);
  const afterSideEffect = Math.min(1, arg('after-side-effect', 0.5));
  const strictOrphans = arg('strict-orphans', 1) > 0;
  const proxies = await Promise.all((['egov-portal', 'payment-gateway', 'elicense', 'gbd', 'state-corporation', 'cabinet', 'ca'] as const).map(async (system) => [system, await slowProxy(simulators.urls[system], latency)] as const));
  const via = Object.fromEntries(proxies.map(([system, proxy]) => [system, proxy.url])) as Record<(typeof proxies)[number][0], string>;
  const server = new ServerUnderTest({
    DATA_DIR: dir,
    DB_FILE: path.join(dir, 'faults.sqlite'),
    PROCESSES_DIR,
    USERS_FILE: usersFile,
    PORT: '0',
    HOST: '127.0.0.1',
    TIMER_POLL_MS: '0',
    EGOV_PORTAL_URL: via['egov-portal'],
    PAYMENT_GATEWAY_URL: via['payment-gateway'],
    ELICENSE_URL: via.elicense,
    GBD_URL: via.gbd,
    STATE_CORPORATION_URL: via['state-corporation'],
    CABINET_URL: via.cabinet,
    CA_URL: via.ca,
    EXTERNAL_BACKOFF_MS: '20',
  });
  const failures: string[] = [];
  const fail = (message: string) => {
    if (failures.length < 200) failures.push(message);
  };
  const api = makeClient(server);
  let steps = 0;
  let cut = 0;
  let replayedStarts = 0;
  const acknowledged: { taskId: string; instanceId: string; activityId: string; label: string }[] = [];
  const deployments: { key: string; version: number; source: string; created: boolean; label: string }[] = [];
  let deploymentsCut = 0;

  try {
    await server.start();

    // The reglaments and their forms, read from what the server deployed.
    const definitions = (await api.read('admin', '/process-definitions')).body as { key: string }[];
    const reglaments = definitions.map((d) => d.key).filter((k) => !SHARED_FLOW_KEYS.has(k)).sort();
    const startForms = new Map<string, FormField[]>();
    for (const key of reglaments) {
      const xml = (await fetch(`${await server.current()}/api/process-definitions/${key}/xml`, { headers: { authorization: `Bearer ${token('admin')}` } }).then((r) => r.text())) as string;
      const parsed = await parseBpmn(xml, `${key}.bpmn`);
      startForms.set(key, describeProcess(parsed.definitions!).startFormFields);
    }
    const instancesWanted = arg('instances', reglaments.length * 2);

    // Applications: every reglament in turn, each with a fresh applicant prepared in the simulators.
    // --instances is the least number; while kills are still due, more are made so that every kill
    // lands on a server at work.
    const applications: Application[] = [];
    async function makeApplication(): Promise<Application> {
      const i = applications.length;
      const key = reglaments[i % reglaments.length];
      const fields = startForms.get(key)!;
      const chosen = formValues(fields, random);
      const kindField = fields.find((f) => f.id === 'applicantKind');
      const kind = (kindField ? chosen.applicantKind : random() < 0.5 ? 'individual' : 'legal-entity') as 'individual' | 'legal-entity';
      const app: Application = { key, businessKey: `FI-${seed}-${i}`, variables: {}, done: false };
      applications.push(app);
      const applicant = await sim.prepareApplicant({ kind, processKey: key });
      const declared = new Set(fields.map((f) => f.id));
      app.variables = { ...chosen };
      for (const [name, value] of Object.entries(applicant)) if (declared.has(name) || name === 'signedRequest') app.variables[name] = value;
      return app;
    }

    // The killer: after a random uptime (requests in flight), SIGKILL and start again.
    let workDone = false;
    const killer = (async () => {
      while (server.kills < killsWanted && !workDone) {
        // Half the kills at a random moment; half right after a side effect reached its system and
        // before the server has its answer (the window between a side effect and the step's commit).
        const uptime = sleep(minUptime + random() * (maxUptime - minUptime));
        if (random() < afterSideEffect) {
          await sleep(minUptime);
          // The 1st, 2nd or 3rd side effect from now: a step with several (decision, then notification) is hit at each.
          let skip = Math.floor(random() * 3);
          await Promise.race([new Promise<void>((resolve) => (onSideEffect = () => (skip-- <= 0 ? resolve() : undefined))), uptime.then(() => sleep(maxUptime))]);
          onSideEffect = undefined;
        } else await uptime;
        if (workDone) break;
        await server.kill();
        await server.start();
      }
    })();

    // The deployer: a deployment every few steps, through the same kills.
    const deployEvery = arg('deploy-every', 5);
    const fixture = fs.readFileSync(path.join(ROOT, 'test/fixtures/processes/write-lock/lock-chain.bpmn'), 'utf8');
    const deployer = (async () => {
      if (deployEvery <= 0) return;
      for (let n = 0; !workDone; n++) {
        const due = steps + deployEvery;
        while (steps < due && !workDone) await sleep(20);
        if (workDone) break;
        const reglament = reglaments[n % reglaments.length];
        const original = fs.readFileSync(path.join(PROCESSES_DIR, `${reglament}.bpmn`), 'utf8');
        const kinds = [
          { label: `fixture lock-chain #${n}`, name: 'lock-chain.bpmn', source: fixture.replace('revision 0.', `revision ${seed}-${n}.`) },
          { label: `${reglament} unchanged`, name: `${reglament}.bpmn`, source: original },
          { label: `${reglament} documentation #${n}`, name: `${reglament}.bpmn`, source: original.replace('</bpmn:definitions>', `<!-- fault injection ${seed}-${n} --></bpmn:definitions>`) },
        ];
        const { label, name, source } = kinds[n % kinds.length];
        try {
          const res = await api.once('admin', 'POST', '/deployments', { name: `fault injection ${n}`, resources: [{ name, source }] });
          if (res.status !== 201 && res.status !== 200) fail(`deployment ${label}: ${res.status} ${JSON.stringify(res.body)}`);
          else for (const d of res.body.definitions) deployments.push({ key: d.key, version: d.version, source, created: d.created, label });
        } catch (error) {
          if (!(error instanceof Cut)) throw error;
          deploymentsCut++;
        }
      }
    })();

    const taskForms = new Map<string, FormField[]>();
    const taskValues = new Map<string, Record<string, unknown>>();

    async function rootOf(app: Application): Promise<any | undefined> {
      const items = (await api.read('admin', `/process-instances?businessKey=${encodeURIComponent(app.businessKey)}&maxResults=1000`)).body.items as any[];
      const roots = items.filter((i) => !i.parentInstanceId);
      if (roots.length > 1) fail(`${app.businessKey}: ${roots.length} root instances (a start was applied twice)`);
      return roots[0];
    }

    async function start(app: Application): Promise<void> {
      // A request the kill cut off is sent again with the same Idempotency-Key: the server answers
      // with the instance the first one made (200) or, if the kill discarded it, makes the same one.
      for (;;) {
        try {
          const res = await api.once(userOfGroup('office'), 'POST', `/process-definitions/${app.key}/start`, { businessKey: app.businessKey, variables: app.variables }, { 'idempotency-key': app.businessKey });
          if (res.status !== 201 && res.status !== 200) throw new Error(`start ${app.key}: ${res.status} ${JSON.stringify(res.body)}`);
          app.rootId = res.body.id;
          if (res.status === 201) steps++;
          else replayedStarts++;
          await rootOf(app); // fails the run if a start was applied twice
          return;
        } catch (error) {
          if (!(error instanceof Cut)) throw error;
          cut++;
        }
      }
    }

    async function complete(app: Application, task: any): Promise<void> {
      if (!taskForms.has(task.id)) {
        const full = await api.read('admin', `/tasks/${task.id}`);
        if (full.status !== 200) throw new Error(`task ${task.id}: ${full.status}`);
        taskForms.set(task.id, full.body.formFields as FormField[]);
      }
      const group = (task.candidateGroups as string[])[0] ?? 'admin';
      const user = users.some((u) => u.id === userOfGroup(group)) ? userOfGroup(group) : 'admin';
      // A retry after a kill sends the same values, as a careful client repeats the same request.
      if (!taskValues.has(task.id)) taskValues.set(task.id, formValues(taskForms.get(task.id)!, random));
      const variables = taskValues.get(task.id)!;
      try {
        const res = await api.once(user, 'POST', `/tasks/${task.id}/complete`, { variables });
        if (res.status === 200) {
          steps++;
          acknowledged.push({ taskId: task.id, instanceId: task.processInstanceId, activityId: task.taskDefinitionKey, label: `${app.key}/${task.taskDefinitionKey}` });
        }
        else if (res.status !== 409) throw new Error(`complete ${app.key}/${task.taskDefinitionKey}: ${res.status} ${JSON.stringify(res.body)}`);
      } catch (error) {
        if (!(error instanceof Cut)) throw error;
        cut++; // the next round reloads the tasks: completed, or still open and tried again
      }
    }

    async function drive(app: Application): Promise<void> {
      await start(app);
      for (let round = 0; round < 500; round++) {
        const root = (await api.read('admin', `/process-instances/${app.rootId}`)).body;
        if (root.state !== 'running') {
          app.done = true;
          return;
        }
        const tasks = (await api.read('admin', `/tasks?businessKey=${encodeURIComponent(app.businessKey)}&maxResults=1000`)).body.items as any[];
        if (tasks.length === 0) {
          const tree = new Set(((await api.read('admin', `/process-instances?businessKey=${encodeURIComponent(app.businessKey)}&maxResults=1000`)).body.items as any[]).map((i) => i.id));
          const mine = ((await api.read('admin', `/incidents`)).body as any[]).filter((i) => tree.has(i.processInstanceId));
          if (mine.length > 0) {
            try {
              await api.once('admin', 'POST', `/process-instances/${mine[0].processInstanceId}/retry`);
            } catch (error) {
              if (!(error instanceof Cut)) throw error;
            }
          }
          await sleep(20);
          continue;
        }
        for (const task of tasks) await complete(app, task);
      }
      throw new Error(`${app.businessKey} (${app.key}) did not finish in 500 rounds`);
    }

    const next = async (): Promise<Application | undefined> => (applications.length < instancesWanted || server.kills < killsWanted ? makeApplication() : undefined);
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let app = await next(); app; app = await next()) {
          try {
            await drive(app);
          } catch (error) {
            app.error = error instanceof Error ? error.message : String(error);
            fail(`${app.businessKey} (${app.key}): ${app.error}`);
          }
        }
      }),
    );
    workDone = true;
    await killer;
    await deployer;
    if (server.kills < killsWanted) fail(`only ${server.kills} of ${killsWanted} kills happened`);

    // ------------------------------------------------------------------------------------------
    // Checks, with the server up for good
    const all: any[] = [];
    for (let first = 0; ; first += 1000) {
      const page = (await api.read('admin', `/process-instances?firstResult=${first}&maxResults=1000`)).body;
      all.push(...page.items);
      if (all.length >= page.total || page.items.length === 0) break;
    }
    const byId = new Map(all.map((i) => [i.id, i]));
    const rootIdOf = (instance: any): string => (instance.parentInstanceId && byId.has(instance.parentInstanceId) ? rootIdOf(byId.get(instance.parentInstanceId)) : instance.id);
    const tasks = (await api.read('admin', `/tasks?state=all&maxResults=1000`)).body;
    const allTasks: any[] = [...tasks.items];
    for (let first = 1000; allTasks.length < tasks.total; first += 1000) allTasks.push(...(await api.read('admin', `/tasks?state=all&firstResult=${first}&maxResults=1000`)).body.items);
    const openTasks = allTasks.filter((t) => t.state === 'open');

    const outcomes: Record<string, number> = {};
    for (const app of applications) {
      const roots = all.filter((i) => i.businessKey === app.businessKey && !i.parentInstanceId);
      if (roots.length !== 1) fail(`${app.businessKey}: ${roots.length} root instances`);
      const root = roots[0];
      if (!root) continue;
      const label = `${app.key} -> ${root.state === 'completed' ? root.outcome : root.state}`;
      outcomes[label] = (outcomes[label] ?? 0) + 1;
    }
    for (const instance of all) {
      if (instance.businessKey && !applications.some((a) => a.businessKey === instance.businessKey)) fail(`instance ${instance.id} has an unknown business key ${instance.businessKey}`);
      const waitsOnTask = openTasks.some((t) => t.processInstanceId === instance.id);
      const waitsOnChild = all.some((c) => c.parentInstanceId === instance.id && c.state === 'running');
      if (instance.state !== 'completed' && !(instance.state === 'running' && (waitsOnTask || waitsOnChild))) fail(`instance ${instance.id} (${instance.processDefinitionKey}) is ${instance.state} and waits on no task`);
    }
    const incidents = (await api.read('admin', '/incidents')).body as any[];
    for (const incident of incidents) fail(`open incident ${incident.id} on ${incident.processInstanceId} at ${incident.activityId}: ${incident.message}`);

    // Each history has each step once.
    for (const instance of all) {
      const history = (await api.read('admin', `/process-instances/${instance.id}/history`)).body as any[];
      const once = (type: string, keyOf: (h: any) => string) => {
        const seen = new Map<string, number>();
        for (const h of history.filter((x) => x.type === type)) seen.set(keyOf(h), (seen.get(keyOf(h)) ?? 0) + 1);
        for (const [k, n] of seen) if (n > 1) fail(`instance ${instance.id} (${instance.processDefinitionKey}): ${type} ${k} ${n} times`);
      };
      once('instance-started', () => 'start');
      once('instance-completed', () => 'end');
      once('task-created', (h) => h.data?.taskId);
      once('task-created', (h) => h.activityId);
      once('task-completed', (h) => h.data?.taskId);
      once('activity-end', (h) => h.activityId);
      once('service-completed', (h) => h.activityId);
      once('call-started', (h) => h.activityId);
      const completedTasks = allTasks.filter((t) => t.processInstanceId === instance.id && t.state === 'completed').map((t) => t.id).sort();
      const completedInHistory = history.filter((h) => h.type === 'task-completed').map((h) => h.data?.taskId).sort();
      if (JSON.stringify(completedTasks) !== JSON.stringify(completedInHistory)) fail(`instance ${instance.id}: completed tasks ${completedTasks.length} vs history ${completedInHistory.length}`);
    }

    // Every completion answered 200 is stored whole; every deployment answered 2xx holds what it reported.
    const historyOf = new Map<string, any[]>();
    for (const { taskId, instanceId, activityId, label } of acknowledged) {
      if (!historyOf.has(instanceId)) historyOf.set(instanceId, (await api.read('admin', `/process-instances/${instanceId}/history`)).body as any[]);
      const history = historyOf.get(instanceId)!;
      const task = allTasks.find((t) => t.id === taskId);
      if (task?.state !== 'completed') fail(`completion of ${label} (task ${taskId}) was answered 200, the task is ${task?.state ?? 'missing'}`);
      const recorded = history.filter((h) => h.type === 'task-completed' && h.data?.taskId === taskId).length;
      if (recorded !== 1) fail(`completion of ${label} (task ${taskId}) was answered 200, the history records it ${recorded} times`);
      if (!history.some((h) => h.type === 'activity-end' && h.activityId === activityId)) fail(`completion of ${label} (task ${taskId}) was answered 200, the engine never left the task (no successor stored)`);
    }
    for (const d of deployments) {
      const stored = await api.read('admin', `/process-definitions/${d.key}/xml?version=${d.version}`);
      if (stored.status !== 200 || stored.body !== d.source) {
        if (d.created || stored.status !== 200) fail(`deployment ${d.label} was answered with version ${d.version} of ${d.key}, which is ${stored.status === 200 ? 'other content' : `missing (${stored.status})`}`);
      }
    }

    // Side effects seen by the simulators.
    const orphans: Record<string, number> = { elicenseRegistrations: 0, stateCorporationRegistrations: 0, cabinetNotifications: 0 };
    const perTree = (kind: string, instanceId: string, counts: Map<string, number>) => {
      const instance = byId.get(instanceId);
      if (!instance) {
        orphans[kind]++;
        return undefined;
      }
      const key = `${rootIdOf(instance)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return instance;
    };
    const elicensePerTree = new Map<string, number>();
    let elicenseReplays = 0;
    for (const request of simulators.elicense.requests.values()) {
      elicenseReplays += request.registrationCalls - 1;
      const instance = perTree('elicenseRegistrations', request.requestId, elicensePerTree);
      if (!instance) continue;
      const root = byId.get(rootIdOf(instance));
      const vars = { ...root.variables, ...instance.variables };
      if (vars.elicenseRequestNumber !== request.requestNumber) fail(`E-licensing request ${request.requestNumber} of ${instance.id}: the instance stored ${vars.elicenseRequestNumber}`);
      if (request.licenceNumber && root.variables.licenceNumber !== request.licenceNumber) fail(`E-licensing licence ${request.licenceNumber} of ${root.id}: the instance stored ${root.variables.licenceNumber}`);
      if (request.decision && vars.decision && request.decision !== vars.decision && !(request.decision === 'refused' && vars.decision !== 'issued')) fail(`E-licensing decision ${request.decision} of ${root.id}: the instance decided ${vars.decision}`);
    }
    for (const [root, n] of elicensePerTree) if (n > 1) fail(`instance tree ${root}: ${n} E-licensing registrations`);
    // Applications whose applicant E-licensing now knows twice: a registration of a start the kill discarded, and the real one.
    const registeredIinBins = new Map<string, number>();
    for (const request of simulators.elicense.requests.values()) registeredIinBins.set(request.applicantIinBin, (registeredIinBins.get(request.applicantIinBin) ?? 0) + 1);
    const applicationsRegisteredTwice = applications.filter((a) => (registeredIinBins.get(String(a.variables.applicantIinBin)) ?? 0) > 1).length;

    const scPerTree = new Map<string, number>();
    let scReplays = 0;
    for (const application of simulators.stateCorporation.applications.values()) {
      scReplays += application.calls - 1;
      const instance = perTree('stateCorporationRegistrations', application.requestId, scPerTree);
      if (instance) {
        const root = byId.get(rootIdOf(instance));
        const stored = instance.variables.scReceiptNumber ?? root.variables.scReceiptNumber;
        if (stored !== application.receiptNumber) fail(`State corporation receipt ${application.receiptNumber} of ${instance.id}: the instance stored ${stored}`);
      }
    }
    for (const [root, n] of scPerTree) if (n > 1) fail(`instance tree ${root}: ${n} State corporation registrations`);

    let signedResults = 0;
    for (const notification of simulators.cabinet.notifications.values()) {
      const [instanceId] = notification.key.split(':');
      const instance = byId.get(instanceId);
      if (!instance) {
        orphans.cabinetNotifications++;
        continue;
      }
      if (instance.variables.notificationId !== undefined && instance.state === 'completed') {
        // The last notification of the instance is the one whose id it stored; earlier ones were overwritten by later steps.
      }
      if (notification.notice === 'result') {
        signedResults++;
        if (notification.document !== instance.variables.resultDocument) fail(`instance ${instance.id}: the recipient's cabinet holds a result document other than the one the instance stored (signed twice)`);
      }
    }

    if (strictOrphans) {
      for (const [kind, n] of Object.entries(orphans)) if (n > 0) fail(`${n} orphan ${kind}: a side effect of a step the kill discarded belongs to no instance`);
      if (applicationsRegisteredTwice > 0) fail(`${applicationsRegisteredTwice} application(s) registered twice in E-licensing`);
    }
    const result: FaultInjectionResult = {
      ok: failures.length === 0,
      seed,
      reglaments,
      instances: applications.length,
      instancesTotal: all.length,
      kills: server.kills,
      serverStarts: server.starts,
      steps,
      cutRequests: cut,
      replayedStarts,
      deployments: { answered: deployments.length, newVersions: deployments.filter((d) => d.created).length, cut: deploymentsCut },
      acknowledgedCompletions: acknowledged.length,
      outcomes,
      sideEffects: {
        elicenseRegistrations: simulators.elicense.requests.size,
        elicenseReplays,
        stateCorporationRegistrations: simulators.stateCorporation.applications.size,
        stateCorporationReplays: scReplays,
        cabinetNotifications: simulators.cabinet.notifications.size,
        signedResultsDelivered: signedResults,
        paymentChecks,
        externalCalls,
      },
      orphanSideEffects: { ...orphans, applicationsRegisteredTwice },
      failures,
      seconds: Math.round((Date.now() - began) / 1000),
    };
    return result;
  } finally {
    await server.stop();
    await Promise.all(proxies.map(([, proxy]) => proxy.close()));
    await simulators.close();
    if (!process.env.KEEP_FAULTS_DIR) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    (result) => {
      console.log(`fault injection (seed ${result.seed}): ${result.instances} applications of ${result.reglaments.length} reglaments (${result.instancesTotal} instances with shared flows), ${result.kills} kills (SIGKILL), ${result.serverStarts} server starts, ${result.steps} steps, ${result.cutRequests} requests cut off by a kill, ${result.seconds} s`);
      console.log('outcomes:');
      for (const [k, n] of Object.entries(result.outcomes).sort()) console.log(`  ${String(n).padStart(4)}  ${k}`);
      console.log(`deployments during the run: ${result.deployments.answered} answered (${result.deployments.newVersions} new versions), ${result.deployments.cut} cut off by a kill; completions answered 200 and checked stored whole: ${result.acknowledgedCompletions}`);
      console.log(`side effects: ${JSON.stringify(result.sideEffects)}`);
      console.log(`orphan side effects (steps a kill discarded before their commit): ${JSON.stringify(result.orphanSideEffects)}`);
      console.log(result.ok ? 'every check passed' : `${result.failures.length} check(s) failed:\n  ${result.failures.join('\n  ')}`);
      console.log(`FAULT-INJECTION-RESULT ${JSON.stringify(result)}`);
      process.exitCode = result.ok ? 0 : 1;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.stack ?? error.message : error);
      process.exitCode = 2;
    },
  );
}
