import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { kk } from '../../src/web/i18n/kk';
import { startTestHost, TestHost } from '../support/test-host';
import { ConsoleEntry, ensureWebBuild, launchBrowser, nameUsers, pageReady, signIn, unexpectedErrors, watchConsole } from './support';

/*
 * Issue 17, points 2 and 3 in Chromium: the head takes a task back from a clerk and assigns it to
 * another clerk, who then sees it as theirs; a comment written on the case page shows there, with
 * its author's name, to another user of the case.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/assignment');
const NAMES: Record<string, string> = { 'office-user': 'Айгерім Сейітова', 'office-user-2': 'Әсел Бекова', 'head-user': 'Нұрлан Басшы' };

describe('assignment and comments in the web app (Chromium)', () => {
  let t: TestHost;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const watched: ConsoleEntry[][] = [];

  beforeAll(async () => {
    ensureWebBuild();
    t = await startTestHost({ processesDir: FIXTURES });
    nameUsers(t, NAMES);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  });

  async function browserOf(user: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, locale: 'kk-KZ' });
    contexts.push(context);
    const page = await context.newPage();
    watched.push(watchConsole(page));
    await signIn(page, t.url, user);
    await pageReady(page);
    return page;
  }

  it('the head takes a task back from a clerk and gives it to another, who sees it as theirs', async () => {
    const started = await t.call('office-user', 'POST', '/process-definitions/assign-chain/start', { variables: {} });
    const taskId = (await t.call('office-user', 'GET', `/tasks?processInstanceId=${started.body.id}`)).body.items[0].id as string;
    expect((await t.call('office-user', 'POST', `/tasks/${taskId}/claim`)).status).toBe(200);

    const head = await browserOf('head-user');
    await head.goto(`${t.url}/tasks/${taskId}`);
    await pageReady(head);
    expect(await head.locator('[data-field="assignee"]').textContent()).toBe(NAMES['office-user']);
    // The chooser lists the office's clerks by name, not the one who holds it.
    const options = await head.locator('[data-field="assign-to"] option').allTextContents();
    expect(options).toContain(NAMES['office-user-2']);
    expect(options).not.toContain(NAMES['office-user']);
    await head.selectOption('[data-field="assign-to"]', 'office-user-2');
    await head.click('[data-action="assign"]');
    await head.waitForSelector('[data-field="assignee"][data-assignee="office-user-2"]');
    expect(await head.locator('[data-field="assignee"]').textContent()).toBe(NAMES['office-user-2']);
    expect(await head.locator('.flash, [role=status]').first().textContent()).toContain(NAMES['office-user-2']);

    const clerk = await browserOf('office-user-2');
    await clerk.goto(`${t.url}/tasks?scope=mine`);
    await pageReady(clerk);
    await clerk.waitForSelector(`a[href="/tasks/${taskId}"]`);
    // The list shows the holder by name.
    expect(await clerk.locator(`tr[data-task-id="${taskId}"] [data-col="assignee"]`).textContent()).toBe(NAMES['office-user-2']);
    await clerk.click(`a[href="/tasks/${taskId}"]`);
    await pageReady(clerk);
    await clerk.waitForSelector('[data-field="assignee"][data-assignee="office-user-2"]');
    // Theirs: the form is open to them, with no "claim first" or "claimed by" hint.
    expect(await clerk.locator('.task-form button[type=submit]').isEnabled()).toBe(true);
    expect(await clerk.locator('.task-form .hint').count()).toBe(0);

    const history = (await t.call('admin', 'GET', `/process-instances/${started.body.id}/history`)).body as { type: string; user?: string; data?: Record<string, unknown> }[];
    expect(history.find((e) => e.type === 'task-taken-back')).toMatchObject({ user: 'head-user', data: { from: 'office-user', to: 'office-user-2' } });
  });

  it('a comment written on the case page shows there, to another user of the case', async () => {
    const started = await t.call('office-user', 'POST', '/process-definitions/assign-chain/start', { variables: {} });
    const clerk = await browserOf('office-user');
    await clerk.goto(`${t.url}/instances/${started.body.id}`);
    await pageReady(clerk);
    expect(await clerk.locator('[data-section="comments"] h2').textContent()).toBe(kk.comments);
    const text = 'Өтініш берушінің салық анықтамасы жетіспейді.';
    await clerk.fill('[data-field="comment"]', text);
    await clerk.click('[data-action="comment"]');
    await clerk.waitForSelector('[data-comment]');
    expect(await clerk.locator('[data-comment] .comment-text').textContent()).toBe(text);

    const head = await browserOf('head-user');
    await head.goto(`${t.url}/instances/${started.body.id}`);
    await pageReady(head);
    const shown = head.locator('[data-comment]');
    expect(await shown.count()).toBe(1);
    expect(await shown.locator('.comment-text').textContent()).toBe(text);
    expect(await shown.locator('.comment-meta').textContent()).toContain(NAMES['office-user']);
  });

  it('no unexpected console errors', () => {
    // Before signing in, the app asks GET /api/me whether a session exists: 401 is its answer.
    expect(watched.flatMap((entries) => unexpectedErrors(entries, [{ status: 401, url: /\/api\/me$/ }]))).toEqual([]);
  });
});
