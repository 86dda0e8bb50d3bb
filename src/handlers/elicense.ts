import { Adapters } from '../adapters';
import { Handler, HandlerContext } from './registry';
import { applicationIdOf, serviceKeyOf, stringVar } from './support';

/** The employee who entered the request: the starter of the application, as the host recorded it. */
function employeeOf(context: HandlerContext): string | undefined {
  return context.startedBy ?? undefined;
}

/** elicense.authorize-employee: the employee who entered the request may log in to E-licensing. */
export const elicenseAuthorizeEmployee =
  (adapters: Adapters): Handler =>
  async (context) => {
    const userId = employeeOf(context);
    if (!userId) return { employeeAuthorized: false };
    return { employeeAuthorized: await adapters.elicense.isEmployee(userId) };
  };

/** Idempotent by the application: the same request number for every call of one application. */
async function register(adapters: Adapters, context: HandlerContext): Promise<string> {
  const { variables } = context;
  const { requestNumber } = await adapters.elicense.registerRequest(applicationIdOf(context), {
    applicantIinBin: stringVar(variables, 'applicantIinBin') ?? '',
    applicantName: stringVar(variables, 'applicantName') ?? '',
    serviceKey: serviceKeyOf(context) ?? context.processDefinitionKey,
  });
  return requestNumber;
}

/** elicense.register-request: registers the request in E-licensing; the application's instance id is the request id (idempotent). */
export const elicenseRegisterRequest =
  (adapters: Adapters): Handler =>
  async (context) => ({ elicenseRequestNumber: await register(adapters, context) });

/**
 * elicense.record-decision: records the decision on the application's request (registered by the
 * intake, or now when no intake registered it: the call is idempotent either way); for an issued
 * licence, E-licensing gives the licence number (the same one on a repeated call).
 */
export const elicenseRecordDecision =
  (adapters: Adapters): Handler =>
  async (context) => {
    const { variables } = context;
    const requestNumber = await register(adapters, context);
    const decision = stringVar(variables, 'decision') === 'issued' ? 'issued' : 'refused';
    const resultKind = stringVar(variables, 'resultKind');
    await adapters.elicense.recordDecision(requestNumber, decision, resultKind);
    const out: Record<string, unknown> = { elicenseRequestNumber: requestNumber, elicenseDecision: decision };
    if (decision === 'issued' && resultKind === 'licence') out.licenceNumber = await adapters.elicense.issueLicence(requestNumber);
    return out;
  };
