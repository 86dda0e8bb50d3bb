import * as pkijs from 'pkijs';
import { HttpClient } from '../adapters/http-client';
import { ensureCryptoEngine, parseCrl, serialHex } from './pki';

interface CachedCrl {
  crl: pkijs.CertificateRevocationList;
  nextUpdate: Date;
  fetchedAt: Date;
}

/**
 * CRLs fetched over HTTP from the certificates' distribution points, cached by URL until the
 * CRL's nextUpdate (then fetched again). A CRL is used only when its signature verifies with
 * the issuing CA's key. A distribution point that cannot be reached raises
 * ExternalSystemUnavailableError (system "ca"): the check cannot be made, so it is an incident,
 * not a verdict.
 */
export class CrlCache {
  private readonly cache = new Map<string, CachedCrl>();
  /** How many times a CRL was downloaded (tests observe caching through it). */
  fetches = 0;

  constructor(private readonly options: { timeoutMs?: number; attempts?: number; backoffMs?: number } = {}) {}

  clear(): void {
    this.cache.clear();
  }

  async get(url: string, issuer: pkijs.Certificate, now: Date): Promise<pkijs.CertificateRevocationList> {
    const cached = this.cache.get(url);
    if (cached && now < cached.nextUpdate) return cached.crl;
    ensureCryptoEngine();
    const client = new HttpClient({ system: 'ca', baseUrl: url, ...this.options });
    const response = await client.get<Uint8Array>(url, { raw: true });
    if (response.status !== 200) throw new Error(`CRL at ${url} answered HTTP ${response.status}`);
    this.fetches++;
    const crl = parseCrl(response.body);
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
