import { parseCms } from '../../src/crypto/cms';
import { fromPem } from '../../src/crypto/pki';
import type { CertificateCase } from '../support/simulators';
import { completeToEnd, httpPort, startApplication } from '../support/reglament-driver';
import { startTestHost, TestHost } from '../support/test-host';

/*
 * The signed documents of a case (issue 16, point 4): the applicant's signed request and the
 * provider's signed result are listed with signer, IIN/BIN, signing time and the verifier's verdict
 * now, and served as files to those who may see the case; and the labels of a version's variables.
 */
const KEY = 'cotton-warehouse-license';

describe('signed documents of a case', () => {
  let t: TestHost;
  let issued: { instanceId: string; variables: Record<string, unknown> };

  beforeAll(async () => {
    t = await startTestHost();
    const started = await startApplication(t, KEY, { businessKey: 'SIGNED-1', starter: 'olga-office', channel: 'portal', form: { variant: 'issue', resultForm: 'electronic' } });
    expect(started.status).toBe(201);
    issued = await completeToEnd(httpPort(t), { key: KEY, businessKey: 'SIGNED-1', instanceId: started.body.id });
    expect(issued).toMatchObject({ state: 'completed', outcome: 'licence-issued' });
  });
  afterAll(async () => t?.close());

  it('lists the signed request and the signed result of a licensed case, each valid, with signer and IIN', async () => {
    const res = await t.call('admin', 'GET', `/process-instances/${issued.instanceId}/signed-documents`);
    expect(res.status).toBe(200);
    const byVariable = Object.fromEntries(res.body.map((d: any) => [d.variable, d]));
    expect(Object.keys(byVariable).sort()).toEqual(['resultDocument', 'signedRequest']);

    const request = byVariable.signedRequest;
    expect(request).toMatchObject({ valid: true, failure: null, checkedAgainstApplicant: true, signer: { iin: issued.variables.applicantIinBin, commonName: issued.variables.applicantName } });
    expect(Date.parse(request.signedAt)).not.toBeNaN();

    const result = byVariable.resultDocument;
    expect(result).toMatchObject({ valid: true, failure: null, checkedAgainstApplicant: false });
    expect(result.signer.commonName).toBeTruthy();
    expect(result.signer.iin ?? result.signer.bin).toMatch(/^\d{12}$/);
    // The signingTime attribute (UTCTime) keeps whole seconds.
    expect(result.signedAt).toBe(new Date(Math.floor(Date.parse(String(issued.variables.resultSignedAt)) / 1000) * 1000).toISOString());
    expect(result.download).toBe(`/api/process-instances/${issued.instanceId}/signed-documents/resultDocument`);
  });

  it('serves the signed result as DER (application/pkcs7-mime) and as PEM, the very bytes of the variable', async () => {
    const der = await fetch(`${t.url}/api/process-instances/${issued.instanceId}/signed-documents/resultDocument`, { headers: { authorization: 'Bearer token-of-admin' } });
    expect(der.status).toBe(200);
    expect(der.headers.get('content-type')).toMatch(/^application\/pkcs7-mime/);
    expect(der.headers.get('content-disposition')).toMatch(/^attachment; filename="?SIGNED-1-resultDocument\.p7m"?$/);
    const bytes = new Uint8Array(await der.arrayBuffer());
    expect(Buffer.from(bytes).toString('base64')).toBe(issued.variables.resultDocument);
    // The head signed the licence at sign-decision: the delivered result is their CMS over that PDF.
    expect(Buffer.from(parseCms(bytes).content).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const pem = await fetch(`${t.url}/api/process-instances/${issued.instanceId}/signed-documents/resultDocument?format=pem`, { headers: { authorization: 'Bearer token-of-admin' } });
    expect(pem.status).toBe(200);
    expect(pem.headers.get('content-type')).toMatch(/^application\/x-pem-file/);
    expect(Buffer.from(fromPem(await pem.text())).toString('base64')).toBe(issued.variables.resultDocument);
  });

  it.each([
    ['a variable that is no signed document', 'applicantName', 'admin'],
    ['a variable the case does not have', 'nothing', 'admin'],
    ['a user who may not see the case', 'resultDocument', 'nobody'],
  ])('answers 404 for %s', async (_case, variable, user) => {
    expect((await t.call(user, 'GET', `/process-instances/${issued.instanceId}/signed-documents/${variable}`)).status).toBe(404);
  });

  it('refuses the list to a user who may not see the case', async () => {
    expect((await t.call('nobody', 'GET', `/process-instances/${issued.instanceId}/signed-documents`)).status).toBe(404);
  });

  it.each<[CertificateCase, string]>([
    ['other-iin', 'iin-mismatch'],
    ['revoked', 'revoked'],
    ['untrusted', 'untrusted'],
    ['expired', 'expired'],
  ])('says a request signed with a certificate that is %s is not valid (%s)', async (certificate, failure) => {
    const started = await startApplication(t, KEY, { businessKey: `SIGNED-${certificate}`, starter: 'olga-office', channel: 'portal', applicant: { certificate }, form: { variant: 'issue', resultForm: 'electronic' } });
    expect(started.status).toBe(201);
    const res = await t.call('admin', 'GET', `/process-instances/${started.body.id}/signed-documents`);
    expect(res.status).toBe(200);
    const request = res.body.find((d: any) => d.variable === 'signedRequest');
    expect(request).toMatchObject({ valid: false, failure });
    expect(request.message).toBeTruthy();
  });

  it('gives the labels of the form fields with option names in three languages', async () => {
    const res = await t.call('olga-office', 'GET', `/process-definitions/${KEY}/variables?version=1`);
    expect(res.status).toBe(200);
    const { variables } = res.body;
    expect(variables.applicantIinBin).toMatchObject({ type: 'string', source: 'start-form', declaredBy: 'application-received', label: { kk: 'Қызмет алушының ЖСН / БСН' } });
    expect(variables.applicantIinBin.label.ru).toBeTruthy();
    expect(variables.applicantIinBin.label.en).toBeTruthy();
    expect(variables.resultForm.values.electronic).toMatchObject({ kk: 'Электрондық түрде' });
    expect(variables.resultForm.values.electronic.en).toBeTruthy();
    expect(variables.documentsComplete).toMatchObject({ type: 'boolean', source: 'task-form', declaredBy: 'initial-check' });
    // Handler outputs are no form's: the web app names them.
    expect(variables.resultDocument).toBeUndefined();
  });
});
