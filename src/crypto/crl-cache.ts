import * as pkijs from 'pkijs';
import { ensureCryptoEngine, parseCrl, serialHex } from './pki';

interface CachedCrl {
  crl: pkijs.CertificateRevocationList;
  nextUpdate: Date;
  fetchedAt: Date;
}

/**
 * Downloads the DER bytes of a CRL from a distribution point. The caller supplies it (the CA's
 * HTTP client in integrations/eds), so that crypto/ knows nothing of the transport; it throws
 * when the CRL cannot be had, e.g. ExternalSystemUnavailableError when the CA is down.
 */
export type CrlFetcher = (url: string) => Promise<Uint8Array>;

/**
 * CRLs fetched from the certificates' distribution points, cached by URL until the CRL's
 * nextUpdate (then fetched again). A CRL is used only when its signature verifies with the
 * issuing CA's key. A distribution point that cannot be reached is the fetcher's error: the check
 * cannot be made, so it is an incident, not a verdict.
 */
export class CrlCache {
  private readonly cache = new Map<string, CachedCrl>();
  /** How many times a CRL was downloaded (tests observe caching through it). */
  fetches = 0;

  constructor(private readonly fetchCrl: CrlFetcher) {}

  clear(): void {
    this.cache.clear();
  }

  async get(url: string, issuer: pkijs.Certificate, now: Date): Promise<pkijs.CertificateRevocationList> {
    const cached = this.cache.get(url);
    if (cached && now < cached.nextUpdate) return cached.crl;
    ensureCryptoEngine();
    const der = await this.fetchCrl(url);
    this.fetches++;
    const crl = parseCrl(der);
    if (!(await crl.verify({ issuerCertificate: issuer }))) throw new Error(`CRL at ${url} is not signed by ${url ? 'the issuing CA' : ''}`);
    const nextUpdate = crl.nextUpdate?.value ?? now;
    this.cache.set(url, { crl, nextUpdate, fetchedAt: now });
    return crl;
  }

  static isRevoked(crl: pkijs.CertificateRevocationList, certificate: pkijs.Certificate, at: Date): { revoked: boolean; revokedAt?: Date } {
    const serial = serialHex(certificate);
    for (const entry of crl.revokedCertificates ?? []) {
      const entrySerial = Buffer.from(entry.userCertificate.valueBlock.valueHexView).toString('hex').toUpperCase();
      if (entrySerial === serial) {
        const revokedAt = entry.revocationDate.value;
        if (revokedAt <= at) return { revoked: true, revokedAt };
      }
    }
    return { revoked: false };
  }
}
