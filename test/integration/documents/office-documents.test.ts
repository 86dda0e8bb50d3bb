import { pdfQrCode } from '../../support/pdf-qr';
import { pdfText as extractText } from '../../support/pdf-text';
import { completeToEnd, httpPort, startApplication } from '../../support/reglament-driver';
import { startTestHost, TestHost } from '../../support/test-host';

/*
 * What the office sends with a paper result (issue 17, point 5): a weapon-activity licence asked for
 * on paper (seed 001, annex 2: the sixth procedure gives the signed document an outgoing number in the
 * outgoing correspondence journal and packs it with its cover letter) finished, then its cover letter
 * and its paper copy printed in Kazakh and Russian, their text read back with a PDF text extractor,
 * their QR codes decoded and followed to the result's verification page.
 */
const KEY = 'weapon-activity-license';
const OFFICE = 'office-user';

async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await extractText(bytes)).replace(/\s+/g, ' ');
}

describe('the cover letter with the outgoing registration and the paper copy of a licence', () => {
  let t: TestHost;
  let instanceId: string;
  let variables: Record<string, unknown>;
  let completed: string[];

  async function print(document: string, lang: string, id = instanceId): Promise<Response> {
    return fetch(`${t.url}/api/process-instances/${id}/office-documents/${document}.pdf?lang=${lang}`, { headers: { authorization: `Bearer token-of-${OFFICE}` } });
  }

  beforeAll(async () => {
    t = await startTestHost();
    const started = await startApplication(t, KEY, { businessKey: 'OUT-1', starter: 'olga-office', channel: 'provider', applicant: { kind: 'legal-entity' }, form: { variant: 'issue', resultForm: 'paper' } });
    expect(started.status).toBe(201);
    const done = await completeToEnd(httpPort(t), { key: KEY, businessKey: 'OUT-1', instanceId: started.body.id });
    expect(done).toMatchObject({ state: 'completed', outcome: 'licence-issued' });
    ({ instanceId, variables, completed } = done);
  });
  afterAll(async () => t?.close());

  it('the host assigned the outgoing number and date before the office registered the outgoing document', async () => {
    expect(completed).toContain('register-outgoing');
    expect(variables.outgoingNumber).toMatch(/^OUT-\d{8}-[0-9A-F]{10}$/);
    expect(Date.parse(String(variables.outgoingRegisteredAt))).not.toBeNaN();
    const history = (await t.call('admin', 'GET', `/process-instances/${instanceId}/history`)).body as { activityId?: string; type: string }[];
    const order = history.filter((h) => h.type === 'activity-end' || h.type === 'task-completed').map((h) => h.activityId);
    const assigned = order.indexOf('assign-outgoing-number');
    expect(assigned).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('register-outgoing')).toBeGreaterThan(assigned);
  });

  it.each([
    ['kk', ['ІЛЕСПЕ ХАТ', 'Шығыс нөмірі', 'Қосымша: Лицензия №', 'Қазақстан Республикасы Ішкі істер министрі 05.03.2014 № 146 бұйрығымен бекітілген', 'Қызмет беруші басшысы']],
    ['ru', ['СОПРОВОДИТЕЛЬНОЕ ПИСЬМО', 'Исходящий номер', 'Приложение: Лицензия №', 'утверждённый приказом Министр внутренних дел Республики Казахстан от 05.03.2014 № 146', 'Руководитель услугодателя']],
  ])('the %s cover letter carries the outgoing number, the applicant, the enclosed licence with its number and the act', async (lang, wording) => {
    const res = await print('cover-letter', lang);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/pdf/);
    const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
    for (const phrase of wording) expect(text).toContain(phrase);
    expect(text).toContain(String(variables.outgoingNumber));
    expect(variables.licenceNumber).toMatch(/^KZ-LIC-/);
    expect(text).toContain(`№ ${String(variables.licenceNumber)}`);
    expect(text).toContain(String(variables.applicantName));
    expect(text).toContain(String(variables.applicantIinBin));
  });

  it.each([
    ['kk', ['ҚАҒАЗ КӨШІРМЕ', 'ЛИЦЕНЗИЯ', 'қызмет беруші басшысының қолымен және мөрімен куәландырылады', 'Көшірме дұрыс', 'Қызмет беруші басшысы', 'М.О.']],
    ['ru', ['БУМАЖНАЯ КОПИЯ', 'ЛИЦЕНЗИЯ', 'заверяется подписью и печатью руководителя услугодателя', 'Копия верна', 'Руководитель услугодателя', 'М.П.']],
  ])('the %s paper copy is the licence with the same number, marked as the paper copy, with places for signature and seal', async (lang, wording) => {
    const res = await print('paper-copy', lang);
    expect(res.status).toBe(200);
    const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
    for (const phrase of wording) expect(text).toContain(phrase);
    expect(text).toContain(String(variables.licenceNumber));
    expect(text).toContain(String(variables.outgoingNumber));
    expect(text).toContain(String(variables.applicantName));
    expect(text).toContain(String(variables.applicantIinBin));
  });

  it("both QR codes lead to the licence's own verification page, which says authentic", async () => {
    const licence = await fetch(`${t.url}/api/process-instances/${instanceId}/documents/licence.pdf`, { headers: { authorization: `Bearer token-of-${OFFICE}` } });
    expect(licence.status).toBe(200);
    const url = await pdfQrCode(new Uint8Array(await licence.arrayBuffer()));
    expect(url).toMatch(new RegExp(`^${t.url}/verify/${instanceId}\\.[0-9a-f]{64}$`));
    for (const document of ['cover-letter', 'paper-copy'])
      for (const lang of ['kk', 'ru']) expect(await pdfQrCode(new Uint8Array(await (await print(document, lang)).arrayBuffer()))).toBe(url);
    const page = await fetch(url!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-authentic="true"');
    expect(html).toContain(String(variables.licenceNumber));
  });

  it('refuses an unknown document, a language it does not issue in, a user who may not see the case, and a case with no paper result', async () => {
    expect((await t.call(OFFICE, 'GET', `/process-instances/${instanceId}/office-documents/envelope.pdf`)).status).toBe(400);
    expect((await t.call(OFFICE, 'GET', `/process-instances/${instanceId}/office-documents/cover-letter.pdf?lang=en`)).status).toBe(400);
    expect((await t.call('nobody', 'GET', `/process-instances/${instanceId}/office-documents/cover-letter.pdf`)).status).toBe(404);

    const started = await startApplication(t, KEY, { businessKey: 'OUT-2', starter: 'olga-office', channel: 'provider', applicant: { kind: 'legal-entity' }, form: { variant: 'issue', resultForm: 'electronic' } });
    expect(started.status).toBe(201);
    const done = await completeToEnd(httpPort(t), { key: KEY, businessKey: 'OUT-2', instanceId: started.body.id });
    expect(done).toMatchObject({ state: 'completed', outcome: 'licence-issued' });
    expect(done.completed).not.toContain('register-outgoing');
    expect(done.variables.outgoingNumber).toBeUndefined();
    for (const document of ['cover-letter', 'paper-copy']) expect((await print(document, 'kk', done.instanceId)).status).toBe(404);
  });

  it('a form cannot set the outgoing number: completing the office step with one is refused and changes nothing', async () => {
    const started = await startApplication(t, KEY, { businessKey: 'OUT-3', starter: 'olga-office', channel: 'provider', applicant: { kind: 'legal-entity' }, form: { variant: 'issue', resultForm: 'paper' } });
    expect(started.status).toBe(201);
    let refused = 0;
    const done = await completeToEnd(httpPort(t), {
      key: KEY,
      businessKey: 'OUT-3',
      instanceId: started.body.id,
      beforeComplete: async (task, user) => {
        if (task.taskDefinitionKey !== 'register-outgoing') return;
        const forged = await t.call(user, 'POST', `/tasks/${task.id}/complete`, { variables: { outgoingNumber: 'OUT-FORGED' } });
        expect(forged.status).toBe(400);
        refused++;
      },
    });
    expect(refused).toBe(1);
    expect(done.variables.outgoingNumber).toMatch(/^OUT-\d{8}-/);
  });
});

