import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { kk } from '../../src/web/i18n/kk';
import { ru } from '../../src/web/i18n/ru';
import { completeToEnd, httpPort, startApplication } from '../support/reglament-driver';
import { startTestHost, TestHost } from '../support/test-host';
import { ensureWebBuild, launchBrowser, pageReady, screenshot, signIn } from './support';

/*
 * The case and task pages read as people read them (issue 16, point 4), in Chromium, on a
 * cotton-warehouse-license application filed through the portal and licensed electronically (so it
 * carries the applicant's signed request and the provider's signed result): labels, not variable
 * ids; option names, not codes; Almaty times; signed documents as a verified summary with a working
 * download; no horizontal overflow; the history as steps with technical events behind a toggle.
 */
const KEY = 'cotton-warehouse-license';
const CLERK = 'office-user';

type Variables = Record<string, unknown>;

describe('readable case and task pages (Chromium)', () => {
  let t: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let caseId: string;
  let variables: Variables;
  let catalogue: { variables: Record<string, { label: { kk: string; ru?: string }; type: string; values?: Record<string, { kk: string; ru?: string }> }> };

  beforeAll(async () => {
    ensureWebBuild();
    t = await startTestHost();
    const started = await startApplication(t, KEY, { businessKey: 'READABLE-1', starter: 'olga-office', channel: 'portal', form: { variant: 'issue', resultForm: 'electronic' } });
    expect(started.status).toBe(201);
    const done = await completeToEnd(httpPort(t), { key: KEY, businessKey: 'READABLE-1', instanceId: started.body.id });
    expect(done).toMatchObject({ state: 'completed', outcome: 'licence-issued' });
    caseId = done.instanceId;
    variables = done.variables;
    catalogue = (await t.call(CLERK, 'GET', `/process-definitions/${KEY}/variables?version=1`)).body;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'kk-KZ', acceptDownloads: true });
    page = await context.newPage();
    await signIn(page, t.url, CLERK);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  async function openCase(): Promise<void> {
    await page.goto(`${t.url}/instances/${caseId}`);
    await pageReady(page);
    await page.waitForSelector('[data-signed-document]');
  }

  const cell = (id: string) => page.locator(`tr[data-variable="${id}"] td`);
  const label = (id: string) => page.locator(`tr[data-variable="${id}"] th`);
  /** The page's width against the viewport, with the outermost elements that stick out (to say what to fix). */
  const overflow = () =>
    page.evaluate(() => {
      const g = globalThis as any;
      const inner = g.innerWidth as number;
      const wide = [...g.document.querySelectorAll('body *')].filter((el: any) => el.getBoundingClientRect().right > inner + 0.5);
      const outermost = wide.filter((el: any) => !wide.includes(el.parentElement)).map((el: any) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
      return { scroll: g.document.documentElement.scrollWidth as number, inner, sticking: outermost.slice(0, 5) };
    });

  it('shows every variable under a label, never its id, with option names for codes and Almaty times', async () => {
    await openCase();
    const rows = await page.locator('tr[data-variable]').evaluateAll((trs) => trs.map((tr) => ({ id: tr.getAttribute('data-variable')!, label: tr.querySelector('th')!.textContent!.trim(), title: tr.querySelector('th')!.getAttribute('title') })));
    expect(rows.map((r) => r.id).sort()).toEqual(Object.keys(variables).sort());
    for (const row of rows) {
      expect({ id: row.id, label: row.label }).not.toEqual({ id: row.id, label: row.id });
      expect(row.label).not.toMatch(/^[a-z]+[A-Z]\w*$/);
      expect(row.title).toBe(row.id); // the id only as a secondary detail
    }
    // The start form's label, Kazakh as the diagram has it; a handler's output from the dictionary.
    expect(await label('applicantIinBin').textContent()).toBe(catalogue.variables.applicantIinBin.label.kk);
    expect(await label('registrationNumber').textContent()).toBe(kk.variableLabels.registrationNumber);

    // No variable id anywhere in the text a reader sees.
    const text = await page.locator('main').innerText();
    for (const id of Object.keys(variables)) expect(text).not.toContain(id);

    // Enum codes as their option names; codes the diagram sets (decision, result kind) in words; booleans as yes/no.
    for (const id of ['channel', 'variant', 'resultForm', 'applicantKind']) {
      const code = String(variables[id]);
      expect(await cell(id).textContent()).toBe(catalogue.variables[id].values![code].kk);
    }
    expect(await cell('decision').textContent()).toBe(kk.valueLabels.decision.issued);
    expect(await cell('resultKind').textContent()).toBe(kk.valueLabels.resultKind.licence);
    expect(await cell('paymentConfirmed').textContent()).toBe(kk.yes);

    // An instant in Almaty time (UTC+5), not the ISO text.
    const registeredAt = String(variables.registeredAt);
    const shown = (await cell('registeredAt').textContent())!;
    expect(shown).not.toContain(registeredAt);
    const almaty = new Date(Date.parse(registeredAt) + 5 * 3600_000);
    expect(shown).toContain(`${String(almaty.getUTCHours()).padStart(2, '0')}:${String(almaty.getUTCMinutes()).padStart(2, '0')}`);
    expect(shown).toContain(String(almaty.getUTCFullYear()));
  });

  it('shows the signed request and the signed result as a verified summary, never base64, and downloads the file', async () => {
    await openCase();
    const text = await page.locator('main').innerText();
    for (const id of ['signedRequest', 'resultDocument']) {
      expect(text).not.toContain(String(variables[id]).slice(0, 40));
      expect(await cell(id).textContent()).toBe(kk.signedDocumentBelow);
    }
    const request = page.locator('[data-signed-document="signedRequest"]');
    expect(await request.getAttribute('data-valid')).toBe('valid');
    expect(await request.locator('[data-signer="name"]').textContent()).toContain(String(variables.applicantName));
    expect(await request.locator('[data-signer="iin-bin"]').textContent()).toContain(String(variables.applicantIinBin));
    expect(await request.locator('[data-signer="valid"]').textContent()).toContain(kk.signatureValid);
    expect(await request.locator('[data-signer="signed-at"] time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const result = page.locator('[data-signed-document="resultDocument"]');
    expect(await result.getAttribute('data-valid')).toBe('valid');
    expect((await result.locator('[data-signer="name"]').textContent())!.trim()).not.toBe('—');
    expect(await result.locator('[data-signer="iin-bin"]').textContent()).toMatch(/\d{12}/);
    await screenshot(page, 'readable-01-case-signed-documents');

    const [download] = await Promise.all([page.waitForEvent('download'), result.locator('a[data-download="der"]').click()]);
    expect(download.suggestedFilename()).toBe('READABLE-1-resultDocument.p7m');
    const bytes = fs.readFileSync((await download.path())!);
    expect(bytes.toString('base64')).toBe(variables.resultDocument);
    const href = (await result.locator('a[data-download="der"]').getAttribute('href'))!;
    const answer = await page.request.get(`${t.url}${href}`);
    expect(answer.status()).toBe(200);
    expect(answer.headers()['content-type']).toMatch(/^application\/pkcs7-mime/);
  });

  it.each([1400, 800, 390])('is no wider than a %i px viewport', async (width) => {
    await page.setViewportSize({ width, height: 900 });
    try {
      await openCase();
      const { scroll, inner, sticking } = await overflow();
      expect({ scroll, sticking }).toEqual({ scroll: Math.min(scroll, inner), sticking: [] });
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 });
    }
  });

  it('shows the history as steps with who did them and their decisions; the toggle reveals the gateways', async () => {
    await openCase();
    const completed = page.locator('li[data-step="task-completed"]');
    expect(await completed.count()).toBe(8);
    const check = page.locator('li[data-step="task-completed"][data-activity="initial-check"]');
    expect(await check.locator('.actor').textContent()).toContain('specialist-user');
    const decision = check.locator('dl.decision');
    const documentsComplete = (await t.call(CLERK, 'GET', `/process-definitions/${KEY}/variables?version=1`)).body.variables.documentsComplete.label.kk;
    expect(await decision.locator('dt').textContent()).toBe(documentsComplete);
    expect(await decision.locator('dd').textContent()).toBe(kk.yes);
    expect(await page.locator('li[data-step="task-completed"][data-activity="register-application"] .actor').textContent()).toContain('office-user');
    expect(await page.locator('li[data-step="instance-started"]').textContent()).toContain(kk.caseFiled);
    expect(await page.locator('li[data-step="instance-completed"]').textContent()).toContain('Лицензия (телнұсқа) берілді');

    const gateways = page.locator('li[data-technical="activity-end"][data-element-type="bpmn:ExclusiveGateway"]');
    const flows = page.locator('li[data-technical="flow-taken"]');
    expect(await gateways.count()).toBeGreaterThan(0);
    expect(await flows.count()).toBeGreaterThan(0);
    expect(await gateways.first().isHidden()).toBe(true);
    expect(await page.locator('li.technical:visible').count()).toBe(0);
    await page.check('[data-action="technical-events"]');
    expect(await gateways.first().isVisible()).toBe(true);
    expect(await page.locator('li.technical:visible').count()).toBe(await page.locator('li.technical').count());
    await screenshot(page, 'readable-02-history-technical');
    await page.uncheck('[data-action="technical-events"]');
    expect(await gateways.first().isHidden()).toBe(true);
  });

  it('says the case in Russian: labels, option names and codes', async () => {
    await page.evaluate(() => (globalThis as any).localStorage.setItem('reglament.lang', 'ru'));
    try {
      await openCase();
      expect(await label('resultForm').textContent()).toBe(catalogue.variables.resultForm.label.ru);
      expect(await cell('resultForm').textContent()).toBe(catalogue.variables.resultForm.values!.electronic.ru);
      expect(await label('licenceNumber').textContent()).toBe(ru.variableLabels.licenceNumber);
      expect(await cell('decision').textContent()).toBe(ru.valueLabels.decision.issued);
      expect(await page.locator('[data-signed-document="resultDocument"] [data-signer="valid"]').textContent()).toContain(ru.signatureValid);
    } finally {
      await page.evaluate(() => (globalThis as any).localStorage.setItem('reglament.lang', 'kk'));
    }
  });

  it('shows a task of a portal application with its signed request as a summary, under labels, within the viewport', async () => {
    const started = await startApplication(t, KEY, { businessKey: 'READABLE-2', starter: 'olga-office', channel: 'portal', form: { variant: 'issue', resultForm: 'electronic' } });
    expect(started.status).toBe(201);
    const task = (await t.call(CLERK, 'GET', '/tasks?businessKey=READABLE-2')).body.items[0];
    await page.goto(`${t.url}/tasks/${task.id}`);
    await pageReady(page);
    await page.waitForSelector('[data-signed-document="signedRequest"]');
    expect(await page.locator('[data-signed-document="signedRequest"]').getAttribute('data-valid')).toBe('valid');
    expect(await cell('signedRequest').textContent()).toBe(kk.signedDocumentBelow);
    expect(await label('applicantIinBin').textContent()).toBe(catalogue.variables.applicantIinBin.label.kk);
    const text = await page.locator('main').innerText();
    expect(text).not.toContain('applicantIinBin');
    expect(text).not.toContain(String(started.variables.signedRequest).slice(0, 40));
    const { scroll, inner, sticking } = await overflow();
    expect({ scroll, sticking }).toEqual({ scroll: Math.min(scroll, inner), sticking: [] });
    await screenshot(page, 'readable-03-task');
  });
});
