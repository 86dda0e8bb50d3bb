import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { callApi, tempDir, writeUsersFile } from '../support/test-host';

/*
 * The real server as a child process (the compiled dist/ that `npm test` builds first), killed
 * with SIGKILL in the middle of a run and started again on the same database file.
 */
const serverScript = path.resolve(__dirname, '../../dist/src/server.js');

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverScript], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)\/api/.exec(output);
      if (match) resolve({ child, url: match[1] });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('restart after SIGKILL', () => {
  const dir = tempDir();
  const env = {
    DB_FILE: path.join(dir, 'restart.sqlite'),
    USERS_FILE: writeUsersFile(dir),
    PROCESSES_DIR: path.resolve(__dirname, '../../processes'),
    DATA_DIR: dir,
    PORT: '0',
  };

  it('continues a running instance exactly where it was, each step once', async () => {
    let server = await startServer(env);
    const call = (user: string, method: string, route: string, body?: unknown) => callApi(server.url, user, method, route, body);
    const started = await call('olga-office', 'POST', '/process-definitions/cotton-warehouse-license/start', {
      businessKey: 'RESTART-1',
      variables: { variant: 'duplicate', resultForm: 'electronic', applicantName: 'ЖШС Тест', applicantIinBin: '990101300122' },
    });
    expect(started.status).toBe(201);
    const id = started.body.id;
    const registration = (await call('admin', 'GET', `/process-instances/${id}`)).body.variables.registrationNumber;
    expect(registration).toMatch(/^REG-/);

    const first = (await call('olga-office', 'GET', `/tasks?processInstanceId=${id}`)).body.items[0];
    expect((await call('olga-office', 'POST', `/tasks/${first.id}/complete`, {})).status).toBe(200);

    await kill(server.child);
    server = await startServer(env);

    // The head's task survived the kill, with the same id; nothing was created twice.
    const afterRestart = (await call('admin', 'GET', `/tasks?processInstanceId=${id}`)).body;
    expect(afterRestart.items.map((x: any) => x.taskDefinitionKey)).toEqual(['head-resolution']);
    for (const [user, key, variables] of [
      ['hasan-head', 'head-resolution', { headResolution: 'Бөлімге', resolutionUnit: 'department' }],
      ['dana-department-head', 'assign-specialist', { departmentHeadResolution: 'Орындауға', responsibleSpecialist: 'sanzhar-specialist' }],
    ] as const) {
      const task = (await call(user, 'GET', `/tasks?processInstanceId=${id}`)).body.items[0];
      expect(task.taskDefinitionKey).toBe(key);
      expect((await call(user, 'POST', `/tasks/${task.id}/complete`, { variables })).status).toBe(200);
      await kill(server.child);
      server = await startServer(env);
    }
    const last = (await call('sanzhar-specialist', 'GET', `/tasks?processInstanceId=${id}`)).body.items[0];
    expect(last.taskDefinitionKey).toBe('formalise-licence');
    expect((await call('sanzhar-specialist', 'POST', `/tasks/${last.id}/complete`, {})).status).toBe(200);

    const instance = (await call('admin', 'GET', `/process-instances/${id}`)).body;
    expect(instance).toMatchObject({ state: 'completed', outcome: 'licence-issued' });
    expect(instance.variables.registrationNumber).toBe(registration);

    const history = (await call('admin', 'GET', `/process-instances/${id}/history`)).body as any[];
    const ended = history.filter((h) => h.type === 'activity-end').map((h) => h.activityId);
    expect(new Set(ended).size).toBe(ended.length);
    expect(history.filter((h) => h.type === 'task-created').map((h) => h.activityId)).toEqual([
      'register-application',
      'head-resolution',
      'assign-specialist',
      'formalise-licence',
    ]);
    expect(history.filter((h) => h.type === 'service-completed').map((h) => h.activityId)).toEqual(['assign-registration-number', 'issue-licence']);
    await kill(server.child);
  });
});
