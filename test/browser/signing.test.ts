import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { NcaLayerSimulator } from '../../src/integrations/ncalayer-simulator/ncalayer-simulator';
import { kk } from '../../src/web/i18n/kk';
import { completeToEnd, httpPort, startApplication } from '../support/reglament-driver';
import { credentialsOf, signerCertificate } from '../support/signing';
import { iinOfTestUser, startTestHost, TestHost } from '../support/test-host';
import { ensureWebBuild, launchBrowser, pageReady, screenshot, signIn } from './support';

/*
 * The head signs the draft licence decision in the web app through NCALayer (issue 17 point 6, issue
 * 18 point 3, acceptance), in Chromium against the NCALayer simulator: the task page shows the draft
 * PDF before the sign button; a certificate of another IIN, a revoked one and a cancelled dialog each
 * fail with their message in Kazakh and the step stays open; the head's own key completes it. The
 * stored licence verifies with openssl cms -verify against the CA root, over the stored PDF bytes, and
 * the hash in history is the SHA-256 of the bytes the page previewed.
 */
const KEY = 'cotton-warehouse-license';
const HEAD = 'head-user';

class Stop extends Error {}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the head signs the draft through NCALayer (Chromium, NCALayer simulator)', () => {
  let ncalayer: NcaLayerSimulator;
  let t: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let instanceId: string;
  let taskId: string;
  let previewed: Uint8Array;

  beforeAll(async () => {
    ensureWebBuild();
    ncalayer = await NcaLayerSimulator.start();
    t = await startTestHost({ env: { NCALAYER_URL: ncalayer.url } });
    const ca = t.simulators.ca;
    ncalayer.addKey('head', credentialsOf(await signerCertificate(ca, HEAD)));
    ncalayer.addKey('other-iin', credentialsOf(await signerCertificate(ca, 'office-user')));
    const revoked = await ca.issue({ subject: { commonName: 'Head (revoked)', iin: iinOfTestUser(HEAD) } });
    ca.revoke(revoked.serialNumber, new Date(Date.now() - 60_000));
    t.adapters.eds.crls.clear();
    ncalayer.addKey('revoked', credentialsOf(revoked));

    const started = await startApplication(t, KEY, { businessKey: 'SIGN-WEB-1', starter: 'olga-office', channel: 'office', applicant: { kind: 'legal-entity' }, form: { variant: 'issue', resultForm: 'electronic' } });
    expect(started.status).toBe(201);
    instanceId = started.body.id;
    await completeToEnd(httpPort(t), {
      key: KEY,
      businessKey: 'SIGN-WEB-1',
      instanceId,
      beforeComplete: async (task) => {
        if (task.taskDefinitionKey !== 'sign-decision') return;
        taskId = task.id;
        throw new Stop();
      },
    }).catch((error) => {
      if (!(error instanceof Stop)) throw error;
    });
    expect(taskId).toBeDefined();

    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'kk-KZ' });
    page = await context.newPage();
    await signIn(page, t.url, HEAD);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
    await ncalayer?.close();
  });

  async function taskState(): Promise<string> {
    return (await t.call(HEAD, 'GET', `/tasks/${taskId}`)).body.state;
  }

  it('the task page shows the draft PDF before the sign button', async () => {
    await page.goto(`${t.url}/tasks/${taskId}`);
    await pageReady(page);
    await page.click('[data-action="claim"]');
    await page.waitForSelector('[data-action="sign"]:not([disabled])');
    await pageReady(page);
    const preview = page.locator('iframe.draft-preview');
    expect(await preview.count()).toBe(1);
    // The preview comes before the button.
    expect(
      await page.evaluate(() => {
        const doc = (globalThis as any).document;
        const frame = doc.querySelector('iframe.draft-preview');
        const button = doc.querySelector('[data-action="sign"]');
        return Boolean(frame.compareDocumentPosition(button) & (globalThis as any).Node.DOCUMENT_POSITION_FOLLOWING);
      }),
    ).toBe(true);
    expect((await page.locator('.signing h2').textContent())!.trim()).toBe(kk.signTitle);
    // The bytes the page shows: the blob behind the preview and the "open" link.
    const bytes = await page.evaluate(async () => {
      const src = (globalThis as any).document.querySelector('iframe.draft-preview').getAttribute('src') as string;
      return Array.from(new Uint8Array(await (await fetch(src)).arrayBuffer()));
    });
    previewed = new Uint8Array(bytes);
    expect(Buffer.from(previewed.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(await preview.getAttribute('data-sha256')).toBe(sha256(previewed));
    expect(await page.locator('a[data-action="open-draft"]').getAttribute('href')).toBe(await preview.getAttribute('src'));
    await screenshot(page, 'signing-01-draft');
  });

  it.each([
    ['a certificate of another IIN', 'other-iin', kk.signRefused['other-iin']],
    ['a revoked certificate', 'revoked', kk.signRefused.revoked],
    ['a cancelled dialog', 'cancel', kk.signCancelled],
  ])('%s fails with its message and the step stays open', async (_name, choice, message) => {
    ncalayer.choose(choice === 'cancel' ? 'cancel' : { key: choice });
    await page.click('[data-action="sign"]');
    const outcome = choice === 'cancel' ? 'cancelled' : choice;
    const said = page.locator(`.signing-status [data-outcome="${outcome}"]`);
    await said.waitFor();
    expect((await said.textContent())!.trim()).toBe(message);
    await page.waitForSelector('[data-action="sign"]:not([disabled])');
    expect(await taskState()).toBe('open');
    if (choice === 'revoked') await screenshot(page, 'signing-02-revoked');
  });

  it("the head's own key completes the step; the stored licence verifies with openssl; history has the previewed bytes' hash", async () => {
    const requestsBefore = ncalayer.requests.length;
    ncalayer.choose({ key: 'head' });
    await page.click('[data-action="sign"]');
    await page.waitForURL(/\/tasks$/);
    expect(await taskState()).toBe('completed');

    // What the page asked NCALayer to sign: exactly the previewed bytes, CMS with them attached.
    const request = ncalayer.requests[requestsBefore] as { module: string; method: string; args: { format: string; data: string; signingParams: { encapsulate: boolean } } };
    expect(request).toMatchObject({ module: 'kz.gov.pki.knca.basics', method: 'sign', args: { format: 'cms', signingParams: { encapsulate: true } } });
    expect(sha256(new Uint8Array(Buffer.from(request.args.data, 'base64')))).toBe(sha256(previewed));

    const history = (await t.call('admin', 'GET', `/process-instances/${instanceId}/history`)).body as any[];
    const signed = history.filter((h) => h.type === 'document-signed');
    expect(signed).toHaveLength(1);
    expect(JSON.stringify(signed[0])).toContain(`"sha256":"${sha256(previewed)}"`);

    const [document] = (await t.call(HEAD, 'GET', `/process-instances/${instanceId}/signatures`)).body;
    expect(document).toMatchObject({ signed: true, signedBy: HEAD, signerIin: iinOfTestUser(HEAD), sha256: sha256(previewed) });
    const auth = { headers: { authorization: `Bearer token-of-${HEAD}` } };
    const pdf = new Uint8Array(await (await fetch(`${t.url}${document.pdf}`, auth)).arrayBuffer());
    const cms = new Uint8Array(await (await fetch(`${t.url}${document.cms}`, auth)).arrayBuffer());
    expect(sha256(pdf)).toBe(sha256(previewed));

    const dir = fs.mkdtempSync(path.join(t.dir, 'openssl-'));
    fs.writeFileSync(path.join(dir, 'licence.p7s'), cms);
    fs.writeFileSync(path.join(dir, 'licence.pdf'), pdf);
    fs.writeFileSync(path.join(dir, 'root.pem'), t.simulators.ca.rootPem);
    // The signature over the stored PDF: verified detached against the stored bytes, and attached (its content is those bytes).
    execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(dir, 'licence.p7s'), '-content', path.join(dir, 'licence.pdf'), '-CAfile', path.join(dir, 'root.pem'), '-purpose', 'any', '-out', path.join(dir, 'verified.pdf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(sha256(new Uint8Array(fs.readFileSync(path.join(dir, 'verified.pdf'))))).toBe(sha256(previewed));

    // The case page lists the signed document; its link serves exactly the signed bytes.
    await page.goto(`${t.url}/instances/${instanceId}`);
    await pageReady(page);
    const link = page.locator(`[data-signed-document="${document.id}"] a[data-action="signed-pdf"]`);
    expect(await link.count()).toBe(1);
    const served = await page.evaluate(async (href) => Array.from(new Uint8Array(await (await fetch(href, { credentials: 'same-origin' })).arrayBuffer())), (await link.getAttribute('href'))!);
    expect(sha256(new Uint8Array(served))).toBe(sha256(previewed));
    await screenshot(page, 'signing-03-case');
  });
});
