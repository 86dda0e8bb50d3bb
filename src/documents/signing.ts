/**
 * A person's signature of a draft document (issue 17 point 6, issue 18 point 3): the CMS NCALayer
 * made in the signer's browser must be over exactly the bytes the server stored and showed (content
 * attached and equal, messageDigest = SHA-256 of them), by a key meant for signing, with a chain to
 * the trusted roots, not revoked, of the signed-in user's IIN. The chain, validity, revocation and
 * IIN are the EDS verifier's (local or NCANode): this module only adds what is particular to a
 * signed draft, and says each refusal in words a signer can act on.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { parseCms, ParsedCms } from '../crypto/cms';
import { keyUsagesOf, OID } from '../crypto/pki';
import { EdsResult, EdsSubject } from '../crypto/verifier';

/** Why a signature of a draft is refused; each has its sentence in the web app (kk, ru, en). */
export type SigningFailure = 'not-cms' | 'bytes-differ' | 'key-usage' | 'other-iin' | 'revoked' | 'expired' | 'untrusted' | 'bad-signature' | 'no-iin' | 'unverifiable';

export interface SignedDraftCheck {
  ok: boolean;
  failure?: SigningFailure;
  message?: string;
  subject?: EdsSubject;
  signedAt?: string;
  /** Hex of the messageDigest signed attribute (the SHA-256 of the signed bytes, as the signer's key signed it). */
  messageDigest?: string;
}

/** What verifies a CMS: the EDS verifier (local pkijs or NCANode) behind its interface. */
export interface CmsVerifier {
  verify(signedRequest: unknown, applicantIinBin: string | undefined, now?: Date): Promise<EdsResult>;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function messageDigestOf(parsed: ParsedCms): string | undefined {
  const attribute = parsed.signerInfo.signedAttrs?.attributes.find((a) => a.type === OID.messageDigest);
  const value = attribute?.values[0];
  return value instanceof asn1js.OctetString ? Buffer.from(value.valueBlock.valueHexView).toString('hex') : undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

const refuse = (failure: SigningFailure, message: string, extra: Partial<SignedDraftCheck> = {}): SignedDraftCheck => ({ ok: false, failure, message, ...extra });

/**
 * Checks `cmsBase64` as the signature of `draft` by the person with `signerIin`. The order gives
 * the most useful sentence first: a signature of other bytes is that, whoever made it.
 */
export async function checkSignedDraft(cmsBase64: string, draft: Uint8Array, signerIin: string | undefined, verifier: CmsVerifier, now: Date): Promise<SignedDraftCheck> {
  if (!signerIin) return refuse('no-iin', 'No IIN is recorded for the signed-in user, so no signature can be matched to them (USERS_FILE "iin")');
  let parsed: ParsedCms;
  try {
    parsed = parseCms(new Uint8Array(Buffer.from(cmsBase64.replace(/\s+/g, ''), 'base64')));
  } catch (error) {
    return refuse('not-cms', `The signature is not a CMS SignedData with the document attached: ${error instanceof Error ? error.message : String(error)}`);
  }
  const messageDigest = messageDigestOf(parsed);
  const expected = sha256Hex(draft);
  if (!sameBytes(parsed.content, draft) || messageDigest !== expected) {
    return refuse('bytes-differ', `The signed bytes (SHA-256 ${sha256Hex(parsed.content)}, messageDigest ${messageDigest ?? 'absent'}) are not the draft shown (SHA-256 ${expected})`, { messageDigest });
  }
  const usages = parsed.signerCertificate ? keyUsagesOf(parsed.signerCertificate) : undefined;
  if (usages && !usages.includes('digitalSignature') && !usages.includes('nonRepudiation')) {
    return refuse('key-usage', `The certificate's key is not for signing (key usage: ${usages.join(', ') || 'none'}); choose the signing key (digitalSignature / nonRepudiation)`, { messageDigest });
  }
  let result: EdsResult;
  try {
    result = await verifier.verify(cmsBase64, signerIin, now);
  } catch (error) {
    // A CRL that cannot be fetched, a GOST key without NCANode: no verdict on the signer, and no signature taken.
    return refuse('unverifiable', `The signature cannot be verified now: ${error instanceof Error ? error.message : String(error)}`, { messageDigest });
  }
  const base = { subject: result.subject, signedAt: result.signedAt, messageDigest };
  if (result.valid) return { ok: true, ...base };
  const message = result.message ?? result.failure ?? 'the signature does not verify';
  switch (result.failure) {
    case 'iin-mismatch':
      return refuse('other-iin', `The certificate is not the signed-in user's: ${message}`, base);
    case 'revoked':
      return refuse('revoked', message, base);
    case 'expired':
    case 'not-yet-valid':
      return refuse('expired', message, base);
    case 'untrusted':
      return refuse('untrusted', message, base);
    default:
      return refuse('bad-signature', message, base);
  }
}
