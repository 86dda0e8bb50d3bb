import * as pkijs from 'pkijs';
import { signCmsBase64 } from '../../src/crypto/cms';
import { createCertificate, generateKeyPair, parseCertificate, certificateDer } from '../../src/crypto/pki';

/** GOST 34.310 public key algorithm of the NCA RK (the first of src/crypto/pki.ts GOST_KEY_OID_PREFIXES). */
export const GOST_34310_KEY_OID = '1.2.398.3.10.1.1.1.1';

/*
 * Nothing here can make a GOST signature (neither WebCrypto nor pkijs has GOST 34.310). What the
 * tests need is a CMS whose signer's certificate says its key is GOST, so that a verifier has to
 * decide what to do with it: the certificate's key algorithm is relabelled as GOST and the
 * certificate re-signed by its (ECDSA) issuer; the CMS signature itself is ECDSA and never checked
 * by anyone, because a GOST certificate is never verified locally.
 */
export async function gostLabelledCms(content: string, subject: { commonName: string; iin?: string; bin?: string }): Promise<string> {
  const keys = await generateKeyPair('ECDSA');
  const now = Date.now();
  const cert = await createCertificate({ subject, publicKey: keys.publicKey, signingKey: keys.privateKey, notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 365 * 86_400_000) });
  cert.subjectPublicKeyInfo.algorithm = new pkijs.AlgorithmIdentifier({ algorithmId: GOST_34310_KEY_OID });
  await cert.sign(keys.privateKey as any, 'SHA-256');
  const relabelled = parseCertificate(certificateDer(cert));
  return signCmsBase64(content, { privateKey: keys.privateKey, certificate: relabelled });
}
