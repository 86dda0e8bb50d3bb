import { Adapters } from '../adapters';
import { Handler } from './registry';
import { stringVar } from './support';

/**
 * eds.verify-request: the request's CMS signature, chain, validity, revocation (CRL over HTTP)
 * and IIN / BIN. A failed check is `edsValid: false` with its reason in `edsFailure`; a CRL that
 * cannot be fetched is an ExternalSystemUnavailableError (incident).
 */
export const edsVerifyRequest =
  (adapters: Adapters): Handler =>
  async ({ variables, now }) => {
    const verifier = await adapters.eds.verifier();
    const result = await verifier.verify(variables.signedRequest, stringVar(variables, 'applicantIinBin'), now);
    return {
      edsValid: result.valid,
      edsFailure: result.failure ?? null,
      edsMessage: result.message ?? null,
      edsSubject: result.subject ?? null,
      edsSignedAt: result.signedAt ?? null,
    };
  };
