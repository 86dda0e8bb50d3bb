import crypto, { KeyObject, X509Certificate } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import * as pkijs from 'pkijs';
import { SigningCredentials } from '../../crypto/cms';
import { certificateDer, parseCertificate, serialHex } from '../../crypto/pki';
import { envelopeParts } from './envelope';
import { child, childElements, element, NS, parseXml, serializeXml, XmlDocument, XmlElement, XmlNode, XmlParseError } from './xml';

/** The part of xml-crypto's SignedXml used here (required, not imported: see xml.ts). */
interface SignedXml {
  SignatureAlgorithms: Record<string, unknown>;
  getCertFromKeyInfo: (keyInfo?: unknown) => string | null;
  addReference(reference: { xpath: string; transforms: string[]; digestAlgorithm: string; inclusiveNamespacesPrefixList?: string[] }): void;
  computeSignature(xml: string, options: { prefix?: string; location?: { reference: string; action: 'append' | 'prepend' | 'before' | 'after' } }): void;
  getSignedXml(): string;
  loadSignature(signature: XmlNode): void;
  checkSignature(xml: string, callback: (error: Error | null, valid?: boolean) => void): void;
  getReferences(): { validationError?: Error }[];
}
interface XmlCryptoModule {
  SignedXml: (new (options: object) => SignedXml) & { noop: () => null };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- its types would pull the DOM library into the build (xml.ts)
const { SignedXml } = require('xml-crypto') as XmlCryptoModule;

/**
 * WS-Security (SOAP Message Security 1.0, X.509 token profile) for ShEP: the Body, marked with a
 * wsu:Id, is signed with XML-DSig (exclusive C14N, SHA-256) by the provider's key; the
 * certificate travels as a BinarySecurityToken that the signature's KeyInfo references. ShEP
 * itself signs with GOST 34.310 keys of the NCA; here the key is the provider's RSA or ECDSA key
 * (docs/external-systems.md says what a GOST key at a real ShEP needs).
 */
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
const X509_TOKEN = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3';
const BASE64 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';
/** The data types' prefix: its QNames sit in xsi:type values, which exclusive C14N does not see as used. */
const QNAME_PREFIXES = ['r'];

/** XML-DSig ECDSA (RFC 4051): the signature value is r || s, not DER. */
class EcdsaSha256 {
  getSignature(signedInfo: crypto.BinaryLike, privateKey: crypto.KeyLike): string {
    return crypto.sign('sha256', Buffer.from(signedInfo as string), { key: privateKey as KeyObject, dsaEncoding: 'ieee-p1363' }).toString('base64');
  }
  verifySignature(material: string, key: crypto.KeyLike, signatureValue: string): boolean {
    return crypto.verify('sha256', Buffer.from(material), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' }, Buffer.from(signatureValue, 'base64'));
  }
  getAlgorithmName(): string {
    return ECDSA_SHA256;
  }
}

function withEcdsa(signed: SignedXml): SignedXml {
  signed.SignatureAlgorithms[ECDSA_SHA256] = EcdsaSha256;
  return signed;
}

function signatureAlgorithmOf(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return RSA_SHA256;
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return ECDSA_SHA256;
  throw new Error(`The provider's key (${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ''}) cannot sign a ShEP message here: RSA or ECDSA P-256 is needed`);
}

/** Adds wsse:Security (token and signature over the Body) to a built envelope; returns the message text. */
export function signEnvelope(doc: XmlDocument, credentials: SigningCredentials): string {
  const { envelope, body } = envelopeParts(doc);
  let header = child(envelope, NS.soap, 'Header');
  if (!header) {
    header = element(doc, NS.soap, 'soap:Header');
    envelope.insertBefore(header, body);
  }
  if (!body.getAttributeNS(NS.wsu, 'Id')) throw new Error('The Body has no wsu:Id to sign');
  const tokenId = `X509-${randomUUID()}`;
  const token = element(doc, NS.wsse, 'wsse:BinarySecurityToken', Buffer.from(certificateDer(credentials.certificate)).toString('base64'));
  token.setAttributeNS(NS.xmlns, 'xmlns:wsu', NS.wsu);
  token.setAttributeNS(NS.wsu, 'wsu:Id', tokenId);
  token.setAttribute('EncodingType', BASE64);
  token.setAttribute('ValueType', X509_TOKEN);
  const security = element(doc, NS.wsse, 'wsse:Security', [token]);
  security.setAttributeNS(NS.soap, 'soap:mustUnderstand', '1');
  header.appendChild(security);

  const key = KeyObject.from(credentials.privateKey);
  const signed = withEcdsa(new SignedXml({ privateKey: key, signatureAlgorithm: signatureAlgorithmOf(key), canonicalizationAlgorithm: EXC_C14N, idMode: 'wssecurity', getKeyInfoContent: SignedXml.noop }));
  signed.addReference({ xpath: bodyXpath, transforms: [EXC_C14N], digestAlgorithm: SHA256, inclusiveNamespacesPrefixList: QNAME_PREFIXES });
  signed.computeSignature(serializeXml(doc), { prefix: 'ds', location: { reference: securityXpath, action: 'append' } });

  // KeyInfo is outside what is signed: added to the signed message as DOM, pointing at the token.
  const out = parseXml(signed.getSignedXml());
  const signature = out.getElementsByTagNameNS(NS.ds, 'Signature')[0];
  const reference = element(out, NS.wsse, 'wsse:Reference');
  reference.setAttribute('URI', `#${tokenId}`);
  reference.setAttribute('ValueType', X509_TOKEN);
  signature.appendChild(element(out, NS.ds, 'ds:KeyInfo', [element(out, NS.wsse, 'wsse:SecurityTokenReference', [reference])]));
  return serializeXml(out);
}

const bodyXpath = `/*[local-name(.)='Envelope' and namespace-uri(.)='${NS.soap}']/*[local-name(.)='Body' and namespace-uri(.)='${NS.soap}']`;
const securityXpath = `/*[local-name(.)='Envelope']/*[local-name(.)='Header']/*[local-name(.)='Security' and namespace-uri(.)='${NS.wsse}']`;

export interface TrustSettings {
  /** The trusted roots (the NCA's; for the simulator, the CA simulator's root). */
  roots: pkijs.Certificate[];
  /** Whether a certificate (serial, upper-case hex) is revoked; absent: no revocation check. */
  isRevoked?: (serialHex: string) => boolean;
  now?: Date;
}

export type VerifiedEnvelope =
  | { ok: true; doc: XmlDocument; body: XmlElement; certificate: pkijs.Certificate }
  | { ok: false; code: 'SCE003' | 'SCE005' | 'SCE006' | 'SCE007'; reason: string };

/**
 * Checks a ShEP request's WS-Security: a signature in wsse:Security whose one reference is this
 * envelope's Body, the Body's digest and the signature value (XML-DSig verifier), and the token's
 * certificate (chain to a trusted root, validity, revocation). The Body returned is the one the
 * signature covers (a second element with the same id is refused by the verifier).
 */
export async function verifyEnvelope(text: string, trust: TrustSettings): Promise<VerifiedEnvelope> {
  let doc: XmlDocument;
  let parts: ReturnType<typeof envelopeParts>;
  try {
    doc = parseXml(text);
    parts = envelopeParts(doc);
  } catch (error) {
    return { ok: false, code: 'SCE003', reason: `not a SOAP envelope: ${(error as Error).message}` };
  }
  const security = parts.header ? childElements(parts.header).find((e) => e.localName === 'Security' && e.namespaceURI === NS.wsse) : undefined;
  const signature = security ? childElements(security).find((e) => e.localName === 'Signature' && e.namespaceURI === NS.ds) : undefined;
  if (!security || !signature) return { ok: false, code: 'SCE007', reason: 'no wsse:Security header with a ds:Signature' };

  // The key: the BinarySecurityToken the KeyInfo references.
  const tokenRef = signature.getElementsByTagNameNS(NS.wsse, 'Reference')[0]?.getAttribute('URI') ?? '';
  const token = childElements(security).find((e) => e.localName === 'BinarySecurityToken' && e.namespaceURI === NS.wsse && `#${e.getAttributeNS(NS.wsu, 'Id')}` === tokenRef);
  if (!token) return { ok: false, code: 'SCE007', reason: `the signature's KeyInfo references no BinarySecurityToken of this header (${tokenRef || 'no reference'})` };
  if (token.getAttribute('ValueType') !== X509_TOKEN) return { ok: false, code: 'SCE005', reason: `the security token is not an X.509 v3 certificate (${token.getAttribute('ValueType')})` };
  let x509: X509Certificate;
  let certificate: pkijs.Certificate;
  try {
    const der = Buffer.from((token.textContent ?? '').replace(/\s+/g, ''), 'base64');
    x509 = new X509Certificate(der);
    certificate = parseCertificate(new Uint8Array(der));
  } catch (error) {
    return { ok: false, code: 'SCE005', reason: `the security token is no certificate: ${(error as Error).message}` };
  }

  // The signature must cover exactly this envelope's Body.
  const bodyId = parts.body.getAttributeNS(NS.wsu, 'Id');
  const references = signature.getElementsByTagNameNS(NS.ds, 'Reference');
  if (!bodyId || references.length !== 1 || references[0].getAttribute('URI') !== `#${bodyId}`) return { ok: false, code: 'SCE006', reason: 'the signature does not cover the Body (one reference to the Body\'s wsu:Id is required)' };

  const verifier = withEcdsa(new SignedXml({ publicCert: x509.publicKey }));
  verifier.getCertFromKeyInfo = () => null;
  let failure: string | undefined;
  try {
    verifier.loadSignature(signature);
    verifier.checkSignature(text, (error, valid) => {
      if (error) failure = error.message;
      else if (!valid) failure = 'the signature does not verify';
    });
  } catch (error) {
    failure = (error as Error).message;
  }
  if (failure) {
    // A reference whose digest fails is a Body changed after signing; the verifier keeps the why on the reference.
    const digest = verifier.getReferences().find((r) => r.validationError)?.validationError?.message;
    if (digest) return { ok: false, code: 'SCE006', reason: `the Body was changed after it was signed: ${digest.replace(/^invalid signature: /, '')}` };
    return { ok: false, code: 'SCE006', reason: `the signature does not verify: ${failure}` };
  }

  const now = trust.now ?? new Date();
  const root = trust.roots.find((r) => r.subject.isEqual(certificate.issuer));
  let chained = false;
  try {
    chained = !!root && (await certificate.verify(root));
  } catch {
    chained = false;
  }
  if (!chained) return { ok: false, code: 'SCE005', reason: `the signing certificate ${serialHex(certificate)} is not issued by a trusted root` };
  if (now < certificate.notBefore.value || now > certificate.notAfter.value) return { ok: false, code: 'SCE005', reason: `the signing certificate ${serialHex(certificate)} is not valid now (${certificate.notBefore.value.toISOString()} to ${certificate.notAfter.value.toISOString()})` };
  if (trust.isRevoked?.(serialHex(certificate))) return { ok: false, code: 'SCE005', reason: `the signing certificate ${serialHex(certificate)} is revoked` };
  return { ok: true, doc, body: parts.body, certificate };
}

export { XmlParseError };
