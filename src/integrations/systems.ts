/**
 * The one list of the external state systems. Configuration reads each base URL from `env`, the
 * clients (clients.ts) and the simulators (simulators.ts) are keyed by `id`, so a system added
 * here without a client or a simulator does not compile; the default run, test support and the
 * bench take their environment and URLs from here too. Each system's client, handlers and
 * simulator live together in `integrations/<folder>/`.
 *
 * This file stays free of imports: config.ts reads it, and configuration must not load the
 * simulators' HTTP servers.
 */
export const EXTERNAL_SYSTEMS = [
  { id: 'ca', title: 'CA (root, CRL, provider key)', env: 'CA_URL', folder: 'eds', simulated: true },
  { id: 'egov-portal', title: 'e-gov portal', env: 'EGOV_PORTAL_URL', folder: 'egov-portal', simulated: true },
  // GBD FL/UL, E-licensing and the payment gateway answer behind ShEP (SOAP SyncChannel): they have
  // no address of their own here; their services are listed in integrations/shep/services.ts.
  { id: 'shep', title: 'ShEP (GBD FL/UL, E-licensing, payments)', env: 'SHEP_URL', folder: 'shep', simulated: true },
  { id: 'state-corporation', title: 'State corporation', env: 'STATE_CORPORATION_URL', folder: 'state-corporation', simulated: true },
  { id: 'cabinet', title: 'personal cabinet', env: 'CABINET_URL', folder: 'cabinet', simulated: true },
  // NCANode verifies every EDS (RSA and GOST 34.310, revocation by OCSP and CRL) when configured. The
  // default run starts no simulator for it: RSA and ECDSA are then verified locally, GOST is an incident.
  { id: 'ncanode', title: 'NCANode (EDS verification: RSA and GOST)', env: 'NCANODE_URL', folder: 'ncanode', simulated: false },
] as const;

export type ExternalSystem = (typeof EXTERNAL_SYSTEMS)[number];
export type SystemId = ExternalSystem['id'];
/** The systems the default run and the tests serve with a local simulator when no base URL is set. */
export type SimulatedSystem = Extract<ExternalSystem, { simulated: true }>['id'];

export const SIMULATED_SYSTEMS = EXTERNAL_SYSTEMS.filter((s): s is Extract<ExternalSystem, { simulated: true }> => s.simulated).map((s) => s.id);

export function systemOf(id: SystemId): ExternalSystem {
  return EXTERNAL_SYSTEMS.find((s) => s.id === id)!;
}

/** Base URL per system, as configured (a system left out has none). */
export type SystemUrls = Partial<Record<SystemId, string>>;

/** The base URLs set in an environment (an empty value is no value). */
export function systemUrlsFromEnv(env: NodeJS.ProcessEnv): SystemUrls {
  const urls: SystemUrls = {};
  for (const system of EXTERNAL_SYSTEMS) if (env[system.env]) urls[system.id] = env[system.env];
  return urls;
}

/** The environment that points a server at these base URLs (e.g. of running simulators). */
export function envOfSystemUrls(urls: SystemUrls): Record<string, string> {
  const env: Record<string, string> = {};
  for (const system of EXTERNAL_SYSTEMS) if (urls[system.id]) env[system.env] = urls[system.id]!;
  return env;
}

/** The env variables of the simulated systems that have no base URL (the default run then starts the simulators). */
export function unconfiguredSimulatedSystems(urls: SystemUrls): string[] {
  return EXTERNAL_SYSTEMS.filter((s) => s.simulated && !urls[s.id]).map((s) => s.env);
}
