import { Adapters } from '../adapters';
import { Handler } from './registry';
import { serviceKeyOf, stringVar } from './support';

/** state-corporation.register: the application in the State corporation's IS; the instance id is the request id. */
export const stateCorporationRegister =
  (adapters: Adapters): Handler =>
  async (context) => {
    const existing = stringVar(context.variables, 'scReceiptNumber');
    if (existing) return { scReceiptNumber: existing };
    const scReceiptNumber = await adapters.stateCorporation.register(context.instanceId, {
      applicantIinBin: stringVar(context.variables, 'applicantIinBin') ?? '',
      applicantName: stringVar(context.variables, 'applicantName') ?? '',
      serviceKey: serviceKeyOf(context) ?? context.processDefinitionKey,
    });
    return { scReceiptNumber };
  };
