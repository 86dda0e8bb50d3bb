import { camundaCall } from '../support/camunda-client';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';
import { UNSUPPORTED } from '../../src/api/engine-rest/unsupported';

/*
 * How a Camunda 7 client signs in and learns who it is on /engine-rest (issue 20): Operaton's
 * webapps-neo posts { username, password } to /identity/verify without credentials
 * (frontend/src/api/resources/auth.js) and then sends HTTP Basic on every call; its account page
 * reads /user/{id}/profile. What this server does not have answers Camunda's error shape with why.
 */
const FAILURE_LIMIT = 3;

describe('identity and unsupported parts of /engine-rest', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ env: { AUTH_FAILURE_LIMIT: String(FAILURE_LIMIT), AUTH_FAILURE_WINDOW_MS: '600000' } });
  });
  afterAll(() => t.close());

  it('answers version 7.24.0 without credentials', async () => {
    expect(await camundaCall(t, null, 'GET', '/version').then((r) => [r.status, r.body])).toEqual([200, { version: '7.24.0' }]);
  });

  it('verifies a user id and token without credentials, and the token then signs every call as HTTP Basic', async () => {
    const verified = await camundaCall(t, null, 'POST', '/identity/verify', { username: 'olga-office', password: tokenOf('olga-office') });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ authenticatedUser: 'olga-office', authenticated: true, groups: ['office'], tenants: [] });
    const profile = await camundaCall(t, 'olga-office', 'GET', '/user/olga-office/profile');
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({ id: 'olga-office', firstName: 'olga-office', lastName: null, email: null });
  });

  it("reads only the caller's own profile and groups", async () => {
    const other = await camundaCall(t, 'olga-office', 'GET', '/user/hasan-head/profile');
    expect(other.status).toBe(403);
    expect(other.body).toEqual({ type: 'AuthorizationException', message: expect.stringContaining("'hasan-head'") });
    const groups = await camundaCall(t, 'sanzhar-specialist', 'GET', '/identity/groups?userId=sanzhar-specialist');
    expect(groups.status).toBe(200);
    expect(groups.body.groups).toEqual([{ id: 'specialist', name: 'specialist' }]);
    const fellows = (groups.body.groupUsers as { id: string }[]).map((u) => u.id);
    expect(fellows).toEqual(expect.arrayContaining(['second-specialist', 'specialist-user']));
    expect(fellows).not.toContain('sanzhar-specialist');
    expect(groups.body.groupUsers[0]).toEqual({ id: expect.any(String), firstName: expect.any(String), lastName: null, displayName: expect.any(String) });
    expect((await camundaCall(t, 'sanzhar-specialist', 'GET', '/identity/groups')).body).toEqual({ type: 'InvalidRequestException', message: 'No user id was supplied' });
    expect((await camundaCall(t, 'sanzhar-specialist', 'GET', '/identity/groups?userId=olga-office')).status).toBe(403);
  });

  it('refuses a body without both fields with 400, before anything is counted', async () => {
    for (const body of [{}, { username: 'olga-office' }, { password: 'x' }]) {
      expect(await camundaCall(t, null, 'POST', '/identity/verify', body).then((r) => [r.status, r.body])).toEqual([400, { type: 'InvalidRequestException', message: 'Username and password are required' }]);
    }
    expect((await camundaCall(t, null, 'POST', '/identity/verify', { username: 1, password: 'x' })).status).toBe(400);
  });

  it.each(
    UNSUPPORTED.flatMap((entry) =>
      entry.paths.flatMap((template) => {
        const path = template.replace('/*rest', '/anything/else').replace(':id', 'some-id');
        return (entry.methods ?? ['GET', 'POST']).map((method) => [`${method} ${path}`, method, path, entry.status, entry.type, entry.message] as const);
      }),
    ),
  )('%s answers Camunda\'s error shape with the reason', async (_name, method, path, status, type, message) => {
    const answer = await camundaCall(t, 'admin', method, path);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ type, message: `${message} (${method} /engine-rest${path})` });
  });

  it('still needs credentials for an unsupported path, and an unknown one is a 404 naming it', async () => {
    expect((await camundaCall(t, null, 'GET', '/tenant')).status).toBe(401);
    expect(await camundaCall(t, 'admin', 'GET', '/no-such-resource').then((r) => [r.status, r.body])).toEqual([
      404,
      { type: 'NotFoundException', message: 'This server implements a subset of the Camunda 7 REST API; GET /engine-rest/no-such-resource is not part of it' },
    ]);
  });

  // Last: it uses up the client's failed sign-ins.
  it('answers a wrong password authenticated: false and counts it; past the limit the client gets 429, a right password included', async () => {
    const wrong = await camundaCall(t, null, 'POST', '/identity/verify', { username: 'olga-office', password: 'guess' });
    expect(wrong.status).toBe(200);
    expect(wrong.body).toEqual({ authenticatedUser: 'olga-office', authenticated: false, groups: null, tenants: null });
    // Another user's token under this name is no sign-in either.
    expect((await camundaCall(t, null, 'POST', '/identity/verify', { username: 'olga-office', password: tokenOf('admin') })).body.authenticated).toBe(false);
    expect((await camundaCall(t, null, 'POST', '/identity/verify', { username: 'nobody-known', password: 'guess' })).body.authenticated).toBe(false);
    const blocked = await camundaCall(t, null, 'POST', '/identity/verify', { username: 'olga-office', password: tokenOf('olga-office') });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(blocked.body).toEqual({ type: 'AuthenticationException', message: expect.stringContaining('Too many failed sign-ins') });
  });
});
