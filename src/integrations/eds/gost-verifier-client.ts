import { EdsFailure, EdsResult, GostVerifier } from '../../crypto/verifier';
import { ExternalSystemProtocolError, HttpClient } from '../http-client';

/**
 * GOST 34.310 signatures are verified by an external NCANode-style service:
 * POST {GOST_VERIFIER_URL}/cms/verify { cms, revocationCheck: ['OCSP'|'CRL'] } answering
 * { valid, signers: [{ signature?: { valid }, certificates: [{ valid, notBefore, notAfter,
 *   revocations: [{ revoked, by }], subject: { iin, bin, commonName, dn }, serialNumber }] }] }.
 * The answer is mapped to the same result shape as the local verifier.
 */
export class GostVerifierAdapter implements GostVerifier {
  constructor(readonly http: HttpClient) {}

  async verify(cmsBase64: string, now: Date): Promise<EdsResult> {
    // Verification does not change anything: safe to retry.
    const r = await this.http.post('/cms/verify', { cms: cmsBase64, revocationCheck: ['OCSP', 'CRL'] }, { idempotent: true });
    if (r.status === 400) return { valid: false, failure: 'bad-signature', message: `GOST verifier: ${r.body?.message ?? 'the signature is malformed'}` };
    if (r.status !== 200) throw new ExternalSystemProtocolError(this.http.system, this.http.url('/cms/verify'), r.status, r.body);
    const signer = r.body?.signers?.[0];
    const cert = signer?.certificates?.[0];
    const s = cert?.subject ?? {};
    const subject = cert
      ? {
          commonName: s.commonName,
          iin: s.iin || undefined,
          bin: s.bin || undefined,
          dn: String(s.dn ?? ''),
          issuer: String(cert.issuer?.dn ?? ''),
          serialNumber: String(cert.serialNumber ?? ''),
          notBefore: String(cert.notBefore ?? ''),
          notAfter: String(cert.notAfter ?? ''),
          keyAlgorithm: 'GOST',
        }
      : undefined;
    if (r.body?.valid === true) return { valid: true, subject, signedAt: signer?.tsp?.genTime ?? now.toISOString() };
    let failure: EdsFailure = 'untrusted';
    if (!cert) failure = 'missing-signature';
    else if (signer?.signature?.valid === false) failure = 'bad-signature';
    else if ((cert.revocations ?? []).some((rev: any) => rev?.revoked)) failure = 'revoked';
    else if (cert.notAfter && new Date(cert.notAfter) < now) failure = 'expired';
    else if (cert.notBefore && new Date(cert.notBefore) > now) failure = 'not-yet-valid';
    return { valid: false, failure, subject, message: `GOST verifier: ${r.body?.message ?? failure}` };
  }
}
