/**
 * X.509 building blocks on pkijs + asn1js with Node's WebCrypto as the engine: key pairs
 * (ECDSA P-256, RSA 2048), certificates with the Kazakh NCA subject conventions (IIN in the
 * subject serialNumber, BIN in OU / organizationIdentifier), CRLs, PEM / DER conversion.
 * The CA simulator and the tests use it to build a real test PKI; the verifier reads the same
 * structures.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export type CryptoKey = webcrypto.CryptoKey;
export type KeyAlgorithm = 'ECDSA' | 'RSA';

let engineReady = false;
/** Installs Node's WebCrypto as pkijs's engine (once per process). */
export function ensureCryptoEngine(): pkijs.ICryptoEngine {
  if (!engineReady) {
    pkijs.setEngine('node-webcrypto', new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: webcrypto as any }));
    engineReady = true;
  }
  return pkijs.getCrypto(true);
}

export const OID = {
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  organizationIdentifier: '2.5.4.97',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  crlDistributionPoints: '2.5.29.31',
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  ecPublicKey: '1.2.840.10045.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

/** Public key algorithm OIDs of GOST 34.310 (Kazakhstan, NCA RK) and GOST R 34.10 (used in the region). */
export const GOST_KEY_OID_PREFIXES = ['1.2.398.3.10.1.1', '1.2.643.2.2.19', '1.2.643.7.1.1.1'];

export interface KeyPair {
  algorithm: KeyAlgorithm;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export async function generateKeyPair(algorithm: KeyAlgorithm = 'ECDSA'): Promise<KeyPair> {
  ensureCryptoEngine();
  const params =
    algorithm === 'ECDSA'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const pair = (await webcrypto.subtle.generateKey(params, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  return { algorithm, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  return toPem(new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', key)), 'PRIVATE KEY');
}

/** Imports a PKCS#8 private key (ECDSA P-256 or RSA) for signing. */
export async function importPrivateKeyPem(pem: string): Promise<{ key: CryptoKey; algorithm: KeyAlgorithm }> {
  const der = fromPem(pem);
  const info = pkijs.PrivateKeyInfo.fromBER(der);
  const oid = info.privateKeyAlgorithm.algorithmId;
  if (oid === OID.ecPublicKey) {
    const key = await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
    return { key, algorithm: 'ECDSA' };
  }
  if (oid === OID.rsaEncryption) {
    const key = await webcrypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['sign']);
    return { key, algorithm: 'RSA' };
  }
  throw new Error(`Unsupported private key algorithm ${oid}`);
}

export function toPem(der: ArrayBuffer | Uint8Array, label: string): string {
  const b64 = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der)).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** The DER bytes of the first PEM block (or of every block with fromPemAll). */
export function fromPem(pem: string): Uint8Array {
  const all = fromPemAll(pem);
  if (all.length === 0) throw new Error('No PEM block found');
  return all[0];
}

export function fromPemAll(pem: string): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  for (const m of pem.matchAll(/-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/g)) blocks.push(new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
  return blocks;
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function parseCertificate(der: Uint8Array | ArrayBuffer): pkijs.Certificate {
  return pkijs.Certificate.fromBER(der instanceof Uint8Array ? toArrayBuffer(der) : der);
}

export function certificateDer(certificate: pkijs.Certificate): Uint8Array {
  return new Uint8Array(certificate.toSchema(true).toBER(false));
}

export function certificatePem(certificate: pkijs.Certificate): string {
  return toPem(certificateDer(certificate), 'CERTIFICATE');
}

export function parseCertificatesPem(pem: string): pkijs.Certificate[] {
  return fromPemAll(pem).map((der) => parseCertificate(der));
}

export function serialHex(certificate: pkijs.Certificate): string {
  return Buffer.from(certificate.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase();
}

export interface SubjectSpec {
  commonName: string;
  /** IIN of an individual: written as subject serialNumber `IIN<12 digits>`. */
  iin?: string;
  /** BIN of a legal entity: written as OU `BIN<12 digits>` and organizationIdentifier. */
  bin?: string;
  organization?: string;
  country?: string;
}

function buildName(target: pkijs.RelativeDistinguishedNames, spec: SubjectSpec): void {
  const push = (type: string, value: asn1js.BaseBlock) => target.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type, value: value as any }));
  push(OID.country, new asn1js.PrintableString({ value: spec.country ?? 'KZ' }));
  if (spec.organization) push(OID.organization, new asn1js.Utf8String({ value: spec.organization }));
  if (spec.bin) {
    push(OID.organizationalUnit, new asn1js.Utf8String({ value: `BIN${spec.bin}` }));
    push(OID.organizationIdentifier, new asn1js.Utf8String({ value: `BIN${spec.bin}` }));
  }
  push(OID.commonName, new asn1js.Utf8String({ value: spec.commonName }));
  if (spec.iin) push(OID.serialNumber, new asn1js.PrintableString({ value: `IIN${spec.iin}` }));
}

/** Attribute values of a distinguished name by OID (strings). */
export function nameAttributes(name: pkijs.RelativeDistinguishedNames): { type: string; value: string }[] {
  return name.typesAndValues.map((tv) => ({ type: tv.type, value: String((tv.value as any)?.valueBlock?.value ?? '') }));
}

export function describeName(name: pkijs.RelativeDistinguishedNames): string {
  const short: Record<string, string> = { [OID.commonName]: 'CN', [OID.serialNumber]: 'SERIALNUMBER', [OID.country]: 'C', [OID.organization]: 'O', [OID.organizationalUnit]: 'OU', [OID.organizationIdentifier]: 'organizationIdentifier' };
  return nameAttributes(name)
    .map((a) => `${short[a.type] ?? a.type}=${a.value}`)
    .join(', ');
}

/** UTCTime for 1950..2049, GeneralizedTime otherwise (RFC 5280 4.1.2.5). */
export function x509Time(value: Date): pkijs.Time {
  const year = value.getUTCFullYear();
  // Whole seconds: X.509 forbids fractional seconds in GeneralizedTime.
  const seconds = new Date(Math.floor(value.getTime() / 1000) * 1000);
  if (year >= 1950 && year < 2050) return new pkijs.Time({ type: 0, value: seconds });
  const time = new pkijs.Time({ type: 1, value: seconds });
  const iso = seconds.toISOString();
  // asn1js's GeneralizedTime from a Date may write fractional seconds (openssl refuses the
  // certificate); encode it from its string form YYYYMMDDHHMMSSZ instead.
  Object.defineProperty(time, 'toSchema', {
    value: () => new asn1js.GeneralizedTime({ value: `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z` }),
  });
  return time;
}

function randomSerial(): Uint8Array {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x10;
  return new Uint8Array(bytes);
}

export interface CertificateOptions {
  subject: SubjectSpec;
  publicKey: CryptoKey;
  /** The issuing CA; omitted for a self-signed root (then `signingKey` is the root's private key). */
  issuer?: pkijs.Certificate;
  signingKey: CryptoKey;
  notBefore: Date;
  notAfter: Date;
  ca?: boolean;
  /** URL written into the CRL distribution points extension. */
  crlUrl?: string;
  /**
   * Key usage of an end-entity certificate: `signing` (digitalSignature, nonRepudiation: the NCA's
   * signing keys, the default) or `encipherment` (keyEncipherment, dataEncipherment: a key that must
   * not sign documents).
   */
  keyUsage?: 'signing' | 'encipherment';
}

export async function createCertificate(options: CertificateOptions): Promise<pkijs.Certificate> {
  ensureCryptoEngine();
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: toArrayBuffer(randomSerial()) });
  buildName(cert.subject, options.subject);
  if (options.issuer) cert.issuer = pkijs.RelativeDistinguishedNames.fromBER(options.issuer.subject.toSchema().toBER(false));
  else buildName(cert.issuer, options.subject);
  cert.notBefore = x509Time(options.notBefore);
  cert.notAfter = x509Time(options.notAfter);
  const extensions: pkijs.Extension[] = [];
  const basic = new pkijs.BasicConstraints({ cA: !!options.ca });
  extensions.push(new pkijs.Extension({ extnID: OID.basicConstraints, critical: true, extnValue: basic.toSchema().toBER(false), parsedValue: basic }));
  // keyUsage: CA -> keyCertSign | cRLSign; end entity -> digitalSignature | nonRepudiation.
  const usage = options.ca
    ? new asn1js.BitString({ valueHex: new Uint8Array([0x06]).buffer, unusedBits: 1 })
    : options.keyUsage === 'encipherment'
      ? new asn1js.BitString({ valueHex: new Uint8Array([0x30]).buffer, unusedBits: 4 })
      : new asn1js.BitString({ valueHex: new Uint8Array([0xc0]).buffer, unusedBits: 6 });
  extensions.push(new pkijs.Extension({ extnID: OID.keyUsage, critical: true, extnValue: usage.toBER(false) }));
  if (options.crlUrl) {
    const points = new pkijs.CRLDistributionPoints({
      distributionPoints: [new pkijs.DistributionPoint({ distributionPoint: [new pkijs.GeneralName({ type: 6, value: options.crlUrl })] })],
    });
    extensions.push(new pkijs.Extension({ extnID: OID.crlDistributionPoints, extnValue: points.toSchema().toBER(false), parsedValue: points }));
  }
  cert.extensions = extensions;
  await cert.subjectPublicKeyInfo.importKey(options.publicKey as any);
  await cert.sign(options.signingKey as any, 'SHA-256');
  // Re-parse so that every field (tbs bytes, extensions' parsed values) is what a reader sees.
  return parseCertificate(certificateDer(cert));
}

export type KeyUsageName = 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign';
const KEY_USAGE_BITS: KeyUsageName[] = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign'];

/** The key usages the certificate's keyUsage extension names; undefined when it has none (any use). */
export function keyUsagesOf(certificate: pkijs.Certificate): KeyUsageName[] | undefined {
  const ext = certificate.extensions?.find((e) => e.extnID === OID.keyUsage);
  if (!ext) return undefined;
  const parsed = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.BitString)) return [];
  const bytes = parsed.result.valueBlock.valueHexView;
  return KEY_USAGE_BITS.filter((_, bit) => ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0);
}

