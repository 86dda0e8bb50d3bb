import { Adapters, adaptersFromConfig, createAdapters } from '../adapters';
import { ExternalSystemsConfig } from '../config';
import { cabinetNotify } from './cabinet';
import { assignRegistrationNumber, issueLicence, issueRefusal } from './documents';
import { edsVerifyRequest } from './eds';
import { egovAuthorize } from './egov';
import { elicenseAuthorizeEmployee, elicenseRecordDecision, elicenseRegisterRequest } from './elicense';
import { gbdLookupApplicant } from './gbd';
import { paymentCheck } from './payment';
import { HandlerRegistry } from './registry';
import { resultSign } from './result';
import { stateCorporationRegister } from './state-corporation';

/**
 * The registry the server runs with: every service-task topic the diagrams may name, with the
 * variables each one produces (no form may declare those; see HandlerRegistry). `source`
 * is the adapters, or the configuration to build them from (base URLs from the environment).
 * Without either, the information-system handlers exist but every call is an
 * ExternalSystemUnavailableError saying which base URL is not configured.
 */
export function createDefaultHandlers(source?: Adapters | ExternalSystemsConfig): HandlerRegistry {
  const adapters: Adapters = !source ? createAdapters({ urls: {} }) : 'portal' in source ? source : adaptersFromConfig(source);
  return new HandlerRegistry()
    .register('registry.assign-number', 'Assigns the registration number and date of an application', assignRegistrationNumber, ['registrationNumber', 'registeredAt'])
    .register('licence.issue', 'Forms the licence document and its number', issueLicence, ['licenceNumber', 'licenceIssuedAt'])
    .register('refusal.issue', 'Forms the motivated refusal document and its number', issueRefusal, ['refusalNumber', 'refusalIssuedAt'])
    .register('egov.authorize', 'e-gov portal: the applicant is a registered, not blocked user', egovAuthorize(adapters), ['portalAuthorized', 'portalAuthorizationReason'])
    .register('payment.check', 'e-gov payment gateway: the applicant paid for the service', paymentCheck(adapters), ['paymentConfirmed', 'paymentReference'])
    .register('eds.verify-request', "Verifies the request's EDS: CMS signature, chain, validity, CRL revocation, IIN/BIN", edsVerifyRequest(adapters), ['edsValid', 'edsFailure', 'edsMessage', 'edsSubject', 'edsSignedAt'])
    .register('elicense.authorize-employee', "E-licensing: the provider's employee may log in", elicenseAuthorizeEmployee(adapters), ['employeeAuthorized'])
    .register('gbd.lookup-applicant', 'GBD FL / GBD UL via ShEP: the applicant exists', gbdLookupApplicant(adapters), ['applicantFound', 'applicantRegisteredName', 'applicantLookupProblem'])
    .register('elicense.register-request', 'E-licensing: registers the request (idempotent by instance)', elicenseRegisterRequest(adapters), ['elicenseRequestNumber'])
    .register('elicense.record-decision', 'E-licensing: records the decision, gives the licence number', elicenseRecordDecision(adapters), ['elicenseRequestNumber', 'elicenseDecision', 'licenceNumber'])
    .register('result.sign', "Signs the result document with the provider's EDS (CMS)", resultSign(adapters), ['resultDocument', 'resultSignedAt'])
    .register('cabinet.notify', "Sends a notification to the recipient's personal cabinet", cabinetNotify(adapters), ['notificationId', 'resultDocument'])
    .register('state-corporation.register', "Registers the application in the State corporation's IS", stateCorporationRegister(adapters), ['scReceiptNumber']);
}

export function registeredHandlerNames(): string[] {
  return createDefaultHandlers().names();
}

/** Variable -> producers (handlers, the host) of the registry the server runs with, for linting files. */
export function defaultProducedVariables(): Map<string, string[]> {
  return createDefaultHandlers().producers();
}
