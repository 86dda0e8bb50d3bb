import fs from 'node:fs';
import * as pkijs from 'pkijs';
import { ExternalSystemsConfig } from '../config';
import { SigningCredentials } from '../crypto/cms';
import { CrlCache } from '../crypto/crl-cache';
import { parseCertificatesPem } from '../crypto/pki';
import { CabinetAdapter } from './cabinet/client';
import { CaClient, credentialsFromPem, crlFetcher } from './eds/ca-client';
import { EdsService } from './eds/eds-service';
import { EgovPortalAdapter } from './egov-portal/client';
import { ElicenseAdapter } from './elicense/client';
import { GbdAdapter } from './gbd/client';
import { ExternalSystemUnavailableError, HttpClient } from './http-client';
import { NcaNodeVerifier } from './ncanode/client';
import { PaymentGatewayAdapter } from './payment-gateway/client';
import { ShepClient } from './shep/client';
import { defaultShepSettings, ShepSettings } from './shep/services';
import { StateCorporationAdapter } from './state-corporation/client';
import { SystemId, systemOf, SystemUrls } from './systems';

/** The clients of every external system the handlers talk to. */
export interface Adapters {
  portal: EgovPortalAdapter;
  payments: PaymentGatewayAdapter;
  elicense: ElicenseAdapter;
  gbd: GbdAdapter;
  stateCorporation: StateCorporationAdapter;
  cabinet: CabinetAdapter;
  /** EDS verification (NCANode when configured, else local RSA / ECDSA with CRL over HTTP) and result signing. */
  eds: EdsService;
}

/** Timeout per attempt, attempts of idempotent calls, first backoff (EXTERNAL_TIMEOUT_MS ...). */
export interface CallTuning {
  timeoutMs?: number;
  attempts?: number;
  backoffMs?: number;
}

export interface AdapterSettings extends CallTuning {
  urls: SystemUrls;
  trustedRoots?: () => Promise<pkijs.Certificate[]>;
  provider?: () => Promise<SigningCredentials>;
  /** ShEP sender and service ids (SHEP_SENDER_ID, SHEP_PASSWORD, SHEP_SERVICE_*); default: the simulator's. */
  shep?: ShepSettings;
}

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
  const tuning: CallTuning = { timeoutMs: settings.timeoutMs, attempts: settings.attempts, backoffMs: settings.backoffMs };
  const client = (id: SystemId) => {
    const url = settings.urls[id];
    return url ? new HttpClient({ system: id, baseUrl: url, ...tuning }) : new UnconfiguredClient(id, systemOf(id).env);
  };
  const ca = new CaClient(client('ca'));
  // ShEP messages are signed with the provider's key, the one EdsService holds.
  const shep = new ShepClient(client('shep'), settings.shep ?? defaultShepSettings(), () => adapters.eds.providerCredentials());
  const adapters: Adapters = {
    portal: new EgovPortalAdapter(client('egov-portal')),
    payments: new PaymentGatewayAdapter(shep),
    elicense: new ElicenseAdapter(shep),
    gbd: new GbdAdapter(shep),
    stateCorporation: new StateCorporationAdapter(client('state-corporation')),
    cabinet: new CabinetAdapter(client('cabinet')),
    eds: new EdsService({
      trustedRoots: settings.trustedRoots ?? (() => ca.rootCertificates()),
      provider: settings.provider ?? (() => ca.providerCredentials()),
      ncanode: settings.urls.ncanode ? new NcaNodeVerifier(client('ncanode')) : undefined,
      crls: new CrlCache(crlFetcher(tuning)),
    }),
  };
  return adapters;
}

/** Clients from the configuration (environment): base URLs, call tuning, trust files. */
export function adaptersFromConfig(config: ExternalSystemsConfig): Adapters {
  const { trustedRootsFile, providerKeyFile, providerCertFile } = config;
  return createAdapters({
    urls: config.urls,
    timeoutMs: config.timeoutMs,
    attempts: config.attempts,
    backoffMs: config.backoffMs,
    shep: config.shep,
    trustedRoots: trustedRootsFile ? async () => parseCertificatesPem(fs.readFileSync(trustedRootsFile, 'utf8')) : undefined,
    provider: providerKeyFile && providerCertFile ? async () => credentialsFromPem(fs.readFileSync(providerKeyFile, 'utf8'), fs.readFileSync(providerCertFile, 'utf8')) : undefined,
  });
}
