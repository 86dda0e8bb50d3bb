import { Adapters } from '../adapters';
import { Handler } from './registry';
import { propertyOf, serviceKeyOf, stringVar } from './support';

/**
 * cabinet.notify: a message to the recipient's personal cabinet; the service task's property
 * `notice` says what it is (authorization-refused, payment-missing, eds-not-confirmed, result ...).
 * The key instance:activity makes a repeated call send nothing new.
 */
export const cabinetNotify =
  (adapters: Adapters): Handler =>
  async (context) => {
    const { variables, instanceId, activityId } = context;
    const recipient = stringVar(variables, 'applicantIinBin');
    if (!recipient) return { notificationId: null };
    const notice = propertyOf(context, 'notice') ?? 'message';
    const document = notice === 'result' ? stringVar(variables, 'resultDocument') : undefined;
    const sent = await adapters.cabinet.notify(`${instanceId}:${activityId}`, {
      recipient,
      notice,
      subject: context.activityName,
      processKey: serviceKeyOf(context) ?? context.processDefinitionKey,
      document,
      data: { edsFailure: variables.edsFailure ?? undefined, portalAuthorizationReason: variables.portalAuthorizationReason ?? undefined, licenceNumber: variables.licenceNumber ?? undefined, decision: variables.decision ?? undefined },
    });
    // The recipient already holds a result from a run of this step that a crash discarded before
    // its commit: signing is not repeatable byte for byte (ECDSA, signing time), so the instance
    // keeps the document the recipient got, not the one it signed again.
    if (!sent.created && document && sent.document && sent.document !== document) return { notificationId: sent.notificationId, resultDocument: sent.document };
    return { notificationId: sent.notificationId };
  };
