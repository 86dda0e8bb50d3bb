import express from 'express';
import { signCms, signCmsBase64 } from '../../../src/crypto/cms';
import { CrlCache } from '../../../src/crypto/crl-cache';
import { createCertificate, generateKeyPair } from '../../../src/crypto/pki';
import { edsHandlers } from '../../../src/integrations/eds/handlers';
import { crlFetcher } from '../../../src/integrations/eds/ca-client';
import { createAdapters } from '../../../src/integrations/clients';
import { ExternalSystemUnavailableError, HttpClient } from '../../../src/integrations/http-client';
import { NcaNodeVerifier } from '../../../src/integrations/ncanode/client';
import { createNcaNodeSimulator, NcaNodeState } from '../../../src/integrations/ncanode/simulator';
import { SimulatorServer } from '../../../src/integrations/simulator-server';
import { startSimulators, Simulators } from '../../../src/integrations/simulators';
import { makeBin, makeIin } from '../../../src/iin-bin';
import { gostLabelledCms } from '../../support/gost';

/*
 * NCANode as the EDS verifier (issue 18, point 2): the adapter speaks NCANode 3.x's POST /cms/verify
 * to the NCANode simulator, which verifies with pkijs against the CA simulator's root and CRL.
 * Every verdict comes from a real certificate and signature; the adapter's failure reasons are read
 * from NCANode's answer, not from a local verification.
 */
const DAY = 86_400_000;
const IIN = makeIin(new Date(Date.UTC(1988, 3, 9)), 'male', 311);
const BIN = makeBin(new Date(Date.UTC(2014, 8, 1)), 77);
const CONTENT = JSON.stringify({ service: 'cotton-warehouse-license', applicantIinBin: IIN });

