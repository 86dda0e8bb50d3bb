/**
 * A signed document kept in a process variable (base64 DER of a CMS SignedData, or its PEM), read
 * for people: who signed it and when, without judging it (the verifier does that). A page shows this
 * summary instead of the base64 text, and offers the DER as a file.
 */
import { parseCms } from './cms';
import { fromPem, nameAttributes, OID } from './pki';
import { identifiersOf } from './verifier';

export interface SignedDocument {
  der: Uint8Array;
  signer: { commonName?: string; iin?: string; bin?: string; organization?: string };
  signedAt?: string;
  /** Bytes of the signed content. */
  contentBytes: number;
}

/** Shorter than any CMS with a certificate in it: not worth a parse. */
const MIN_BASE64 = 200;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The DER a variable's value holds, when it is base64 or PEM text at all (not yet known to be a CMS). */
function derOf(value: string): Uint8Array | null {
  const text = value.trim();
  if (text.startsWith('-----BEGIN')) {
    try {
      return fromPem(text);
    } catch {
      return null;
    }
  }
  const compact = text.replace(/\s+/g, '');
  if (compact.length < MIN_BASE64 || compact.length % 4 !== 0 || !BASE64.test(compact)) return null;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/** The summary of a CMS SignedData with attached content, or null when the value is no such thing. */
export function readSignedDocument(value: unknown): SignedDocument | null {
  if (typeof value !== 'string') return null;
  const der = derOf(value);
  if (!der) return null;
  try {
    const parsed = parseCms(der);
    const certificate = parsed.signerCertificate;
    const signer: SignedDocument['signer'] = certificate ? identifiersOf(certificate) : {};
    const organization = certificate ? nameAttributes(certificate.subject).find((a) => a.type === OID.organization)?.value : undefined;
    if (organization) signer.organization = organization;
    return { der, signer, signedAt: parsed.signingTime?.toISOString(), contentBytes: parsed.content.length };
  } catch {
    return null;
  }
}
