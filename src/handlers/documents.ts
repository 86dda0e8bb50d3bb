import { Handler, HandlerRegistration } from './registry';

/*
 * A licence has no number of the host's: E-licensing assigns it (licence.issue lives in
 * integrations/elicense), so one licence carries one number everywhere.
 */

/*
 * Document numbers derive from the instance id, so running a handler again after a crash
 * (bpmn-engine re-runs a service task that was executing) yields the same number: the
 * handlers are idempotent by construction, and never keep a number because a variable holds one.
 */
function documentNumber(prefix: string, instanceId: string, at: Date): string {
  const day = at.toISOString().slice(0, 10).replace(/-/g, '');
  return `${prefix}-${day}-${instanceId.replace(/-/g, '').slice(0, 10).toUpperCase()}`;
}

/** The office registers an incoming application: registration number and date (pt. 5 step 1). */
const assignRegistrationNumber: Handler = async ({ instanceId, now }) => {
  return { registrationNumber: documentNumber('REG', instanceId, now), registeredAt: now.toISOString() };
};

/**
 * The office registers the outgoing document in the outgoing correspondence journal: its outgoing
 * number and date, which the cover letter and the envelope carry (seed 001, para 5 sixth procedure).
 */
const assignOutgoingNumber: Handler = async ({ instanceId, now }) => {
  return { outgoingNumber: documentNumber('OUT', instanceId, now), outgoingRegisteredAt: now.toISOString() };
};

/** Forms the motivated refusal; its reason is the one the clerk entered (refusalReason stays the form's). */
const issueRefusal: Handler = async ({ instanceId, now }) => {
  return { refusalNumber: documentNumber('REF', instanceId, now), refusalIssuedAt: now.toISOString() };
};

export function documentHandlers(): HandlerRegistration[] {
  return [
    { name: 'registry.assign-number', description: 'Assigns the registration number and date of an application', handler: assignRegistrationNumber, produces: ['registrationNumber', 'registeredAt'] },
    { name: 'registry.assign-outgoing-number', description: 'Assigns the outgoing number and date of the document the office sends', handler: assignOutgoingNumber, produces: ['outgoingNumber', 'outgoingRegisteredAt'] },
    { name: 'refusal.issue', description: 'Forms the motivated refusal document and its number', handler: issueRefusal, produces: ['refusalNumber', 'refusalIssuedAt'] },
  ];
}
