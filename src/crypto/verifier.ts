/**
 * Verification of an EDS-signed request (CMS SignedData, content attached), in this order:
 * signature present and well-formed (missing-signature), the signature and the messageDigest
 * over the content (bad-signature), the chain to a configured trusted root (untrusted), validity
 * at the signing time and now (expired / not-yet-valid), revocation by the CA's CRL over HTTP
 * (revoked), the IIN / BIN of the certificate against the applicant's (iin-mismatch).
 * This is the local verifier (pkijs on WebCrypto): RSA and ECDSA. GOST 34.310 keys, which most
 * Kazakh EDS carry, need the NCA's own crypto library: a GOST signature here is a
 * GostNotVerifiableError (the caller's incident), never a verdict on the applicant. NCANode
 * (integrations/ncanode) verifies both and answers with the same EdsResult.
 */
import * as pkijs from 'pkijs';
import { CrlCache } from './crl-cache';
import { parseCms, ParsedCms } from './cms';
import * as asn1js from 'asn1js';
import { crlDistributionUrls, describeName, ensureCryptoEngine, GOST_KEY_OID_PREFIXES, nameAttributes, OID, serialHex } from './pki';

export type EdsFailure = 'missing-signature' | 'bad-signature' | 'untrusted' | 'expired' | 'not-yet-valid' | 'revoked' | 'iin-mismatch';

export interface EdsSubject {
  commonName?: string;
  iin?: string;
  bin?: string;
  dn: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  keyAlgorithm: 'RSA' | 'ECDSA' | 'GOST' | string;
  /** What the key is for, in NCANode's words: SIGN (digitalSignature and nonRepudiation), AUTH (digitalSignature and keyEncipherment). */
  keyUsage?: KeyUsage;
}

export type KeyUsage = 'SIGN' | 'AUTH' | 'UNKNOWN';

/** One revocation check of the signer's certificate: by the CA's CRL or its OCSP responder. */
export interface RevocationCheck {
  by: 'CRL' | 'OCSP';
  revoked: boolean;
  revokedAt?: string;
  reason?: string;
}

export interface EdsResult {
  valid: boolean;
  failure?: EdsFailure;
  message?: string;
  subject?: EdsSubject;
  signedAt?: string;
  /** The signed content (UTF-8) when the signature is valid. */
  content?: string;
  /** The revocation checks made of the signer's certificate (absent when none was reached). */
  revocations?: RevocationCheck[];
}

/**
 * What the rest of the server calls to verify a signed document: the local verifier below or
 * NCANode's adapter. `applicantIinBin`, when given, must be the IIN or BIN of the signer.
 */
export interface SignatureVerifier {
  verify(signedRequest: unknown, applicantIinBin: string | undefined, now?: Date): Promise<EdsResult>;
}

/** The signer's key is GOST 34.310 and this verifier cannot check it: no verdict, the caller's incident. */
export class GostNotVerifiableError extends Error {
  readonly code = 'GOST_NOT_VERIFIABLE';
  constructor(readonly subject: EdsSubject) {
    super(`Cannot verify GOST here: the signer's certificate ${subject.serialNumber} (${subject.dn}) has a GOST 34.310 key, which the local verifier (pkijs) cannot check`);
    this.name = 'GostNotVerifiableError';
  }
}

export interface EdsVerifierOptions {
  trustedRoots: pkijs.Certificate[];
  /** Where revocation lists come from (the transport is the caller's: crypto/ fetches nothing itself). */
  crls: CrlCache;
}

export function keyAlgorithmOf(certificate: pkijs.Certificate): string {
  const oid = certificate.subjectPublicKeyInfo.algorithm.algorithmId;
  if (oid === OID.ecPublicKey) return 'ECDSA';
  if (oid === OID.rsaEncryption) return 'RSA';
  if (GOST_KEY_OID_PREFIXES.some((p) => oid === p || oid.startsWith(`${p}.`))) return 'GOST';
  return oid;
}

