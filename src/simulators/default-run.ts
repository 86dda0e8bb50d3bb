import path from 'node:path';
import { adaptersFromConfig, Adapters } from '../adapters';
import { ExternalSystemsConfig, externalSystemsMissing } from '../config';
import { startSimulators, Simulators } from './index';

/**
 * The external systems of a server run: the configured base URLs, and for every system without
 * one a local simulator (started here; its CA keeps its root and the provider's key in
 * DATA_DIR/simulators/ca so that signed results stay verifiable across restarts).
 */
export async function externalSystemsForRun(
  config: ExternalSystemsConfig,
  options: { dataDir: string; host?: string; employees?: string[]; log?: (line: string) => void },
): Promise<{ adapters: Adapters; simulators?: Simulators; config: ExternalSystemsConfig }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const missing = externalSystemsMissing(config);
  if (missing.length === 0) {
    log('External systems: every base URL is configured, no simulator started');
    return { adapters: adaptersFromConfig(config), config };
  }
  const simulators = await startSimulators({ host: options.host ?? '127.0.0.1', dataDir: path.join(options.dataDir, 'simulators'), employees: options.employees });
  const u = simulators.urls;
  const usingCaSimulator = !config.caUrl;
  const effective: ExternalSystemsConfig = {
    ...config,
    egovPortalUrl: config.egovPortalUrl ?? u['egov-portal'],
    paymentGatewayUrl: config.paymentGatewayUrl ?? u['payment-gateway'],
    elicenseUrl: config.elicenseUrl ?? u.elicense,
    gbdUrl: config.gbdUrl ?? u.gbd,
    stateCorporationUrl: config.stateCorporationUrl ?? u['state-corporation'],
    cabinetUrl: config.cabinetUrl ?? u.cabinet,
    caUrl: config.caUrl ?? u.ca,
  };
  log(`External systems: not configured (${missing.join(', ')}), so local simulators serve them:`);
  const shown: [string, string | undefined, boolean][] = [
    ['e-gov portal', effective.egovPortalUrl, !config.egovPortalUrl],
    ['payment gateway', effective.paymentGatewayUrl, !config.paymentGatewayUrl],
    ['E-licensing', effective.elicenseUrl, !config.elicenseUrl],
    ['GBD FL/UL (ShEP)', effective.gbdUrl, !config.gbdUrl],
    ['State corporation', effective.stateCorporationUrl, !config.stateCorporationUrl],
    ['personal cabinet', effective.cabinetUrl, !config.cabinetUrl],
    ['CA (root, CRL, provider key)', effective.caUrl, usingCaSimulator],
  ];
  for (const [name, url, simulated] of shown) log(`  ${name.padEnd(30)} ${url}${simulated ? '  (simulator)' : ''}`);
  if (usingCaSimulator) {
    const provider = await simulators.ca.providerCredentials();
    log(`  provider signing certificate ${provider.serialNumber} from the CA simulator (kept in ${path.join(options.dataDir, 'simulators', 'ca')})`);
  }
  return { adapters: adaptersFromConfig(effective), simulators, config: effective };
}
