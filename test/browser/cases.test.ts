import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
// Callbacks of page.evaluate run in the page; they reach its globals through globalThis (no DOM library here).
import { iinBinKind } from '../../src/iin-bin';
import { kk } from '../../src/web/i18n/kk';
import { driveReglament } from '../support/reglament-driver';
import { startTestHost, tempDir, TestHost } from '../support/test-host';
import { ConsoleEntry, ensureWebBuild, launchBrowser, pageReady, ROOT, screenshot, signIn, unexpectedErrors, watchConsole } from './support';

/*
 * Issue 16, Build points 2 and 5 in Chromium: a clerk finds a completed case again by the applicant's
 * BIN on /instances and opens it; a mistyped BIN is a field error of the start form and no state
 * database is asked; a start whose run ended at once shows its outcome, not "started"; a repeated
 * case number and a variable no form declares are the server's refusals shown at the form.
 * The diagrams are processes/ as committed.
 */
const COTTON = 'cotton-warehouse-license';
const WEAPONS = 'weapon-registration';
const CLERK = 'office-user-2';

describe('cases and field errors before legal outcomes (Chromium)', () => {
  let t: TestHost;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const watched: ConsoleEntry[][] = [];

  beforeAll(async () => {
    ensureWebBuild();
    const processesDir = path.join(tempDir('cases-'), 'processes');
    fs.mkdirSync(processesDir);
    execFileSync('sh', ['-c', 'git archive HEAD processes | tar -x --strip-components=1 -C "$0"', processesDir], { cwd: ROOT });
    t = await startTestHost({ processesDir });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  });

  async function browserOf(user: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'kk-KZ' });
    contexts.push(context);
    const page = await context.newPage();
    watched.push(watchConsole(page));
    await signIn(page, t.url, user);
    await pageReady(page);
    return page;
  }

  /** Fills the generated start form with `values` (enums selected, the rest typed). */
  async function fillStartForm(page: Page, values: Record<string, unknown>): Promise<void> {
    for (const [id, value] of Object.entries(values)) {
      const control = page.locator(`[data-field="${id}"]`).first();
      if ((await control.count()) === 0) continue;
      if ((await control.evaluate((el) => el.tagName)) === 'SELECT') await control.selectOption(String(value));
      else if ((await control.getAttribute('type')) === 'radio') await page.check(`#field-${id}-${value ? 'yes' : 'no'}`);
      else await control.fill(String(value));
    }
  }

  async function weaponStartValues(): Promise<Record<string, unknown>> {
    const applicant = await t.sim.prepareApplicant({ kind: 'legal-entity', processKey: WEAPONS });
    return { ...applicant, channel: 'provider', variant: 'registration', applicantKind: 'legal-entity' };
  }

  it("a clerk finds a completed case by the applicant's BIN on /instances and opens it", async () => {
    const legalEntity = { applicant: { kind: 'legal-entity' as const }, start: { applicantKind: 'legal-entity' } };
    const done = await driveReglament(t, { key: COTTON, businessKey: 'COTTON-CASES-1', ...legalEntity });
    expect(done.state).toBe('completed');
    const bin = String(done.variables.applicantIinBin);
    expect(iinBinKind(bin)).toBe('bin');
    // Another application of the same office, so that the search has something to leave out.
    await driveReglament(t, { key: COTTON, businessKey: 'COTTON-CASES-2', ...legalEntity });

    const page = await browserOf(CLERK);
    await page.click('[data-nav="cases"]');
    await pageReady(page);
    expect(new URL(page.url()).pathname).toBe('/instances');
    await page.fill('[data-filter="q"]', bin);
    await page.click('[data-action="search"]');
    await page.waitForFunction((id) => {
      const rows = (globalThis as any).document.querySelectorAll('tr[data-case-id]');
      return rows.length === 1 && rows[0].getAttribute('data-case-id') === id;
    }, done.instanceId);
    const row = page.locator(`tr[data-case-id="${done.instanceId}"]`);
    expect(await row.getAttribute('data-state')).toBe('completed');
    expect(await row.locator('[data-col="iin-bin"]').textContent()).toBe(bin);
    expect(await row.locator('[data-col="state"]').textContent()).toContain(kk.states.completed);
    expect(new URL(page.url()).searchParams.get('q')).toBe(bin);
    await screenshot(page, 'cases-01-found-by-bin');

    await row.locator('[data-case-link]').click();
    await pageReady(page);
    expect(new URL(page.url()).pathname).toBe(`/instances/${done.instanceId}`);
    expect(await page.locator('#app').textContent()).toContain('COTTON-CASES-1');
  });

  it('a mistyped BIN is a field error of the start form, and no state database is asked', async () => {
    const page = await browserOf('office-user');
    await page.goto(`${t.url}/start/${WEAPONS}`);
    await pageReady(page);
    await page.waitForSelector('form.generated-form [data-field="applicantIinBin"]');
    const values = await weaponStartValues();
    const bin = String(values.applicantIinBin);
    const typo = `${bin.slice(0, 11)}${(Number(bin[11]) + 1) % 10}`;
    await fillStartForm(page, { ...values, applicantIinBin: typo });
    const lookups = t.simulators.gbd.lookups.length;
    const instances = (await t.call('admin', 'GET', '/process-instances?maxResults=1')).body.total;
    await page.click('form.generated-form [data-action="submit"]');
    const error = page.locator('[data-error-for="applicantIinBin"]');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toBe(kk.iinBinProblem('check-digit'));
    await screenshot(page, 'cases-02-mistyped-bin');
    expect(t.simulators.gbd.lookups.length).toBe(lookups);
    expect((await t.call('admin', 'GET', '/process-instances?maxResults=1')).body.total).toBe(instances);

    // Corrected, it starts (and the state database is asked about the right number).
    await page.fill('#field-applicantIinBin', bin);
    await page.click('form.generated-form [data-action="submit"]');
    await page.waitForURL(/\/instances\/[^/]+$/);
    expect(t.simulators.gbd.lookups.slice(lookups).map((l) => l.number)).toEqual([bin]);
  });

  it('a start whose run ended at once shows its outcome, not "started"', async () => {
    const page = await browserOf(t.unregisteredEmployee);
    await page.goto(`${t.url}/start/${WEAPONS}`);
    await pageReady(page);
    await page.waitForSelector('form.generated-form [data-field="applicantIinBin"]');
    await fillStartForm(page, await weaponStartValues());
    await page.click('form.generated-form [data-action="submit"]');
    const outcome = page.locator('[data-start-outcome]');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-start-outcome')).toBe('refused-employee-authorization');
    expect(await outcome.textContent()).toContain(kk.endedAtOnce);
    expect(await page.locator('.flash').count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe(`/start/${WEAPONS}`);
    await screenshot(page, 'cases-03-ended-at-once');
  });

  it("shows the server's refusals at the form: a repeated case number at the number, an undeclared variable at the form", async () => {
    const first = await t.call('office-user', 'POST', `/process-definitions/${WEAPONS}/start`, { businessKey: 'WR-TAKEN', variables: await weaponStartValues() });
    expect(first.status).toBe(201);
    const page = await browserOf('office-user');
    await page.goto(`${t.url}/start/${WEAPONS}`);
    await pageReady(page);
    await page.waitForSelector('form.generated-form [data-field="applicantIinBin"]');
    await page.fill('#businessKey', 'WR-TAKEN');
    await fillStartForm(page, await weaponStartValues());
    await page.click('form.generated-form [data-action="submit"]');
    const taken = page.locator('[data-error-for="businessKey"]');
    await taken.waitFor({ state: 'visible' });
    expect(await taken.textContent()).toContain(kk.caseNumberTaken);
    expect(await taken.locator('[data-existing-case]').getAttribute('href')).toBe(`/instances/${first.body.id}`);

    // A page that sends what no form declares (as an outdated or tampered page would): the server's refusal at the form.
    await page.route('**/api/process-definitions/*/start', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}');
      await route.continue({ postData: JSON.stringify({ ...body, variables: { ...body.variables, foo: 1 } }) });
    });
    await page.fill('#businessKey', '');
    await page.click('form.generated-form [data-action="submit"]');
    const general = page.locator('form.generated-form > .form-error');
    await general.waitFor({ state: 'visible' });
    expect(await general.textContent()).toContain('foo');
    await screenshot(page, 'cases-04-refusals-at-the-form');
  });

  it('leaves no unexpected console errors', () => {
    const expected = [
      // Each new browser asks whether its cookie names a session before signing in.
      { status: 401, url: /\/api\/me$/ },
      { status: 400, url: /\/api\/process-definitions\/[^/]+\/start$/ },
      { status: 409, url: /\/api\/process-definitions\/[^/]+\/start$/ },
    ];
    expect(watched.flatMap((entries) => unexpectedErrors(entries, expected))).toEqual([]);
  });
});
