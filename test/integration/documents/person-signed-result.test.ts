import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseCms } from '../../../src/crypto/cms';
import { readSignedDocument } from '../../../src/crypto/signed-document';
import { sha256Hex } from '../../../src/documents/signing';
import { pdfQrCode } from '../../support/pdf-qr';
import { pdfText } from '../../support/pdf-text';
import { PathRunner, ReglamentPath } from '../../support/reglament-paths';
import { iinOfTestUser, tokenOf } from '../../support/test-host';
import { COMPLETE, INTAKE, ISSUED, SIGN } from '../reglaments/act-001';

/*
 * Issue 18 point 3: the electronic result the recipient gets is the document the authorised person
 * signed (the acts: "formed / certified with the EDS of the provider's authorised person"). A
 * pyrotechnics licence signed by the head at sign-decision reaches the personal cabinet as exactly
 * the head's CMS over the PDF they saw, which carries the licence number E-licensing gave before the
 * signature; the office prints those bytes; both verification tokens say authentic. A result no
 * person signs (a notification) is still the system's, certified with the provider's key.
 */
const KEY = 'pyrotechnics-activity-license';
const ISSUE: ReglamentPath = {
  name: 'portal, licence, electronic result',
  channel: 'portal',
  form: { variant: 'issue', resultForm: 'electronic' },
  steps: [...INTAKE, COMPLETE, ['specialist', 'prepare-licence', ISSUED], ...SIGN],
  outcome: 'licence-issued',
  signed: [['sign-decision', 'licence']],
};

describe('the electronic result is the document the authorised person signed', () => {
  const runner = new PathRunner({ key: KEY, applicant: { kind: 'legal-entity' }, paths: [ISSUE] });
  let instanceId: string;
  let variables: Record<string, any>;
  let signedPdf: Uint8Array;
  let documentId: string;
  const fetchAs = (user: string, route: string) => fetch(`${runner.t.url}${route}`, { headers: { authorization: `Bearer ${tokenOf(user)}` } });

  beforeAll(async () => {
    await runner.open();
    const { id } = await runner.start(ISSUE, 'PERSON-SIGNED-1');
    instanceId = id;
    await runner.steps(ISSUE.steps, id, 'PERSON-SIGNED-1');
    await runner.expectEnd(ISSUE, id, 'PERSON-SIGNED-1');
    variables = (await runner.t.call('admin', 'GET', `/process-instances/${id}`)).body.variables;
    const [document] = (await runner.t.call('admin', 'GET', `/process-instances/${id}/signatures`)).body;
    documentId = document.id;
    signedPdf = new Uint8Array(await (await fetchAs('admin', document.pdf)).arrayBuffer());
  });
  afterAll(() => runner.close());

  it("delivers the head's CMS over the PDF they signed, which carries the final licence number; openssl verifies it against the CA root", async () => {
    const der = new Uint8Array(Buffer.from(variables.resultDocument, 'base64'));
    expect(Buffer.from(parseCms(der).content).equals(Buffer.from(signedPdf))).toBe(true);
    expect(variables.licenceNumber).toMatch(/^KZ-LIC-/);
    const text = (await pdfText(signedPdf)).replace(/\s+/g, ' ');
    expect(text).toContain(variables.licenceNumber);

    const dir = fs.mkdtempSync(path.join(runner.t.dir, 'openssl-'));
    fs.writeFileSync(path.join(dir, 'result.p7s'), der);
    fs.writeFileSync(path.join(dir, 'root.pem'), runner.t.simulators.ca.rootPem);
    execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(dir, 'result.p7s'), '-CAfile', path.join(dir, 'root.pem'), '-purpose', 'any', '-out', path.join(dir, 'verified.pdf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(Buffer.from(fs.readFileSync(path.join(dir, 'verified.pdf'))).equals(Buffer.from(signedPdf))).toBe(true);
    expect(readSignedDocument(variables.resultDocument)!.signer.iin).toBe(iinOfTestUser(runner.t.userOf('head')));
  });

  it('lists the delivered result as valid, signed by the head (their IIN), not by the provider key', async () => {
    const listed = (await runner.t.call('admin', 'GET', `/process-instances/${instanceId}/signed-documents`)).body.find((d: any) => d.variable === 'resultDocument');
    expect(listed).toMatchObject({ valid: true, signer: { iin: iinOfTestUser(runner.t.userOf('head')) } });
  });

  it.each(['kk', 'ru'])('prints (lang=%s) exactly the bytes the head signed', async (lang) => {
    const res = await fetchAs('olga-office', `/api/process-instances/${instanceId}/documents/licence.pdf?lang=${lang}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/pdf/);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(signedPdf))).toBe(true);
  });

  it("the signed PDF's QR code leads to its page, which says authentic and shows the licence number, not the applicant", async () => {
    const url = await pdfQrCode(signedPdf);
    expect(url).toBe(`${runner.t.url}/verify/${instanceId}.${documentId}`);
    const html = await (await fetch(url!)).text();
    expect(html).toContain('data-authentic="true"');
    expect(html).toContain(variables.licenceNumber);
    expect(html).not.toContain(variables.applicantIinBin);
  });

  it('says authentic under both tokens: the SHA-256 of the delivered CMS and the id of the signed document', async () => {
    const der = new Uint8Array(Buffer.from(variables.resultDocument, 'base64'));
    for (const token of [`${instanceId}.${sha256Hex(der)}`, `${instanceId}.${documentId}`]) {
      const res = await fetch(`${runner.t.url}/verify/${token}`);
      expect({ token, status: res.status }).toEqual({ token, status: 200 });
      expect(await res.text()).toContain('data-authentic="true"');
    }
  });
});
