/**
 * CMS (PKCS#7) SignedData with the content attached and signed attributes (contentType,
 * signingTime, messageDigest): the form of a request the portal's NCALayer produces and of
 * the provider's signed result document.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CryptoKey, ensureCryptoEngine, OID, toArrayBuffer } from './pki';

export interface SigningCredentials {
  privateKey: CryptoKey;
  certificate: pkijs.Certificate;
  /** Intermediate certificates to include (not the root). */
  chain?: pkijs.Certificate[];
}

/** Signs `content` and returns the DER of a ContentInfo(SignedData) with the content attached. */
export async function signCms(content: Uint8Array, credentials: SigningCredentials, signingTime: Date = new Date(), options: { detached?: boolean } = {}): Promise<Uint8Array> {
  ensureCryptoEngine();
  const digest = createHash('sha256').update(content).digest();
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
      new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: signingTime })] }),
      new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(new Uint8Array(digest)) })] }),
    ],
  });
  const cert = credentials.certificate;
  const signed = new pkijs.SignedData({
    version: 1,
    // Detached (NCALayer's encapsulate: false): the signature covers the content's digest, the content is not carried.
    encapContentInfo: new pkijs.EncapsulatedContentInfo(options.detached ? { eContentType: OID.data } : { eContentType: OID.data, eContent: new asn1js.OctetString({ valueHex: toArrayBuffer(content) }) }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs,
      }),
    ],
    certificates: [cert, ...(credentials.chain ?? [])],
  });
  await signed.sign(credentials.privateKey as any, 0, 'SHA-256', options.detached ? toArrayBuffer(content) : undefined);
  const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) });
  return new Uint8Array(info.toSchema().toBER(false));
}

export async function signCmsBase64(content: string | Uint8Array, credentials: SigningCredentials, signingTime?: Date): Promise<string> {
  const bytes = typeof content === 'string' ? new Uint8Array(Buffer.from(content, 'utf8')) : content;
  return Buffer.from(await signCms(bytes, credentials, signingTime)).toString('base64');
}

export interface ParsedCms {
  signedData: pkijs.SignedData;
  content: Uint8Array;
  signerInfo: pkijs.SignerInfo;
  signerCertificate?: pkijs.Certificate;
  certificates: pkijs.Certificate[];
  signingTime?: Date;
}

/** Parses a DER ContentInfo(SignedData); throws when the bytes are not one. */
export function parseCms(der: Uint8Array): ParsedCms {
  ensureCryptoEngine();
  const asn = asn1js.fromBER(toArrayBuffer(der));
  if (asn.offset === -1) throw new Error('not DER');
  const info = new pkijs.ContentInfo({ schema: asn.result });
  if (info.contentType !== OID.signedData) throw new Error(`content type ${info.contentType} is not SignedData`);
  const signedData = new pkijs.SignedData({ schema: info.content });
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new Error('SignedData has no signer');
  const eContent = signedData.encapContentInfo.eContent;
  if (!eContent) throw new Error('SignedData has no attached content');
  const content = new Uint8Array(eContent.getValue());
  const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  let signerCertificate: pkijs.Certificate | undefined;
  if (signerInfo.sid instanceof pkijs.IssuerAndSerialNumber) {
    const sid = signerInfo.sid;
    signerCertificate = certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  }
  let signingTime: Date | undefined;
  const attr = signerInfo.signedAttrs?.attributes.find((a) => a.type === OID.signingTime);
  if (attr) {
    const v = attr.values[0] as any;
    if (v instanceof asn1js.UTCTime || v instanceof asn1js.GeneralizedTime) signingTime = v.toDate();
  }
  return { signedData, content, signerInfo, signerCertificate, certificates, signingTime };
}
