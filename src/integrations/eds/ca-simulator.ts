import fs from 'node:fs';
import path from 'node:path';
import * as pkijs from 'pkijs';
import { signCmsBase64 } from '../../crypto/cms';
import {
  certificatePem,
  createCertificate,
  createCrl,
  CryptoKey,
  exportPrivateKeyPem,
  generateKeyPair,
  importPrivateKeyPem,
  KeyAlgorithm,
  parseCertificatesPem,
  RevokedEntry,
  serialHex,
  crlDistributionUrls,
  SubjectSpec,
} from '../../crypto/pki';
import { finishApp, simulatorApp } from '../simulator-server';

/**
 * A test certification authority in the manner of the NCA of Kazakhstan: a root that issues
 * RSA or ECDSA certificates for an IIN / BIN with a given validity, revokes them, and serves its
 * CRL at the URL written into every certificate (`{baseUrl}/ca/crl`). It also issues the
 * service provider's signing certificate.
 *
 * Protocol (what the verifier uses): GET /ca/crl (DER, application/pkix-crl), GET /ca/root.pem
 * Admin:
 *   POST /admin/certificates { iin?, bin?, commonName?, organization?, algorithm?: 'ECDSA'|'RSA',
 *        notBefore?, notAfter?, validDays? } -> 201 { serialNumber, certificatePem, privateKeyPem, rootPem }
 *   POST /admin/certificates/{serial}/revoke { revokedAt? } -> { serialNumber, revokedAt }
 *   GET  /admin/certificates
 *   POST /admin/sign { serialNumber, content, signingTime? } -> { signedRequest } (base64 CMS, content attached)
 *   GET  /admin/provider -> { certificatePem, privateKeyPem } of the provider's signing certificate
 */
export interface IssuedCertificate {
  serialNumber: string;
  certificate: pkijs.Certificate;
  privateKey: CryptoKey;
  algorithm: KeyAlgorithm;
  subject: SubjectSpec;
  revokedAt?: Date;
}

export interface CaOptions {
  /** Where the root and the provider's key and certificate are kept across runs (DATA_DIR/simulators/ca). */
  stateDir?: string;
  /** Lifetime of each CRL (its nextUpdate - thisUpdate). Default 300 s. */
  crlLifetimeSeconds?: number;
  /** Subject of the provider's certificate (BIN of the provider). */
  provider?: SubjectSpec;
  rootAlgorithm?: KeyAlgorithm;
}

const DAY = 24 * 3600 * 1000;

export class CertificationAuthority {
  readonly issued = new Map<string, IssuedCertificate>();
  private crl?: { der: Uint8Array; nextUpdate: Date };
  baseUrl = '';
  provider?: IssuedCertificate;

  private constructor(
    readonly root: pkijs.Certificate,
    private readonly rootKey: CryptoKey,
    private readonly options: CaOptions,
  ) {}

  static async create(options: CaOptions = {}): Promise<CertificationAuthority> {
    const dir = options.stateDir;
    const rootFile = dir && path.join(dir, 'root-ca.pem');
    const keyFile = dir && path.join(dir, 'root-ca-key.pem');
    if (rootFile && keyFile && fs.existsSync(rootFile) && fs.existsSync(keyFile)) {
      const [root] = parseCertificatesPem(fs.readFileSync(rootFile, 'utf8'));
      const { key } = await importPrivateKeyPem(fs.readFileSync(keyFile, 'utf8'));
      return new CertificationAuthority(root, key, options);
    }
    const keys = await generateKeyPair(options.rootAlgorithm ?? 'ECDSA');
    const now = Date.now();
    const root = await createCertificate({
      subject: { commonName: 'Reglament test root CA (simulator of NCA RK)', organization: 'Reglament test PKI' },
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      // A wide validity: tests run with clocks set to fixed dates in the past or future.
      notBefore: new Date(now - 20 * 365 * DAY),
      notAfter: new Date(now + 30 * 365 * DAY),
      ca: true,
    });
    if (dir && rootFile && keyFile) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(rootFile, certificatePem(root));
      fs.writeFileSync(keyFile, await exportPrivateKeyPem(keys.privateKey), { mode: 0o600 });
    }
    return new CertificationAuthority(root, keys.privateKey, options);
  }

  get crlUrl(): string {
    if (!this.baseUrl) throw new Error('The CA simulator has no base URL yet (start it first)');
    return `${this.baseUrl}/ca/crl`;
  }

  get rootPem(): string {
    return certificatePem(this.root);
  }

  async issue(spec: { subject: SubjectSpec; algorithm?: KeyAlgorithm; notBefore?: Date; notAfter?: Date; validDays?: number; keyUsage?: 'signing' | 'encipherment' }): Promise<IssuedCertificate> {
    const algorithm = spec.algorithm ?? 'ECDSA';
    const keys = await generateKeyPair(algorithm);
    const notBefore = spec.notBefore ?? new Date(Date.now() - 3600 * 1000);
    const notAfter = spec.notAfter ?? new Date(notBefore.getTime() + (spec.validDays ?? 365) * DAY);
    const certificate = await createCertificate({ subject: spec.subject, publicKey: keys.publicKey, issuer: this.root, signingKey: this.rootKey, notBefore, notAfter, crlUrl: this.crlUrl, keyUsage: spec.keyUsage });
    const issued: IssuedCertificate = { serialNumber: serialHex(certificate), certificate, privateKey: keys.privateKey, algorithm, subject: spec.subject };
    this.issued.set(issued.serialNumber, issued);
    return issued;
  }

  revoke(serialNumber: string, revokedAt = new Date()): IssuedCertificate {
    const issued = this.issued.get(serialNumber.toUpperCase());
    if (!issued) throw new Error(`No certificate ${serialNumber} was issued by this CA`);
    issued.revokedAt = revokedAt;
    this.crl = undefined;
    return issued;
  }

  async currentCrl(now = new Date()): Promise<Uint8Array> {
    if (this.crl && now < this.crl.nextUpdate) return this.crl.der;
    const revoked: RevokedEntry[] = [...this.issued.values()].filter((i) => i.revokedAt).map((i) => ({ serialHex: i.serialNumber, revokedAt: i.revokedAt! }));
    const nextUpdate = new Date(now.getTime() + (this.options.crlLifetimeSeconds ?? 300) * 1000);
    const der = await createCrl({ issuer: this.root, signingKey: this.rootKey, revoked, thisUpdate: new Date(now.getTime() - 1000), nextUpdate });
    this.crl = { der, nextUpdate };
    return der;
  }

  /**
   * The provider's signing certificate: loaded from the state directory when it is there and
   * names this CA's current CRL URL, otherwise issued now (and stored).
   */
  async providerCredentials(): Promise<IssuedCertificate> {
    if (this.provider) return this.provider;
    const dir = this.options.stateDir;
    const certFile = dir && path.join(dir, 'provider-cert.pem');
    const keyFile = dir && path.join(dir, 'provider-key.pem');
    if (certFile && keyFile && fs.existsSync(certFile) && fs.existsSync(keyFile)) {
      const [certificate] = parseCertificatesPem(fs.readFileSync(certFile, 'utf8'));
      if (crlDistributionUrls(certificate)[0] === this.crlUrl && certificate.notAfter.value > new Date() && certificate.issuer.isEqual(this.root.subject)) {
        const { key, algorithm } = await importPrivateKeyPem(fs.readFileSync(keyFile, 'utf8'));
        this.provider = { serialNumber: serialHex(certificate), certificate, privateKey: key, algorithm, subject: this.options.provider ?? { commonName: 'provider' } };
        this.issued.set(this.provider.serialNumber, this.provider);
        return this.provider;
      }
    }
    this.provider = await this.issue({
      subject: this.options.provider ?? { commonName: 'Service provider (Reglament test)', organization: 'Service provider', bin: '000140000008' },
      algorithm: 'ECDSA',
      validDays: 730,
    });
    if (dir && certFile && keyFile) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(certFile, certificatePem(this.provider.certificate));
      fs.writeFileSync(keyFile, await exportPrivateKeyPem(this.provider.privateKey), { mode: 0o600 });
    }
    return this.provider;
  }
}

