import fs from 'node:fs';
import * as pkijs from 'pkijs';
import { ExternalSystemsConfig } from '../config';
import { SigningCredentials } from '../crypto/cms';
import { CrlCache } from '../crypto/crl-cache';
import { importPrivateKeyPem, parseCertificatesPem } from '../crypto/pki';
import { EdsVerifier } from '../crypto/verifier';
import { CabinetAdapter } from './cabinet';
import { EgovPortalAdapter } from './egov-portal';
import { ElicenseAdapter } from './elicense';
import { GbdAdapter } from './gbd';
import { GostVerifierAdapter } from './gost-verifier';
import { ExternalSystemUnavailableError, HttpClient } from './http-client';
import { PaymentGatewayAdapter } from './payment-gateway';
import { StateCorporationAdapter } from './state-corporation';

export { ExternalSystemUnavailableError, ExternalSystemProtocolError, HttpClient } from './http-client';

/** The clients of every external system the handlers talk to. */
export interface Adapters {
  portal: EgovPortalAdapter;
  payments: PaymentGatewayAdapter;
  elicense: ElicenseAdapter;
  gbd: GbdAdapter;
  stateCorporation: StateCorporationAdapter;
  cabinet: CabinetAdapter;
  /** EDS verification (local RSA / ECDSA, CRL over HTTP, GOST via the external verifier). */
  eds: EdsService;
}

/**
 * The verifier and the provider's signing credentials. Both load lazily (trusted roots from
 * TRUSTED_ROOTS_FILE or the CA's /ca/root.pem; the provider's key from PROVIDER_KEY_FILE /
 * PROVIDER_CERT_FILE or the CA simulator's /admin/provider), so building the adapters needs no I/O.
 */
export class EdsService {
  private verifierPromise?: Promise<EdsVerifier>;
  private credentialsPromise?: Promise<SigningCredentials>;
  readonly crls: CrlCache;

  constructor(
    private readonly sources: {
      trustedRoots: () => Promise<pkijs.Certificate[]>;
      provider: () => Promise<SigningCredentials>;
      gost?: GostVerifierAdapter;
      crls?: CrlCache;
    },
  ) {
    this.crls = sources.crls ?? new CrlCache();
  }

  verifier(): Promise<EdsVerifier> {
    this.verifierPromise ??= this.sources.trustedRoots().then((roots) => new EdsVerifier({ trustedRoots: roots, crls: this.crls, gost: this.sources.gost }));
    this.verifierPromise.catch(() => (this.verifierPromise = undefined));
    return this.verifierPromise;
  }

  providerCredentials(): Promise<SigningCredentials> {
    this.credentialsPromise ??= this.sources.provider();
    this.credentialsPromise.catch(() => (this.credentialsPromise = undefined));
    return this.credentialsPromise;
  }
}

export interface AdapterSettings {
  urls: Partial<Record<'egovPortal' | 'paymentGateway' | 'elicense' | 'gbd' | 'stateCorporation' | 'cabinet' | 'ca' | 'gostVerifier', string>>;
  timeoutMs?: number;
  attempts?: number;
  backoffMs?: number;
  trustedRoots?: () => Promise<pkijs.Certificate[]>;
  provider?: () => Promise<SigningCredentials>;
}

const ENV_OF: Record<string, string> = {
  egovPortal: 'EGOV_PORTAL_URL',
  paymentGateway: 'PAYMENT_GATEWAY_URL',
  elicense: 'ELICENSE_URL',
  gbd: 'GBD_URL',
  stateCorporation: 'STATE_CORPORATION_URL',
  cabinet: 'CABINET_URL',
  ca: 'CA_URL',
  gostVerifier: 'GOST_VERIFIER_URL',
};

const SYSTEM_NAME: Record<string, string> = {
  egovPortal: 'egov-portal',
  paymentGateway: 'payment-gateway',
  elicense: 'elicense',
  gbd: 'gbd',
  stateCorporation: 'state-corporation',
  cabinet: 'cabinet',
  ca: 'ca',
  gostVerifier: 'gost-verifier',
};

