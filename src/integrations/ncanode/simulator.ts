import * as pkijs from 'pkijs';
import { parseCms } from '../../crypto/cms';
import { CrlCache } from '../../crypto/crl-cache';
import { describeName, nameAttributes, OID, serialHex } from '../../crypto/pki';
import { EdsVerifier, GostNotVerifiableError, identifiersOf, keyAlgorithmOf, keyUsageOf } from '../../crypto/verifier';
import { finishApp, simulatorApp } from '../simulator-server';

/**
 * An NCANode for tests: the JSON of NCANode 3.x's POST /cms/verify (see ncanode/client.ts) over a
 * verification done with pkijs against the CA simulator's root and its CRL.
 *
 * What it can do: RSA and ECDSA signatures (ECDSA P-256 is the CA simulator's default key; a real
 * NCANode verifies RSA and GOST with Kalkan), the chain to the roots it is given, validity, and
 * revocation by the CA's CRL (`revocations: [{ by: 'CRL', ... }]`).
 * What it cannot do, and says so instead of pretending:
 *   - GOST 34.310 signatures: 501 { status: 501, message } (the adapter turns a 5xx into an incident);
 *   - OCSP: the CA simulator runs no OCSP responder, so a requested 'OCSP' check is not in `revocations`;
 *   - time stamps (tsp), keyUser (no NCA extended key usages in test certificates: always []);
 *   - detached CMS (`data`): 400, as for any CMS it cannot read.
 * Malformed input is NCANode's 400 { status: 400, message }.
 */
export interface NcaNodeSimulatorOptions {
  trustedRoots: () => pkijs.Certificate[];
  crls: CrlCache;
}

export class NcaNodeState {
  /** Every /cms/verify request, in order (tests read what the adapter sent). */
  readonly requests: { cms: string; revocationCheck: string[]; data?: string }[] = [];
}

export function createNcaNodeSimulator(options: NcaNodeSimulatorOptions, state = new NcaNodeState()) {
  const app = simulatorApp('ncanode');
  const error = (res: import('express').Response, status: number, message: string) => res.status(status).json({ status, message });

  app.get('/actuator/health', (_req, res) => {
    res.json({ status: 'UP' });
  });

  app.post('/cms/verify', async (req, res, next) => {
    try {
      const body = req.body ?? {};
      if (typeof body.cms !== 'string' || body.cms === '') return error(res, 400, 'CMS argument not specified');
      const checks: string[] = Array.isArray(body.revocationCheck) ? body.revocationCheck.filter((c: unknown) => c === 'OCSP' || c === 'CRL') : [];
      state.requests.push({ cms: body.cms, revocationCheck: checks, ...(typeof body.data === 'string' ? { data: body.data } : {}) });
      if (typeof body.data === 'string') return error(res, 400, 'The NCANode simulator does not verify detached CMS');
      let parsed: ReturnType<typeof parseCms>;
      try {
        parsed = parseCms(new Uint8Array(Buffer.from(body.cms, 'base64')));
      } catch (e) {
        return error(res, 400, `Cannot read the CMS: ${e instanceof Error ? e.message : String(e)}`);
      }
      const signer = parsed.signerCertificate;
      if (!signer) return res.json({ status: 200, message: 'OK', valid: false, signers: [{ certificates: [] }] });
      if (keyAlgorithmOf(signer) === 'GOST') return error(res, 501, 'The NCANode simulator cannot verify GOST 34.310 signatures (no Kalkan here); point NCANODE_URL at a real NCANode');

      const verifier = new EdsVerifier({ trustedRoots: options.trustedRoots(), crls: options.crls });
      let result;
      try {
        result = await verifier.verify(body.cms, undefined, new Date());
      } catch (e) {
        if (e instanceof GostNotVerifiableError) return error(res, 501, e.message);
        throw e;
      }
      const failure = result.failure;
      const crl = result.revocations?.find((r) => r.by === 'CRL');
      const revocations = checks.includes('CRL') && crl ? [{ revoked: crl.revoked, by: 'CRL', revocationTime: crl.revokedAt ?? null, reason: null }] : [];
      const certificateValid = failure === undefined || failure === 'bad-signature' || failure === 'iin-mismatch';
      res.json({
        status: 200,
        message: 'OK',
        valid: result.valid,
        signers: [{ certificates: [certificateInfo(signer, certificateValid, revocations)] }],
      });
    } catch (e) {
      next(e);
    }
  });

  app.post('/cms/extract', (req, res) => {
    try {
      const parsed = parseCms(new Uint8Array(Buffer.from(String(req.body?.cms ?? ''), 'base64')));
      res.json({ status: 200, message: 'OK', data: Buffer.from(parsed.content).toString('base64') });
    } catch (e) {
      error(res, 400, `Cannot read the CMS: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

  return { app: finishApp(app), state };
}

/** NCANode writes dates as 2022-05-02T08:38:13.000+00:00. */
const ncaDate = (d: Date) => d.toISOString().replace('Z', '+00:00');

function certificateInfo(cert: pkijs.Certificate, valid: boolean, revocations: unknown[]) {
  const ids = identifiersOf(cert);
  const algorithm = keyAlgorithmOf(cert);
  const organization = nameAttributes(cert.subject).find((a) => a.type === OID.organization)?.value;
  return {
    valid,
    revocations,
    notBefore: ncaDate(cert.notBefore.value),
    notAfter: ncaDate(cert.notAfter.value),
    keyUsage: keyUsageOf(cert),
    // NCANode prints BigInteger.toString(16): lower case, no leading zeros.
    serialNumber: serialHex(cert).toLowerCase().replace(/^0+(?=.)/, ''),
    signAlg: algorithm === 'RSA' ? 'SHA256withRSA' : algorithm === 'ECDSA' ? 'SHA256withECDSA' : algorithm,
    keyUser: [],
    subject: { commonName: ids.commonName, ...(ids.iin ? { iin: ids.iin } : {}), ...(ids.bin ? { bin: ids.bin } : {}), ...(organization ? { organization } : {}), dn: describeName(cert.subject) },
    issuer: { commonName: nameAttributes(cert.issuer).find((a) => a.type === OID.commonName)?.value, dn: describeName(cert.issuer) },
  };
}
