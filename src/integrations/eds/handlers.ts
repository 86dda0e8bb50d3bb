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
 * result.form: the electronic result the recipient gets. When a person of the provider signed, at a
 * signing step of the application, a document of the kind delivered (`resultKind`), the result is
 * exactly that CMS (the PDF they saw, attached): the act has the authorised person certify it with
 * their own EDS, and no server key signs over or beside it. Only a result the act gives to the
 * system (an intake check's automated refusal, a notification no person signs) is formed here as
 * JSON and signed with the provider's key (CMS, content attached; the project's verifier and
 * `openssl cms -verify` both verify it). It always forms anew: a `resultDocument` already set may be
 * an earlier delivery's. A re-run after a crash gives the same person-signed document, or signs
 * again; cabinet.notify then keeps the document the recipient already holds.
 */
const formResult =
  (eds: EdsService): HandlerRegistration['handler'] =>
  async (context) => {
    const { variables, now, instanceId } = context;
    const kind = stringVar(variables, 'resultKind');
    const signed = kind && context.signedDocuments ? await context.signedDocuments.lastSigned(context.rootInstanceId ?? instanceId, kind) : null;
    if (signed) return { resultDocument: signed.cms, resultSignedAt: signed.signedAt ?? now.toISOString() };
    const document = {
      kind: kind ?? null,
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
    { name: 'result.form', description: "The result the authorised person signed with EDS at a signing step, or else formed and signed with the provider's EDS (CMS)", handler: formResult(eds), produces: ['resultDocument', 'resultSignedAt'] },
    // The topic's former name: instances of a delivery flow deployed before the rename still reach it.
    { name: 'result.sign', description: 'Former name of result.form (diagrams deployed before it was renamed)', handler: formResult(eds), produces: ['resultDocument', 'resultSignedAt'] },
  ];
}
