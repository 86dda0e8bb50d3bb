import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ManualClock } from '../../src/clock';
import { smallDiagram } from '../support/small-diagram';
import { startTestHost, tempDir, TestHost } from '../support/test-host';
import { ensureWebBuild, launchBrowser, pageReady, screenshot, signIn } from './support';

/*
 * The catalog in Chromium says which version applies to applications filed when: an amendment
 * deployed with inForceFrom in the future is listed with its date, the version in force until the
 * day before; in Kazakh, Russian and English.
 */
const KEY = 'amended-in-catalog';

function diagram(inForceFrom?: string): string {
  const xml = smallDiagram(
    KEY,
    [
      { id: 'start', type: 'bpmn:startEvent' },
      { id: 'review', type: 'bpmn:userTask', name: inForceFrom ? 'Қарау (жаңа)' : 'Қарау', attrs: 'camunda:candidateGroups="office"', inner: '<bpmn:extensionElements><camunda:properties><camunda:property name="timeLimit" value="1 working day" /></camunda:properties></bpmn:extensionElements>' },
      { id: 'end', type: 'bpmn:endEvent' },
    ],
    [
      { id: 'f1', from: 'start', to: 'review' },
      { id: 'f2', from: 'review', to: 'end' },
    ],
  );
  if (!inForceFrom) return xml;
  return xml.replace(/(<bpmn:process [^>]*>)/, `$1<bpmn:extensionElements><camunda:properties><camunda:property name="inForceFrom" value="${inForceFrom}" /></camunda:properties></bpmn:extensionElements>`);
}

describe('the catalog says which version applies when (Chromium)', () => {
  let t: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const clock = new ManualClock(new Date('2026-12-30T05:00:00Z'));

  beforeAll(async () => {
    ensureWebBuild();
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'processes'));
    fs.writeFileSync(path.join(dir, 'processes', `${KEY}.bpmn`), diagram());
    t = await startTestHost({ processesDir: path.join(dir, 'processes'), dir, clock });
    const deployed = await t.call('admin', 'POST', '/deployments', { resources: [{ name: `${KEY}.bpmn`, source: diagram('2027-01-01') }] });
    expect(deployed.status).toBe(201);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'kk-KZ' });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('lists the version in force until the amendment and the amendment from its date, in each language', async () => {
    await signIn(page, t.url, 'admin');
    await page.goto(`${t.url}/catalog/${KEY}`);
    await pageReady(page);
    const line = page.locator(`[data-in-force="${KEY}"]`);
    expect(await line.locator('[data-in-force-version]').evaluateAll((els) => els.map((e) => e.getAttribute('data-in-force-version')))).toEqual(['1', '2']);
    // Chromium's Kazakh locale writes dates as 2026-12-31, other ICU builds as 31.12.2026.
    expect(await line.locator('[data-in-force-version="1"]').textContent()).toMatch(/^1-нұсқа: енгізілген күннен бастап (2026-12-31|31\.12\.2026) қоса алғанға дейін$/);
    expect(await line.locator('[data-in-force-version="2"]').textContent()).toMatch(/^2-нұсқа: (2027-01-01|01\.01\.2027) бастап$/);
    await screenshot(page, 'catalog-in-force-kk');

    await page.click('[data-lang="ru"]');
    await pageReady(page);
    expect(await page.locator(`[data-in-force="${KEY}"] [data-in-force-version="1"]`).textContent()).toBe('Версия 1: с момента развёртывания по 31.12.2026 включительно');
    await page.click('[data-lang="en"]');
    await pageReady(page);
    expect(await page.locator(`[data-in-force="${KEY}"] [data-in-force-version="2"]`).textContent()).toBe('Version 2: from 01/01/2027');
    await page.click('[data-lang="kk"]');
    await pageReady(page);
  });

  it('once the date has come, lists only the amendment', async () => {
    clock.set(new Date('2027-01-02T05:00:00Z'));
    // The session expired with the days the clock moved.
    await signIn(page, t.url, 'admin');
    await page.goto(`${t.url}/catalog/${KEY}`);
    await pageReady(page);
    const versions = page.locator(`[data-in-force="${KEY}"] [data-in-force-version]`);
    expect(await versions.evaluateAll((els) => els.map((e) => e.getAttribute('data-in-force-version')))).toEqual(['2']);
  });
});
