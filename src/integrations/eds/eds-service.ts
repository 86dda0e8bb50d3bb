import * as pkijs from 'pkijs';
import { SigningCredentials } from '../../crypto/cms';
import { CrlCache } from '../../crypto/crl-cache';
import { EdsResult, EdsVerifier, GostNotVerifiableError, SignatureVerifier } from '../../crypto/verifier';
import { ExternalSystemUnavailableError } from '../http-client';

/**
 * The verifier and the provider's signing credentials. Which verifier: NCANode when one is
 * configured (NCANODE_URL: every CMS, RSA and GOST, goes to it and it checks revocation by OCSP
 * and CRL), otherwise the local one (pkijs: RSA and ECDSA against TRUSTED_ROOTS_FILE or the CA's
 * /ca/root.pem, CRL over HTTP) for which a GOST signature is an incident that names NCANODE_URL.
 * Both load lazily, so building the clients needs no I/O.
 */
export class EdsService {
  private verifierPromise?: Promise<SignatureVerifier>;
  private credentialsPromise?: Promise<SigningCredentials>;
  readonly crls: CrlCache;

  constructor(
    private readonly sources: {
      trustedRoots: () => Promise<pkijs.Certificate[]>;
      provider: () => Promise<SigningCredentials>;
      crls: CrlCache;
      /** NCANode's adapter, when NCANODE_URL is set. */
      ncanode?: SignatureVerifier;
    },
  ) {
    this.crls = sources.crls;
  }

  verifier(): Promise<SignatureVerifier> {
    if (this.sources.ncanode) return Promise.resolve(this.sources.ncanode);
    this.verifierPromise ??= this.sources.trustedRoots().then((roots) => new LocalVerifier(new EdsVerifier({ trustedRoots: roots, crls: this.crls })));
    this.verifierPromise.catch(() => (this.verifierPromise = undefined));
    return this.verifierPromise;
  }

  providerCredentials(): Promise<SigningCredentials> {
    this.credentialsPromise ??= this.sources.provider();
    this.credentialsPromise.catch(() => (this.credentialsPromise = undefined));
    return this.credentialsPromise;
  }
}

/**
 * The local verifier as the handlers see it: a GOST signature is NCANode's to verify, and with
 * none configured that is the system missing (an incident an administrator can resolve by setting
 * NCANODE_URL and retrying), never `edsValid: false` for an applicant whose signature may be good.
 */
class LocalVerifier implements SignatureVerifier {
  constructor(private readonly local: EdsVerifier) {}

  async verify(signedRequest: unknown, applicantIinBin: string | undefined, now?: Date): Promise<EdsResult> {
    try {
      return await this.local.verify(signedRequest, applicantIinBin, now);
    } catch (error) {
      if (error instanceof GostNotVerifiableError) throw new ExternalSystemUnavailableError('ncanode', '(not configured)', `${error.message}; GOST signatures are verified by NCANode, set NCANODE_URL`, 0);
      throw error;
    }
  }
}
