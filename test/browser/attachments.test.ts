import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { en } from '../../src/web/i18n/en';
import { kk } from '../../src/web/i18n/kk';
import { SAMPLE_JPEG, SAMPLE_PDF } from '../support/attachment-files';
import { completeToEnd, httpPort, startApplication } from '../support/reglament-driver';
import { startTestHost, TestHost } from '../support/test-host';
import { ensureWebBuild, launchBrowser, pageReady, signIn } from './support';

/*
 * Attachments in the web app (issue 17, point 4), in Chromium: at the registration of a
 * cotton-warehouse-license application (seed 002, lines 246-249: the office scans the paper documents
 * and attaches them to the request) the office attaches two scans in one go; refusals (wrong type,
 * empty, too big) are said at the control in the user's language; the specialist who later holds the
 * application downloads both from their task page and from the case page, byte for byte.
 */
const KEY = 'cotton-warehouse-license';
const OFFICE = 'olga-office';

class ReachedSpecialist extends Error {}

describe('attachments in the web app (Chromium)', () => {
  let t: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let caseId: string;
  let registrationTask: string;

  beforeAll(async () => {
    ensureWebBuild();
    t = await startTestHost();
    const started = await startApplication(t, KEY, { businessKey: 'SCANS-1', starter: OFFICE, form: { variant: 'issue', resultForm: 'electronic' } });
    expect(started.status).toBe(201);
    caseId = started.body.id;
    const task = (await t.call(OFFICE, 'GET', `/tasks?processInstanceId=${caseId}`)).body.items[0];
    expect(task.taskDefinitionKey).toBe('register-application');
    registrationTask = task.id;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1300, height: 900 }, locale: 'kk-KZ', acceptDownloads: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  async function openTask(id: string): Promise<void> {
    await page.goto(`${t.url}/tasks/${id}`);
    await pageReady(page);
  }

  async function choose(files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
    await page.locator('[data-input="attachments"]').setInputFiles(files);
    await page.click('[data-action="attach"]');
    // Busy while the files go; done when the control is free again.
    await page.waitForSelector('[data-section="attach"]:not([aria-busy])');
  }

  async function downloadAll(): Promise<Map<string, Buffer>> {
    const got = new Map<string, Buffer>();
    for (const link of await page.locator('[data-section="attachments"] a[data-download]').all()) {
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      got.set(download.suggestedFilename(), fs.readFileSync(await download.path()));
    }
    return got;
  }

  it('the office attaches two scans at registration; refusals are said at the control', async () => {
    await signIn(page, t.url, OFFICE);
    await openTask(registrationTask);
    await page.click('[data-action="claim"]');
    await pageReady(page);
    await page.waitForSelector('[data-section="attach"]');
    expect(await page.locator('[data-empty="attachments"]').textContent()).toBe(kk.noAttachments);

    await choose([
      { name: 'өтініш.pdf', mimeType: 'application/pdf', buffer: SAMPLE_PDF },
      { name: 'төлқұжат.jpg', mimeType: 'image/jpeg', buffer: SAMPLE_JPEG },
    ]);
    await page.waitForSelector('[data-section="attachments"] tr[data-attachment] >> nth=1');
    expect(await page.locator('[data-status="upload"]').textContent()).toBe(kk.attachDone(2));
    expect(await page.locator('[data-section="attachments"] a[data-download]').allTextContents()).toEqual(['өтініш.pdf', 'төлқұжат.jpg']);
    expect(await page.locator('[data-errors="attachments"]').isHidden()).toBe(true);

    // Wrong type, empty and too big: each said at the control, in Kazakh; nothing is added to the list.
    await choose([
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a scan') },
      { name: 'бос.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(0) },
      { name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([SAMPLE_PDF, Buffer.alloc(20 * 1024 * 1024, 0x20)]) },
    ]);
    expect(await page.locator('[data-errors="attachments"] li').allTextContents()).toEqual([kk.attachWrongType('notes.txt'), kk.attachEmpty('бос.pdf'), kk.attachTooBig('big.pdf', 20)]);
    expect(await page.locator('[data-section="attachments"] tr[data-attachment]').count()).toBe(2);
    const stored = (await t.call(OFFICE, 'GET', `/process-instances/${caseId}/attachments`)).body as { name: string; taskDefinitionKey: string; uploadedBy: string }[];
    expect(stored.map((a) => [a.name, a.taskDefinitionKey, a.uploadedBy])).toEqual([
      ['өтініш.pdf', 'register-application', OFFICE],
      ['төлқұжат.jpg', 'register-application', OFFICE],
    ]);
  });

  it('says the refusal in English too (the language switch)', async () => {
    await openTask(registrationTask);
    await page.click('[data-lang="en"]');
    await pageReady(page);
    await choose([{ name: 'photo.pdf', mimeType: 'application/pdf', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]) }]);
    expect(await page.locator('[data-errors="attachments"] li').allTextContents()).toEqual([en.attachTypeMismatch('photo.pdf')]);
    await page.click('[data-lang="kk"]');
  });

  it('the specialist downloads both scans from their task page and from the case page, byte for byte', async () => {
    // The office completes the registration; the application goes on until a specialist holds it.
    let specialistTask: { id: string; assignee: string | null } | null = null;
    expect((await t.call(OFFICE, 'POST', `/tasks/${registrationTask}/unclaim`)).status).toBe(200);
    await completeToEnd(httpPort(t), {
      key: KEY,
      businessKey: 'SCANS-1',
      instanceId: caseId,
      onWait: async (tasks) => {
        const task = tasks.find((x) => x.candidateGroups.includes('specialist'));
        if (task) {
          specialistTask = (await t.call('admin', 'GET', `/tasks/${task.id}`)).body;
          throw new ReachedSpecialist();
        }
      },
    }).catch((error) => {
      if (!(error instanceof ReachedSpecialist)) throw error;
    });
    expect(specialistTask).not.toBeNull();
    const specialist = specialistTask!.assignee ?? 'specialist-user';

    await page.context().clearCookies();
    await signIn(page, t.url, specialist);
    await openTask(specialistTask!.id);
    const fromTask = await downloadAll();
    expect([...fromTask.keys()]).toEqual(['өтініш.pdf', 'төлқұжат.jpg']);
    expect(fromTask.get('өтініш.pdf')!.equals(SAMPLE_PDF)).toBe(true);
    expect(fromTask.get('төлқұжат.jpg')!.equals(SAMPLE_JPEG)).toBe(true);

    await page.goto(`${t.url}/instances/${caseId}`);
    await pageReady(page);
    const fromCase = await downloadAll();
    expect(fromCase.get('өтініш.pdf')!.equals(SAMPLE_PDF)).toBe(true);
    expect(fromCase.get('төлқұжат.jpg')!.equals(SAMPLE_JPEG)).toBe(true);
  });
});
