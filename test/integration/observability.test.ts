import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createHost } from '../../src/host';
import { UserDirectory } from '../../src/identity/users';
import { createLogger } from '../../src/observability/logger';
import { openDatabase } from '../../src/persistence/data-source';
import { TimerEntity } from '../../src/persistence/entities';
import { SqlInstanceStore } from '../../src/persistence/sql-instance-store';
import { PROCESS_ID } from '../../src/scheduler/timer-scheduler';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text';
import { startTestHost, TestHost, tempDir, tokenOf, writeUsersFile } from '../support/test-host';

/*
 * Issue 19, points 1-3 in one process: /metrics in the Prometheus text format (parsed strictly)
 * whose counters move with a run, the JSON log lines of requests, steps and external calls with no
 * credential in them, and readiness before and after the deployment.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/observability');
const METRICS_TOKEN = 'scrape-secret-of-this-test';
const IIN = '990101300122';

function logCapture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

async function scrape(url: string, token?: string) {
  const response = await fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

describe('metrics, logs and health of a running host', () => {
  let t: TestHost;
  const log = logCapture();

  beforeAll(async () => {
    t = await startTestHost({ processesDir: FIXTURES, logger: log.logger, env: { METRICS_TOKEN, METRICS_CACHE_MS: '0' } });
    t.sim.addPerson(IIN, 'Test Person');
  }, 60_000);
  afterAll(() => t?.close());

  it.each([
    ['no token', undefined, 401],
    ['a wrong token', 'not-the-token', 401],
    ["a user's token", tokenOf('admin'), 401],
  ])('refuses /metrics with %s', async (_case, token, status) => {
    expect((await scrape(t.url, token)).status).toBe(status);
  });

  it('serves /metrics in the Prometheus text format, and its counters move with a run', async () => {
    const before = parsePrometheusText((await scrape(t.url, METRICS_TOKEN)).text);
    const key = 'fixture-lookup-review';
    const counter = (families: ReturnType<typeof parsePrometheusText>, name: string, labels: Record<string, string>) => sampleValue(families, name, labels) ?? 0;

    const started = await t.call('office-user', 'POST', `/process-definitions/${key}/start`, { businessKey: 'OBS-1', variables: { applicantIinBin: IIN } });
    expect(started.status).toBe(201);
    const task = (await t.call('office-user', 'GET', `/tasks?processInstanceId=${started.body.id}`)).body.items[0];
    expect((await t.call('office-user', 'POST', `/tasks/${task.id}/complete`, {})).status).toBe(200);

    const response = await scrape(t.url, METRICS_TOKEN);
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = parsePrometheusText(response.text);

    // Two steps (the start, through the GBD lookup, to the review; the completion to the end).
    expect(counter(after, 'reglament_steps_started_total', { reglament: key }) - counter(before, 'reglament_steps_started_total', { reglament: key })).toBe(2);
    expect(counter(after, 'reglament_steps_completed_total', { reglament: key, outcome: 'waiting' }) - counter(before, 'reglament_steps_completed_total', { reglament: key, outcome: 'waiting' })).toBe(1);
    expect(counter(after, 'reglament_steps_completed_total', { reglament: key, outcome: 'ended' }) - counter(before, 'reglament_steps_completed_total', { reglament: key, outcome: 'ended' })).toBe(1);
    expect(counter(after, 'reglament_step_duration_seconds_count', { reglament: key }) - counter(before, 'reglament_step_duration_seconds_count', { reglament: key })).toBe(2);
    expect(counter(after, 'reglament_external_calls_total', { system: 'shep', service: 'GBDFL_PersonByIin' }) - counter(before, 'reglament_external_calls_total', { system: 'shep', service: 'GBDFL_PersonByIin' })).toBe(1);
    expect(counter(after, 'reglament_external_call_duration_seconds_count', { system: 'shep', service: 'GBDFL_PersonByIin' }) - counter(before, 'reglament_external_call_duration_seconds_count', { system: 'shep', service: 'GBDFL_PersonByIin' })).toBe(1);
    expect(after.get('reglament_steps_failed_total')?.type).toBe('counter');

    for (const [name, type] of [
      ['reglament_open_tasks', 'gauge'],
      ['reglament_overdue_tasks', 'gauge'],
      ['reglament_at_risk_tasks', 'gauge'],
      ['reglament_timers', 'gauge'],
      ['reglament_open_incidents', 'gauge'],
      ['reglament_db_pool_connections', 'gauge'],
      ['reglament_step_duration_seconds', 'histogram'],
      ['reglament_external_call_failures_total', 'counter'],
      ['nodejs_eventloop_lag_seconds', 'gauge'],
    ]) expect([name, after.get(name)?.type]).toEqual([name, type]);
    expect(sampleValue(after, 'reglament_timers', { state: 'pending' })).toBeGreaterThanOrEqual(0);
    // PostgreSQL has a pool (npm run test:postgres); sqlite one connection and no samples.
    const pool = ['in_use', 'idle', 'waiting'].map((state) => sampleValue(after, 'reglament_db_pool_connections', { state }));
    if (process.env.TEST_DATABASE_URL) pool.forEach((n) => expect(n).toBeGreaterThanOrEqual(0));
    else expect(pool).toEqual([undefined, undefined, undefined]);
  });

  it('counts open tasks per group and a failed external call', async () => {
    await t.call('office-user', 'POST', '/process-definitions/fixture-lookup-review/start', { businessKey: 'OBS-2', variables: { applicantIinBin: IIN } });
    const families = parsePrometheusText((await scrape(t.url, METRICS_TOKEN)).text);
    const open = (await t.call('admin', 'GET', '/tasks?state=open')).body.total;
    expect(sampleValue(families, 'reglament_open_tasks', { group: 'office' })).toBe(open);
    const failuresBefore = sampleValue(families, 'reglament_external_call_failures_total', { system: 'shep', service: 'GBDFL_PersonByIin' }) ?? 0;
    await t.simulators.stop('shep');
    try {
      await t.adapters.gbd.lookupPerson(IIN).catch(() => undefined);
    } finally {
      await t.simulators.start('shep');
    }
    const after = parsePrometheusText((await scrape(t.url, METRICS_TOKEN)).text);
    expect((sampleValue(after, 'reglament_external_call_failures_total', { system: 'shep', service: 'GBDFL_PersonByIin' }) ?? 0) - failuresBefore).toBe(1);
  });

  it('logs each request, step and external call as a JSON line, with no token, cookie or query in it', async () => {
    log.lines.length = 0;
    const token = tokenOf('office-user');
    const signIn = await fetch(`${t.url}/api/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const started = await fetch(`${t.url}/api/process-definitions/fixture-lookup-review/start?secret=query-secret`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken, 'x-request-id': 'client-request-7' },
      body: JSON.stringify({ businessKey: 'OBS-3', variables: { applicantIinBin: IIN } }),
    });
    expect(started.status).toBe(201);
    expect(started.headers.get('x-request-id')).toBe('client-request-7');
    const instanceId = ((await started.json()) as { id: string }).id;
    const me = await fetch(`${t.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    const generatedId = me.headers.get('x-request-id');
    expect(generatedId).toMatch(/^[0-9a-f-]{36}$/);

    const records = log.records();
    const request = records.find((r) => r.msg === 'request' && r.requestId === 'client-request-7');
    expect(request).toMatchObject({ level: 'info', userId: 'office-user', method: 'POST', path: '/api/process-definitions/fixture-lookup-review/start', status: 201 });
    expect(typeof request!.durationMs).toBe('number');
    expect(typeof request!.time).toBe('string');
    expect(records.find((r) => r.msg === 'request' && r.requestId === generatedId)).toMatchObject({ userId: 'office-user', method: 'GET', path: '/api/me', status: 200 });
    expect(records.find((r) => r.msg === 'step' && r.instanceId === instanceId)).toMatchObject({ reglament: 'fixture-lookup-review', command: 'start', outcome: 'waiting' });
    const call = records.find((r) => r.msg === 'external call' && r.system === 'shep');
    expect(call).toMatchObject({ service: 'GBDFL_PersonByIin', status: 200, failed: false });
    expect(call!.messageId).toMatch(/^[0-9a-f-]{36}$/);

    const text = log.lines.join('');
    for (const secret of [token, cookie.split('=')[1], csrfToken, 'query-secret', IIN]) expect(text).not.toContain(secret);
  });

  it('redacts a credential that reaches a log line by mistake', () => {
    const capture = logCapture();
    capture.logger.info({ headers: { authorization: 'Bearer leaked', cookie: 'reglament_session=leaked' }, user: { token: 'leaked' } }, 'careless');
    expect(capture.lines.join('')).not.toContain('leaked');
  });

  it('answers /health/live always and /health/ready 200 when ready', async () => {
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${t.url}/health/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });
});

describe('a starting and a stopping host', () => {
  it('is 503 (and the API says STARTING) until processes/ is deployed, 200 after, and stopping once closed', async () => {
    const dir = tempDir();
    const config = loadConfig({ DATA_DIR: dir, DB_FILE: path.join(dir, 'ready.sqlite'), PROCESSES_DIR: FIXTURES, USERS_FILE: writeUsersFile(dir, ['office']), LOG_LEVEL: 'silent' });
    const host = await createHost({ config, users: UserDirectory.fromFile(config.usersFile!), timerPollMs: 0, awaitDeployment: true });
    try {
      const { url } = await host.listen(0, '127.0.0.1');
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      const starting = await fetch(`${url}/health/ready`);
      expect([starting.status, await starting.json()]).toEqual([503, { status: 'starting' }]);
      const api = await fetch(`${url}/api/process-definitions`, { headers: { authorization: `Bearer ${tokenOf('office-user')}` } });
      expect(api.status).toBe(503);
      expect(((await api.json()) as any).error.code).toBe('STARTING');

      await host.deployProcessDirectory();
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      expect((await fetch(`${url}/api/process-definitions`, { headers: { authorization: `Bearer ${tokenOf('office-user')}` } })).status).toBe(200);
    } finally {
      const closing = host.close();
      expect(host.readiness.state).toBe('stopping');
      await closing;
    }
  });

  it('serves /metrics on METRICS_PORT only when it is set', async () => {
    const dir = tempDir();
    const config = loadConfig({ DATA_DIR: dir, DB_FILE: path.join(dir, 'port.sqlite'), PROCESSES_DIR: FIXTURES, USERS_FILE: writeUsersFile(dir, ['office']), LOG_LEVEL: 'silent', METRICS_PORT: '0' });
    const log = logCapture();
    const host = await createHost({ config, users: UserDirectory.fromFile(config.usersFile!), timerPollMs: 0, logger: log.logger });
    try {
      const { url } = await host.listen(0, '127.0.0.1');
      expect((await fetch(`${url}/metrics`)).status).toBe(404);
      const metricsUrl = log.records().find((r) => r.msg === 'metrics listening')!.url as string;
      const response = await fetch(metricsUrl);
      expect(response.status).toBe(200);
      expect(parsePrometheusText(await response.text()).get('reglament_steps_started_total')?.type).toBe('counter');
    } finally {
      await host.close();
    }
  });

  it("gives back this process's leases on pending timers when it closes, so another server takes them at once", async () => {
    const t = await startTestHost({ processesDir: path.resolve(__dirname, '../fixtures/processes/two-servers') });
    let timerId: string;
    try {
      const started = await t.call('office-user', 'POST', '/process-definitions/fixture-short-timer/start', { businessKey: 'LEASE-1' });
      expect(started.status).toBe(201);
      const timers = await t.host.dataSource.getRepository(TimerEntity).find({ where: { processInstanceId: started.body.id, state: 'pending' } });
      expect(timers.length).toBeGreaterThan(0);
      const store = new SqlInstanceStore(t.host.dataSource);
      const now = new Date();
      for (const timer of timers) expect(await store.leaseTimer(timer.id, PROCESS_ID, now.toISOString(), new Date(now.getTime() + 60_000).toISOString())).toBe(true);
      // Another server cannot take them while the lease runs.
      expect(await store.leaseTimer(timers[0].id, 'other-server', now.toISOString(), new Date(now.getTime() + 60_000).toISOString())).toBe(false);
      timerId = timers[0].id;
    } finally {
      await t.close();
    }
    const dataSource = await openDatabase({ sqliteFile: t.dbFile, ...(process.env.TEST_DATABASE_URL ? { databaseUrl: process.env.TEST_DATABASE_URL, schema: `t_${path.basename(t.dir).replace(/[^a-zA-Z0-9]/g, '_').toLowerCase()}` } : {}) });
    try {
      const after = await dataSource.getRepository(TimerEntity).findOneByOrFail({ id: timerId! });
      expect([after.state, after.lockedBy ?? null, after.lockedUntil ?? null]).toEqual(['pending', null, null]);
      const now = new Date().toISOString();
      expect(await new SqlInstanceStore(dataSource).leaseTimer(timerId!, 'other-server', now, new Date(Date.now() + 60_000).toISOString())).toBe(true);
    } finally {
      await dataSource.destroy();
    }
  });
});