/** A client for a system without a base URL: every call is an ExternalSystemUnavailableError naming the setting. */
class UnconfiguredClient extends HttpClient {
  constructor(system: string, private readonly envName: string) {
    super({ system, baseUrl: 'http://unconfigured.invalid' });
  }
  override async request(): Promise<never> {
    throw new ExternalSystemUnavailableError(this.system, '(not configured)', `no base URL is configured (${this.envName})`, 0);
  }
}

export function createAdapters(settings: AdapterSettings): Adapters {
  const client = (key: keyof AdapterSettings['urls']) => {
    const url = settings.urls[key];
    if (!url) return new UnconfiguredClient(SYSTEM_NAME[key], ENV_OF[key]);
    return new HttpClient({ system: SYSTEM_NAME[key], baseUrl: url, timeoutMs: settings.timeoutMs, attempts: settings.attempts, backoffMs: settings.backoffMs });
  };
  const ca = client('ca');
  const trustedRoots =
    settings.trustedRoots ??
    (async () => {
      const r = await ca.get<string>('/ca/root.pem');
      if (r.status !== 200 || typeof r.body !== 'string') throw new Error(`The CA at ${ca.baseUrl} gave no root certificate (HTTP ${r.status})`);
      return parseCertificatesPem(r.body);
    });
  const provider =
    settings.provider ??
    (async () => {
      const r = await ca.get('/admin/provider');
      if (r.status !== 200) throw new Error(`No provider signing key is configured (PROVIDER_KEY_FILE, PROVIDER_CERT_FILE) and the CA at ${ca.baseUrl} gave none (HTTP ${r.status})`);
      return credentialsFromPem(r.body.privateKeyPem, r.body.certificatePem);
    });
  const gostUrl = settings.urls.gostVerifier;
  return {
    portal: new EgovPortalAdapter(client('egovPortal')),
    payments: new PaymentGatewayAdapter(client('paymentGateway')),
    elicense: new ElicenseAdapter(client('elicense')),
    gbd: new GbdAdapter(client('gbd')),
    stateCorporation: new StateCorporationAdapter(client('stateCorporation')),
    cabinet: new CabinetAdapter(client('cabinet')),
    eds: new EdsService({
      trustedRoots,
      provider,
      gost: gostUrl ? new GostVerifierAdapter(client('gostVerifier')) : undefined,
      crls: new CrlCache({ timeoutMs: settings.timeoutMs, attempts: settings.attempts, backoffMs: settings.backoffMs }),
    }),
  };
}

export async function credentialsFromPem(privateKeyPem: string, certificatePem: string): Promise<SigningCredentials> {
  const { key } = await importPrivateKeyPem(privateKeyPem);
  const [certificate, ...chain] = parseCertificatesPem(certificatePem);
  if (!certificate) throw new Error('The provider certificate PEM holds no certificate');
  return { privateKey: key, certificate, chain };
}

/** Adapters from the configuration (environment): base URLs, faults, trust files. */
export function adaptersFromConfig(config: ExternalSystemsConfig): Adapters {
  return createAdapters({
    urls: {
      egovPortal: config.egovPortalUrl,
      paymentGateway: config.paymentGatewayUrl,
      elicense: config.elicenseUrl,
      gbd: config.gbdUrl,
      stateCorporation: config.stateCorporationUrl,
      cabinet: config.cabinetUrl,
      ca: config.caUrl,
      gostVerifier: config.gostVerifierUrl,
    },
    timeoutMs: config.timeoutMs,
    attempts: config.attempts,
    backoffMs: config.backoffMs,
    trustedRoots: config.trustedRootsFile ? async () => parseCertificatesPem(fs.readFileSync(config.trustedRootsFile!, 'utf8')) : undefined,
    provider:
      config.providerKeyFile && config.providerCertFile
        ? async () => credentialsFromPem(fs.readFileSync(config.providerKeyFile!, 'utf8'), fs.readFileSync(config.providerCertFile!, 'utf8'))
        : undefined,
  });
}