function parseDate(value: unknown): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const d = new Date(String(value));
  if (Number.isNaN(d.getTime())) throw new Error(`Not a date: ${String(value)}`);
  return d;
}

export async function createCaSimulator(options: CaOptions = {}) {
  const ca = await CertificationAuthority.create(options);
  const app = simulatorApp('ca');
  app.get('/ca/root.pem', (_req, res) => {
    res.type('application/x-pem-file').send(ca.rootPem);
  });
  app.get('/ca/crl', async (_req, res, next) => {
    try {
      res.type('application/pkix-crl').send(Buffer.from(await ca.currentCrl()));
    } catch (error) {
      next(error);
    }
  });
  app.get('/admin/certificates', (_req, res) => {
    res.json([...ca.issued.values()].map((i) => ({ serialNumber: i.serialNumber, subject: i.subject, algorithm: i.algorithm, notBefore: i.certificate.notBefore.value, notAfter: i.certificate.notAfter.value, revokedAt: i.revokedAt ?? null })));
  });
  app.post('/admin/certificates', async (req, res) => {
    try {
      const b = req.body ?? {};
      const algorithm = b.algorithm === 'RSA' ? 'RSA' : 'ECDSA';
      const issued = await ca.issue({
        subject: { commonName: String(b.commonName ?? (b.iin ? `Applicant ${b.iin}` : `Organisation ${b.bin ?? ''}`)), iin: b.iin, bin: b.bin, organization: b.organization },
        algorithm,
        notBefore: parseDate(b.notBefore),
        notAfter: parseDate(b.notAfter),
        validDays: b.validDays !== undefined ? Number(b.validDays) : undefined,
      });
      res.status(201).json({ serialNumber: issued.serialNumber, certificatePem: certificatePem(issued.certificate), privateKeyPem: await exportPrivateKeyPem(issued.privateKey), rootPem: ca.rootPem });
    } catch (error) {
      res.status(400).json({ error: error instanceof Error ? error.message : String(error) });
    }
  });
  app.post('/admin/certificates/:serial/revoke', (req, res) => {
    try {
      const issued = ca.revoke(req.params.serial, parseDate(req.body?.revokedAt));
      res.json({ serialNumber: issued.serialNumber, revokedAt: issued.revokedAt });
    } catch (error) {
      res.status(404).json({ error: error instanceof Error ? error.message : String(error) });
    }
  });
  app.post('/admin/sign', async (req, res) => {
    const issued = ca.issued.get(String(req.body?.serialNumber ?? '').toUpperCase());
    if (!issued) {
      res.status(404).json({ error: 'unknown serialNumber' });
      return;
    }
    const content = typeof req.body?.content === 'string' ? req.body.content : JSON.stringify(req.body?.content ?? {});
    const signedRequest = await signCmsBase64(content, { privateKey: issued.privateKey, certificate: issued.certificate }, parseDate(req.body?.signingTime));
    res.json({ signedRequest });
  });
  app.get('/admin/provider', async (_req, res) => {
    const p = await ca.providerCredentials();
    res.json({ serialNumber: p.serialNumber, certificatePem: certificatePem(p.certificate), privateKeyPem: await exportPrivateKeyPem(p.privateKey) });
  });
  return { app: finishApp(app), ca };
}
