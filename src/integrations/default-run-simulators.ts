import path from 'node:path';
import { ExternalSystemsConfig } from '../config';
import { adaptersFromConfig, Adapters } from './clients';
import { DemoApplicant, seedDemoApplicants } from './egov-portal/simulator-demo';
import { startSimulators, Simulators } from './simulators';
import { EXTERNAL_SYSTEMS, unconfiguredSimulatedSystems } from './systems';

/**
 * The external systems of a server run: the configured base URLs, and for every system without
 * one a local simulator (started here; its CA keeps its root and the provider's key in
 * DATA_DIR/simulators/ca so that signed results stay verifiable across restarts).
 */
export async function externalSystemsForRun(
  config: ExternalSystemsConfig,
  options: { dataDir: string; host?: string; employees?: string[]; log?: (line: string) => void },
): Promise<{ adapters: Adapters; simulators?: Simulators; config: ExternalSystemsConfig; demoApplicants?: DemoApplicant[] }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const missing = unconfiguredSimulatedSystems(config.urls);
  if (missing.length === 0) {
    log('External systems: every base URL is configured, no simulator started');
    return { adapters: adaptersFromConfig(config), config };
  }
  const simulators = await startSimulators({ host: options.host ?? '127.0.0.1', dataDir: path.join(options.dataDir, 'simulators'), employees: options.employees, shep: config.shep });
  const effective: ExternalSystemsConfig = { ...config, urls: { ...simulators.urls, ...config.urls } };
  log(`External systems: not configured (${missing.join(', ')}), so local simulators serve them:`);
  for (const system of EXTERNAL_SYSTEMS) {
    if (!system.simulated) continue;
    log(`  ${system.title.padEnd(30)} ${effective.urls[system.id]}${config.urls[system.id] ? '' : '  (simulator)'}`);
  }
  if (!config.urls.ca) {
    const provider = await simulators.ca.providerCredentials();
    log(`  provider signing certificate ${provider.serialNumber} from the CA simulator (kept in ${path.join(options.dataDir, 'simulators', 'ca')})`);
  }
  // Demo applicants need the CA simulator (their keys) and the portal simulator (its demo page).
  let demoApplicants: DemoApplicant[] | undefined;
  if (!config.urls.ca && !config.urls['egov-portal']) {
    demoApplicants = await seedDemoApplicants(simulators);
    log(`  demo applicants (portal users, in GBD FL/UL, fees paid, EDS keys of the CA simulator): ${demoApplicants.map((a) => `${a.name} ${a.iinBin}`).join(', ')}`);
  }
  return { adapters: adaptersFromConfig(effective), simulators, config: effective, demoApplicants };
}
