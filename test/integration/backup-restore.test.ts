import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { envOfSystemUrls } from '../../src/integrations/systems';
import { startSimulators, Simulators } from '../../src/integrations/simulators';
import { formValues } from '../support/form-values';
import { completeToEnd, declaredIn, httpPort, PROCESSES_DIR, ReglamentPort, startFormOf } from '../support/reglament-driver';
import { SimulatorControl, simulatorAdapters } from '../support/simulators';
import { callApi, groupsOfDiagrams, tempDir, UNREGISTERED_EMPLOYEE, userOf, writeUsersFile } from '../support/test-host';

/*
 * Backup during load, restore elsewhere (issue 19, point 4). The built server (dist/, which
 * `npm test` builds first) runs on sqlite with three reglaments of processes/ while clerks keep
 * starting applications and completing their tasks; meanwhile `node dist/scripts/backup.js` takes
 * the online backup. The backup is restored with `--restore` into a fresh data directory and a
 * second server is started on it (the external systems' simulators are the same, as the real
 * systems would be). The backup is a snapshot at some instant of its run, so the checks are:
 *  - every completion answered before the backup began is in it, and every application started
 *    before it began is there; nothing is there that the first server never had;
 *  - every restored task and timer is the first server's, with the same due date and deadline;
 *  - each restored application is whole: a running one waits on an open task, each open task with a
 *    time limit has its pending deadline timer at its due date, each pending timer's instance runs;
 *  - every application open in the backup is driven to its end on the second server.
 */
const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'dist/src/server.js');
const BACKUP = path.join(ROOT, 'dist/scripts/backup.js');
const REGLAMENTS = ['pm-organization-accreditation', 'design-activity-license', 'construction-installation-license'];
const WORKERS = 6;

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
    let output = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)\/api/.exec(output);
      if (match) resolve({ child, url: match[1], exited });
    });
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output.slice(-4000)}`)));
  });
}

/** node dist/scripts/backup.js with the given environment: its exit code and output. */
function backupTool(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BACKUP, ...args], { env: { ...process.env, ...env }, cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function apiOf(url: string) {
  return { call: (user: string | null, method: string, route: string, body?: unknown) => callApi(url, user, method, route, body) };
}

async function get(url: string, route: string): Promise<any> {
  const res = await callApi(url, 'admin', 'GET', route);
  if (res.status !== 200) throw new Error(`GET ${route}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Every page of a paged list. */
async function listAll(url: string, route: string): Promise<any[]> {
  const items: any[] = [];
  for (let first = 0; ; first += 100) {
    const page = await get(url, `${route}${route.includes('?') ? '&' : '?'}firstResult=${first}&maxResults=100`);
    items.push(...page.items);
    if (page.items.length < 100) return items;
  }
}

interface Application {
  key: string;
  businessKey: string;
  rootId: string;
}

