import http from 'node:http';
import path from 'node:path';
import { ManualClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { createHost, Host } from '../../src/host';
import { UserDirectory } from '../../src/identity/users';
import { postgresFor, tempDir, tokenOf, writeUsersFile } from '../support/test-host';

/*
 * The web app's session (issue 16, Build 6): a token signs a browser in once, for an HttpOnly,
 * SameSite=Strict cookie (Secure when the server is reached over https); requests with the cookie
 * that change something need the session's CSRF token; sign-out and expiry end the session; wrong
 * tokens at the sign-in count against the failed sign-in limit like wrong Bearer tokens. Two hosts:
 * one behind an https PUBLIC_URL, one reached over plain http, both on a manual clock.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/write-lock');
const FAILURE_LIMIT = 3;
const MAX_AGE_MS = 10 * 3600_000;
const IDLE_MS = 3600_000;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

interface Served {
  host: Host;
  port: number;
  clock: ManualClock;
}

async function serve(publicUrl: string | undefined): Promise<Served> {
  const dir = tempDir('session-');
  const clock = new ManualClock(new Date('2025-03-03T04:00:00Z'));
  const config = loadConfig({
    DATA_DIR: dir,
    DB_FILE: path.join(dir, 'session.sqlite'),
    PROCESSES_DIR: FIXTURES,
    USERS_FILE: writeUsersFile(dir, ['office']),
    PORT: '0',
    ...(publicUrl ? { PUBLIC_URL: publicUrl } : {}),
    AUTH_FAILURE_LIMIT: String(FAILURE_LIMIT),
    SESSION_MAX_AGE_MS: String(MAX_AGE_MS),
    SESSION_IDLE_MS: String(IDLE_MS),
    ...postgresFor(dir),
  });
  const host = await createHost({ config, users: UserDirectory.fromFile(config.usersFile!), timerPollMs: 0, clock });
  await host.deployProcessDirectory();
  const { url } = await host.listen(0, '127.0.0.1');
  return { host, port: Number(new URL(url).port), clock };
}

function send(port: number, route: string, options: { method?: string; from?: string; cookie?: string; csrf?: string; user?: string; body?: unknown; contentType?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.csrf !== undefined) headers['x-csrf-token'] = options.csrf;
  if (options.user) headers.authorization = `Bearer ${tokenOf(options.user)}`;
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: route, method: options.method ?? 'GET', headers, localAddress: options.from ?? '127.0.0.1' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** The session cookie a sign-in answer set: its `name=value` and its attributes. */
function sessionCookieOf(answer: Answer): { pair: string; attributes: string[] } {
  const cookie = (answer.headers['set-cookie'] ?? []).find((c) => c.startsWith('reglament_session='));
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(answer.headers['set-cookie'])}`);
  const [pair, ...attributes] = cookie.split(';').map((p) => p.trim());
  return { pair, attributes: attributes.map((a) => a.toLowerCase()) };
}

describe('web app session', () => {
  let https: Served;
  let plain: Served;

  beforeAll(async () => {
    https = await serve('https://reglament.example.kz');
    plain = await serve(undefined);
  });
  afterAll(async () => {
    await https?.host.close();
    await plain?.host.close();
  });

  async function signIn(s: Served, user = 'office-user', from?: string): Promise<{ cookie: string; csrf: string; answer: Answer }> {
    const answer = await send(s.port, '/api/sign-in', { method: 'POST', body: { token: tokenOf(user) }, from });
    expect(answer.status).toBe(200);
    return { cookie: sessionCookieOf(answer).pair, csrf: answer.body.csrfToken, answer };
  }

  async function openTask(s: Served): Promise<string> {
    const started = await send(s.port, '/api/process-definitions/lock-chain/start', { method: 'POST', user: 'office-user', body: {} });
    expect(started.status).toBe(201);
    const tasks = await send(s.port, `/api/tasks?processInstanceId=${started.body.id}`, { user: 'office-user' });
    return tasks.body.items[0].id;
  }

  it.each([
    ['https PUBLIC_URL', () => https, true],
    ['plain http', () => plain, false],
  ])('sign-in over %s sets an HttpOnly, SameSite=Strict cookie for /api with its expiry, Secure only over https; the token is nowhere in it', async (_name, served, secure) => {
    const { answer } = await signIn(served());
    expect(answer.body).toEqual({ id: 'office-user', name: 'office-user', groups: ['office'], csrfToken: expect.stringMatching(/^[\w-]{40,}$/) });
    const { pair, attributes } = sessionCookieOf(answer);
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api', `max-age=${MAX_AGE_MS / 1000}`]));
    expect(attributes.includes('secure')).toBe(secure);
    expect(pair).not.toContain(tokenOf('office-user'));
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('the cookie alone signs the browser in: /api/me tells the user and the CSRF token; reads need no header', async () => {
    const { cookie, csrf } = await signIn(plain);
    const me = await send(plain.port, '/api/me', { cookie });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: 'office-user', name: 'office-user', groups: ['office'], csrfToken: csrf });
    expect((await send(plain.port, '/api/tasks', { cookie })).status).toBe(200);
    // A Bearer client is told no CSRF token: it needs none.
    expect((await send(plain.port, '/api/me', { user: 'office-user' })).body.csrfToken).toBeUndefined();
  });

  it.each([
    ['no X-CSRF-Token header', undefined, 'CSRF_TOKEN_MISSING'],
    ['an empty X-CSRF-Token header', '', 'CSRF_TOKEN_MISSING'],
    ['a wrong X-CSRF-Token', 'not-the-token', 'CSRF_TOKEN_INVALID'],
  ])('a cookie-authenticated claim with %s is refused 403 and changes nothing', async (_name, header, code) => {
    const { cookie } = await signIn(plain);
    const task = await openTask(plain);
    const claim = await send(plain.port, `/api/tasks/${task}/claim`, { method: 'POST', cookie, csrf: header });
    expect(claim.status).toBe(403);
    expect(claim.body.error.code).toBe(code);
    expect((await send(plain.port, `/api/tasks/${task}`, { user: 'office-user' })).body.assignee).toBeNull();
  });

  it("a cookie-authenticated claim with the session's CSRF token is applied; another session's token is not accepted", async () => {
    const mine = await signIn(plain);
    const theirs = await signIn(plain, 'office-user-2');
    const task = await openTask(plain);
    const crossed = await send(plain.port, `/api/tasks/${task}/claim`, { method: 'POST', cookie: mine.cookie, csrf: theirs.csrf });
    expect(crossed.status).toBe(403);
    expect(crossed.body.error.code).toBe('CSRF_TOKEN_INVALID');
    const claim = await send(plain.port, `/api/tasks/${task}/claim`, { method: 'POST', cookie: mine.cookie, csrf: mine.csrf });
    expect(claim.status).toBe(200);
    expect(claim.body.assignee).toBe('office-user');
  });

  it('Bearer tokens keep working without a CSRF header; Basic on /engine-rest too', async () => {
    const task = await openTask(plain);
    expect((await send(plain.port, `/api/tasks/${task}/claim`, { method: 'POST', user: 'office-user' })).status).toBe(200);
    const basic = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: plain.port, path: '/engine-rest/process-definition', headers: { authorization: `Basic ${Buffer.from(`admin:${tokenOf('admin')}`).toString('base64')}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(basic).toBe(200);
  });

  it('sign-out revokes the session: the same cookie, sent again, is refused', async () => {
    const { cookie, csrf } = await signIn(plain);
    const out = await send(plain.port, '/api/sign-out', { method: 'POST', cookie, csrf });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ signedOut: true });
    expect((out.headers['set-cookie'] ?? []).some((c) => /^reglament_session=;/.test(c) && /expires=Thu, 01 Jan 1970/i.test(c))).toBe(true);
    const after = await send(plain.port, '/api/me', { cookie });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('SESSION_ENDED');
  });

  it('sign-out needs the CSRF token too (another site cannot sign a clerk out)', async () => {
    const { cookie } = await signIn(plain);
    expect((await send(plain.port, '/api/sign-out', { method: 'POST', cookie })).status).toBe(403);
    expect((await send(plain.port, '/api/me', { cookie })).status).toBe(200);
  });

  it('signing in again from the same browser ends the session it held', async () => {
    const first = await signIn(plain);
    const second = await send(plain.port, '/api/sign-in', { method: 'POST', cookie: first.cookie, body: { token: tokenOf('office-user') } });
    expect(second.status).toBe(200);
    expect((await send(plain.port, '/api/me', { cookie: first.cookie })).status).toBe(401);
    expect((await send(plain.port, '/api/me', { cookie: sessionCookieOf(second).pair })).status).toBe(200);
  });

  it.each([
    ['idle for the idle bound', [IDLE_MS]],
    ['active, but past the maximum age', Array.from({ length: Math.ceil(MAX_AGE_MS / (IDLE_MS - 60_000)) }, () => IDLE_MS - 60_000)],
  ])('a session expires when %s', async (_name, steps) => {
    const { cookie } = await signIn(plain);
    for (const [i, step] of steps.entries()) {
      plain.clock.advance(step);
      const last = i === steps.length - 1;
      const me = await send(plain.port, '/api/me', { cookie });
      expect([i, me.status]).toEqual([i, last ? 401 : 200]);
    }
  });

  it.each([
    ['a token that names no user', { token: 'not-a-token' }, 401, 'UNAUTHORIZED'],
    ['no token', {}, 400, 'BAD_REQUEST'],
    ['the token as a form post (what another site could send)', `token=${tokenOf('office-user')}`, 400, 'BAD_REQUEST'],
  ])('sign-in with %s is refused and sets no cookie', async (_name, body, status, code) => {
    const answer = await send(plain.port, '/api/sign-in', { method: 'POST', body, contentType: typeof body === 'string' ? 'application/x-www-form-urlencoded' : undefined, from: '127.0.0.20' });
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    expect(answer.headers['set-cookie']).toBeUndefined();
  });

  it('wrong tokens at the sign-in count as failed sign-ins: after the limit, 429 with Retry-After, a right token included; other clients unaffected', async () => {
    const from = '127.0.0.30';
    for (let i = 0; i < FAILURE_LIMIT; i++) expect((await send(https.port, '/api/sign-in', { method: 'POST', from, body: { token: 'wrong' } })).status).toBe(401);
    const blocked = await send(https.port, '/api/sign-in', { method: 'POST', from, body: { token: tokenOf('office-user') } });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_FAILED_SIGN_INS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.headers['set-cookie']).toBeUndefined();
    // The same client's Bearer requests share the count.
    expect((await send(https.port, '/api/tasks', { from, user: 'office-user' })).status).toBe(429);
    expect((await send(https.port, '/api/sign-in', { method: 'POST', from: '127.0.0.31', body: { token: tokenOf('office-user') } })).status).toBe(200);
  });

  it.each([
    ['a broken percent-escape', 'reglament_session=%E0%A4%A'],
    ['an empty value', 'reglament_session='],
    ['a lone percent sign', 'reglament_session=%'],
  ])('a malformed session cookie (%s) is refused with 401, not a server error', async (_case, cookie) => {
    const answer = await send(plain.port, '/api/me', { cookie });
    expect(answer.status).toBe(401);
  });

  it('a stale session cookie is not a failed sign-in (it is no guess at a token)', async () => {
    const from = '127.0.0.40';
    for (let i = 0; i < FAILURE_LIMIT * 2; i++) expect((await send(https.port, '/api/me', { from, cookie: 'reglament_session=stale' })).status).toBe(401);
    expect((await send(https.port, '/api/me', { from, user: 'office-user' })).status).toBe(200);
  });
});
