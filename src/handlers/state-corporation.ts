import { Adapters } from '../adapters';
import { Handler } from './registry';
import { applicationIdOf, serviceKeyOf, stringVar } from './support';

/** state-corporation.register: the application in the State corporation's IS; the application's instance id is the request id (idempotent). */
export const stateCorporationRegister =
  (adapters: Adapters): Handler =>
  async (context) => {
    const scReceiptNumber = await adapters.stateCorporation.register(applicationIdOf(context), {
      applicantIinBin: stringVar(context.variables, 'applicantIinBin') ?? '',
      applicantName: stringVar(context.variables, 'applicantName') ?? '',
      serviceKey: serviceKeyOf(context) ?? context.processDefinitionKey,
    });
    return { scReceiptNumber };
  };
