import http from 'node:http';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createHost, Host } from '../../src/host';
import { UserDirectory } from '../../src/identity/users';
import { postgresFor, tempDir, tokenOf, writeUsersFile } from '../support/test-host';

/*
 * Hardening (issue 13, finding 7): security headers on the web app and the APIs, no caching of
 * personal data, links built from configuration and never from the request's Host, paging,
 * nesting depth and variable counts bounded, failed sign-ins limited per client. The host is built
 * here with its own settings (PUBLIC_URL, a low AUTH_FAILURE_LIMIT); clients are told apart by their
 * source address (the loopback network is 127/8, so 127.0.0.x are distinct clients).
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/write-lock');
const PUBLIC_URL = 'https://reglament.example.kz/portal';
const FAILURE_LIMIT = 3;
const KEY = 'lock-chain';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: any;
}

describe('hardening', () => {
  let host: Host;
  let port: number;
  let dir: string;

  /** One request from a chosen loopback address, with full control of the headers (Host included). */
  function send(route: string, options: { method?: string; from?: string; user?: string | null; headers?: Record<string, string>; body?: string | object } = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.user) headers.authorization = `Bearer ${tokenOf(options.user)}`;
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
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
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  beforeAll(async () => {
    dir = tempDir('hardening-');
    const config = loadConfig({
      DATA_DIR: dir,
      DB_FILE: path.join(dir, 'hardening.sqlite'),
      PROCESSES_DIR: FIXTURES,
      USERS_FILE: writeUsersFile(dir, ['office']),
      PORT: '0',
      PUBLIC_URL,
      AUTH_FAILURE_LIMIT: String(FAILURE_LIMIT),
      ...postgresFor(dir),
    });
    host = await createHost({ config, users: UserDirectory.fromFile(config.usersFile!), timerPollMs: 0 });
    await host.deployProcessDirectory();
    const { url } = await host.listen(0, '127.0.0.1');
    port = Number(new URL(url).port);
  });
  afterAll(() => host.close());

  describe('security headers', () => {
    it.each([
      ['the web app', '/'],
      ['an app route', '/tasks'],
      ['the API', '/api/health'],
      ['the Camunda subset', '/engine-rest/version'],
    ])('%s carries CSP with script-src self and frame-ancestors none, nosniff and DENY', async (_name, route) => {
      const res = await send(route);
      const csp = String(res.headers['content-security-policy'] ?? '');
      expect(csp).toMatch(/(^|;)\s*script-src 'self'(;|$)/);
      expect(csp).toMatch(/(^|;)\s*frame-ancestors 'none'(;|$)/);
      expect(csp).toMatch(/(^|;)\s*object-src 'none'(;|$)/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
    });

    it.each([
      ['a list of tasks', '/api/tasks', 'office-user'],
      ['who I am', '/api/me', 'office-user'],
      ['an error answer', '/api/tasks/no-such-task', 'office-user'],
      ['an unauthenticated answer', '/api/tasks', null],
      ['the Camunda subset', '/engine-rest/process-definition', 'admin'],
      ['a Camunda error', '/engine-rest/no-such-endpoint', 'admin'],
    ])('%s is never cached (Cache-Control: no-store)', async (_name, route, user) => {
      const res = await send(route, { user, from: '127.0.0.9' });
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });

  describe('links come from configuration', () => {
    it.each([
      ['a forged Host', { host: 'evil.example' }],
      ['X-Forwarded-Host and -Proto', { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' }],
      ['a Forwarded header', { forwarded: 'host=evil.example;proto=https' }],
    ])('engine-rest deployment links ignore %s', async (_name, headers) => {
      const res = await send('/engine-rest/deployment', { user: 'admin', headers });
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThan(0);
      for (const deployment of res.body) expect(deployment.links).toEqual([{ method: 'GET', href: `${PUBLIC_URL}/engine-rest/deployment/${deployment.id}`, rel: 'self' }]);
      expect(res.text).not.toContain('evil.example');
    });
  });

  describe('paging on /engine-rest is validated as on /api', () => {
    it.each([
      ['firstResult beyond any number', '/engine-rest/deployment?firstResult=99999999999999999999', 'firstResult'],
      ['firstResult beyond the bound', '/engine-rest/deployment?firstResult=1000000001', 'firstResult'],
      ['maxResults beyond any number', '/engine-rest/deployment?maxResults=99999999999999999999', 'maxResults'],
      ['firstResult negative', '/engine-rest/deployment?firstResult=-1', 'firstResult'],
      ['firstResult given twice', '/engine-rest/deployment?firstResult=1&firstResult=2', 'firstResult'],
    ])('%s is a 400 in Camunda shape', async (_name, route, parameter) => {
      const res = await send(route, { user: 'admin' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ type: 'InvalidRequestException', message: expect.stringContaining(parameter) });
    });

    it('the modeler connection check still answers', async () => {
      const res = await send('/engine-rest/deployment?maxResults=0', { user: 'admin' });
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: [] });
    });
  });

  describe('request bodies are bounded', () => {
    const deep = (depth: number) => `{"variables":{"firstNote":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    const manyVariables = (n: number) => ({ variables: Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, i])) });
    const camundaVariables = (n: number) => ({ variables: Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, { value: i, type: 'Integer' }])) });

    it.each([
      ['/api start', `/api/process-definitions/${KEY}/start`],
      ['/engine-rest start', `/engine-rest/process-definition/key/${KEY}/start`],
    ])('JSON nested 6,000 deep on %s is a 400 naming the depth limit', async (name, route) => {
      const res = await send(route, { method: 'POST', user: 'office-user', body: deep(6000) });
      expect(res.status).toBe(400);
      if (name.startsWith('/api')) expect(res.body.error).toMatchObject({ code: 'JSON_TOO_DEEP', message: expect.stringContaining('more than 64 levels') });
      else expect(res.body).toEqual({ type: 'InvalidRequestException', message: expect.stringContaining('more than 64 levels') });
    });

    it('JSON nested at the bound is parsed (and judged by the form, not by the depth check)', async () => {
      const res = await send(`/api/process-definitions/${KEY}/start`, { method: 'POST', user: 'office-user', body: deep(60) });
      expect(res.body?.error?.code).not.toBe('JSON_TOO_DEEP');
    });

    it.each([
      ['/api start', `/api/process-definitions/${KEY}/start`, manyVariables(100_000)],
      ['/api start just over the bound', `/api/process-definitions/${KEY}/start`, manyVariables(1001)],
      ['/engine-rest start', `/engine-rest/process-definition/key/${KEY}/start`, camundaVariables(100_000)],
    ])('too many variables on %s is a 400 naming the limit', async (name, route, body) => {
      const res = await send(route, { method: 'POST', user: 'office-user', body });
      expect(res.status).toBe(400);
      if (name.startsWith('/api')) expect(res.body.error).toMatchObject({ code: 'TOO_MANY_VARIABLES', message: expect.stringContaining('at most 1000 variables') });
      else expect(res.body).toEqual({ type: 'InvalidRequestException', message: expect.stringContaining('at most 1000 variables') });
    });

    it('too many variables on a completion is a 400 too', async () => {
      const started = await send(`/api/process-definitions/${KEY}/start`, { method: 'POST', user: 'office-user', body: { businessKey: 'HARDENING-1' } });
      expect(started.status).toBe(201);
      const tasks = await send(`/api/tasks?processInstanceId=${started.body.id}`, { user: 'office-user' });
      const res = await send(`/api/tasks/${tasks.body.items[0].id}/complete`, { method: 'POST', user: 'office-user', body: manyVariables(5000) });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('TOO_MANY_VARIABLES');
    });
  });

  describe('failed sign-ins are limited per client', () => {
    const basic = (user: string, token: string) => `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;

    it.each([
      ['/api with wrong Bearer tokens', '127.0.0.2', '/api/tasks', { authorization: 'Bearer wrong-token' }],
      ['/engine-rest with wrong Basic passwords', '127.0.0.3', '/engine-rest/deployment', { authorization: basic('admin', 'wrong-token') }],
      ['/engine-rest with wrong Bearer tokens', '127.0.0.4', '/engine-rest/process-definition', { authorization: 'Bearer wrong-token' }],
    ])('%s: after the limit, 429 with Retry-After, also for a valid token from that client; other clients unaffected', async (_name, from, route, headers) => {
      for (let i = 0; i < FAILURE_LIMIT; i++) expect((await send(route, { from, headers })).status).toBe(401);
      const blocked = await send(route, { from, headers });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      if (route.startsWith('/api')) expect(blocked.body.error.code).toBe('TOO_MANY_FAILED_SIGN_INS');
      else expect(blocked.body).toEqual({ type: 'AuthenticationException', message: expect.stringContaining('Retry') });
      // A guess that happens to be right tells the client nothing while it is blocked.
      expect((await send(route, { from, user: 'admin' })).status).toBe(429);
      expect((await send(route, { from: '127.0.0.5', user: 'admin' })).status).toBe(200);
    });

    it('successful requests are not counted, even many at once', async () => {
      const from = '127.0.0.6';
      const answers = await Promise.all(Array.from({ length: 40 }, () => send('/api/tasks', { from, user: 'office-user' })));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      for (let i = 0; i < FAILURE_LIMIT; i++) expect((await send('/api/tasks', { from, headers: { authorization: 'Bearer wrong-token' } })).status).toBe(401);
      expect((await send('/api/tasks', { from, headers: { authorization: 'Bearer wrong-token' } })).status).toBe(429);
    });

    it('requests without credentials are not sign-in attempts', async () => {
      const from = '127.0.0.7';
      for (let i = 0; i < FAILURE_LIMIT * 2; i++) expect((await send('/api/tasks', { from })).status).toBe(401);
      expect((await send('/api/tasks', { from, user: 'office-user' })).status).toBe(200);
    });
  });
});
