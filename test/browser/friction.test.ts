import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
// Callbacks of page.evaluate run in the page; they reach its globals through globalThis (no DOM library here).
import { kk } from '../../src/web/i18n/kk';
import { formValues } from '../support/form-values';
import { startTestHost, tempDir, TestHost, tokenOf } from '../support/test-host';
import { ConsoleEntry, ensureWebBuild, launchBrowser, nameUsers, pageReady, ROOT, screenshot, signIn, unexpectedErrors, watchConsole } from './support';

/*
 * Issue 16, Build 6 (friction) in Chromium: a session that survives new tabs with no token in page
 * storage; a task page that follows another clerk's claim and completion and says a conflict in
 * Kazakh with the holder's name; a start page that offers exactly what the user may start; an
 * admin's retry of an incident. Two clerks of the office have display names other than their ids.
 * The diagrams are processes/ as committed (the working tree may hold a diagram being edited).
 */
const COTTON = 'cotton-warehouse-license';
const ACCREDITATION = 'pm-organization-accreditation';
const CLERK = 'office-user';
const OTHER = 'office-user-2';
const NAMES: Record<string, string> = { [CLERK]: 'Айгерім Сейітова', [OTHER]: 'Әсел Бекова' };
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('friction: session, live task page, start list, retry (Chromium)', () => {
  let t: TestHost;
  let browser: Browser;
  let processesDir: string;
  const contexts: BrowserContext[] = [];
  const watched: ConsoleEntry[][] = [];

  beforeAll(async () => {
    ensureWebBuild();
    processesDir = path.join(tempDir('friction-'), 'processes');
    fs.mkdirSync(processesDir);
    execFileSync('sh', ['-c', 'git archive HEAD processes | tar -x --strip-components=1 -C "$0"', processesDir], { cwd: ROOT });
    t = await startTestHost({ processesDir });
    nameUsers(t, NAMES);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  });

  /** A browser of its own (its own cookies), signed in as the user. */
  async function browserOf(user: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, locale: 'kk-KZ' });
    contexts.push(context);
    const page = await context.newPage();
    watched.push(watchConsole(page));
    await signIn(page, t.url, user);
    await pageReady(page);
    return { context, page };
  }

  /** A cotton application whose first task (register-application, group office) is open. */
  async function openCottonTask(): Promise<string> {
    const definition = (await t.call('admin', 'GET', `/process-definitions/${COTTON}`)).body;
    // Handed in at the office: no signed request.
    const { signedRequest: _signed, ...applicant } = await t.sim.prepareApplicant({ kind: 'legal-entity', processKey: COTTON });
    const variables = formValues(definition.startFormFields, { ...applicant, channel: 'office', variant: 'issue', resultForm: 'paper' });
    const started = await t.call(CLERK, 'POST', `/process-definitions/${COTTON}/start`, { variables });
    expect([started.status, started.body.state]).toEqual([201, 'running']);
    const task = (await t.call(CLERK, 'GET', `/tasks?processInstanceId=${started.body.id}`)).body.items[0];
    expect(task.taskDefinitionKey).toBe('register-application');
    return task.id;
  }

  /** Marks the page's document: a full reload would lose the mark. */
  const markDocument = (page: Page) => page.evaluate(() => ((globalThis as any).__notReloaded = true));
  const stillSameDocument = (page: Page) => page.evaluate(() => (globalThis as any).__notReloaded === true);

  it('a task opened in a new tab needs no sign-in; no token is in page storage and the session cookie is out of scripts’ reach; sign-out ends it in every tab', async () => {
    const taskId = await openCottonTask();
    const { context, page } = await browserOf(CLERK);
    const tab = await context.newPage();
    await tab.goto(`${t.url}/tasks/${taskId}`);
    await pageReady(tab);
    expect(new URL(tab.url()).pathname).toBe(`/tasks/${taskId}`);
    expect(await tab.locator('form.signin').count()).toBe(0);
    expect(await tab.locator(`[data-user="${CLERK}"]`).count()).toBe(1);
    expect(await tab.locator('h1[data-task-key="register-application"]').count()).toBe(1);

    for (const p of [page, tab]) {
      const stored = await p.evaluate(() => [...Object.values((globalThis as any).localStorage), ...Object.values((globalThis as any).sessionStorage)].map(String));
      expect(stored.filter((v) => v.includes(tokenOf(CLERK)))).toEqual([]);
      expect(await p.evaluate(() => (globalThis as any).document.cookie as string)).not.toContain('reglament_session');
    }
    const cookie = (await context.cookies(`${t.url}/api/me`)).find((c) => c.name === 'reglament_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api' });
    await screenshot(tab, 'friction-01-task-in-new-tab');

    await tab.click('[data-action="sign-out"]');
    await tab.waitForSelector('form.signin');
    await page.goto(`${t.url}/tasks`);
    await page.waitForSelector('form.signin');
    expect(new URL(page.url()).pathname).toBe('/signin');
    await tab.close();
    await page.close();
  });

  it("follows another clerk's claim and completion without a reload, naming them in Kazakh", async () => {
    const taskId = await openCottonTask();
    const { page } = await browserOf(CLERK);
    await page.goto(`${t.url}/tasks/${taskId}`);
    await pageReady(page);
    await page.waitForSelector('[data-action="claim"]');
    await markDocument(page);

    // The other clerk claims it in their own browser.
    const other = await browserOf(OTHER);
    await other.page.goto(`${t.url}/tasks/${taskId}`);
    await pageReady(other.page);
    await other.page.click('[data-action="claim"]');
    await other.page.waitForSelector('[data-action="unclaim"]');

    await page.waitForFunction((name) => (globalThis as any).document.querySelector('[data-field="assignee"]')?.textContent === name, NAMES[OTHER]);
    expect(await stillSameDocument(page)).toBe(true);
    expect(await page.locator('[data-action="claim"]').count()).toBe(0);
    expect(await page.locator('.flash').textContent()).toBe(kk.taskTakenBy(NAMES[OTHER]));
    await screenshot(page, 'friction-02-claimed-by-other');

    const task = (await t.call(OTHER, 'GET', `/tasks/${taskId}`)).body;
    expect((await t.call(OTHER, 'POST', `/tasks/${taskId}/complete`, { variables: formValues(task.formFields) })).status).toBe(200);
    await page.waitForFunction((text) => (globalThis as any).document.querySelector('.flash')?.textContent === text, kk.taskDoneBy(NAMES[OTHER]));
    expect(await stillSameDocument(page)).toBe(true);
    await page.close();
    await other.page.close();
  });

  it('a claim that loses to another clerk is a Kazakh message with their name, no English and no id', async () => {
    const taskId = await openCottonTask();
    const { page } = await browserOf(CLERK);
    await page.goto(`${t.url}/tasks/${taskId}`);
    await pageReady(page);
    // The page keeps being told the task is unclaimed (its polls answered from before), so the claim button stays and loses.
    const stale = await (await page.request.get(`${t.url}/api/tasks/${taskId}`)).text();
    await page.route(`${t.url}/api/tasks/${taskId}`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: stale }));
    expect((await t.call(OTHER, 'POST', `/tasks/${taskId}/claim`)).status).toBe(200);
    const answer = page.waitForResponse((r) => r.url().endsWith(`/api/tasks/${taskId}/claim`));
    await page.click('[data-action="claim"]');
    expect((await answer).status()).toBe(409);
    const flash = page.locator('.flash');
    await flash.waitFor();
    const text = (await flash.textContent()) ?? '';
    expect(text).toBe(kk.taskTakenBy(NAMES[OTHER]));
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(/claimed|task/i);
    await screenshot(page, 'friction-03-claim-conflict');
    // Told the truth again, the page shows the holder.
    await page.unroute(`${t.url}/api/tasks/${taskId}`);
    await page.waitForFunction((name) => (globalThis as any).document.querySelector('[data-field="assignee"]')?.textContent === name, NAMES[OTHER]);
    await page.close();
  });

  /** What the diagrams of processes/ let a user of these groups start: reglaments naming a group of theirs (admins: every reglament), never a shared flow. */
  function startableFor(groups: string[]): string[] {
    const keys: string[] = [];
    for (const file of fs.readdirSync(processesDir).filter((f) => f.endsWith('.bpmn'))) {
      const xml = fs.readFileSync(path.join(processesDir, file), 'utf8');
      const tag = /<bpmn:process\b[^>]*>/.exec(xml)![0];
      const key = /\bid="([^"]+)"/.exec(tag)![1];
      if (/camunda:isStartableInTasklist="false"/.test(tag)) continue;
      const starters = (/camunda:candidateStarterGroups="([^"]*)"/.exec(tag)?.[1] ?? '').split(',').map((g) => g.trim());
      if (groups.includes('admin') || starters.some((g) => groups.includes(g))) keys.push(key);
    }
    return keys.sort();
  }

  it.each([
    [CLERK, ['office']],
    ['state-corporation-user', ['state-corporation']],
    ['head-user', ['head']],
    ['admin', ['admin']],
  ])('the start page offers %s exactly the reglaments their groups may start, no shared flow', async (user, groups) => {
    const { page } = await browserOf(user);
    await page.click('[data-nav="start"]');
    await pageReady(page);
    const offered = await page.locator('select[data-filter="reglament"] option').evaluateAll((options) => options.map((o) => o.getAttribute('value')).filter((v) => v));
    expect(offered.sort()).toEqual(startableFor(groups));
    for (const shared of ['egov-portal-intake', 'egov-result-delivery', 'elicense-provider-intake', 'state-corporation-intake', 'state-corporation-result-issuance']) expect(offered).not.toContain(shared);
    await page.close();
  });

  it.each([
    ['a reglament of another unit', 'state-corporation-user', COTTON, 'NOT_A_STARTER', kk.notAStarter],
    ['a shared flow', 'admin', 'egov-portal-intake', 'NOT_STARTABLE', kk.sharedFlowNotStartable],
  ])('a typed address of %s shows the refusal in Kazakh and no form', async (_name, user, key, code, text) => {
    const { page } = await browserOf(user);
    await page.goto(`${t.url}/start/${key}`);
    await pageReady(page);
    const refusal = page.locator(`[data-refusal="${code}"]`);
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(text);
    expect(await page.locator('form.generated-form').count()).toBe(0);
    await page.close();
  });

  it("an admin retries an instance's incident from its page; the page follows; others see no retry button", async () => {
    const { applicantKind: _kind, ...applicant } = await t.sim.prepareApplicant({ kind: 'legal-entity', processKey: ACCREDITATION });
    await t.sim.stop('elicense');
    let childId: string;
    try {
      const started = await t.call(CLERK, 'POST', `/process-definitions/${ACCREDITATION}/start`, { variables: { ...applicant, channel: 'portal' } });
      expect(started.status).toBe(201);
      const child = (await t.call('admin', 'GET', '/process-instances?processDefinitionKey=egov-portal-intake&state=running&maxResults=1000')).body.items.find((c: any) => c.parentInstanceId === started.body.id);
      childId = child.id;
      expect((await t.call('admin', 'GET', `/process-instances/${childId}`)).body.incidents).toHaveLength(1);

      // A non-admin who may see the instance gets no retry button.
      expect((await t.call(CLERK, 'GET', `/process-instances/${childId}`)).status).toBe(200);
      const clerk = await browserOf(CLERK);
      await clerk.page.goto(`${t.url}/instances/${childId}`);
      await pageReady(clerk.page);
      expect(await clerk.page.locator('[data-incident]').count()).toBe(1);
      expect(await clerk.page.locator('[data-action="retry"]').count()).toBe(0);
      await clerk.page.close();

      const { page } = await browserOf('admin');
      await page.goto(`${t.url}/instances/${childId}`);
      await pageReady(page);
      await markDocument(page);
      // Still down: the retry says so and the incident stays.
      await page.click('[data-action="retry"]');
      await page.waitForFunction((text) => (globalThis as any).document.querySelector('.flash')?.textContent === text, kk.incidentStillOpen);
      await pageReady(page);
      expect(await page.locator('[data-incident]').count()).toBe(1);
      expect((await t.call('admin', 'GET', `/process-instances/${childId}`)).body.incidents[0].attempts).toBe(2);

      await t.sim.start('elicense');
      await page.click('[data-action="retry"]');
      await page.waitForFunction((text) => (globalThis as any).document.querySelector('.flash')?.textContent === text, kk.incidentResolved);
      await pageReady(page);
      expect(await stillSameDocument(page)).toBe(true);
      expect(await page.locator('[data-incident]').count()).toBe(0);
      expect(await page.locator('[data-action="retry"]').count()).toBe(0);
      expect(await page.locator('[data-state="completed"]').count()).toBe(1);
      expect((await t.call('admin', 'GET', `/process-instances/${childId}`)).body.state).toBe('completed');
      await screenshot(page, 'friction-04-retried');
      await page.close();
    } finally {
      await t.sim.start('elicense').catch(() => undefined);
    }
  });

  it('logs no console error but the answers the tests provoked', () => {
    expect(
      unexpectedErrors(watched.flat(), [
        { status: 401, url: /\/api\/me$/ },
        { status: 409, url: /\/api\/tasks\/[^/]+\/claim$/ },
      ]),
    ).toEqual([]);
  });
});
