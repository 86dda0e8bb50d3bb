import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../src/identity/users';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';

/*
 * A claim or completion that lost to another clerk names the holder by display name (issue 16,
 * Build 6): the 409 keeps its code and says who in its details, and the task names its holder, so
 * that the web app can say it in the user's language instead of showing an id.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/write-lock');
const NAMES: Record<string, string> = { 'office-user': 'Айгерім Сейітова', 'office-user-2': 'Әсел Бекова' };

describe('task conflicts name the holder', () => {
  let t: TestHost;
  let task: string;

  beforeAll(async () => {
    t = await startTestHost({ processesDir: FIXTURES });
    // The same users with display names other than their ids.
    const file = path.join(t.dir, 'named-users.json');
    const users = JSON.parse(fs.readFileSync(path.join(t.dir, 'users.json'), 'utf8')) as { id: string; name: string; groups: string[]; tokenSha256: string }[];
    fs.writeFileSync(file, JSON.stringify(users.map((u) => ({ ...u, name: NAMES[u.id] ?? u.name, tokenSha256: sha256Hex(tokenOf(u.id)) }))));
    t.host.users.reloadFrom(file);
    const started = await t.call('office-user', 'POST', '/process-definitions/lock-chain/start', { variables: {} });
    task = (await t.call('office-user', 'GET', `/tasks?processInstanceId=${started.body.id}`)).body.items[0].id;
  });
  afterAll(() => t.close());

  it('an unclaimed task has no holder; a claimed one names its holder', async () => {
    expect((await t.call('office-user', 'GET', `/tasks/${task}`)).body).toMatchObject({ assignee: null, assigneeName: null });
    expect((await t.call('office-user-2', 'POST', `/tasks/${task}/claim`)).status).toBe(200);
    expect((await t.call('office-user', 'GET', `/tasks/${task}`)).body).toMatchObject({ assignee: 'office-user-2', assigneeName: NAMES['office-user-2'] });
  });

  it.each([
    ['claim', undefined],
    ['complete', { variables: {} }],
  ])("%s of a task someone else holds: 409 CONFLICT naming the holder's display name", async (action, body) => {
    const answer = await t.call('office-user', 'POST', `/tasks/${task}/${action}`, body);
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'claimed', assignee: 'office-user-2', assigneeName: NAMES['office-user-2'] } });
    expect(answer.body.error.message).toContain(NAMES['office-user-2']);
  });

  it('claim of a task completed meanwhile: 409 saying it is completed and by whom', async () => {
    expect((await t.call('office-user-2', 'POST', `/tasks/${task}/complete`, { variables: {} })).status).toBe(200);
    const answer = await t.call('office-user', 'POST', `/tasks/${task}/claim`);
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'not-open', state: 'completed', completedBy: 'office-user-2', completedByName: NAMES['office-user-2'] } });
  });
});
