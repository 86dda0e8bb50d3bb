import { assignRegistrationNumber, issueLicence, issueRefusal } from './documents';
import { HandlerRegistry } from './registry';

/** The registry the server runs with: every service-task topic the diagrams may name. */
export function createDefaultHandlers(): HandlerRegistry {
  return new HandlerRegistry()
    .register('registry.assign-number', 'Assigns the registration number and date of an application', assignRegistrationNumber)
    .register('licence.issue', 'Forms the licence document and its number', issueLicence)
    .register('refusal.issue', 'Forms the motivated refusal document and its number', issueRefusal);
}

export function registeredHandlerNames(): string[] {
  return createDefaultHandlers().names();
}