/*
 * The cotton licence's act (seed 002, lines 116-124) has the office print the paper licence, the head
 * certify it and the office send it, but no outgoing registration: at the head's certification the paper
 * copy is printable, and the cover letter says the act provides no outgoing number instead of inventing one.
 */
describe('the paper copy and cover letter of a cotton licence, whose act has no outgoing registration', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(async () => t?.close());

  it('the head certifies a printable paper copy; the cover letter names the enclosed licence and no outgoing number', async () => {
    const key = 'cotton-warehouse-license';
    const started = await startApplication(t, key, { businessKey: 'OUT-COTTON-1', starter: 'olga-office', channel: 'office', applicant: { kind: 'legal-entity' }, form: { variant: 'issue', resultForm: 'paper' } });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const atCertification: string[] = [];
    const done = await completeToEnd(httpPort(t), {
      key,
      businessKey: 'OUT-COTTON-1',
      instanceId: id,
      beforeComplete: async (task) => {
        if (task.taskDefinitionKey !== 'certify-paper-licence') return;
        const res = await fetch(`${t.url}/api/process-instances/${id}/office-documents/paper-copy.pdf?lang=kk`, { headers: { authorization: `Bearer token-of-${OFFICE}` } });
        expect(res.status).toBe(200);
        atCertification.push(await pdfText(new Uint8Array(await res.arrayBuffer())));
      },
    });
    expect(done).toMatchObject({ state: 'completed', outcome: 'licence-issued' });
    expect(atCertification).toHaveLength(1);
    for (const phrase of ['ҚАҒАЗ КӨШІРМЕ', 'ЛИЦЕНЗИЯ', String(done.variables.licenceNumber), String(done.variables.applicantName), 'Қызмет беруші басшысы', 'М.О.']) expect(atCertification[0]).toContain(phrase);
    expect(done.variables.outgoingNumber).toBeUndefined();

    const letter = await fetch(`${t.url}/api/process-instances/${id}/office-documents/cover-letter.pdf?lang=ru`, { headers: { authorization: `Bearer token-of-${OFFICE}` } });
    expect(letter.status).toBe(200);
    const text = await pdfText(new Uint8Array(await letter.arrayBuffer()));
    expect(text).toContain('Регистрация исходящей корреспонденции актом не предусмотрена');
    expect(text).not.toContain('Исходящий номер');
    expect(text).toContain(`Приложение: Лицензия № ${String(done.variables.licenceNumber)}`);
    expect(text).toContain(String(done.variables.registrationNumber));
    expect(text).toContain('утверждённый постановлением Акимат города Астаны от 05.08.2014 № 102-1249');
  });
});
