import { ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { callApi, tempDir, tokenOf, writeUsersFile } from '../support/test-host';

/*
 * The built server (dist/, which `npm test` builds first) gets SIGTERM while 20 clerks complete
 * their tasks at once: every completion is answered 200 or refused before it started (connection
 * refused), none fails half-way, each answered one is stored, the process exits 0, and it gave the
 * requests under way their answers after the signal.
 */
const serverScript = path.resolve(__dirname, '../../dist/src/server.js');
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/observability');

interface Server {
  child: ChildProcess;
  url: string;
  output: () => string;
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
      if (match) resolve({ child, url: match[1], output: () => output, exited });
    });
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

/** POST on a connection of its own (no keep-alive): an answer, or the error that kept it from one. */
function complete(url: string, taskId: string): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = http.request(`${url}/api/tasks/${taskId}/complete`, { method: 'POST', agent: false, headers: { authorization: `Bearer ${tokenOf('office-user')}`, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: `mid-answer ${e.code ?? e.message}` }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end('{}');
  });
}

describe('SIGTERM during 20 concurrent completions', () => {
  const dir = tempDir();
  const env = {
    DB_FILE: path.join(dir, 'shutdown.sqlite'),
    USERS_FILE: writeUsersFile(dir, ['office']),
    PROCESSES_DIR: FIXTURES,
    DATA_DIR: dir,
    PORT: '0',
    TIMER_POLL_MS: '100',
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '20000',
  };
  let server: Server | undefined;
  afterAll(() => server?.child.kill('SIGKILL'));

  it('answers or refuses each, loses none, and exits 0', async () => {
    server = await startServer(env);
    const first = server;
    const instances: string[] = [];
    const tasks: string[] = [];
    for (let i = 0; i < 20; i++) {
      const started = await callApi(first.url, 'office-user', 'POST', '/process-definitions/fixture-lookup-review/start', { businessKey: `SIGTERM-${i}`, variables: { applicantIinBin: '990101300122' } });
      expect(started.status).toBe(201);
      instances.push(started.body.id);
      tasks.push((await callApi(first.url, 'office-user', 'GET', `/tasks?processInstanceId=${started.body.id}`)).body.items[0].id);
    }

    let signalled = false;
    const results = await Promise.all(
      tasks.map(async (taskId) => {
        const result = await complete(first.url, taskId);
        if (!signalled) {
          signalled = true;
          first.child.kill('SIGTERM');
        }
        return result;
      }),
    );
    const code = await first.exited;
    const log = first
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, any>);

    expect(results.filter((r) => !(r.status === 200 || r.error === 'ECONNREFUSED'))).toEqual([]);
    expect(code).toBe(0);
    // The signal came while completions were under way, and they were answered after it.
    const signalAt = log.findIndex((r) => r.msg?.startsWith('shutting down'));
    expect(signalAt).toBeGreaterThan(-1);
    const answeredAfter = log.slice(signalAt).filter((r) => r.msg === 'request' && r.method === 'POST' && r.status === 200);
    expect(answeredAfter.length).toBeGreaterThan(0);
    expect(log.some((r) => r.msg === 'stopped')).toBe(true);

    // On the same database: each answered completion is stored, each refused one left its task open.
    server = await startServer(env);
    for (const [i, id] of instances.entries()) {
      const instance = (await callApi(server.url, 'admin', 'GET', `/process-instances/${id}`)).body;
      expect([i, instance.state]).toEqual([i, results[i].status === 200 ? 'completed' : 'running']);
    }
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    server = undefined;
  }, 120_000);
});