/** IIN from subject serialNumber `IIN<12>`; BIN from OU or organizationIdentifier `BIN<12>`. */
export function identifiersOf(certificate: pkijs.Certificate): { iin?: string; bin?: string; commonName?: string } {
  const out: { iin?: string; bin?: string; commonName?: string } = {};
  for (const { type, value } of nameAttributes(certificate.subject)) {
    if (type === OID.serialNumber) {
      const m = /^IIN(\d{12})$/.exec(value);
      if (m) out.iin = m[1];
    }
    if (type === OID.organizationalUnit || type === OID.organizationIdentifier) {
      const m = /^BIN(\d{12})$/.exec(value);
      if (m) out.bin = m[1];
    }
    if (type === OID.commonName) out.commonName = value;
  }
  return out;
}

/** The keyUsage extension read as NCANode reads it (bit 0 digitalSignature, 1 nonRepudiation, 2 keyEncipherment). */
export function keyUsageOf(certificate: pkijs.Certificate): KeyUsage {
  const ext = certificate.extensions?.find((e) => e.extnID === OID.keyUsage);
  if (!ext) return 'UNKNOWN';
  const asn = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView.slice().buffer);
  if (asn.offset === -1 || !(asn.result instanceof asn1js.BitString)) return 'UNKNOWN';
  const first = asn.result.valueBlock.valueHexView[0] ?? 0;
  const bit = (n: number) => (first & (0x80 >> n)) !== 0;
  if (bit(0) && bit(1)) return 'SIGN';
  if (bit(0) && bit(2)) return 'AUTH';
  return 'UNKNOWN';
}

export function subjectOf(certificate: pkijs.Certificate): EdsSubject {
  return {
    ...identifiersOf(certificate),
    dn: describeName(certificate.subject),
    issuer: describeName(certificate.issuer),
    serialNumber: serialHex(certificate),
    notBefore: certificate.notBefore.value.toISOString(),
    notAfter: certificate.notAfter.value.toISOString(),
    keyAlgorithm: keyAlgorithmOf(certificate),
    keyUsage: keyUsageOf(certificate),
  };
}

/** The iin-mismatch failure when the subject is not the applicant (null when it is, or no applicant is named). */
export function identityFailure(subject: EdsSubject, applicantIinBin: string | undefined, at: Pick<EdsResult, 'signedAt' | 'revocations'>): EdsResult | null {
  if (applicantIinBin === undefined || applicantIinBin === null || applicantIinBin === '') return null;
  if (subject.iin === applicantIinBin || subject.bin === applicantIinBin) return null;
  const found = [subject.iin && `IIN ${subject.iin}`, subject.bin && `BIN ${subject.bin}`].filter(Boolean).join(', ') || 'no IIN or BIN';
  return fail('iin-mismatch', `The certificate carries ${found}, the applicant is ${applicantIinBin}`, { subject, ...at });
}

const fail = (failure: EdsFailure, message: string, extra: Partial<EdsResult> = {}): EdsResult => ({ valid: false, failure, message, ...extra });

export class EdsVerifier implements SignatureVerifier {
  readonly crls: CrlCache;
  constructor(private readonly options: EdsVerifierOptions) {
    this.crls = options.crls;
  }

  get trustedRoots(): pkijs.Certificate[] {
    return this.options.trustedRoots;
  }

