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
 * The registry the server runs with: every service-task topic the diagrams may name. `source`
 * is the adapters, or the configuration to build them from (base URLs from the environment).
 * Without either, the information-system handlers exist but every call is an
 * ExternalSystemUnavailableError saying which base URL is not configured.
 */
export function createDefaultHandlers(source?: Adapters | ExternalSystemsConfig): HandlerRegistry {
  const adapters: Adapters = !source ? createAdapters({ urls: {} }) : 'portal' in source ? source : adaptersFromConfig(source);
  return new HandlerRegistry()
    .register('registry.assign-number', 'Assigns the registration number and date of an application', assignRegistrationNumber)
    .register('licence.issue', 'Forms the licence document and its number', issueLicence)
    .register('refusal.issue', 'Forms the motivated refusal document and its number', issueRefusal)
    .register('egov.authorize', 'e-gov portal: the applicant is a registered, not blocked user', egovAuthorize(adapters))
    .register('payment.check', 'e-gov payment gateway: the applicant paid for the service', paymentCheck(adapters))
    .register('eds.verify-request', "Verifies the request's EDS: CMS signature, chain, validity, CRL revocation, IIN/BIN", edsVerifyRequest(adapters))
    .register('elicense.authorize-employee', "E-licensing: the provider's employee may log in", elicenseAuthorizeEmployee(adapters))
    .register('gbd.lookup-applicant', 'GBD FL / GBD UL via ShEP: the applicant exists', gbdLookupApplicant(adapters))
    .register('elicense.register-request', 'E-licensing: registers the request (idempotent by instance)', elicenseRegisterRequest(adapters))
    .register('elicense.record-decision', 'E-licensing: records the decision, gives the licence number', elicenseRecordDecision(adapters))
    .register('result.sign', "Signs the result document with the provider's EDS (CMS)", resultSign(adapters))
    .register('cabinet.notify', "Sends a notification to the recipient's personal cabinet", cabinetNotify(adapters))
    .register('state-corporation.register', "Registers the application in the State corporation's IS", stateCorporationRegister(adapters));
}

export function registeredHandlerNames(): string[] {
  return createDefaultHandlers().names();
}
