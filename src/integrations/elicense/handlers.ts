import { HandlerContext, HandlerRegistration } from '../../handlers/registry';
import { applicationIdOf, serviceKeyOf, stringVar } from '../../handlers/support';
import { ElicenseAdapter } from './client';

type Handler = HandlerRegistration['handler'];

/** The employee who entered the request: the starter of the application, as the host recorded it. */
function employeeOf(context: HandlerContext): string | undefined {
  return context.startedBy ?? undefined;
}

/** elicense.authorize-employee: the employee who entered the request may log in to E-licensing. */
const authorizeEmployee =
  (elicense: ElicenseAdapter): Handler =>
  async (context) => {
    const userId = employeeOf(context);
    if (!userId) return { employeeAuthorized: false };
    return { employeeAuthorized: await elicense.isEmployee(userId) };
  };

/** Idempotent by the application: the same request number for every call of one application. */
async function register(elicense: ElicenseAdapter, context: HandlerContext): Promise<string> {
  const { variables } = context;
  const { requestNumber } = await elicense.registerRequest(applicationIdOf(context), {
    applicantIinBin: stringVar(variables, 'applicantIinBin') ?? '',
    applicantName: stringVar(variables, 'applicantName') ?? '',
    serviceKey: serviceKeyOf(context) ?? context.processDefinitionKey,
  });
  return requestNumber;
}

/** elicense.register-request: registers the request in E-licensing; the application's instance id is the request id (idempotent). */
const registerRequest =
  (elicense: ElicenseAdapter): Handler =>
  async (context) => ({ elicenseRequestNumber: await register(elicense, context) });

/**
 * elicense.record-decision: records the decision on the application's request (registered by the
 * intake, or now when no intake registered it: the call is idempotent either way); for an issued
 * licence, E-licensing gives the licence number (the same one on a repeated call).
 */
const recordDecision =
  (elicense: ElicenseAdapter): Handler =>
  async (context) => {
    const { variables } = context;
    const requestNumber = await register(elicense, context);
    const decision = stringVar(variables, 'decision') === 'issued' ? 'issued' : 'refused';
    const resultKind = stringVar(variables, 'resultKind');
    await elicense.recordDecision(requestNumber, decision, resultKind);
    const out: Record<string, unknown> = { elicenseRequestNumber: requestNumber, elicenseDecision: decision };
    if (decision === 'issued' && resultKind === 'licence') out.licenceNumber = await elicense.issueLicence(requestNumber);
    return out;
  };

/**
 * licence.issue: forms the licence (certificate, duplicate, re-registered licence) with the number
 * E-licensing assigns to the application's request; the decision is recorded as issued first, so
 * the delivery's elicense.record-decision later meets the same number. Where the head signs the
 * licence, the diagram runs this before the signing step: the head signs in E-licensing the licence
 * it has formed, with its number (003 step 4). Idempotent by the application, like every E-licensing
 * call here.
 */
const issueLicence =
  (elicense: ElicenseAdapter): Handler =>
  async (context) => {
    const requestNumber = await register(elicense, context);
    await elicense.recordDecision(requestNumber, 'issued', stringVar(context.variables, 'resultKind') ?? 'licence');
    return { elicenseRequestNumber: requestNumber, licenceNumber: await elicense.issueLicence(requestNumber), licenceIssuedAt: context.now.toISOString() };
  };

export function elicenseHandlers(elicense: ElicenseAdapter): HandlerRegistration[] {
  return [
    { name: 'elicense.authorize-employee', description: "E-licensing: the provider's employee may log in", handler: authorizeEmployee(elicense), produces: ['employeeAuthorized'] },
    { name: 'elicense.register-request', description: 'E-licensing: registers the request (idempotent by instance)', handler: registerRequest(elicense), produces: ['elicenseRequestNumber'] },
    { name: 'licence.issue', description: 'Forms the licence document with the number E-licensing assigns', handler: issueLicence(elicense), produces: ['elicenseRequestNumber', 'licenceIssuedAt', 'licenceNumber'] },
    { name: 'elicense.record-decision', description: 'E-licensing: records the decision, gives the licence number', handler: recordDecision(elicense), produces: ['elicenseRequestNumber', 'elicenseDecision', 'licenceNumber'] },
  ];
}
