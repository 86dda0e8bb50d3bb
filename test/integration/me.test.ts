import { callApi, startTestHost, TestHost } from '../support/test-host';

/* GET /api/me: the web app's sign-in check, an API route like the others (token required). */
describe('GET /api/me', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  it("tells the token's user and groups, and refuses a wrong token with 401 and no store", async () => {
    const me = await t.call('office-user', 'GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: 'office-user', name: expect.any(String), groups: ['office'] });
    const wrong = await callApi(t.url, null, 'GET', '/me', undefined, { authorization: 'Bearer not-a-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('UNAUTHORIZED');
    // The app's old path is gone: /app/me is an app route now, not an answer about the token.
    const old = await fetch(`${t.url}/app/me`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(old.headers.get('content-type') ?? '').not.toMatch(/json/);
  });
});