describe('NCANode adapter against the NCANode simulator', () => {
  let sims: Simulators;
  let ncanode: SimulatorServer;
  let state: NcaNodeState;
  let adapter: NcaNodeVerifier;
  let ncanodeCrls: CrlCache;
  const now = new Date();

  beforeAll(async () => {
    sims = await startSimulators();
    ncanodeCrls = new CrlCache(crlFetcher({ attempts: 1, timeoutMs: 2000 }));
    const simulator = createNcaNodeSimulator({ trustedRoots: () => [sims.ca.root], crls: ncanodeCrls });
    state = simulator.state;
    ncanode = new SimulatorServer('ncanode', simulator.app);
    await ncanode.start();
    adapter = new NcaNodeVerifier(new HttpClient({ system: 'ncanode', baseUrl: ncanode.url, attempts: 2, backoffMs: 5, timeoutMs: 3000 }));
  });
  afterAll(async () => {
    await ncanode?.stop();
    await sims?.close();
  });

  const person = (o: { iin?: string; algorithm?: 'ECDSA' | 'RSA'; notBefore?: Date; notAfter?: Date } = {}) =>
    sims.ca.issue({ subject: { commonName: 'Серікова Айгүл', iin: o.iin ?? IIN }, algorithm: o.algorithm ?? 'RSA', notBefore: o.notBefore ?? new Date(now.getTime() - DAY), notAfter: o.notAfter ?? new Date(now.getTime() + 365 * DAY) });

  type Case = { name: string; signed: () => Promise<string>; applicant: string; expected: Record<string, unknown> };
  const cases: Case[] = [
    { name: 'valid RSA', signed: async () => signCmsBase64(CONTENT, await person(), now), applicant: IIN, expected: { valid: true, subject: { iin: IIN, keyAlgorithm: 'RSA', keyUsage: 'SIGN' }, revocations: [{ by: 'CRL', revoked: false }], content: CONTENT } },
    { name: 'valid ECDSA (the CA simulator default)', signed: async () => signCmsBase64(CONTENT, await person({ algorithm: 'ECDSA' }), now), applicant: IIN, expected: { valid: true, subject: { iin: IIN, keyAlgorithm: 'ECDSA' } } },
    {
      name: 'valid, a legal entity by BIN',
      signed: async () => signCmsBase64(CONTENT, await sims.ca.issue({ subject: { commonName: 'ТОО Мақта', organization: 'ТОО Мақта', bin: BIN }, algorithm: 'RSA' }), now),
      applicant: BIN,
      expected: { valid: true, subject: { bin: BIN } },
    },
    {
      name: 'revoked',
      signed: async () => {
        const issued = await person();
        sims.ca.revoke(issued.serialNumber, new Date(now.getTime() - 60_000));
        // NCANode keeps CRLs until their next update too; this one must see the new list.
        ncanodeCrls.clear();
        return signCmsBase64(CONTENT, issued, now);
      },
      applicant: IIN,
      expected: { valid: false, failure: 'revoked', revocations: [{ by: 'CRL', revoked: true }], message: expect.stringMatching(/^NCANode: certificate .* is revoked \(CRL since /) },
    },
    { name: 'expired', signed: async () => signCmsBase64(CONTENT, await person({ notBefore: new Date(now.getTime() - 730 * DAY), notAfter: new Date(now.getTime() - 365 * DAY) }), now), applicant: IIN, expected: { valid: false, failure: 'expired' } },
    { name: 'wrong IIN', signed: async () => signCmsBase64(CONTENT, await person({ iin: makeIin(new Date(Date.UTC(1991, 1, 2)), 'female', 12) }), now), applicant: IIN, expected: { valid: false, failure: 'iin-mismatch', message: expect.stringContaining(`the applicant is ${IIN}`) } },
    {
      name: 'tampered content',
      signed: async () => {
        const der = Buffer.from(await signCms(new Uint8Array(Buffer.from(CONTENT, 'utf8')), await person(), now));
        der[der.indexOf(Buffer.from(CONTENT, 'utf8')) + 3] ^= 0x01;
        return der.toString('base64');
      },
      applicant: IIN,
      expected: { valid: false, failure: 'bad-signature', subject: { iin: IIN } },
    },
    {
      name: 'untrusted issuer',
      signed: async () => {
        const caKeys = await generateKeyPair('ECDSA');
        const other = await createCertificate({ subject: { commonName: 'Other CA' }, publicKey: caKeys.publicKey, signingKey: caKeys.privateKey, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 10 * DAY), ca: true });
        const keys = await generateKeyPair('ECDSA');
        const certificate = await createCertificate({ subject: { commonName: 'X', iin: IIN }, publicKey: keys.publicKey, issuer: other, signingKey: caKeys.privateKey, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 10 * DAY) });
        return signCmsBase64(CONTENT, { privateKey: keys.privateKey, certificate }, now);
      },
      applicant: IIN,
      expected: { valid: false, failure: 'untrusted' },
    },
  ];

  it.each(cases)('$name', async ({ signed, applicant, expected }) => {
    const cms = await signed();
    const before = state.requests.length;
    const result = await adapter.verify(cms, applicant, now);
    expect(result).toMatchObject(expected);
    // Every CMS went to NCANode as it is, with both revocation checks asked for.
    expect(state.requests.slice(before)).toEqual([{ cms, revocationCheck: ['OCSP', 'CRL'] }]);
  });

  it('no signature or not a CMS: missing-signature, and NCANode is not asked', async () => {
    const before = state.requests.length;
    expect(await adapter.verify('', IIN, now)).toMatchObject({ valid: false, failure: 'missing-signature' });
    expect(await adapter.verify(Buffer.from('not a cms').toString('base64'), IIN, now)).toMatchObject({ valid: false, failure: 'missing-signature' });
    expect(state.requests.length).toBe(before);
  });

  it('NCANode unreachable: ExternalSystemUnavailableError (an incident), never a verdict', async () => {
    const cms = await signCmsBase64(CONTENT, await person(), now);
    await ncanode.stop();
    try {
      await expect(adapter.verify(cms, IIN, now)).rejects.toMatchObject({ name: 'ExternalSystemUnavailableError', system: 'ncanode', attempts: 2 });
    } finally {
      await ncanode.start();
    }
    expect(await adapter.verify(cms, IIN, now)).toMatchObject({ valid: true });
  });

  it('NCANode answering 5xx: ExternalSystemUnavailableError with its status', async () => {
    const broken = express();
    broken.post('/cms/verify', (_req, res) => {
      res.status(500).json({ status: 500, message: 'Kalkan provider is not loaded' });
    });
    const server = new SimulatorServer('broken-ncanode', broken);
    await server.start();
    try {
      const verifier = new NcaNodeVerifier(new HttpClient({ system: 'ncanode', baseUrl: server.url, attempts: 2, backoffMs: 5 }));
      const error = await verifier.verify(await signCmsBase64(CONTENT, await person(), now), IIN, now).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExternalSystemUnavailableError);
      expect((error as Error).message).toContain('HTTP 500');
      expect((error as Error).message).toContain('Kalkan provider is not loaded');
    } finally {
      await server.stop();
    }
  });

  describe('GOST 34.310 signatures (table)', () => {
    const table = [
      { where: 'without NCANode (local verifier)', ncanode: false, message: /Cannot verify GOST here.*GOST 34\.310.*set NCANODE_URL/ },
      { where: 'with the NCANode simulator, which has no Kalkan', ncanode: true, message: /HTTP 501.*cannot verify GOST 34\.310/ },
    ];
    it.each(table)('$where: an incident (ExternalSystemUnavailableError) with the reason, not edsValid false', async ({ ncanode: withNcaNode, message }) => {
      const adapters = createAdapters({ urls: { ...sims.urls, ...(withNcaNode ? { ncanode: ncanode.url } : {}) }, attempts: 1, trustedRoots: async () => [sims.ca.root] });
      const cms = await gostLabelledCms(CONTENT, { commonName: 'ГОСТ Тест', iin: IIN });
      const verifier = await adapters.eds.verifier();
      const error = await verifier.verify(cms, IIN, now).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExternalSystemUnavailableError);
      expect((error as ExternalSystemUnavailableError).system).toBe('ncanode');
      expect((error as Error).message).toMatch(message);
      // The handler of the portal intake fails (the engine makes that the step's incident) instead of refusing the applicant.
      const handler = edsHandlers(adapters.eds).find((h) => h.name === 'eds.verify-request')!.handler;
      await expect(handler({ instanceId: 'i', businessKey: null, processDefinitionKey: 'cotton-warehouse-license', activityId: 'verify-eds', properties: {}, variables: { signedRequest: cms, applicantIinBin: IIN }, now })).rejects.toThrow(message);
    });
  });

  it('NCANODE_URL configured: every signature, RSA and ECDSA, is verified by NCANode', async () => {
    const adapters = createAdapters({ urls: { ...sims.urls, ncanode: ncanode.url }, attempts: 1, trustedRoots: async () => [sims.ca.root] });
    const before = state.requests.length;
    const verifier = await adapters.eds.verifier();
    expect(verifier).toBeInstanceOf(NcaNodeVerifier);
    expect(await verifier.verify(await signCmsBase64(CONTENT, await person({ algorithm: 'ECDSA' }), now), IIN, now)).toMatchObject({ valid: true });
    expect(await verifier.verify(await signCmsBase64(CONTENT, await person({ algorithm: 'RSA' }), now), IIN, now)).toMatchObject({ valid: true });
    expect(state.requests.length).toBe(before + 2);
  });
});
