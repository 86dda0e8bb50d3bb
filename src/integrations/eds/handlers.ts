import { signCmsBase64 } from '../../crypto/cms';
import { HandlerRegistration } from '../../handlers/registry';
import { serviceKeyOf, stringVar } from '../../handlers/support';
import { EdsService } from './eds-service';

/**
 * eds.verify-request: the request's CMS signature, chain, validity, revocation (CRL over HTTP)
 * and IIN / BIN. A failed check is `edsValid: false` with its reason in `edsFailure`; a CRL that
 * cannot be fetched is an ExternalSystemUnavailableError (incident).
 */
const verifyRequest =
  (eds: EdsService): HandlerRegistration['handler'] =>
  async ({ variables, now }) => {
    const verifier = await eds.verifier();
    const result = await verifier.verify(variables.signedRequest, stringVar(variables, 'applicantIinBin'), now);
    return {
      edsValid: result.valid,
      edsFailure: result.failure ?? null,
      edsMessage: result.message ?? null,
      edsSubject: result.subject ?? null,
      edsSignedAt: result.signedAt ?? null,
    };
  };

/**
 * result.sign: the result document (licence, certificate, refusal ...) as JSON, signed with the
 * provider's key as CMS with the content attached (base64 in `resultDocument`); the project's
 * verifier and `openssl cms -verify` both verify it. It always signs: a `resultDocument` already
 * set is no reason to skip (it may be an earlier delivery's, or not a document at all). A re-run
 * after a crash signs again; cabinet.notify then keeps the document the recipient already holds.
 */
const signResult =
  (eds: EdsService): HandlerRegistration['handler'] =>
  async (context) => {
    const { variables, now, instanceId } = context;
    const document = {
      kind: stringVar(variables, 'resultKind') ?? null,
      decision: stringVar(variables, 'decision') ?? null,
      service: serviceKeyOf(context) ?? context.processDefinitionKey,
      applicant: { iinBin: stringVar(variables, 'applicantIinBin') ?? null, name: stringVar(variables, 'applicantName') ?? null, kind: stringVar(variables, 'applicantKind') ?? null },
      numbers: Object.fromEntries(
        ['registrationNumber', 'elicenseRequestNumber', 'licenceNumber', 'refusalNumber', 'scReceiptNumber'].filter((k) => stringVar(variables, k)).map((k) => [k, variables[k]]),
      ),
      refusalReason: stringVar(variables, 'refusalReason') ?? null,
      instanceId,
      issuedAt: now.toISOString(),
    };
    const credentials = await eds.providerCredentials();
    const resultDocument = await signCmsBase64(JSON.stringify(document), credentials, now);
    return { resultDocument, resultSignedAt: now.toISOString() };
  };

export function edsHandlers(eds: EdsService): HandlerRegistration[] {
  return [
    { name: 'eds.verify-request', description: "Verifies the request's EDS: CMS signature, chain, validity, CRL revocation, IIN/BIN", handler: verifyRequest(eds), produces: ['edsValid', 'edsFailure', 'edsMessage', 'edsSubject', 'edsSignedAt'] },
    { name: 'result.sign', description: "Signs the result document with the provider's EDS (CMS)", handler: signResult(eds), produces: ['resultDocument', 'resultSignedAt'] },
  ];
}
