import { HandlerRegistration } from '../../handlers/registry';
import { propertyOf, serviceKeyOf, stringVar } from '../../handlers/support';
import { CabinetAdapter } from './client';

/**
 * cabinet.notify: a message to the recipient's personal cabinet; the service task's property
 * `notice` says what it is (authorization-refused, payment-missing, eds-not-confirmed, result ...).
 * The key instance:activity makes a repeated call send nothing new.
 */
const notify =
  (cabinet: CabinetAdapter): HandlerRegistration['handler'] =>
  async (context) => {
    const { variables, instanceId, activityId } = context;
    const recipient = stringVar(variables, 'applicantIinBin');
    if (!recipient) return { notificationId: null };
    const notice = propertyOf(context, 'notice') ?? 'message';
    const document = notice === 'result' ? stringVar(variables, 'resultDocument') : undefined;
    const sent = await cabinet.notify(`${instanceId}:${activityId}`, {
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

export function cabinetHandlers(cabinet: CabinetAdapter): HandlerRegistration[] {
  return [{ name: 'cabinet.notify', description: "Sends a notification to the recipient's personal cabinet", handler: notify(cabinet), produces: ['notificationId', 'resultDocument'] }];
}
