import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ManualClock } from '../../src/clock';
import { startTestHost, TestHost } from '../support/test-host';
import { ensureWebBuild, launchBrowser, pageReady, screenshot, signIn } from './support';

/*
 * The head's view of lateness in Chromium, on cotton-warehouse-license as processes/ has it: step 1
 * (register-application, office, 30 minutes) left unclaimed. The host's clock is a ManualClock the
 * test moves; POST /timers/fire-due stands in for the poller (warnings and escalations).
 */
const KEY = 'cotton-warehouse-license';
const HEAD = 'head-user';
const application = { variant: 'issue', resultForm: 'paper', applicantName: 'ТОО «Кеш Терминал»', applicantIinBin: '140540012346' };
// Monday 2 March 2026, Almaty (UTC+5).
const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00+05:00`);

describe('lateness in the web app (Chromium)', () => {
  let t: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let instanceId: string;
  const clock = new ManualClock(at('09:00'));
  const badge = () => page.locator('[data-badge="notifications"]');

  beforeAll(async () => {
    ensureWebBuild();
    t = await startTestHost({ clock });
    const started = await t.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, { businessKey: 'COTTON-LATE-1', variables: application });
    expect(started.status).toBe(201);
    instanceId = started.body.id;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'kk-KZ' });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('warns the head before the limit runs out; the badge counts it and marking it read clears it', async () => {
    clock.set(at('09:21'));
    expect((await t.call('admin', 'POST', '/timers/fire-due')).body.warned).toEqual([]);
    clock.set(at('09:25')); // 5 of the 30 minutes left: in the last quarter
    expect((await t.call('admin', 'POST', '/timers/fire-due')).body.warned).toHaveLength(1);

    await signIn(page, t.url, HEAD);
    await pageReady(page);
    await page.waitForSelector('[data-badge="notifications"][data-count="1"]');
    await page.click('[data-nav="notifications"]');
    await pageReady(page);
    const item = page.locator('[data-notification][data-type="task-at-risk"]');
    expect(await item.count()).toBe(1);
    expect(await item.getAttribute('data-unread')).toBe('true');
    expect(await item.textContent()).toContain('COTTON-LATE-1');
    await screenshot(page, 'lateness-01-at-risk-notification');
    await item.locator('[data-action="mark-read"]').click();
    await page.waitForSelector('[data-notification][data-unread="false"]');
    await page.waitForSelector('[data-badge="notifications"][data-count="0"]', { state: 'attached' });
    expect(await badge().isHidden()).toBe(true);
  });

  it('shows the head an overdue, unclaimed case in one page load and follows it to the case', async () => {
    clock.set(at('10:00'));
    await t.call('admin', 'POST', '/timers/fire-due');
    await page.goto(`${t.url}/head?key=${KEY}`);
    await pageReady(page);
    const row = page.locator('[data-list="late-cases"] tr[data-state="overdue"]');
    expect(await row.count()).toBe(1);
    const text = await row.textContent();
    expect(text).toContain('COTTON-LATE-1');
    expect(text).toContain(application.applicantName);
    expect(text).toContain('Өтінішті тіркеу');
    expect(await row.locator('[data-unclaimed]').count()).toBe(1);
    expect(text).toContain('30'); // 30 working minutes over (due 09:30, now 10:00)
    // The overdue notification came too: the badge counts it.
    await page.waitForSelector('[data-badge="notifications"][data-count="1"]');
    await screenshot(page, 'lateness-02-head-late-cases');
    await row.locator('a[data-link="case"]').click();
    await pageReady(page);
    expect(new URL(page.url()).pathname).toBe(`/instances/${instanceId}`);
  });

  it('marks all read from the list', async () => {
    await page.click('[data-nav="notifications"]');
    await pageReady(page);
    await page.click('[data-action="mark-all-read"]');
    await pageReady(page);
    await page.waitForSelector('[data-badge="notifications"][data-count="0"]', { state: 'attached' });
    expect(await page.locator('[data-notification][data-unread="true"]').count()).toBe(0);
  });
});