  /**
   * Verifies `signedRequest` (base64 DER CMS). `applicantIinBin`, when given, must be the IIN or
   * BIN written in the signer's certificate.
   */
  async verify(signedRequest: unknown, applicantIinBin: string | undefined, now: Date = new Date()): Promise<EdsResult> {
    ensureCryptoEngine();
    if (typeof signedRequest !== 'string' || signedRequest.trim() === '') return fail('missing-signature', 'The request carries no signature (signedRequest is empty)');
    const der = new Uint8Array(Buffer.from(signedRequest.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
    let parsed: ParsedCms;
    try {
      parsed = parseCms(der);
    } catch (error) {
      return fail('missing-signature', `signedRequest is not a CMS SignedData with attached content: ${error instanceof Error ? error.message : String(error)}`);
    }
    const signer = parsed.signerCertificate;
    if (!signer) return fail('untrusted', "The signer's certificate is not in the signature");
    const subject = subjectOf(signer);
    const signedAt = parsed.signingTime ?? now;
    const base = { subject, signedAt: signedAt.toISOString() };

    if (subject.keyAlgorithm === 'GOST') throw new GostNotVerifiableError(subject);

    // 1. The signature over the signed attributes, and messageDigest over the attached content.
    let signatureOk = false;
    let reason = '';
    try {
      const result = await parsed.signedData.verify({ signer: 0, checkChain: false, extendedMode: true });
      signatureOk = result.signatureVerified === true;
      if (!signatureOk) reason = result.message ?? '';
    } catch (error) {
      const e = error as { message?: string; code?: number };
      reason = e?.message ?? String(error);
    }
    if (!signatureOk) return fail('bad-signature', `The signature does not verify${reason ? `: ${reason}` : ''}`, base);

    // 2. The chain to a trusted root (issuer by name, each link's signature verified).
    const chain = await this.buildChain(signer, parsed.certificates);
    if (!chain.ok) return fail('untrusted', chain.message, base);

    // 3. Validity of every certificate of the chain at the signing time and now.
    for (const cert of chain.path) {
      for (const [label, at] of [['signing time', signedAt], ['now', now]] as const) {
        if (at < cert.notBefore.value) return fail('not-yet-valid', `Certificate ${describeName(cert.subject)} is not yet valid at ${label} ${at.toISOString()} (valid from ${cert.notBefore.value.toISOString()})`, base);
        if (at > cert.notAfter.value) return fail('expired', `Certificate ${describeName(cert.subject)} expired ${cert.notAfter.value.toISOString()} (${label} ${at.toISOString()})`, base);
      }
    }

    // 4. Revocation of every non-root certificate by its issuer's CRL.
    const revocations: RevocationCheck[] = [];
    for (let i = 0; i < chain.path.length - 1; i++) {
      const cert = chain.path[i];
      const issuer = chain.path[i + 1];
      const urls = crlDistributionUrls(cert);
      if (urls.length === 0) continue;
      const crl = await this.crls.get(urls[0], issuer, now);
      const status = CrlCache.isRevoked(crl, cert, now);
      if (i === 0) revocations.push({ by: 'CRL', revoked: status.revoked, ...(status.revokedAt ? { revokedAt: status.revokedAt.toISOString() } : {}) });
      if (status.revoked) return fail('revoked', `Certificate ${serialHex(cert)} (${describeName(cert.subject)}) was revoked ${status.revokedAt?.toISOString()} (CRL ${urls[0]})`, { ...base, revocations });
    }

    const checked = { ...base, ...(revocations.length ? { revocations } : {}) };
    return identityFailure(subject, applicantIinBin, checked) ?? { valid: true, ...checked, content: Buffer.from(parsed.content).toString('utf8') };
  }

  private async buildChain(leaf: pkijs.Certificate, supplied: pkijs.Certificate[]): Promise<{ ok: true; path: pkijs.Certificate[] } | { ok: false; message: string }> {
    const roots = this.options.trustedRoots;
    const path = [leaf];
    let current = leaf;
    for (let depth = 0; depth < 8; depth++) {
      const root = roots.find((r) => r.subject.isEqual(current.issuer));
      if (root) {
        if (!(await verifiesWith(current, root))) return { ok: false, message: `Certificate ${describeName(current.subject)} names trusted root ${describeName(root.subject)} as issuer, but its signature does not verify with the root's key` };
        if (current !== root) path.push(root);
        return { ok: true, path };
      }
      const intermediate = supplied.find((c) => c !== current && c.subject.isEqual(current.issuer));
      if (!intermediate || !(await verifiesWith(current, intermediate))) break;
      path.push(intermediate);
      current = intermediate;
    }
    return { ok: false, message: `No chain from ${describeName(leaf.subject)} (issuer ${describeName(leaf.issuer)}) to a trusted root` };
  }
}

async function verifiesWith(cert: pkijs.Certificate, issuer: pkijs.Certificate): Promise<boolean> {
  try {
    return await cert.verify(issuer);
  } catch {
    return false;
  }
}
