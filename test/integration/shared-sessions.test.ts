import { createHash } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { ManualClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { createHost, Host } from '../../src/host';
import { UserDirectory } from '../../src/identity/users';
import { WebSessions } from '../../src/identity/web-sessions';
import { WebSessionEntity, WebSessionRow } from '../../src/persistence/session-entity';
import { SqlWebSessionStore } from '../../src/persistence/session-store';
import { postgresFor, tempDir, tokenOf, writeUsersFile } from '../support/test-host';

/*
 * The web app's sessions are kept in the database (issue 16, Build 6, follow-up): a browser signed in
 * on one server is signed in on every server of the same database and after a restart; a sign-out on
 * one is seen by the others; an ended session is refused and swept. Two hosts on one database (the
 * sqlite file, or one PostgreSQL schema with TEST_DATABASE_URL) and one manual clock.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/write-lock');
const MAX_AGE_MS = 10 * 3600_000;
const IDLE_MS = 3600_000;
const dir = tempDir();
const usersFile = writeUsersFile(dir, ['office']);
const clock = new ManualClock(new Date('2025-03-03T04:00:00Z'));

async function startHost(): Promise<{ host: Host; port: number }> {
  const config = loadConfig({
    DATA_DIR: dir,
    DB_FILE: path.join(dir, 'shared.sqlite'),
    PROCESSES_DIR: FIXTURES,
    USERS_FILE: usersFile,
    PORT: '0',
    SESSION_MAX_AGE_MS: String(MAX_AGE_MS),
    SESSION_IDLE_MS: String(IDLE_MS),
    ...postgresFor(dir),
  });
  const host = await createHost({ config, users: UserDirectory.fromFile(usersFile), timerPollMs: 0, clock });
  await host.deployProcessDirectory();
  const { url } = await host.listen(0, '127.0.0.1');
  return { host, port: Number(new URL(url).port) };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

function send(port: number, route: string, options: { method?: string; cookie?: string; csrf?: string; user?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.csrf !== undefined) headers['x-csrf-token'] = options.csrf;
  if (options.user) headers.authorization = `Bearer ${tokenOf(options.user)}`;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: route, method: options.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('web app sessions shared by the servers of one database', () => {
  let a: { host: Host; port: number };
  let b: { host: Host; port: number };

  beforeAll(async () => {
    a = await startHost();
    b = await startHost();
  });
  afterAll(async () => {
    await a?.host.close();
    await b?.host.close();
  });

  async function signIn(on: { port: number }, user = 'office-user'): Promise<{ cookie: string; value: string; csrf: string }> {
    const answer = await send(on.port, '/api/sign-in', { method: 'POST', body: { token: tokenOf(user) } });
    expect(answer.status).toBe(200);
    const pair = (answer.headers['set-cookie'] ?? []).find((c) => c.startsWith('reglament_session='))!.split(';')[0];
    return { cookie: pair, value: decodeURIComponent(pair.slice(pair.indexOf('=') + 1)), csrf: answer.body.csrfToken };
  }

  const rowOf = (value: string): Promise<WebSessionRow | null> => a.host.dataSource.getRepository(WebSessionEntity).findOne({ where: { idHash: sha256(value) } });

  it('a session signed in on one server is accepted by the other, with the same CSRF token for its writes', async () => {
    const session = await signIn(a);
    const me = await send(b.port, '/api/me', { cookie: session.cookie });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: 'office-user', name: 'office-user', groups: ['office'], csrfToken: session.csrf });
    const started = await send(a.port, '/api/process-definitions/lock-chain/start', { method: 'POST', user: 'office-user', body: {} });
    expect(started.status).toBe(201);
    const task = (await send(a.port, `/api/tasks?processInstanceId=${started.body.id}`, { user: 'office-user' })).body.items[0].id;
    const claim = await send(b.port, `/api/tasks/${task}/claim`, { method: 'POST', cookie: session.cookie, csrf: session.csrf });
    expect(claim.status).toBe(200);
    expect(claim.body.assignee).toBe('office-user');
  });

  it('the database keeps only hashes: neither the cookie nor the CSRF token is stored', async () => {
    const session = await signIn(a);
    const row = await rowOf(session.value);
    expect(row).toEqual({ idHash: sha256(session.value), csrfHash: sha256(session.csrf), userId: 'office-user', createdAt: clock.now().toISOString(), lastSeenAt: clock.now().toISOString(), expiresAt: new Date(clock.now().getTime() + IDLE_MS).toISOString() });
    const stored = JSON.stringify(await a.host.dataSource.getRepository(WebSessionEntity).find());
    expect(stored).not.toContain(session.value);
    expect(stored).not.toContain(session.csrf);
  });

  it('sign-out on one server ends the session on the other', async () => {
    const session = await signIn(a);
    expect((await send(b.port, '/api/me', { cookie: session.cookie })).status).toBe(200);
    expect((await send(b.port, '/api/sign-out', { method: 'POST', cookie: session.cookie, csrf: session.csrf })).status).toBe(200);
    const after = await send(a.port, '/api/me', { cookie: session.cookie });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('SESSION_ENDED');
    expect(await rowOf(session.value)).toBeNull();
  });

  it('a session survives a restart of the server that signed it in', async () => {
    const session = await signIn(a);
    await a.host.close();
    a = await startHost();
    const me = await send(a.port, '/api/me', { cookie: session.cookie });
    expect(me.status).toBe(200);
    expect(me.body.csrfToken).toBe(session.csrf);
  });

  it('an expired row is refused by every server and removed', async () => {
    const session = await signIn(a);
    expect((await send(b.port, '/api/me', { cookie: session.cookie })).status).toBe(200);
    await a.host.dataSource.getRepository(WebSessionEntity).update({ idHash: sha256(session.value) }, { expiresAt: clock.now().toISOString() });
    const refused = await send(b.port, '/api/me', { cookie: session.cookie });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('SESSION_ENDED');
    expect(await rowOf(session.value)).toBeNull();
  });

  it('idle time is recorded at most once a minute (no write per request), and then seen by the other server', async () => {
    const session = await signIn(a);
    const signedInAt = clock.now().toISOString();
    clock.advance(30_000);
    for (const on of [a, b, a]) expect((await send(on.port, '/api/tasks', { cookie: session.cookie })).status).toBe(200);
    expect((await rowOf(session.value))?.lastSeenAt).toBe(signedInAt);
    clock.advance(30_000);
    expect((await send(b.port, '/api/tasks', { cookie: session.cookie })).status).toBe(200);
    const touched = await rowOf(session.value);
    expect(touched?.lastSeenAt).toBe(clock.now().toISOString());
    expect(touched?.expiresAt).toBe(new Date(clock.now().getTime() + IDLE_MS).toISOString());
    // Active on B only: A counts the idle bound from B's request, not from the sign-in.
    clock.advance(IDLE_MS - 60_000);
    expect((await send(a.port, '/api/me', { cookie: session.cookie })).status).toBe(200);
  });

  it('sessions ended by time are swept at the next sign-in, on any server', async () => {
    const old = await signIn(a);
    expect(await rowOf(old.value)).not.toBeNull();
    clock.advance(IDLE_MS);
    await signIn(b, 'office-user-2');
    expect(await rowOf(old.value)).toBeNull();
  });

  it("a user's sessions are bounded: a sign-in beyond the bound ends the user's oldest", async () => {
    const sessions = new WebSessions(new SqlWebSessionStore(a.host.dataSource), (id) => a.host.users.list().find((u) => u.id === id), clock, { maxAgeMs: MAX_AGE_MS, idleMs: IDLE_MS, maxPerUser: 2 });
    const admin = a.host.users.list().find((u) => u.id === 'admin')!;
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push(await sessions.create(admin));
      clock.advance(1000);
    }
    const alive = await Promise.all(made.map(async (m) => (await sessions.find(m.sessionId))?.user.id ?? null));
    expect(alive).toEqual([null, 'admin', 'admin']);
  });
});
