import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { signCms, signCmsBase64 } from '../../../src/crypto/cms';
import { certificatePem, createCertificate, generateKeyPair, parseCrl } from '../../../src/crypto/pki';
import { EdsVerifier } from '../../../src/crypto/verifier';
import { CrlCache } from '../../../src/crypto/crl-cache';
import { crlFetcher } from '../../../src/integrations/eds/ca-client';
import { ExternalSystemUnavailableError } from '../../../src/integrations/http-client';
import { makeBin, makeIin } from '../../../src/iin-bin';
import { startSimulators, Simulators } from '../../../src/integrations/simulators';
import { tempDir } from '../../support/test-host';

/*
 * A real test PKI: the CA simulator's root (ECDSA), applicant certificates (ECDSA and RSA), its
 * CRL served over HTTP at the URL written into the certificates. Each EDS failure reason is
 * produced by a real certificate or signature, not by a stub.
 */
const DAY = 86_400_000;
const IIN = makeIin(new Date(Date.UTC(1990, 6, 1)), 'female', 17);
const BIN = makeBin(new Date(Date.UTC(2015, 1, 1)), 42);
const CONTENT = JSON.stringify({ service: 'weapon-activity-license', applicantIinBin: IIN });

describe('EDS verification (CMS, chain, validity, CRL over HTTP, IIN/BIN)', () => {
  let sims: Simulators;
  let verifier: EdsVerifier;
  const now = new Date();

  beforeAll(async () => {
    sims = await startSimulators();
    verifier = new EdsVerifier({ trustedRoots: [sims.ca.root], crls: new CrlCache(crlFetcher({ attempts: 1, timeoutMs: 1000 })) });
  });
  afterAll(() => sims.close());

  const person = (o: { notBefore?: Date; notAfter?: Date; iin?: string; algorithm?: 'ECDSA' | 'RSA' } = {}) =>
    sims.ca.issue({ subject: { commonName: 'Асқаров Асқар', iin: o.iin ?? IIN }, algorithm: o.algorithm, notBefore: o.notBefore ?? new Date(now.getTime() - DAY), notAfter: o.notAfter ?? new Date(now.getTime() + 365 * DAY) });

  it('a valid ECDSA signature passes and names the signer, the IIN and the signing time', async () => {
    const issued = await person();
    const result = await verifier.verify(await signCmsBase64(CONTENT, issued, now), IIN, now);
    expect(result).toMatchObject({ valid: true, subject: { iin: IIN, keyAlgorithm: 'ECDSA', serialNumber: issued.serialNumber }, content: CONTENT });
    expect(result.failure).toBeUndefined();
    expect(Math.abs(new Date(result.signedAt!).getTime() - now.getTime())).toBeLessThan(1000);
  });

  it('a valid RSA signature passes', async () => {
    const issued = await person({ algorithm: 'RSA' });
    const result = await verifier.verify(await signCmsBase64(CONTENT, issued, now), IIN, now);
    expect(result).toMatchObject({ valid: true, subject: { keyAlgorithm: 'RSA' } });
  });

  it('a BIN in OU / organizationIdentifier matches a legal entity; another BIN is iin-mismatch', async () => {
    const issued = await sims.ca.issue({ subject: { commonName: 'ТОО Тест', organization: 'ТОО Тест', bin: BIN } });
    const signed = await signCmsBase64(CONTENT, issued, now);
    expect(await verifier.verify(signed, BIN, now)).toMatchObject({ valid: true, subject: { bin: BIN } });
    const other = makeBin(new Date(Date.UTC(2015, 1, 1)), 43);
    expect(await verifier.verify(signed, other, now)).toMatchObject({ valid: false, failure: 'iin-mismatch' });
  });

  it('no signature -> missing-signature; garbage -> missing-signature', async () => {
    expect(await verifier.verify(undefined, IIN, now)).toMatchObject({ valid: false, failure: 'missing-signature' });
    expect(await verifier.verify('', IIN, now)).toMatchObject({ valid: false, failure: 'missing-signature' });
    expect(await verifier.verify(Buffer.from('not a CMS').toString('base64'), IIN, now)).toMatchObject({ valid: false, failure: 'missing-signature' });
  });

  it('content changed after signing -> bad-signature', async () => {
    const issued = await person();
    const der = Buffer.from(await signCms(new Uint8Array(Buffer.from(CONTENT)), issued, now));
    const at = der.indexOf(Buffer.from(CONTENT));
    der[at + 5] ^= 0x01;
    expect(await verifier.verify(der.toString('base64'), IIN, now)).toMatchObject({ valid: false, failure: 'bad-signature' });
  });

  it('signed with a key other than the certificate\'s -> bad-signature', async () => {
    const issued = await person();
    const stranger = await generateKeyPair('ECDSA');
    const signed = await signCmsBase64(CONTENT, { privateKey: stranger.privateKey, certificate: issued.certificate }, now);
    expect(await verifier.verify(signed, IIN, now)).toMatchObject({ valid: false, failure: 'bad-signature' });
  });

  it('a certificate of another CA -> untrusted; a self-signed certificate -> untrusted', async () => {
    const rogueKeys = await generateKeyPair('ECDSA');
    // Same name as the trusted root, different key: only a signature check tells them apart.
    const rogueRoot = await createCertificate({ subject: { commonName: 'Reglament test root CA (simulator of NCA RK)', organization: 'Reglament test PKI' }, publicKey: rogueKeys.publicKey, signingKey: rogueKeys.privateKey, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 365 * DAY), ca: true });
    const leafKeys = await generateKeyPair('ECDSA');
    const leaf = await createCertificate({ subject: { commonName: 'x', iin: IIN }, publicKey: leafKeys.publicKey, issuer: rogueRoot, signingKey: rogueKeys.privateKey, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 365 * DAY) });
    const signed = await signCmsBase64(CONTENT, { privateKey: leafKeys.privateKey, certificate: leaf }, now);
    expect(await verifier.verify(signed, IIN, now)).toMatchObject({ valid: false, failure: 'untrusted' });
    const self = await createCertificate({ subject: { commonName: 'self', iin: IIN }, publicKey: leafKeys.publicKey, signingKey: leafKeys.privateKey, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 365 * DAY) });
    expect(await verifier.verify(await signCmsBase64(CONTENT, { privateKey: leafKeys.privateKey, certificate: self }, now), IIN, now)).toMatchObject({ valid: false, failure: 'untrusted' });
  });

  it('an expired certificate -> expired; a certificate not yet valid -> not-yet-valid', async () => {
    const expired = await person({ notBefore: new Date(now.getTime() - 400 * DAY), notAfter: new Date(now.getTime() - DAY) });
    expect(await verifier.verify(await signCmsBase64(CONTENT, expired, now), IIN, now)).toMatchObject({ valid: false, failure: 'expired' });
    const future = await person({ notBefore: new Date(now.getTime() + DAY), notAfter: new Date(now.getTime() + 400 * DAY) });
    expect(await verifier.verify(await signCmsBase64(CONTENT, future, now), IIN, now)).toMatchObject({ valid: false, failure: 'not-yet-valid' });
  });

  it('valid when signed but expired now -> expired (validity is checked at the signing time and now)', async () => {
    const issued = await person({ notBefore: new Date(now.getTime() - 10 * DAY), notAfter: new Date(now.getTime() - DAY) });
    const signedThen = await signCmsBase64(CONTENT, issued, new Date(now.getTime() - 5 * DAY));
    const result = await verifier.verify(signedThen, IIN, now);
    expect(result).toMatchObject({ valid: false, failure: 'expired' });
    expect(result.message).toMatch(/now/);
  });

  it('another IIN in the certificate -> iin-mismatch', async () => {
    const issued = await person({ iin: makeIin(new Date(Date.UTC(1991, 0, 2)), 'male', 5) });
    expect(await verifier.verify(await signCmsBase64(CONTENT, issued, now), IIN, now)).toMatchObject({ valid: false, failure: 'iin-mismatch' });
  });

  it('a revoked certificate -> revoked, read from the CRL fetched over HTTP; the CRL is cached until its nextUpdate', async () => {
    const crls = new CrlCache(crlFetcher({ attempts: 1, timeoutMs: 1000 }));
    const v = new EdsVerifier({ trustedRoots: [sims.ca.root], crls });
    const good = await person();
    const bad = await person();
    expect((await v.verify(await signCmsBase64(CONTENT, good, now), IIN, now)).valid).toBe(true);
    expect(crls.fetches).toBe(1);
    sims.ca.revoke(bad.serialNumber, new Date(now.getTime() - 60_000));
    // Still the cached CRL (fetched before the revocation): not yet known as revoked.
    expect((await v.verify(await signCmsBase64(CONTENT, bad, now), IIN, now)).valid).toBe(true);
    expect(crls.fetches).toBe(1);
    // After the CRL's nextUpdate the verifier fetches it again and sees the revocation.
    const crl = parseCrl(new Uint8Array(await (await fetch(`${sims.urls.ca}/ca/crl`)).arrayBuffer()));
    const later = new Date(crl.nextUpdate!.value.getTime() + 1000);
    const result = await v.verify(await signCmsBase64(CONTENT, bad, now), IIN, later);
    expect(result).toMatchObject({ valid: false, failure: 'revoked' });
    expect(crls.fetches).toBe(2);
    expect((await v.verify(await signCmsBase64(CONTENT, good, now), IIN, later)).valid).toBe(true);
  });

  it('a CA whose CRL cannot be fetched -> ExternalSystemUnavailableError (an incident, not a verdict)', async () => {
    const issued = await person();
    const signed = await signCmsBase64(CONTENT, issued, now);
    const v = new EdsVerifier({ trustedRoots: [sims.ca.root], crls: new CrlCache(crlFetcher({ attempts: 2, timeoutMs: 500, backoffMs: 5 })) });
    await sims.stop('ca');
    try {
      await expect(v.verify(signed, IIN, now)).rejects.toMatchObject({ name: 'ExternalSystemUnavailableError', system: 'ca', attempts: 2 });
      await expect(v.verify(signed, IIN, now)).rejects.toBeInstanceOf(ExternalSystemUnavailableError);
    } finally {
      await sims.start('ca');
    }
    expect((await v.verify(signed, IIN, now)).valid).toBe(true);
  });

  it("the provider's signed result verifies with the verifier and with openssl cms -verify", async () => {
    const provider = await sims.ca.providerCredentials();
    const doc = JSON.stringify({ kind: 'licence', licenceNumber: 'KZ-LIC-000001' });
    const signed = await signCmsBase64(doc, provider, now);
    expect(await verifier.verify(signed, undefined, now)).toMatchObject({ valid: true, content: doc, subject: { serialNumber: provider.serialNumber } });
    let openssl = true;
    try {
      execFileSync('openssl', ['version']);
    } catch {
      openssl = false;
    }
    if (!openssl) return; // openssl absent: the verifier's check above still ran
    const dir = tempDir('cms-');
    fs.writeFileSync(path.join(dir, 'root.pem'), certificatePem(sims.ca.root));
    fs.writeFileSync(path.join(dir, 'doc.p7m'), Buffer.from(signed, 'base64'));
    const out = execFileSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', path.join(dir, 'doc.p7m'), '-CAfile', path.join(dir, 'root.pem'), '-purpose', 'any'], { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out.toString('utf8')).toBe(doc);
  });
});
