import { Handler } from './registry';

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
export const assignRegistrationNumber: Handler = async ({ instanceId, now }) => {
  return { registrationNumber: documentNumber('REG', instanceId, now), registeredAt: now.toISOString() };
};

/** Forms the licence (or its duplicate / re-registered licence) once the decision is signed. */
export const issueLicence: Handler = async ({ instanceId, now }) => {
  return { licenceNumber: documentNumber('LIC', instanceId, now), licenceIssuedAt: now.toISOString() };
};

/** Forms the motivated refusal; its reason is the one the clerk entered (refusalReason stays the form's). */
export const issueRefusal: Handler = async ({ instanceId, now }) => {
  return { refusalNumber: documentNumber('REF', instanceId, now), refusalIssuedAt: now.toISOString() };
};
