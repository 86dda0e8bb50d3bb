import { SigningCredentials } from '../../crypto/cms';
import { CrlFetcher } from '../../crypto/crl-cache';
import { importPrivateKeyPem, parseCertificatesPem } from '../../crypto/pki';
import * as pkijs from 'pkijs';
import { HttpClient, HttpClientOptions } from '../http-client';

/**
 * The certification authority as the host uses it: its root certificate (GET /ca/root.pem) and,
 * from the CA simulator only, the provider's signing key (GET /admin/provider).
 */
export class CaClient {
  constructor(readonly http: HttpClient) {}

  async rootCertificates(): Promise<pkijs.Certificate[]> {
    const r = await this.http.get<string>('/ca/root.pem');
    if (r.status !== 200 || typeof r.body !== 'string') throw new Error(`The CA at ${this.http.baseUrl} gave no root certificate (HTTP ${r.status})`);
    return parseCertificatesPem(r.body);
  }

  async providerCredentials(): Promise<SigningCredentials> {
    const r = await this.http.get('/admin/provider');
    if (r.status !== 200) throw new Error(`No provider signing key is configured (PROVIDER_KEY_FILE, PROVIDER_CERT_FILE) and the CA at ${this.http.baseUrl} gave none (HTTP ${r.status})`);
    return credentialsFromPem(r.body.privateKeyPem, r.body.certificatePem);
  }
}

/**
 * CRLs over HTTP from the URL a certificate names (any CA, not only the configured one): retried
 * like every idempotent call, and ExternalSystemUnavailableError (system "ca") when it stays down.
 */
export function crlFetcher(tuning: Pick<HttpClientOptions, 'timeoutMs' | 'attempts' | 'backoffMs'> = {}): CrlFetcher {
  return async (url) => {
    const client = new HttpClient({ system: 'ca', baseUrl: url, ...tuning });
    const response = await client.get<Uint8Array>(url, { raw: true });
    if (response.status !== 200) throw new Error(`CRL at ${url} answered HTTP ${response.status}`);
    return response.body;
  };
}

export async function credentialsFromPem(privateKeyPem: string, certificatePem: string): Promise<SigningCredentials> {
  const { key } = await importPrivateKeyPem(privateKeyPem);
  const [certificate, ...chain] = parseCertificatesPem(certificatePem);
  if (!certificate) throw new Error('The provider certificate PEM holds no certificate');
  return { privateKey: key, certificate, chain };
}