/** The HTTP(S) URLs of the certificate's CRL distribution points. */
export function crlDistributionUrls(certificate: pkijs.Certificate): string[] {
  const ext = certificate.extensions?.find((e) => e.extnID === OID.crlDistributionPoints);
  if (!ext) return [];
  const points = ext.parsedValue instanceof pkijs.CRLDistributionPoints ? ext.parsedValue : new pkijs.CRLDistributionPoints({ schema: asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result });
  const urls: string[] = [];
  for (const point of points.distributionPoints) {
    const names = Array.isArray(point.distributionPoint) ? point.distributionPoint : [];
    for (const n of names) if (n.type === 6 && typeof n.value === 'string' && /^https?:\/\//i.test(n.value)) urls.push(n.value);
  }
  return urls;
}

export interface RevokedEntry {
  serialHex: string;
  revokedAt: Date;
}

/** A signed X.509 v2 CRL (DER). */
export async function createCrl(options: { issuer: pkijs.Certificate; signingKey: CryptoKey; revoked: RevokedEntry[]; thisUpdate: Date; nextUpdate: Date }): Promise<Uint8Array> {
  ensureCryptoEngine();
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = pkijs.RelativeDistinguishedNames.fromBER(options.issuer.subject.toSchema().toBER(false));
  crl.thisUpdate = x509Time(options.thisUpdate);
  crl.nextUpdate = x509Time(options.nextUpdate);
  if (options.revoked.length > 0) {
    crl.revokedCertificates = options.revoked.map(
      (r) => new pkijs.RevokedCertificate({ userCertificate: new asn1js.Integer({ valueHex: toArrayBuffer(new Uint8Array(Buffer.from(r.serialHex, 'hex'))) }), revocationDate: x509Time(r.revokedAt) }),
    );
  }
  await crl.sign(options.signingKey as any, 'SHA-256');
  return new Uint8Array(crl.toSchema(true).toBER(false));
}

export function parseCrl(der: Uint8Array): pkijs.CertificateRevocationList {
  return pkijs.CertificateRevocationList.fromBER(toArrayBuffer(der));
}
