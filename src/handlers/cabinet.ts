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
    const notice = propertyOf(context, 'notice') ?? stringVar(variables, 'notice') ?? 'message';
    const notificationId = await adapters.cabinet.notify(`${instanceId}:${activityId}`, {
      recipient,
      notice,
      subject: context.activityName,
      processKey: serviceKeyOf(context) ?? context.processDefinitionKey,
      document: notice === 'result' ? stringVar(variables, 'resultDocument') : undefined,
      data: { edsFailure: variables.edsFailure ?? undefined, portalAuthorizationReason: variables.portalAuthorizationReason ?? undefined, licenceNumber: variables.licenceNumber ?? undefined, decision: variables.decision ?? undefined },
    });
    return { notificationId };
  };
