import type { Page } from 'playwright-core';
import { SigningDraftEntity } from '../../src/persistence/signing-draft-entity';
import { kk } from '../../src/web/i18n/kk';
import { pdfQrCode } from '../support/pdf-qr';
import { pdfText } from '../support/pdf-text';
import { startApplication } from '../support/reglament-driver';
import type { TestHost } from '../support/test-host';
import { fetchInPage, finishedCaseInBrowser, pageReady, screenshot } from './support';

/*
 * The office prints the licence (issue 17, point 5, acceptance), in Chromium: on the page of a
 * finished cotton-warehouse licence the office follows the print link (the PDF fetched with the
 * page's session), reads the PDF's text (the E-licensing number, the applicant), decodes its QR code,
 * opens the verification page it leads to and sees "authentic"; after one byte of the stored signed
 * document (the CMS the head made at step 7, which is the delivered result) changed, the same page says
 * not authentic. A case without a signed result has no print link.
 */
const KEY = 'cotton-warehouse-license';
const OFFICE = 'office-user';

describe('the office prints the licence and its QR code verifies it (Chromium)', () => {
  let t: TestHost;
  let page: Page;
  let caseId: string;
  let variables: Record<string, unknown>;
  let close: () => Promise<void>;
  const pdfs: Record<string, Uint8Array> = {};

  beforeAll(async () => {
    ({ t, page, caseId, variables, close } = await finishedCaseInBrowser(KEY, { businessKey: 'PRINT-WEB-1', starter: 'olga-office', channel: 'office', applicant: { kind: 'legal-entity' }, form: { variant: 'issue', resultForm: 'paper' } }, 'licence-issued', OFFICE));
  });
  afterAll(async () => {
    await close?.();
  });

  it.each([
    ['kk', kk.printKk, 'Қызмет алушы'],
    ['ru', kk.printRu, 'Услугополучатель'],
  ])('the case page links the %s PDF; it carries the E-licensing number and the applicant', async (lang, linkText, applicantLabel) => {
    await page.goto(`${t.url}/instances/${caseId}`);
    await pageReady(page);
    const link = page.locator(`a[data-print="${lang}"]`);
    expect(await link.count()).toBe(1);
    expect((await link.textContent())!.trim()).toBe(linkText);
    const href = (await link.getAttribute('href'))!;
    expect(href).toBe(`/api/process-instances/${caseId}/documents/licence.pdf?lang=${lang}`);
    if (lang === 'kk') await screenshot(page, 'documents-01-print-links');

    const answer = await fetchInPage(page, href);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/pdf/);
    pdfs[lang] = new Uint8Array(answer.bytes);
    const text = (await pdfText(pdfs[lang])).replace(/\s+/g, ' ');
    expect(variables.licenceNumber).toMatch(/^KZ-LIC-/);
    expect(text).toContain('ЛИЦЕНЗИЯ');
    expect(text).toContain(String(variables.licenceNumber));
    expect(text).toContain(`${applicantLabel}: ${String(variables.applicantName)}`);
    expect(text).toContain(String(variables.applicantIinBin));
  });

  it('the QR code leads to a page that says authentic, and not authentic after one byte of the stored document changed', async () => {
    expect(pdfs.kk).toBeDefined();
    const url = await pdfQrCode(pdfs.kk);
    expect(url).toMatch(new RegExp(`^${t.url}/verify/${caseId}\\.[0-9a-f]{64}$`));
    expect(await pdfQrCode(pdfs.ru)).toBe(url);

    await page.goto(url!);
    const verdict = page.locator('[data-authentic]');
    expect(await verdict.getAttribute('data-authentic')).toBe('true');
    expect(await verdict.textContent()).toContain('Құжат түпнұсқа:');
    expect(await verdict.textContent()).toContain('Документ подлинный');
    expect(await page.locator('body').textContent()).toContain(String(variables.licenceNumber));
    await screenshot(page, 'documents-02-verify-authentic');

    // The head signed the licence at step 7: the QR code names that signed document, whose stored CMS changes here.
    const repository = t.host.dataSource.getRepository(SigningDraftEntity);
    const row = (await repository.findOneBy({ rootInstanceId: caseId, kind: 'licence' }))!;
    expect(row.cms).toBe(variables.resultDocument);
    const der = Buffer.from(row.cms!, 'base64');
    der[Math.floor(der.length / 2)] ^= 0x01;
    await repository.update({ taskId: row.taskId }, { cms: der.toString('base64') });

    await page.goto(url!);
    expect(await verdict.getAttribute('data-authentic')).toBe('false');
    expect(await verdict.textContent()).toContain('Құжат түпнұсқа ЕМЕС');
    expect(await verdict.textContent()).toContain('Документ НЕ подлинный');
    await screenshot(page, 'documents-03-verify-changed');
  });

  it('a case without a signed result has no print link', async () => {
    const started = await startApplication(t, KEY, { businessKey: 'PRINT-WEB-2', starter: 'olga-office', channel: 'office', applicant: { kind: 'legal-entity' }, form: { variant: 'issue', resultForm: 'paper' } });
    expect(started.status).toBe(201);
    await page.goto(`${t.url}/instances/${started.body.id}`);
    await pageReady(page);
    expect(await page.locator('a[data-print]').count()).toBe(0);
  });
});
