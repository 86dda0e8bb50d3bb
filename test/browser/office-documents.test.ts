import type { Page } from 'playwright-core';
import { kk } from '../../src/web/i18n/kk';
import { pdfQrCode } from '../support/pdf-qr';
import { pdfText } from '../support/pdf-text';
import { completeToEnd, httpPort, startApplication } from '../support/reglament-driver';
import type { TestHost } from '../support/test-host';
import { fetchInPage, finishedCaseInBrowser, pageReady, screenshot } from './support';

/*
 * The office prints what it sends with a paper result (issue 17, point 5, acceptance), in Chromium: on
 * the page of a finished weapon-activity licence asked for on paper, the office follows the links of
 * the cover letter and of the paper copy in Kazakh and Russian (each PDF fetched with the page's
 * session, as a click would), reads their text (the outgoing number, the licence number, the
 * applicant) and follows their QR code to the verification page, which says authentic. A licence
 * issued only electronically has no such links.
 */
const KEY = 'weapon-activity-license';
const OFFICE = 'office-user';

describe('the office prints the cover letter and the paper copy of a licence (Chromium)', () => {
  let t: TestHost;
  let page: Page;
  let caseId: string;
  let variables: Record<string, unknown>;
  let close: () => Promise<void>;
  const pdfs: Record<string, Uint8Array> = {};

  beforeAll(async () => {
    ({ t, page, caseId, variables, close } = await finishedCaseInBrowser(KEY, { businessKey: 'OUT-WEB-1', starter: 'olga-office', channel: 'provider', applicant: { kind: 'legal-entity' }, form: { variant: 'issue', resultForm: 'paper' } }, 'licence-issued', OFFICE));
  });
  afterAll(async () => {
    await close?.();
  });

  it.each([
    ['cover-letter', 'kk', kk.printCoverLetterKk, ['ІЛЕСПЕ ХАТ', 'Шығыс нөмірі', 'Қызмет беруші басшысы']],
    ['cover-letter', 'ru', kk.printCoverLetterRu, ['СОПРОВОДИТЕЛЬНОЕ ПИСЬМО', 'Исходящий номер', 'Руководитель услугодателя']],
    ['paper-copy', 'kk', kk.printPaperCopyKk, ['ҚАҒАЗ КӨШІРМЕ', 'ЛИЦЕНЗИЯ', 'М.О.']],
    ['paper-copy', 'ru', kk.printPaperCopyRu, ['БУМАЖНАЯ КОПИЯ', 'ЛИЦЕНЗИЯ', 'М.П.']],
  ])('the case page links the %s in %s; the PDF carries the outgoing number, the licence number and the applicant', async (document, lang, linkText, wording) => {
    await page.goto(`${t.url}/instances/${caseId}`);
    await pageReady(page);
    const link = page.locator(`a[data-office-document="${document}"][data-lang="${lang}"]`);
    expect(await link.count()).toBe(1);
    expect((await link.textContent())!.trim()).toBe(linkText);
    const href = (await link.getAttribute('href'))!;
    expect(href).toBe(`/api/process-instances/${caseId}/office-documents/${document}.pdf?lang=${lang}`);
    if (document === 'cover-letter' && lang === 'kk') await screenshot(page, 'office-documents-01-print-links');

    const answer = await fetchInPage(page, href);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/pdf/);
    pdfs[`${document}-${lang}`] = new Uint8Array(answer.bytes);
    const text = (await pdfText(pdfs[`${document}-${lang}`])).replace(/\s+/g, ' ');
    for (const phrase of wording) expect(text).toContain(phrase);
    expect(variables.outgoingNumber).toMatch(/^OUT-/);
    expect(text).toContain(String(variables.outgoingNumber));
    expect(text).toContain(String(variables.licenceNumber));
    expect(text).toContain(String(variables.applicantName));
  });

  it('their QR code leads to the verification page of the licence, which says authentic', async () => {
    expect(Object.keys(pdfs)).toHaveLength(4);
    const urls = new Set(await Promise.all(Object.values(pdfs).map((bytes) => pdfQrCode(bytes))));
    expect(urls.size).toBe(1);
    const [url] = [...urls];
    expect(url).toMatch(new RegExp(`^${t.url}/verify/${caseId}\\.[0-9a-f]{64}$`));
    await page.goto(url!);
    const verdict = page.locator('[data-authentic]');
    expect(await verdict.getAttribute('data-authentic')).toBe('true');
    expect(await page.locator('body').textContent()).toContain(String(variables.licenceNumber));
    await screenshot(page, 'office-documents-02-verify-authentic');
  });

  it('a licence issued only electronically has no cover letter or paper copy to print', async () => {
    const started = await startApplication(t, KEY, { businessKey: 'OUT-WEB-2', starter: 'olga-office', channel: 'provider', applicant: { kind: 'legal-entity' }, form: { variant: 'issue', resultForm: 'electronic' } });
    expect(started.status).toBe(201);
    const done = await completeToEnd(httpPort(t), { key: KEY, businessKey: 'OUT-WEB-2', instanceId: started.body.id });
    expect(done).toMatchObject({ state: 'completed', outcome: 'licence-issued' });
    await page.goto(`${t.url}/instances/${done.instanceId}`);
    await pageReady(page);
    expect(await page.locator('a[data-print="kk"]').count()).toBe(1);
    expect(await page.locator('a[data-office-document]').count()).toBe(0);
  });
});
