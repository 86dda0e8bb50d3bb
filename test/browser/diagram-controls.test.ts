import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestHost, tempDir, TestHost } from '../support/test-host';
import { en } from '../../src/web/i18n/en';
import { kk } from '../../src/web/i18n/kk';
import { ru } from '../../src/web/i18n/ru';
import { ensureWebBuild, launchBrowser, pageReady, ROOT, signIn } from './support';

/*
 * Issue 15, points 3 and 6 in Chromium: the act cited on the catalog, task and instance pages (act from
 * the diagram's act.* properties, paragraph and step from the element's documentation, the seed file and
 * lines beside it) in kk/ru/en; the diagram's zoom, fit and full-screen buttons; its elements reachable
 * by keyboard. The reglament is cotton-warehouse-license with the shared flows it calls.
 */
const KEY = 'cotton-warehouse-license';
const CLERK = 'office-user';

describe('the act and the diagram controls in Chromium', () => {
  let t: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ensureWebBuild();
    const dir = tempDir('diagram-controls-');
    for (const key of [KEY, 'egov-portal-intake', 'elicense-provider-intake', 'egov-result-delivery']) {
      fs.copyFileSync(path.join(ROOT, 'processes', `${key}.bpmn`), path.join(dir, `${key}.bpmn`));
    }
    t = await startTestHost({ processesDir: dir });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'kk-KZ' });
    page = await context.newPage();
    await signIn(page, t.url, CLERK);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  async function setLang(lang: 'kk' | 'ru' | 'en') {
    await page.click(`[data-lang="${lang}"]`);
    await pageReady(page);
  }

  async function openCatalog() {
    await page.goto(`${t.url}/catalog/${KEY}`);
    await pageReady(page);
    await page.waitForSelector('.djs-element[data-element-id="register-application"]');
  }

  /** The scale of the diagram's viewport (1 = 100 %). */
  const scale = () => page.evaluate(() => Number(/matrix\(([-\d.e]+)/.exec((globalThis as any).document.querySelector('.diagram .viewport').getAttribute('transform') ?? '')?.[1] ?? 1));
  const focusedId = () => page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('data-element-id') ?? null);

  it.each([
    ['kk', 'Астана қаласы әкімдігі', '№ 102-1249 қаулы', 'қосымша, 5-тармақ 1-қадам'],
    ['ru', 'Акимат города Астаны, постановление № 102-1249 от', '', 'приложение, п. 5 шаг 1'],
    ['en', 'Akimat of Astana resolution No 102-1249 of 5 Aug 2014, annex, para 5 step 1', '', ''],
  ] as const)('cites the act of a clicked element in the catalog (%s), the seed file and lines beside it', async (lang, first, second, third) => {
    await openCatalog();
    await setLang(lang);
    await page.waitForSelector('.djs-element[data-element-id="register-application"]');
    expect(await page.locator('[data-act]').textContent()).toContain(first.split(',')[0]);
    await page.locator('.djs-element[data-element-id="register-application"]').first().click({ force: true });
    const act = page.locator('[data-info="source"] [data-citation="act"]');
    await act.waitFor();
    const text = await act.textContent();
    for (const part of [first, second, third]) expect(text).toContain(part);
    expect(await page.locator('[data-info="source"] [data-citation="file"]').textContent()).toMatch(/^ \(002_83683e9406adde34\.txt, pt\. 5 step 1, lines 74-80[;)]/);
  });

  it('shows the act, in force or repealed, with the reglament in the catalog', async () => {
    await openCatalog();
    await setLang('en');
    expect(await page.locator('[data-act]').textContent()).toBe('Act: Akimat of Astana resolution No 102-1249 of 5 Aug 2014, annex · repealed by resolution No 102-234 of 9 Feb 2016');
  });

  it.each([
    ['kk', kk],
    ['ru', ru],
    ['en', en],
  ] as const)('labels the diagram controls in %s', async (lang, texts) => {
    await openCatalog();
    await setLang(lang);
    await page.waitForSelector('[data-diagram-control="zoom-in"]');
    const labels = await page.locator('[data-diagram-control]').evaluateAll((buttons) => buttons.map((b) => [b.getAttribute('data-diagram-control'), b.getAttribute('aria-label'), b.getAttribute('title')]));
    expect(labels).toEqual([
      ['zoom-in', texts.zoomIn, texts.zoomIn],
      ['zoom-out', texts.zoomOut, texts.zoomOut],
      ['fit', texts.zoomFit, texts.zoomFit],
      ['fullscreen', texts.fullScreen, texts.fullScreen],
    ]);
    expect(await page.locator('.diagram-controls').getAttribute('aria-label')).toBe(texts.diagramControls);
  });

  it('zooms in, zooms out and fits the diagram to its box', async () => {
    await openCatalog();
    const fitted = await scale();
    await page.click('[data-diagram-control="zoom-in"]');
    const larger = await scale();
    expect(larger).toBeCloseTo(fitted * 1.25, 3);
    await page.click('[data-diagram-control="zoom-out"]');
    await page.click('[data-diagram-control="zoom-out"]');
    expect(await scale()).toBeCloseTo(fitted / 1.25, 3);
    await page.click('[data-diagram-control="fit"]');
    expect(await scale()).toBeCloseTo(fitted, 3);
  });

  it('shows the diagram full screen and back', async () => {
    await openCatalog();
    await setLang('en');
    await page.waitForSelector('[data-diagram-control="fullscreen"]');
    await page.click('[data-diagram-control="fullscreen"]');
    await page.waitForFunction(() => (globalThis as any).document.fullscreenElement?.classList.contains('diagram'));
    const button = page.locator('[data-diagram-control="fullscreen"]');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-diagram-control="fullscreen"]').getAttribute('aria-pressed') === 'true');
    expect(await button.getAttribute('aria-label')).toBe(en.exitFullScreen);
    await button.click();
    await page.waitForFunction(() => !(globalThis as any).document.fullscreenElement);
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-diagram-control="fullscreen"]').getAttribute('aria-pressed') === 'false');
    expect(await button.getAttribute('aria-label')).toBe(en.fullScreen);
  });

  it('moves through the flow elements with Tab in reading order, with a visible focus', async () => {
    await openCatalog();
    // The elements come right after the diagram's buttons.
    await page.locator('[data-diagram-control="fullscreen"]').focus();
    await page.keyboard.press('Tab');
    const visited: { id: string; x: number; y: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await focusedId();
      expect(id).not.toBeNull();
      const box = await page.locator(`.djs-element[data-element-id="${id}"]`).first().boundingBox();
      visited.push({ id: id!, x: box!.x, y: box!.y });
      await page.keyboard.press('Tab');
    }
    expect(new Set(visited.map((v) => v.id)).size).toBe(6);
    for (let i = 1; i < visited.length; i++) expect(visited[i].x).toBeGreaterThanOrEqual(visited[i - 1].x - 1);
    // Shift+Tab goes back.
    await page.keyboard.press('Shift+Tab');
    expect(await focusedId()).toBe(visited[5].id);
    const stroke = await page.evaluate(() => {
      const doc = (globalThis as any).document;
      return (globalThis as any).getComputedStyle(doc.activeElement.querySelector('.djs-visual > *')).stroke;
    });
    expect(stroke).toBe('rgb(29, 78, 216)');
  });

  it.each(['Enter', ' '])('opens the element panel with %j, as a click does', async (key) => {
    await openCatalog();
    await page.locator('[data-diagram-control="fullscreen"]').focus();
    await page.keyboard.press('Tab');
    for (let i = 0; i < 60 && (await focusedId()) !== 'register-application'; i++) await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('register-application');
    expect(await page.locator('.element-panel h3').count()).toBe(0);
    await page.keyboard.press(key === ' ' ? 'Space' : key);
    await page.waitForSelector('.element-panel h3[data-element-id="register-application"]');
    expect(await page.locator('[data-info="name"]').textContent()).toBe('Өтінішті тіркеу');
  });

  it('cites the act on the task page and on the instance page', async () => {
    const started = await t.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, {
      businessKey: 'ACT-CITE-1',
      variables: { channel: 'office', variant: 'issue', resultForm: 'paper', applicantName: 'ТОО «Мақта»', applicantIinBin: '140540012346' },
    });
    expect(started.status).toBe(201);
    const task = (await t.call(CLERK, 'GET', '/tasks?businessKey=ACT-CITE-1')).body.items[0];
    expect(task.taskDefinitionKey).toBe('register-application');
    await page.goto(`${t.url}/tasks/${task.id}`);
    await pageReady(page);
    await setLang('en');
    await page.waitForSelector('[data-info="source"] [data-citation="act"]');
    expect(await page.locator('[data-info="source"] [data-citation="act"]').textContent()).toBe('Akimat of Astana resolution No 102-1249 of 5 Aug 2014, annex, para 5 step 1');
    expect(await page.locator('[data-info="source"] [data-citation="file"]').textContent()).toContain('002_83683e9406adde34.txt');

    await page.goto(`${t.url}/instances/${started.body.id}`);
    await pageReady(page);
    expect(await page.locator('[data-info="act"]').textContent()).toBe('Akimat of Astana resolution No 102-1249 of 5 Aug 2014, annex · repealed by resolution No 102-234 of 9 Feb 2016');
    await setLang('kk');
    expect(await page.locator('[data-info="act"]').textContent()).toContain('Астана қаласы әкімдігі');
    expect(await page.locator('[data-info="act"]').textContent()).toContain('күші жойылған');
  });
});
