import { readSignedDocument } from '../../../src/crypto/signed-document';
import { InstanceEntity } from '../../../src/persistence/entities';
import { pdfQrCode as qrOf } from '../../support/pdf-qr';
import { pdfText as extractText } from '../../support/pdf-text';
import { completeToEnd, httpPort, startApplication } from '../../support/reglament-driver';
import { startTestHost, TestHost } from '../../support/test-host';

/*
 * The documents the office issues (issue 17, point 5): a finished cotton licence the system certified
 * (a duplicate: no step 7 signature by the head, line 125; a licence the head signed prints as the
 * very PDF they signed, see person-signed-result.test.ts) printed as a PDF in Kazakh and in Russian (text read back with a PDF text extractor, the QR code decoded from the
 * image inside the PDF), and the public page the QR code leads to, which says authentic, and not
 * authentic once one byte of the stored signed document has changed.
 */
const KEY = 'cotton-warehouse-license';

async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await extractText(bytes)).replace(/\s+/g, ' ');
}

describe('the printed licence and its verification page', () => {
  let t: TestHost;
  let instanceId: string;
  let variables: Record<string, unknown>;
  const pdfs: Record<string, Uint8Array> = {};

  beforeAll(async () => {
    t = await startTestHost();
    const started = await startApplication(t, KEY, { businessKey: 'PRINT-1', starter: 'olga-office', channel: 'office', applicant: { kind: 'legal-entity' }, form: { variant: 'duplicate', resultForm: 'paper' } });
    expect(started.status).toBe(201);
    const done = await completeToEnd(httpPort(t), { key: KEY, businessKey: 'PRINT-1', instanceId: started.body.id });
    expect(done).toMatchObject({ state: 'completed', outcome: 'licence-issued' });
    instanceId = done.instanceId;
    variables = done.variables;
    for (const lang of ['kk', 'ru']) {
      const res = await fetch(`${t.url}/api/process-instances/${instanceId}/documents/licence.pdf?lang=${lang}`, { headers: { authorization: 'Bearer token-of-office-user' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/pdf/);
      pdfs[lang] = new Uint8Array(await res.arrayBuffer());
    }
  });
  afterAll(async () => t?.close());

  it.each([
    ['kk', ['ЛИЦЕНЗИЯ', 'Астана қаласы әкімдігі 05.08.2014 № 102-1249 қаулысымен бекітілген', '«Мақта қолхаттарын беру арқылы қойма қызметі бойынша', 'мемлекеттік көрсетілетін қызмет регламенті', 'Қол қойылған уақыты', 'Кеңсе жіберетін қағаз көшірме']],
    ['ru', ['ЛИЦЕНЗИЯ', 'Регламент государственной услуги', 'утверждённый постановлением Акимат города Астаны от 05.08.2014 № 102-1249', 'Время подписания', 'Бумажная копия, направляемая канцелярией']],
  ])('the %s PDF carries the act wording, the E-licensing number, the applicant and the signer', async (lang, wording) => {
    const text = await pdfText(pdfs[lang]);
    for (const phrase of wording) expect(text).toContain(phrase);
    expect(variables.licenceNumber).toMatch(/^KZ-LIC-/);
    expect(text).toContain(String(variables.licenceNumber));
    expect(text).toContain(String(variables.applicantName));
    expect(text).toContain(String(variables.applicantIinBin));
    expect(text).toContain(String(variables.registrationNumber));
    const signer = readSignedDocument(variables.resultDocument)!.signer.commonName!;
    expect(signer).toBeTruthy();
    expect(text).toContain(signer);
  });

  it('refuses a kind the case has no signed result of, and a user who may not see the case', async () => {
    expect((await t.call('office-user', 'GET', `/process-instances/${instanceId}/documents/refusal.pdf`)).status).toBe(404);
    expect((await t.call('office-user', 'GET', `/process-instances/${instanceId}/documents/licence.pdf?lang=en`)).status).toBe(400);
    expect((await t.call('nobody', 'GET', `/process-instances/${instanceId}/documents/licence.pdf`)).status).toBe(404);
  });

  it('the QR code leads to a public page that says authentic, and not authentic after one byte of the stored document changed', async () => {
    const url = await qrOf(pdfs.kk);
    expect(url).toMatch(new RegExp(`^${t.url}/verify/${instanceId}\\.[0-9a-f]{64}$`));
    expect(await qrOf(pdfs.ru)).toBe(url);

    const page = await fetch(url!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-authentic="true"');
    expect(html).toContain(String(variables.licenceNumber));
    // Only what the paper shows: no applicant on the public page.
    expect(html).not.toContain(String(variables.applicantIinBin));
    expect(html).not.toContain(String(variables.applicantName));

    const repository = t.host.dataSource.getRepository(InstanceEntity);
    const row = (await repository.findOneBy({ id: instanceId }))!;
    const stored = JSON.parse(row.variables);
    const der = Buffer.from(stored.resultDocument, 'base64');
    der[Math.floor(der.length / 2)] ^= 0x01;
    await repository.update({ id: instanceId }, { variables: JSON.stringify({ ...stored, resultDocument: der.toString('base64') }) });

    const tampered = await (await fetch(url!)).text();
    expect(tampered).toContain('data-authentic="false"');
    expect(tampered).toContain('НЕ подлинный');
  });

  it('an unknown token is no document', async () => {
    const res = await fetch(`${t.url}/verify/not-a-token`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('data-authentic="false"');
  });
});
