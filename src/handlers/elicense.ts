import { Adapters } from '../adapters';
import { Handler, HandlerContext } from './registry';
import { serviceKeyOf, stringVar } from './support';

function employeeOf(context: HandlerContext): string | undefined {
  const c = context as unknown as { startedBy?: string; userId?: string };
  return stringVar(context.variables, 'startedBy') ?? c.startedBy ?? c.userId;
}

/** elicense.authorize-employee: the employee who entered the request may log in to E-licensing. */
export const elicenseAuthorizeEmployee =
  (adapters: Adapters): Handler =>
  async (context) => {
    const userId = employeeOf(context);
    if (!userId) return { employeeAuthorized: false };
    return { employeeAuthorized: await adapters.elicense.isEmployee(userId) };
  };

async function register(adapters: Adapters, context: HandlerContext): Promise<string> {
  const { variables, instanceId } = context;
  const { requestNumber } = await adapters.elicense.registerRequest(instanceId, {
    applicantIinBin: stringVar(variables, 'applicantIinBin') ?? '',
    applicantName: stringVar(variables, 'applicantName') ?? '',
    serviceKey: serviceKeyOf(context) ?? context.processDefinitionKey,
  });
  return requestNumber;
}

/** elicense.register-request: registers the request in E-licensing; the instance id is the request id (idempotent). */
export const elicenseRegisterRequest =
  (adapters: Adapters): Handler =>
  async (context) => {
    const existing = stringVar(context.variables, 'elicenseRequestNumber');
    if (existing) return { elicenseRequestNumber: existing };
    return { elicenseRequestNumber: await register(adapters, context) };
  };

/**
 * elicense.record-decision: records the decision; for an issued licence, E-licensing gives the
 * licence number (the same one on a repeated call). A request not yet registered is registered first.
 */
export const elicenseRecordDecision =
  (adapters: Adapters): Handler =>
  async (context) => {
    const { variables } = context;
    const requestNumber = stringVar(variables, 'elicenseRequestNumber') ?? (await register(adapters, context));
    const decision = stringVar(variables, 'decision') === 'issued' ? 'issued' : 'refused';
    const resultKind = stringVar(variables, 'resultKind');
    await adapters.elicense.recordDecision(requestNumber, decision, resultKind);
    const out: Record<string, unknown> = { elicenseRequestNumber: requestNumber, elicenseDecision: decision };
    if (decision === 'issued' && resultKind === 'licence') out.licenceNumber = await adapters.elicense.issueLicence(requestNumber);
    return out;
  };
