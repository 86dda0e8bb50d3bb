/**
 * The signed result of a case (`resultDocument`: a CMS with its content attached) as the office
 * prints it and as a verification page checks it. The content is either the PDF the authorised
 * person signed at a signing step (their own EDS; the facts then come from the case's variables) or
 * the result's data as JSON, certified with the provider's key where the act gives the result to
 * the system (src/integrations/eds/handlers.ts, result.form). The paper carries a token of the
 * case and the SHA-256 of the signed bytes it was printed from, so the page can tell whether the
 * document stored now is still exactly that one and whether its signature still verifies.
 */
import { createHash } from 'node:crypto';
import { parseCms } from '../crypto/cms';
import { readSignedDocument } from '../crypto/signed-document';
import { RESULT_KINDS, ResultKind } from './result-pdf';

export const RESULT_VARIABLE = 'resultDocument';

/** The facts of a result, as far as a document needs them: the signed JSON's, or the case's for a signed PDF. */
export interface SignedResultData {
  kind: ResultKind;
  decision?: string;
  applicant: { iinBin?: string; name?: string };
  numbers: Record<string, string>;
  refusalReason?: string;
  issuedAt: string;
}

export interface StoredResult {
  der: Uint8Array;
  /** The signed PDF when a person signed the result (the CMS's content), absent for the system's JSON result. */
  pdf?: Uint8Array;
  sha256: string;
  data: SignedResultData;
  signer: { commonName?: string; organization?: string; iinBin?: string };
  signedAt?: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const NUMBER_VARIABLES = ['registrationNumber', 'elicenseRequestNumber', 'licenceNumber', 'refusalNumber', 'scReceiptNumber'];

function kindOf(value: unknown): ResultKind | null {
  return typeof value === 'string' && (RESULT_KINDS as readonly string[]).includes(value) ? (value as ResultKind) : null;
}

/** A PDF starts with its header (ISO 32000-1, 7.5.2). */
function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
}

/** The signed result among a case's variables, or null when there is none (or it is not a signed result). */
export function storedResult(variables: Readonly<Record<string, unknown>>): StoredResult | null {
  const document = readSignedDocument(variables[RESULT_VARIABLE]);
  if (!document) return null;
  let content: Uint8Array;
  try {
    content = parseCms(document.der).content;
  } catch {
    return null;
  }
  const signed = { der: document.der, sha256: sha256Hex(document.der), signer: { commonName: document.signer.commonName, organization: document.signer.organization, iinBin: document.signer.iin ?? document.signer.bin }, signedAt: document.signedAt };
  if (isPdf(content)) {
    // The person-signed PDF carries its facts as text for people: the case's variables give them to the server.
    const kind = kindOf(variables.resultKind);
    if (!kind) return null;
    const numbers = Object.fromEntries(NUMBER_VARIABLES.map((k) => [k, str(variables[k])]).filter(([, v]) => v)) as Record<string, string>;
    const data: SignedResultData = { kind, decision: str(variables.decision), applicant: { iinBin: str(variables.applicantIinBin), name: str(variables.applicantName) }, numbers, refusalReason: str(variables.refusalReason), issuedAt: document.signedAt ?? str(variables.resultSignedAt) ?? '' };
    return { ...signed, pdf: content, data };
  }
  let raw: Record<string, any>;
  try {
    raw = JSON.parse(Buffer.from(content).toString('utf8'));
  } catch {
    return null;
  }
  const kind = kindOf(raw?.kind);
  if (!kind) return null;
  const numbers = Object.fromEntries(Object.entries(raw.numbers ?? {}).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  return { ...signed, data: { kind, decision: str(raw.decision), applicant: { iinBin: str(raw.applicant?.iinBin), name: str(raw.applicant?.name) }, numbers, refusalReason: str(raw.refusalReason), issuedAt: str(raw.issuedAt) ?? '' } };
}

/** The number a result document carries: the licence's (E-licensing's) or the refusal's. */
export function resultNumber(data: SignedResultData): string | undefined {
  return data.kind === 'refusal' ? data.numbers.refusalNumber : (data.numbers.licenceNumber ?? data.numbers.refusalNumber);
}

/** `<case id>.<SHA-256 of the signed bytes>`: what the QR code of a printed document carries. */
export function verificationToken(instanceId: string, result: Pick<StoredResult, 'sha256'>): string {
  return `${instanceId}.${result.sha256}`;
}

const TOKEN = /^([A-Za-z0-9-]{1,64})\.([0-9a-f]{64})$/;

export function parseVerificationToken(token: string): { instanceId: string; sha256: string } | null {
  const match = TOKEN.exec(token);
  return match ? { instanceId: match[1], sha256: match[2] } : null;
}

export type Authenticity = { authentic: true; result: StoredResult } | { authentic: false; reason: 'unknown' | 'changed' | 'bad-signature'; result?: StoredResult; message?: string };

/**
 * Whether the document stored for a case is the one a paper names: the same bytes (SHA-256) and a
 * signature that verifies (signature, messageDigest, chain, validity, revocation: the EDS verifier).
 */
export async function checkAuthenticity(
  variables: Readonly<Record<string, unknown>> | null,
  sha256: string,
  verify: (cmsBase64: string) => Promise<{ valid: boolean; message?: string }>,
): Promise<Authenticity> {
  const raw = variables?.[RESULT_VARIABLE];
  if (typeof raw !== 'string') return { authentic: false, reason: 'unknown' };
  const result = storedResult(variables!);
  const der = result?.der ?? new Uint8Array(Buffer.from(raw.replace(/\s+/g, ''), 'base64'));
  if (sha256Hex(der) !== sha256) return { authentic: false, reason: 'changed', result: result ?? undefined };
  if (!result) return { authentic: false, reason: 'bad-signature' };
  const verdict = await verify(raw);
  return verdict.valid ? { authentic: true, result } : { authentic: false, reason: 'bad-signature', result, message: verdict.message };
}
