/**
 * The services this server asks of the e-government gateway (ShEP): one ShEP service id per
 * operation, each configurable (the ids an operator registers its information system for at ShEP
 * are not public; the defaults are ours). `backend` is the state system that answers behind ShEP;
 * `writes` marks the operations that change something there (the fault run waits for those).
 *
 * This file stays free of imports: config.ts reads it.
 */
export const SHEP_SERVICES = [
  { key: 'gbdfl-person', backend: 'gbd', env: 'SHEP_SERVICE_GBDFL_PERSON', defaultId: 'GBDFL_PersonByIin', writes: false, title: 'GBD FL: an individual by IIN' },
  { key: 'gbdul-company', backend: 'gbd', env: 'SHEP_SERVICE_GBDUL_COMPANY', defaultId: 'GBDUL_CompanyByBin', writes: false, title: 'GBD UL: a legal entity by BIN' },
  { key: 'elicense-employee', backend: 'elicense', env: 'SHEP_SERVICE_ELICENSE_EMPLOYEE', defaultId: 'ELICENSE_EmployeeAccess', writes: false, title: 'E-licensing: an employee may log in' },
  { key: 'elicense-register', backend: 'elicense', env: 'SHEP_SERVICE_ELICENSE_REGISTER', defaultId: 'ELICENSE_RegisterRequest', writes: true, title: 'E-licensing: register a request (idempotent by request id)' },
  { key: 'elicense-request', backend: 'elicense', env: 'SHEP_SERVICE_ELICENSE_REQUEST', defaultId: 'ELICENSE_GetRequest', writes: false, title: 'E-licensing: a request by its number' },
  { key: 'elicense-decision', backend: 'elicense', env: 'SHEP_SERVICE_ELICENSE_DECISION', defaultId: 'ELICENSE_RecordDecision', writes: true, title: 'E-licensing: record the decision on a request' },
  { key: 'elicense-licence', backend: 'elicense', env: 'SHEP_SERVICE_ELICENSE_LICENCE', defaultId: 'ELICENSE_IssueLicence', writes: true, title: 'E-licensing: the licence number of an issued request' },
  { key: 'payment-status', backend: 'payment-gateway', env: 'SHEP_SERVICE_PAYMENT_STATUS', defaultId: 'PSHEP_PaymentStatus', writes: false, title: 'Payment gateway: payments of a payer for a service' },
] as const;

export type ShepService = (typeof SHEP_SERVICES)[number];
export type ShepServiceKey = ShepService['key'];
/** The state systems that answer behind ShEP (they have no address of their own for this server). */
export type ShepBackend = ShepService['backend'];
export const SHEP_BACKENDS: readonly ShepBackend[] = ['gbd', 'elicense', 'payment-gateway'];

export const SHEP_BACKEND_TITLES: Record<ShepBackend, string> = { gbd: 'GBD FL/UL', elicense: 'E-licensing', 'payment-gateway': 'payment gateway' };

/** Who this server is at ShEP, and the service id of each operation. */
export interface ShepSettings {
  /** SHEP_SENDER_ID: the sender id ShEP registered for this information system. */
  senderId: string;
  /** SHEP_PASSWORD: the sender's password at ShEP. */
  password: string;
  serviceIds: Record<ShepServiceKey, string>;
}

/** The sender the ShEP simulator knows when nothing is configured (never valid at a real ShEP). */
export const DEFAULT_SHEP_SENDER = { senderId: 'reglament', password: 'reglament-simulator' } as const;

export function defaultShepSettings(): ShepSettings {
  return { ...DEFAULT_SHEP_SENDER, serviceIds: Object.fromEntries(SHEP_SERVICES.map((s) => [s.key, s.defaultId])) as Record<ShepServiceKey, string> };
}

/** SHEP_SENDER_ID, SHEP_PASSWORD and SHEP_SERVICE_* (an empty value keeps the default). */
export function shepSettingsFromEnv(env: NodeJS.ProcessEnv): ShepSettings {
  const defaults = defaultShepSettings();
  const serviceIds = { ...defaults.serviceIds };
  for (const service of SHEP_SERVICES) {
    const value = env[service.env]?.trim();
    if (value) serviceIds[service.key] = value;
  }
  const seen = new Map<string, string>();
  for (const service of SHEP_SERVICES) {
    const other = seen.get(serviceIds[service.key]);
    if (other) throw new Error(`${service.env} and ${other} name the same ShEP service id "${serviceIds[service.key]}"`);
    seen.set(serviceIds[service.key], service.env);
  }
  return { senderId: env.SHEP_SENDER_ID?.trim() || defaults.senderId, password: env.SHEP_PASSWORD || defaults.password, serviceIds };
}

export function shepServiceOf(key: ShepServiceKey): ShepService {
  return SHEP_SERVICES.find((s) => s.key === key)!;
}
