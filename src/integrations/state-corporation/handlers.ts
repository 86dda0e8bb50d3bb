import { HandlerRegistration } from '../../handlers/registry';
import { applicationIdOf, serviceKeyOf, stringVar } from '../../handlers/support';
import { StateCorporationAdapter } from './client';

/** state-corporation.register: the application in the State corporation's IS; the application's instance id is the request id (idempotent). */
const register =
  (stateCorporation: StateCorporationAdapter): HandlerRegistration['handler'] =>
  async (context) => {
    const scReceiptNumber = await stateCorporation.register(applicationIdOf(context), {
      applicantIinBin: stringVar(context.variables, 'applicantIinBin') ?? '',
      applicantName: stringVar(context.variables, 'applicantName') ?? '',
      serviceKey: serviceKeyOf(context) ?? context.processDefinitionKey,
    });
    return { scReceiptNumber };
  };

export function stateCorporationHandlers(stateCorporation: StateCorporationAdapter): HandlerRegistration[] {
  return [{ name: 'state-corporation.register', description: "Registers the application in the State corporation's IS", handler: register(stateCorporation), produces: ['scReceiptNumber'] }];
}
