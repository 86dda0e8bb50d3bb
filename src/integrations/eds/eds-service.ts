import * as pkijs from 'pkijs';
import { SigningCredentials } from '../../crypto/cms';
import { CrlCache } from '../../crypto/crl-cache';
import { EdsVerifier, GostVerifier } from '../../crypto/verifier';

/**
 * The verifier and the provider's signing credentials. Both load lazily (trusted roots from
 * TRUSTED_ROOTS_FILE or the CA's /ca/root.pem; the provider's key from PROVIDER_KEY_FILE /
 * PROVIDER_CERT_FILE or the CA simulator's /admin/provider), so building the clients needs no I/O.
 */
export class EdsService {
  private verifierPromise?: Promise<EdsVerifier>;
  private credentialsPromise?: Promise<SigningCredentials>;
  readonly crls: CrlCache;

  constructor(
    private readonly sources: {
      trustedRoots: () => Promise<pkijs.Certificate[]>;
      provider: () => Promise<SigningCredentials>;
      crls: CrlCache;
      gost?: GostVerifier;
    },
  ) {
    this.crls = sources.crls;
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
