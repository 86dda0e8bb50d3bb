import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { callApi, tempDir, writeUsersFile } from '../support/test-host';

/*
 * Two server processes on one PostgreSQL database (TEST_DATABASE_URL, default the local test
 * database): clerks are served by both at once, and a timer that both poll for fires once (leases).
 * Several processes are a PostgreSQL deployment; sqlite has one writer and is the single-process default.
 */
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const serverScript = path.resolve(__dirname, '../../dist/src/server.js');
const fixtures = path.resolve(__dirname, '../fixtures/processes/two-servers');

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverScript], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)\/api/.exec(output);
      if (match) resolve({ child, url: match[1] });
    });
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('two server processes on one database', () => {
  const dir = tempDir();
  const env = {
    DB_FILE: path.join(dir, 'shared.sqlite'),
    USERS_FILE: writeUsersFile(dir, ['office']),
    PROCESSES_DIR: fixtures,
    DATA_DIR: dir,
    PORT: '0',
    TIMER_POLL_MS: '100',
    DATABASE_URL,
    DATABASE_SCHEMA: `t_${path.basename(dir).replace(/[^a-zA-Z0-9]/g, '_').toLowerCase()}`,
  };
  let a: { child: ChildProcess; url: string };
  let b: { child: ChildProcess; url: string };

  beforeAll(async () => {
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map((s) => stop(s.child)));
  });

  it('serves clerks on both and fires each timer once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const server = i % 2 === 0 ? a : b;
      const res = await callApi(server.url, 'olga-office', 'POST', '/process-definitions/fixture-short-timer/start', { businessKey: `TWO-${i}` });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    // Half are completed at once, each through the other server than the one that started it.
    const completions = await Promise.all(
      ids.slice(0, 6).map(async (id, i) => {
        const server = i % 2 === 0 ? b : a;
        const task = (await callApi(server.url, 'olga-office', 'GET', `/tasks?processInstanceId=${id}`)).body.items[0];
        return (await callApi(server.url, 'olga-office', 'POST', `/tasks/${task.id}/complete`, {})).status;
      }),
    );
    expect(completions).toEqual([200, 200, 200, 200, 200, 200]);

    // The other half wait for their 15-second timers, which both servers poll for every 100 ms. (The
    // timer is long enough that, on a busy CI machine, none expires before the first half is completed.)
    const deadline = Date.now() + 45_000;
    for (;;) {
      const running = (await callApi(a.url, 'admin', 'GET', '/process-instances?processDefinitionKey=fixture-short-timer&state=running')).body.total;
      if (running === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const [i, id] of ids.entries()) {
      const instance = (await callApi(b.url, 'admin', 'GET', `/process-instances/${id}`)).body;
      expect(instance).toMatchObject({ state: 'completed', outcome: i < 6 ? 'done' : 'expired' });
      const history = (await callApi(a.url, 'admin', 'GET', `/process-instances/${id}/history`)).body;
      expect(history.filter((h: any) => h.type === 'timer-fired')).toHaveLength(i < 6 ? 0 : 1);
      expect(history.filter((h: any) => h.type === 'instance-completed')).toHaveLength(1);
    }
  }, 90_000);
});
