import { parseCms } from '../../crypto/cms';
import { EdsFailure, EdsResult, EdsSubject, identityFailure, KeyUsage, RevocationCheck, SignatureVerifier, subjectOf } from '../../crypto/verifier';
import { ExternalSystemProtocolError, HttpClient } from '../http-client';

/**
 * NCANode (NCANode 3.x HTTP API, the NCA's Kalkan library behind JSON) as the EDS verifier for
 * RSA and GOST 34.310 signatures:
 *
 *   POST {NCANODE_URL}/cms/verify { cms: base64, revocationCheck: ['OCSP', 'CRL'], data?: base64 (detached) }
 *   200 { status: 200, message, valid, signers: [{ certificates: [CertificateInfo], tsp?: { genTime, ... } }] }
 *       CertificateInfo: { valid, revocations: [{ revoked, by: 'OCSP'|'CRL', revocationTime, reason }],
 *         notBefore, notAfter, keyUsage: 'SIGN'|'AUTH'|'UNKNOWN', serialNumber (hex), signAlg, keyUser: [...],
 *         subject: { commonName, iin, bin, organization, dn, ... }, issuer: { commonName, dn, ... } }
 *   400 { status: 400, message, details? } the CMS cannot be read (NCANode's ClientException)
 *   5xx the service is down or broke (retried, then ExternalSystemUnavailableError: an incident)
 *
 * `valid` is NCANode's whole verdict (signature, chain to its trusted NCA roots, validity, the
 * revocation checks asked for). Our failure reason is read from the first signer's certificate: a
 * revocation that says revoked, dates outside validity at the signing time or now, a certificate
 * NCANode does not trust, else the signature itself. The IIN / BIN check against the applicant is
 * ours, on the subject NCANode reports. The signed content and the signing time (signed attribute)
 * are read from the CMS here without any cryptography: NCANode's verify answer does not carry them;
 * a time stamp (tsp.genTime), when NCANode reports one, is preferred as the signing time.
 */
export class NcaNodeVerifier implements SignatureVerifier {
  constructor(readonly http: HttpClient) {}

  async verify(signedRequest: unknown, applicantIinBin: string | undefined, now: Date = new Date()): Promise<EdsResult> {
    if (typeof signedRequest !== 'string' || signedRequest.trim() === '') return { valid: false, failure: 'missing-signature', message: 'The request carries no signature (signedRequest is empty)' };
    const cms = signedRequest.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    let parsed: ReturnType<typeof parseCms>;
    try {
      parsed = parseCms(new Uint8Array(Buffer.from(cms, 'base64')));
    } catch (error) {
      return { valid: false, failure: 'missing-signature', message: `signedRequest is not a CMS SignedData with attached content: ${error instanceof Error ? error.message : String(error)}` };
    }
    const local = parsed.signerCertificate ? subjectOf(parsed.signerCertificate) : undefined;

    // Verification changes nothing at NCANode: safe to retry.
    const r = await this.http.post('/cms/verify', { cms, revocationCheck: ['OCSP', 'CRL'] }, { idempotent: true });
    if (r.status === 400) return { valid: false, failure: 'bad-signature', subject: local, message: `NCANode refused the CMS: ${messageOf(r.body) ?? 'it cannot be read'}` };
    if (r.status !== 200 || typeof r.body !== 'object' || r.body === null || typeof r.body.valid !== 'boolean') throw new ExternalSystemProtocolError(this.http.system, this.http.url('/cms/verify'), r.status, r.body);

    const signer = Array.isArray(r.body.signers) ? r.body.signers[0] : undefined;
    const cert = Array.isArray(signer?.certificates) ? signer.certificates[0] : undefined;
    if (!cert) return { valid: false, failure: 'untrusted', subject: local, message: `NCANode found no signer's certificate in the CMS${messageOf(r.body) ? `: ${messageOf(r.body)}` : ''}` };

    const subject = subjectFrom(cert, local);
    const revocations = revocationsFrom(cert.revocations);
    const signedAt = dateOf(signer?.tsp?.genTime) ?? parsed.signingTime ?? now;
    const base: Pick<EdsResult, 'subject' | 'signedAt' | 'revocations'> = { subject, signedAt: signedAt.toISOString(), revocations };

    if (!r.body.valid) {
      const failure = failureOf(cert, signedAt, now, revocations);
      return { valid: false, failure, ...base, message: `NCANode: ${describe(failure, subject, revocations)}${messageOf(signer) ? ` (${messageOf(signer)})` : ''}` };
    }
    return identityFailure(subject, applicantIinBin, base) ?? { valid: true, ...base, content: Buffer.from(parsed.content).toString('utf8') };
  }
}

