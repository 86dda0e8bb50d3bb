import { Adapters } from '../adapters';
import { signCmsBase64 } from '../crypto/cms';
import { Handler } from './registry';
import { serviceKeyOf, stringVar } from './support';

/**
 * result.sign: the result document (licence, certificate, refusal ...) as JSON, signed with the
 * provider's key as CMS with the content attached (base64 in `resultDocument`); the project's
 * verifier and `openssl cms -verify` both verify it. It always signs: a `resultDocument` already
 * set is no reason to skip (it may be an earlier delivery's, or not a document at all). A re-run
 * after a crash signs again; cabinet.notify then keeps the document the recipient already holds.
 */
export const resultSign =
  (adapters: Adapters): Handler =>
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
    const credentials = await adapters.eds.providerCredentials();
    const resultDocument = await signCmsBase64(JSON.stringify(document), credentials, now);
    return { resultDocument, resultSignedAt: now.toISOString() };
  };
