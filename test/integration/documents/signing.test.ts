import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SigningDraftEntity } from '../../../src/persistence/signing-draft-entity';
import { pdfQrCode } from '../../support/pdf-qr';
import { pdfText } from '../../support/pdf-text';
import { completeToEnd, httpPort, snapshotOf, startApplication } from '../../support/reglament-driver';
import { cmsOver, credentialsOf, fetchDraft, signerCertificate } from '../../support/signing';
import { iinOfTestUser, startTestHost, TestHost } from '../../support/test-host';

/*
 * The head's signature of the draft licence decision (issue 17 point 6, issue 18 point 3), through
 * POST /api/tasks/{id}/sign: the draft is rendered once and kept; a signature of other bytes, of
 * another person's key, of a revoked certificate, of a key not meant for signing, or by someone who
 * does not hold the task is refused and changes nothing; the head's own signature completes the step,
 * with the hash of the shown bytes in history, and the stored CMS verifies with openssl.
 */
const KEY = 'cotton-warehouse-license';
const HEAD = 'head-user';

class Stop extends Error {}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('signing the draft licence decision', () => {
  let t: TestHost;
  let instanceId: string;
  let taskId: string;
  const businessKey = 'SIGN-1';

  /** An application up to the head's signing step, every step before it as the driver completes it; answers the instance and the task. */
  async function atSigningStep(key: string): Promise<{ instanceId: string; taskId: string }> {
    const started = await startApplication(t, KEY, { businessKey: key, starter: 'olga-office', channel: 'office', applicant: { kind: 'legal-entity' }, form: { variant: 'issue', resultForm: 'electronic' } });
    expect(started.status).toBe(201);
    let signing: string | undefined;
    await completeToEnd(httpPort(t), {
      key: KEY,
      businessKey: key,
      instanceId: started.body.id,
      beforeComplete: async (task) => {
        if (task.taskDefinitionKey === 'sign-decision') {
          signing = task.id;
          throw new Stop();
        }
      },
    }).catch((error) => {
      if (!(error instanceof Stop)) throw error;
    });
    expect(signing).toBeDefined();
    return { instanceId: started.body.id, taskId: signing! };
  }

  beforeAll(async () => {
    t = await startTestHost();
    ({ instanceId, taskId } = await atSigningStep(businessKey));
    expect((await t.call(HEAD, 'POST', `/tasks/${taskId}/claim`)).status).toBe(200);
  });
  afterAll(async () => t?.close());

  it('says the step is signed, and refuses a plain completion of it', async () => {
    const detail = await t.call(HEAD, 'GET', `/tasks/${taskId}`);
    expect(detail.body).toMatchObject({ signs: 'licence', ncalayerUrl: 'wss://127.0.0.1:13579/' });
    const done = await t.call(HEAD, 'POST', `/tasks/${taskId}/complete`, { variables: {} });
    expect(done.status).toBe(409);
    expect(done.body.error.code).toBe('SIGNATURE_REQUIRED');
  });

  it('renders the draft once, in Kazakh and Russian, and serves the same bytes every time', async () => {
    const first = await fetchDraft(t.url, taskId, HEAD);
    expect(first.status).toBe(200);
    expect(first.sha256).toBe(sha256(first.bytes));
    const second = await fetchDraft(t.url, taskId, HEAD);
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    const text = (await pdfText(first.bytes)).replace(/\s+/g, ' ');
    expect(text).toContain('ЛИЦЕНЗИЯ');
    expect(text).toContain('мемлекеттік көрсетілетін қызмет регламенті');
    expect(text).toContain('Регламент государственной услуги');
    // Another group's user neither sees nor signs it.
    expect((await fetchDraft(t.url, taskId, 'office-user')).status).toBe(403);
  });

  describe('a refused signature changes nothing', () => {
    let draft: Uint8Array;
    let before: unknown;
    beforeAll(async () => {
      draft = (await fetchDraft(t.url, taskId, HEAD)).bytes;
      before = await snapshotOf(t, instanceId, businessKey);
    });
    afterEach(async () => {
      expect(await snapshotOf(t, instanceId, businessKey)).toEqual(before);
      expect((await t.call(HEAD, 'GET', `/process-instances/${instanceId}/signatures`)).body).toEqual([expect.objectContaining({ signed: false, cms: null })]);
    });

    async function refused(cms: string, user = HEAD) {
      return t.call(user, 'POST', `/tasks/${taskId}/sign`, { cms });
    }

    it('bytes other than the draft shown: 400 bytes-differ', async () => {
      const other = new Uint8Array([...draft, 0x0a]);
      const answer = await refused(await cmsOver(other, credentialsOf(await signerCertificate(t.simulators.ca, HEAD))));
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'SIGNATURE_REFUSED', details: { failure: 'bytes-differ' } });
    });

    it("another person's key: 400 other-iin", async () => {
      const answer = await refused(await cmsOver(draft, credentialsOf(await signerCertificate(t.simulators.ca, 'office-user'))));
      expect(answer.status).toBe(400);
      expect(answer.body.error.details.failure).toBe('other-iin');
      expect(answer.body.error.message).toContain(iinOfTestUser('office-user'));
    });

    it("the head's revoked certificate: 400 revoked", async () => {
      const revoked = await t.simulators.ca.issue({ subject: { commonName: 'Revoked head', iin: iinOfTestUser(HEAD) } });
      t.simulators.ca.revoke(revoked.serialNumber, new Date(Date.now() - 60_000));
      t.adapters.eds.crls.clear();
      const answer = await refused(await cmsOver(draft, credentialsOf(revoked)));
      expect(answer.status).toBe(400);
      expect(answer.body.error.details.failure).toBe('revoked');
    });

    it("the head's key for encipherment, not signing: 400 key-usage", async () => {
      const enciphering = await t.simulators.ca.issue({ subject: { commonName: 'Head (encipherment)', iin: iinOfTestUser(HEAD) }, keyUsage: 'encipherment' });
      const answer = await refused(await cmsOver(draft, credentialsOf(enciphering)));
      expect(answer.status).toBe(400);
      expect(answer.body.error.details.failure).toBe('key-usage');
    });

    it('not a CMS: 400 not-cms', async () => {
      const answer = await refused(Buffer.from('not a signature').toString('base64'));
      expect(answer.status).toBe(400);
      expect(answer.body.error.details.failure).toBe('not-cms');
    });

    it("someone who does not hold the task: the other head 409, another group's user 403", async () => {
      const other = 'head-user-2';
      expect((await refused(await cmsOver(draft, credentialsOf(await signerCertificate(t.simulators.ca, other))), other)).status).toBe(409);
      expect((await refused(await cmsOver(draft, credentialsOf(await signerCertificate(t.simulators.ca, 'office-user'))), 'office-user')).status).toBe(403);
    });
  });

  it("the head's own signature completes the step; history holds the shown bytes' hash; the stored CMS verifies with openssl", async () => {
    const shown = await fetchDraft(t.url, taskId, HEAD);
    const signed = await t.call(HEAD, 'POST', `/tasks/${taskId}/sign`, { cms: await cmsOver(shown.bytes, credentialsOf(await signerCertificate(t.simulators.ca, HEAD))) });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ state: 'completed', sha256: sha256(shown.bytes) });
    expect((await t.call(HEAD, 'GET', `/tasks/${taskId}`)).body.state).toBe('completed');

    const history = (await t.call('admin', 'GET', `/process-instances/${instanceId}/history`)).body as any[];
    const entry = history.find((h) => h.type === 'document-signed');
    expect(entry).toMatchObject({ activityId: 'sign-decision', user: HEAD });
    expect(JSON.stringify(entry)).toContain(sha256(shown.bytes));

    const [document] = (await t.call(HEAD, 'GET', `/process-instances/${instanceId}/signatures`)).body;
    expect(document).toMatchObject({ signed: true, signedBy: HEAD, signerIin: iinOfTestUser(HEAD), sha256: sha256(shown.bytes) });
    const pdf = new Uint8Array(await (await fetch(`${t.url}${document.pdf}`, { headers: { authorization: `Bearer token-of-${HEAD}` } })).arrayBuffer());
    expect(Buffer.from(pdf).equals(Buffer.from(shown.bytes))).toBe(true);
    const cms = Buffer.from(await (await fetch(`${t.url}${document.cms}`, { headers: { authorization: `Bearer token-of-${HEAD}` } })).arrayBuffer());

    const dir = fs.mkdtempSync(path.join(t.dir, 'openssl-'));
    fs.writeFileSync(path.join(dir, 'licence.p7s'), cms);
    fs.writeFileSync(path.join(dir, 'root.pem'), t.simulators.ca.rootPem);
    const content = execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(dir, 'licence.p7s'), '-CAfile', path.join(dir, 'root.pem'), '-purpose', 'any'], { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(sha256(new Uint8Array(content))).toBe(sha256(shown.bytes));

    // Signed once: a second signature is refused.
    expect((await t.call(HEAD, 'POST', `/tasks/${taskId}/sign`, { cms: cms.toString('base64') })).status).toBe(409);
  });

  it("the signed document's QR code leads to the public page: authentic, and not authentic once a byte of the stored PDF changed", async () => {
    const [document] = (await t.call(HEAD, 'GET', `/process-instances/${instanceId}/signatures`)).body;
    const pdf = new Uint8Array(await (await fetch(`${t.url}${document.pdf}`, { headers: { authorization: `Bearer token-of-${HEAD}` } })).arrayBuffer());
    const url = await pdfQrCode(pdf);
    expect(url).toBe(`${t.url}/verify/${instanceId}.${document.id}`);
    const page = await (await fetch(url!)).text();
    expect(page).toContain('data-authentic="true"');
    expect(page).toContain(`Signer ${HEAD}`);

    const repository = t.host.dataSource.getRepository(SigningDraftEntity);
    const row = (await repository.findOneBy({ id: document.id }))!;
    const bytes = Buffer.from(row.pdf, 'base64');
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    await repository.update({ id: document.id }, { pdf: bytes.toString('base64') });
    const tampered = await (await fetch(url!)).text();
    expect(tampered).toContain('data-authentic="false"');
    expect(tampered).toContain('НЕ подлинный');
  });

  it('two signatures sent at once: one completes the step, the other is refused, and the stored CMS is the winner\'s', async () => {
    const second = await atSigningStep('SIGN-2');
    const draft = await fetchDraft(t.url, second.taskId, HEAD);
    const credentials = credentialsOf(await signerCertificate(t.simulators.ca, HEAD));
    const [a, b] = [await cmsOver(draft.bytes, credentials), await cmsOver(draft.bytes, credentials)];
    const answers = await Promise.all([a, b].map((cms) => t.call(HEAD, 'POST', `/tasks/${second.taskId}/sign`, { cms })));
    expect(answers.map((x) => x.status).sort()).toEqual([200, 409]);
    const history = (await t.call('admin', 'GET', `/process-instances/${second.instanceId}/history`)).body as any[];
    expect(history.filter((h) => h.type === 'document-signed')).toHaveLength(1);
    const [document] = (await t.call(HEAD, 'GET', `/process-instances/${second.instanceId}/signatures`)).body;
    const stored = Buffer.from(await (await fetch(`${t.url}${document.cms}`, { headers: { authorization: `Bearer token-of-${HEAD}` } })).arrayBuffer()).toString('base64');
    expect(stored).toBe(answers[0].status === 200 ? a : b);
  });
});