function messageOf(body: unknown): string | undefined {
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && message !== '' && message !== 'OK' ? message : undefined;
}

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const KEY_USAGES: readonly KeyUsage[] = ['SIGN', 'AUTH', 'UNKNOWN'];

/** NCANode's subject (iin and bin without their prefixes) over what the certificate itself says. */
function subjectFrom(cert: any, local: EdsSubject | undefined): EdsSubject {
  const s = cert.subject ?? {};
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    commonName: text(s.commonName) ?? local?.commonName,
    iin: text(s.iin) ?? local?.iin,
    bin: text(s.bin) ?? local?.bin,
    dn: text(s.dn) ?? local?.dn ?? '',
    issuer: text(cert.issuer?.dn) ?? local?.issuer ?? '',
    serialNumber: (text(cert.serialNumber) ?? local?.serialNumber ?? '').toUpperCase(),
    notBefore: dateOf(cert.notBefore)?.toISOString() ?? local?.notBefore ?? '',
    notAfter: dateOf(cert.notAfter)?.toISOString() ?? local?.notAfter ?? '',
    keyAlgorithm: local?.keyAlgorithm ?? text(cert.signAlg) ?? 'unknown',
    keyUsage: KEY_USAGES.includes(cert.keyUsage) ? cert.keyUsage : (local?.keyUsage ?? 'UNKNOWN'),
  };
}

function revocationsFrom(list: unknown): RevocationCheck[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((r) => r && (r.by === 'OCSP' || r.by === 'CRL'))
    .map((r) => ({ by: r.by, revoked: r.revoked === true, ...(dateOf(r.revocationTime) ? { revokedAt: dateOf(r.revocationTime)!.toISOString() } : {}), ...(typeof r.reason === 'string' && r.reason ? { reason: r.reason } : {}) }));
}

function failureOf(cert: any, signedAt: Date, now: Date, revocations: RevocationCheck[]): EdsFailure {
  if (revocations.some((r) => r.revoked)) return 'revoked';
  const notBefore = dateOf(cert.notBefore);
  const notAfter = dateOf(cert.notAfter);
  if ((notAfter && (signedAt > notAfter || now > notAfter))) return 'expired';
  if ((notBefore && (signedAt < notBefore || now < notBefore))) return 'not-yet-valid';
  if (cert.valid === false) return 'untrusted';
  // The certificate is good by NCANode's own account, so the signature over the content is not.
  return 'bad-signature';
}

function describe(failure: EdsFailure, subject: EdsSubject, revocations: RevocationCheck[]): string {
  const who = `certificate ${subject.serialNumber} (${subject.dn})`;
  switch (failure) {
    case 'revoked': {
      const by = revocations.filter((r) => r.revoked);
      return `${who} is revoked (${by.map((r) => `${r.by}${r.revokedAt ? ` since ${r.revokedAt}` : ''}${r.reason ? `, ${r.reason}` : ''}`).join('; ')})`;
    }
    case 'expired':
      return `${who} expired ${subject.notAfter}`;
    case 'not-yet-valid':
      return `${who} is valid only from ${subject.notBefore}`;
    case 'untrusted':
      return `${who} does not chain to a root NCANode trusts (issuer ${subject.issuer})`;
    default:
      return 'the signature does not verify over the signed content';
  }
}