describe('online backup during load, restored on a second server', () => {
  const dirA = tempDir('reglament-backup-a-');
  const dirB = tempDir('reglament-backup-b-');
  const usersFile = writeUsersFile(dirA, groupsOfDiagrams(PROCESSES_DIR));
  let simulators: Simulators | undefined;
  const servers: Server[] = [];
  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGKILL');
    await simulators?.close();
  });

  it('keeps every application open at the backup and drives each to its end after the restore', async () => {
    const employees = (JSON.parse(fs.readFileSync(usersFile, 'utf8')) as { id: string }[]).map((u) => u.id).filter((id) => id !== UNREGISTERED_EMPLOYEE);
    simulators = await startSimulators({ host: '127.0.0.1', employees, dataDir: path.join(dirA, 'simulators') });
    const sim = new SimulatorControl(simulators, simulatorAdapters(simulators), () => new Date());
    const common = { USERS_FILE: usersFile, PROCESSES_DIR, PORT: '0', HOST: '127.0.0.1', TIMER_POLL_MS: '0', LOG_LEVEL: 'info', ...envOfSystemUrls(simulators.urls) };
    const envA = { ...common, DATA_DIR: dirA, DB_FILE: path.join(dirA, 'reglament.sqlite') };
    const envB = { ...common, DATA_DIR: dirB, DB_FILE: path.join(dirB, 'reglament.sqlite') };

    const a = await startServer(envA);
    servers.push(a);
    const apiA = apiOf(a.url);
    // With the server's address and the CA, the port signs a signing step as its user (the users file gives each an IIN).
    const portA: ReglamentPort = httpPort({ ...apiA, url: a.url, simulators });
    const forms = new Map(await Promise.all(REGLAMENTS.map(async (key) => [key, await startFormOf(apiA, key)] as const)));

    const applications: Application[] = [];
    let serial = 0;
    const start = async (key: string): Promise<Application> => {
      const { fields, starterGroups } = forms.get(key)!;
      const generated = formValues(fields);
      const kind = (generated.applicantKind as 'individual' | 'legal-entity' | undefined) ?? 'individual';
      const variables = { ...generated, ...declaredIn(fields, await sim.prepareApplicant({ processKey: key, kind })) };
      const businessKey = `BACKUP-${serial++}`;
      const rootId = await portA.start(key, businessKey, variables, userOf(starterGroups[0] ?? 'office'));
      const app = { key, businessKey, rootId };
      applications.push(app);
      return app;
    };

    // The load: each worker owns one application at a time and completes its tasks one by one; when
    // it ends the worker starts another. Completions are stamped with the moment their answer came.
    let loading = true;
    const answered: { taskId: string; at: number }[] = [];
    const worker = async (w: number) => {
      let app = await start(REGLAMENTS[w % REGLAMENTS.length]);
      while (loading) {
        const tasks = await portA.openTasks(app.businessKey);
        if (tasks.length === 0) {
          const root = await portA.instance(app.rootId);
          if (root.state === 'running') throw new Error(`${app.businessKey} waits with no open task`);
          app = await start(REGLAMENTS[serial % REGLAMENTS.length]);
          continue;
        }
        const task = await portA.view(tasks[0]);
        const user = userOf(task.candidateGroups[0] ?? 'admin');
        if ((task as { signs?: string }).signs) await portA.sign!(task.id, user);
        else await portA.complete(task.id, formValues(task.formFields), user);
        answered.push({ taskId: task.id, at: Date.now() });
      }
    };
    let failure: unknown;
    const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w))).catch((error: unknown) => {
      failure = error;
      throw error;
    });

    // Let the load get going, then back up while it runs.
    while (answered.length < 2 * WORKERS) {
      if (failure) throw failure;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const target = path.join(dirA, 'backups', 'reglament-backup.sqlite');
    const backupBegan = Date.now();
    const startedBefore = applications.map((x) => x.rootId);
    const completedBefore = answered.filter((c) => c.at < backupBegan).map((c) => c.taskId);
    // Small steps with pauses, so that the server commits between them as it would during a large
    // database's backup (sqlite then restarts the copy, and the tool copies the rest in one step).
    const backup = await backupTool([target], { ...envA, BACKUP_STEP_PAGES: '20', BACKUP_STEP_PAUSE_MS: '50' });
    const answeredDuring = answered.length;
    loading = false;
    await load;

    expect(backup).toMatchObject({ code: 0, stderr: '' });
    expect(backup.stdout.match(/^ {2}\d+ of \d+ pages \(\d+%\)$/gm)?.length).toBeGreaterThan(1);
    expect(backup.stdout).toMatch(/pages \(100%\)/);
    expect(backup.stdout).toMatch(/Backup written: .*integrity ok/);
    // The load went on during the backup (the backup did not stop the server's writes).
    expect(answeredDuring).toBeGreaterThan(completedBefore.length);
    // A second backup to the same name is refused and leaves the first one as it was.
    const before = fs.readFileSync(target);
    expect(await backupTool([target], envA)).toMatchObject({ code: 1, stderr: expect.stringMatching(/exists: a backup never overwrites/) });
    expect(fs.readFileSync(target).equals(before)).toBe(true);

    // What the first server holds now, to compare the restored rows with.
    const tasksA = new Map((await listAll(a.url, '/tasks?state=all')).map((t) => [t.id, t]));
    const timersA = new Map(((await get(a.url, '/timers')) as any[]).map((t) => [t.id, t]));
    const rootsA = new Set(applications.map((x) => x.rootId));
    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);

    // Restore into a fresh data directory (no database there yet) and start the second server on it.
    const restored = await backupTool(['--restore', target], envB);
    expect(restored).toMatchObject({ code: 0, stderr: '' });
    const b = await startServer(envB);
    servers.push(b);
    const apiB = apiOf(b.url);

    const rootsB = (await listAll(b.url, '/process-instances')).filter((i) => !i.parentInstanceId);
    const idsB = new Set(rootsB.map((i) => i.id));
    expect([...idsB].filter((id) => !rootsA.has(id))).toEqual([]);
    expect(startedBefore.filter((id) => !idsB.has(id))).toEqual([]);

    const tasksB = await listAll(b.url, '/tasks?state=all');
    const byIdB = new Map(tasksB.map((t) => [t.id, t]));
    // Every completion answered before the backup began is in it.
    expect(completedBefore.filter((id) => byIdB.get(id)?.state !== 'completed')).toEqual([]);
    // Every restored task is the first server's, with the same due date; a completed one stayed completed there.
    for (const t of tasksB) {
      const original = tasksA.get(t.id);
      expect([t.id, original?.taskDefinitionKey, original?.due]).toEqual([t.id, t.taskDefinitionKey, t.due]);
      if (t.state === 'completed') expect([t.id, original.state]).toEqual([t.id, 'completed']);
    }

    const running = rootsB.filter((i) => i.state === 'running');
    expect(running.length).toBeGreaterThan(0);
    const timersB = (await get(b.url, '/timers')) as any[];
    const instancesB = new Map((await listAll(b.url, '/process-instances')).map((i) => [i.id, i]));
    for (const timer of timersB) expect([timer.id, timer.dueAt, timer.processInstanceId]).toEqual([timer.id, timersA.get(timer.id)?.dueAt, timersA.get(timer.id)?.processInstanceId]);
    for (const timer of timersB.filter((t) => t.state === 'pending')) expect([timer.id, instancesB.get(timer.processInstanceId)?.state]).toEqual([timer.id, 'running']);
    const openB = tasksB.filter((t) => t.state === 'open');
    const withLimit = openB.filter((t) => t.due !== null);
    // The reglaments' steps have legal time limits: the restored open tasks carry them.
    expect(withLimit.length).toBeGreaterThan(0);
    for (const t of withLimit) {
      const deadline = timersB.filter((x) => x.kind === 'task-due' && x.state === 'pending' && x.processInstanceId === t.processInstanceId && x.activityId === t.taskDefinitionKey);
      expect([t.id, deadline.map((x) => x.dueAt)]).toEqual([t.id, [t.due]]);
    }
    for (const root of running) {
      const open = openB.filter((t) => t.businessKey === root.businessKey);
      expect([root.businessKey, open.length > 0]).toEqual([root.businessKey, true]);
    }

    // Every application open in the backup is driven to its end on the second server.
    const portB = httpPort({ ...apiB, url: b.url, simulators });
    const queue = [...running];
    const results: { businessKey: string; state: string }[] = [];
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        for (let root = queue.shift(); root; root = queue.shift()) {
          const end = await completeToEnd(portB, { key: root.processDefinitionKey, businessKey: root.businessKey, instanceId: root.id });
          results.push({ businessKey: root.businessKey, state: end.state });
        }
      }),
    );
    expect(results.filter((r) => r.state !== 'completed')).toEqual([]);
    expect(results).toHaveLength(running.length);
    expect(await get(b.url, '/process-instances?state=running')).toMatchObject({ total: 0 });

    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  }, 300_000);
});
