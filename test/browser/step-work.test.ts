import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makeBin } from '../../src/iin-bin';
import { ru } from '../../src/web/i18n/ru';
import { startTestHost, TestHost } from '../support/test-host';
import { ConsoleEntry, ensureWebBuild, launchBrowser, nameUsers, pageReady, signIn, unexpectedErrors, watchConsole } from './support';

/*
 * Issue 17, point 1 in Chromium, on a cotton warehouse licence: the head writes a resolution and
 * chooses the department; the department head picks a specialist by name and only that specialist
 * has the next task as theirs; the other bodies write a negative conclusion (its text required, at its
 * field); the specialist enters the refusal reason in a multi-line field, and the case page shows the
 * resolution, the conclusion and the reason as written.
 */
const KEY = 'cotton-warehouse-license';
const NAMES: Record<string, string> = {
  'head-user': 'Нұрлан Басшы',
  'department-head-user': 'Дана Бөлімбасы',
  'sanzhar-specialist': 'Санжар Маман',
  'second-specialist': 'Әлия Жауапты',
  'specialist-user': 'Ерлан Маман',
  'specialist-user-2': 'Гүлнар Маман',
  'other-bodies-user': 'Бота Органова',
};
const RESOLUTION = 'Бөлімге.\nЗаңнамаға сәйкес қарауға.';
const CONCLUSION = 'Қойма өртке қарсы талаптарға сай емес.\nАкт № 12, 2026-12-01.';
const REASON = 'Басқа мемлекеттік органның теріс қорытындысы.\nҚойма өртке қарсы талаптарға сай емес.';

