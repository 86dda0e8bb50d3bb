import { ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { callApi, tempDir, tokenOf, writeUsersFile } from '../support/test-host';

/*
 * The rolling upgrade of docs/operations.md on two built servers (dist/, which `npm test` builds
 * first) sharing one PostgreSQL schema: while four clients keep starting applications and completing
 * their two tasks through a client that sends each request to the next server and retries it on the
 * other when the connection is refused, server A is stopped (SIGTERM), the schema is migrated, A is
 * started again, then the same for B. No request may fail except refused connections, each retried;
 * at the end every application has ended, each task once.
 *
 * The "new version" is this same build: its own migrations have all run, so the one step the upgrade
 * migrates is an additive change the test applies itself while B, the old version, still serves (a
 * nullable column, the kind of change a rolling upgrade allows; see docs/operations.md).
 *
 * Several server processes on one database are a PostgreSQL deployment (sqlite has one writer), so
 * without TEST_DATABASE_URL (which `npm run test:postgres` sets) this test is skipped.
 */
const DATABASE_URL = process.env.TEST_DATABASE_URL;
const describeOnPostgres = DATABASE_URL ? describe : describe.skip;
const serverScript = path.resolve(__dirname, '../../dist/src/server.js');
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/rolling-upgrade');
const KEY = 'fixture-two-reviews';
const CLIENTS = 4;

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverScript], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)\/api/.exec(output);
      if (match) resolve({ child, url: match[1], exited });
    });
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

interface Answer {
  status: number;
  body: any;
}

/** One request on a connection of its own; rejects with the connection error when there is no answer. */
function send(url: string, method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/api${route}`, { method, agent: false, headers: { authorization: `Bearer ${tokenOf('office-user')}`, 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Errors that say the request never reached a server that would answer it: sent again to the next server. */
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The client side of a load balancer: round robin over the servers it is told of, a refused connection retried on the next. */
class RetryingClient {
  servers: string[] = [];
  retried = 0;
  /** Completions answered 200, per server URL. */
  readonly completedVia = new Map<string, number>();
  private next = 0;

  async request(method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const url = this.servers[this.next++ % this.servers.length];
      try {
        const answer = await send(url, method, route, body, headers);
        if (answer.status === 200 && route.endsWith('/complete')) this.completedVia.set(url, (this.completedVia.get(url) ?? 0) + 1);
        return answer;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (!CONNECTION_ERRORS.has(code) || attempt >= 200) throw error;
        this.retried++;
        await sleep(25);
      }
    }
  }

  completions(): number {
    return [...this.completedVia.values()].reduce((a, b) => a + b, 0);
  }
}

/** Waits until `done()` holds; fails (rather than hanging) after a minute. */
async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await sleep(50);
  }
}

describeOnPostgres('rolling upgrade of two servers on PostgreSQL', () => {
  const dir = tempDir();
  const schema = `t_${path.basename(dir).replace(/[^a-zA-Z0-9]/g, '_').toLowerCase()}`;
  const env = {
    DB_FILE: path.join(dir, 'unused.sqlite'),
    DATABASE_URL: DATABASE_URL!,
    DATABASE_SCHEMA: schema,
    USERS_FILE: writeUsersFile(dir, ['office']),
    PROCESSES_DIR: FIXTURES,
    DATA_DIR: dir,
    PORT: '0',
    TIMER_POLL_MS: '100',
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '20000',
  };
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.child.kill('SIGKILL')));

  it('keeps clients completing tasks while both servers are replaced, one after the other', async () => {
    servers.push(await startServer(env), await startServer(env));
    const client = new RetryingClient();
    client.servers = servers.map((s) => s.url);

    const failures: string[] = [];
    const applications: string[] = [];
    let stop = false;
    const expect200 = (what: string, answer: Answer, ok = [200]) => {
      if (!ok.includes(answer.status)) failures.push(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return ok.includes(answer.status);
    };
    const work = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const businessKey = `ROLL-${n}-${i}`;
        const started = await client.request('POST', `/process-definitions/${KEY}/start`, { businessKey }, { 'idempotency-key': businessKey });
        // 200: the same start sent again after a refused connection, answered from its first run.
        if (!expect200(`start ${businessKey}`, started, [201, 200])) return;
        applications.push(started.body.id);
        for (const step of ['first', 'second']) {
          const open = await client.request('GET', `/tasks?processInstanceId=${started.body.id}`);
          if (!expect200(`tasks of ${businessKey}`, open)) return;
          const task = open.body.items[0];
          if (open.body.items.length !== 1 || task.taskDefinitionKey !== step) {
            failures.push(`${businessKey} before ${step}: open tasks ${JSON.stringify(open.body.items.map((t: any) => t.taskDefinitionKey))}`);
            return;
          }
          if (!expect200(`complete ${step} of ${businessKey}`, await client.request('POST', `/tasks/${task.id}/complete`, {}))) return;
        }
      }
    };
    const clients = Promise.all(Array.from({ length: CLIENTS }, (_, n) => work(n).catch((e: Error) => void failures.push(`client ${n}: ${e.message}`))));

    await until('the first completions', () => client.completions() >= 10 || failures.length > 0);
    for (const i of [0, 1]) {
      const old = servers[i];
      old.child.kill('SIGTERM');
      expect(await old.exited).toBe(0);
      if (i === 0) {
        // Migrate while B, the old version, goes on serving.
        const pg = new DataSource({ type: 'postgres', url: DATABASE_URL });
        await pg.initialize();
        try {
          await pg.query(`ALTER TABLE "${schema}"."process_instances" ADD COLUMN "rollingUpgradeProbe" character varying(16)`);
        } finally {
          await pg.destroy();
        }
      }
      const fresh = await startServer(env);
      servers[i] = fresh;
      client.servers[i] = fresh.url;
      await until(`completions through the new server ${i === 0 ? 'A' : 'B'}`, () => (client.completedVia.get(fresh.url) ?? 0) >= 5 || failures.length > 0);
    }
    stop = true;
    await clients;

    expect(failures).toEqual([]);
    // While a server was down its address was still in the client's list: those requests were refused and sent again.
    expect(client.retried).toBeGreaterThan(0);
    expect(applications.length).toBeGreaterThan(0);
    // Every application ended, each of its tasks completed once, none started twice.
    const url = servers[0].url;
    for (const id of applications) {
      const instance = (await callApi(url, 'admin', 'GET', `/process-instances/${id}`)).body;
      const history = (await callApi(url, 'admin', 'GET', `/process-instances/${id}/history`)).body as { type: string; activityId: string | null }[];
      expect([id, instance.state, history.filter((h) => h.type === 'task-completed').map((h) => h.activityId), history.filter((h) => h.type === 'instance-completed').length]).toEqual([id, 'completed', ['first', 'second'], 1]);
    }
    expect(new Set(applications).size).toBe(applications.length);
    expect((await callApi(url, 'admin', 'GET', `/process-instances?processDefinitionKey=${KEY}`)).body.total).toBe(applications.length);
    expect((await callApi(url, 'admin', 'GET', `/tasks?processDefinitionKey=${KEY}`)).body.total).toBe(0);

    for (const server of servers) {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
    servers.length = 0;
  }, 240_000);
});