describe('what a step produces, written in the web app (Chromium)', () => {
  let t: TestHost;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const watched: ConsoleEntry[][] = [];

  beforeAll(async () => {
    ensureWebBuild();
    t = await startTestHost();
    nameUsers(t, NAMES);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  });

  async function browserOf(user: string, language: 'kk' | 'ru' | 'en' = 'kk'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, locale: `${language}-KZ` });
    contexts.push(context);
    const page = await context.newPage();
    watched.push(watchConsole(page));
    await signIn(page, t.url, user);
    if (language !== 'kk') {
      await page.evaluate((l) => (globalThis as any).localStorage.setItem('reglament.lang', l), language);
      await page.reload();
    }
    await pageReady(page);
    return page;
  }

  /** The case's one open task as the API lists it to `user`. */
  async function openTask(user: string, businessKey: string) {
    const listed = (await t.call(user, 'GET', `/tasks?businessKey=${encodeURIComponent(businessKey)}`)).body.items;
    expect(listed).toHaveLength(1);
    return listed[0];
  }

  /** Opens the task page, claims the task when nobody holds it, and waits for its form. */
  async function openTaskPage(page: Page, taskId: string): Promise<void> {
    await page.goto(`${t.url}/tasks/${taskId}`);
    await pageReady(page);
    if ((await page.locator('[data-action="claim"]').count()) > 0) {
      await page.click('[data-action="claim"]');
      await pageReady(page);
    }
    await page.waitForSelector('.task-form button[type=submit]:not([disabled])');
  }

  async function submit(page: Page): Promise<void> {
    await page.click('.task-form button[type=submit]');
    await page.waitForURL(/\/tasks(\?|$)/);
  }

  it('resolution, specialist, conclusion and refusal reason, each written at its step and shown on the case', async () => {
    const businessKey = 'browser-step-work';
    const started = await t.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, {
      businessKey,
      variables: { channel: 'office', variant: 'issue', resultForm: 'electronic', applicantKind: 'legal-entity', applicantName: 'ТОО «Мақта Терминал»', applicantIinBin: makeBin(new Date(Date.UTC(2014, 7, 1)), 4321) },
    });
    expect(started.status).toBe(201);
    const instanceId = started.body.id as string;
    expect((await t.call('olga-office', 'POST', `/tasks/${(await openTask('olga-office', businessKey)).id}/complete`, { variables: {} })).status).toBe(200);

    // The head: the resolution in a multi-line field, the department chosen; without the text it is a field error.
    const head = await browserOf('head-user');
    await openTaskPage(head, (await openTask('head-user', businessKey)).id);
    expect(await head.locator('[data-field="headResolution"]').evaluate((el) => el.tagName)).toBe('TEXTAREA');
    await head.selectOption('[data-field="resolutionUnit"]', 'department');
    await head.click('.task-form button[type=submit]');
    await head.waitForSelector('[data-field-row="headResolution"].invalid');
    await head.fill('[data-field="headResolution"]', RESOLUTION);
    await submit(head);

    // The department head (in English): the specialist is chosen by name among the group's users.
    const departmentHead = await browserOf('department-head-user', 'en');
    await openTaskPage(departmentHead, (await openTask('department-head-user', businessKey)).id);
    expect(await departmentHead.locator('label[for="field-responsibleSpecialist"]').textContent()).toContain('Responsible specialist of the department');
    const offered = await departmentHead.locator('[data-field="responsibleSpecialist"] option').allTextContents();
    expect(offered).toEqual(expect.arrayContaining([NAMES['second-specialist'], NAMES['sanzhar-specialist'], NAMES['specialist-user']]));
    expect(offered).not.toContain(NAMES['other-bodies-user']);
    await departmentHead.fill('[data-field="departmentHeadResolution"]', 'Әлия Жауаптыға орындауға.');
    await departmentHead.selectOption('[data-field="responsibleSpecialist"]', 'second-specialist');
    await submit(departmentHead);

    // Only the chosen specialist has it as theirs; another specialist sees it held by her.
    const chosen = await browserOf('second-specialist');
    await chosen.goto(`${t.url}/tasks?scope=mine`);
    await pageReady(chosen);
    const row = chosen.locator('tr[data-task-key="initial-check"]');
    await row.waitFor();
    expect(await row.locator('[data-col="assignee"]').textContent()).toBe(NAMES['second-specialist']);
    const other = await browserOf('sanzhar-specialist');
    await other.goto(`${t.url}/tasks?scope=mine`);
    await pageReady(other);
    await other.waitForSelector('.task-list .empty');
    const taskId = (await openTask('second-specialist', businessKey)).id as string;
    await other.goto(`${t.url}/tasks/${taskId}`);
    await pageReady(other);
    expect(await other.locator('[data-field="assignee"]').textContent()).toBe(NAMES['second-specialist']);
    expect(await other.locator('.task-form button[type=submit]').isDisabled()).toBe(true);
    expect(await other.locator('[data-action="claim"]').count()).toBe(0);
    for (const variables of [{ documentsComplete: true }, { qualificationMet: true }]) {
      expect((await t.call('second-specialist', 'POST', `/tasks/${(await openTask('second-specialist', businessKey)).id}/complete`, { variables })).status).toBe(200);
    }

    // The other bodies (in Russian): a negative conclusion asks for its motivated text at the field.
    const body = await browserOf('other-bodies-user', 'ru');
    await openTaskPage(body, (await openTask('other-bodies-user', businessKey)).id);
    expect(await body.locator('[data-field="conclusionText"]').evaluate((el) => el.tagName)).toBe('TEXTAREA');
    expect(await body.locator('label[for="field-conclusionText"]').textContent()).toContain('Мотивированное заключение');
    await body.check('#field-conclusionPositive-no');
    await body.click('.task-form button[type=submit]');
    await body.waitForSelector('[data-field-row="conclusionText"].invalid');
    expect(await body.locator('[data-error-for="conclusionText"]').textContent()).toBe(ru.required);
    await body.fill('[data-field="conclusionText"]', CONCLUSION);
    await submit(body);

    // The chosen specialist writes the refusal reason on several lines.
    const refusal = await openTask('second-specialist', businessKey);
    expect(refusal).toMatchObject({ taskDefinitionKey: 'refuse-negative-conclusion', assignee: 'second-specialist' });
    await openTaskPage(chosen, refusal.id);
    expect(await chosen.locator('[data-field="refusalReason"]').evaluate((el) => el.tagName)).toBe('TEXTAREA');
    await chosen.fill('[data-field="refusalReason"]', REASON);
    await submit(chosen);

    // The case page, in English: the resolution, the conclusion and the reason as written, line breaks kept.
    const reader = await browserOf('head-user', 'en');
    await reader.goto(`${t.url}/instances/${instanceId}`);
    await pageReady(reader);
    for (const [id, text] of [['headResolution', RESOLUTION], ['conclusionText', CONCLUSION], ['refusalReason', REASON]]) {
      const decision = reader.locator(`[data-step="task-completed"] dt[data-decision="${id}"] + dd`);
      expect(await decision.textContent()).toBe(text);
      expect(await decision.evaluate((el) => (globalThis as any).getComputedStyle(el).whiteSpace)).toBe('pre-wrap');
    }
    expect(await reader.locator('[data-step="task-completed"] dt[data-decision="conclusionText"]').textContent()).toBe('Motivated conclusion');
    expect(await reader.locator('[data-step="task-completed"] dt[data-decision="responsibleSpecialist"]').textContent()).toBe('Responsible specialist of the department');
    // The chosen specialist by name, the id as its title.
    expect(await reader.locator('[data-step="task-completed"] dt[data-decision="responsibleSpecialist"] + dd').textContent()).toBe(NAMES['second-specialist']);
  });

  it('no unexpected console errors', () => {
    // Before signing in, the app asks GET /api/me whether a session exists: 401 is its answer.
    expect(watched.flatMap((entries) => unexpectedErrors(entries, [{ status: 401, url: /\/api\/me$/ }]))).toEqual([]);
  });
});
