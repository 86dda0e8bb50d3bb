/**
 * Runs the simulators of the external systems standalone and prints their base URLs (to point
 * EGOV_PORTAL_URL, PAYMENT_GATEWAY_URL, ... of a server at them, or to prepare data with curl;
 * see docs/external-systems.md).
 *   node dist/scripts/simulators.js [--host 127.0.0.1] [--base-port 9100] [--data-dir data]
 * With --base-port the systems listen on consecutive ports from it (ca first).
 */
import path from 'node:path';
import { SIMULATED_SYSTEMS, startSimulators } from '../src/simulators';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const host = arg('host') ?? '127.0.0.1';
  const basePort = arg('base-port') ? Number(arg('base-port')) : undefined;
  const ports = basePort ? Object.fromEntries(SIMULATED_SYSTEMS.map((s, i) => [s, basePort + i])) : undefined;
  const dataDir = path.resolve(arg('data-dir') ?? process.env.DATA_DIR ?? 'data');
  const sims = await startSimulators({ host, ports, dataDir: path.join(dataDir, 'simulators') });
  const env: Record<string, string> = {
    CA_URL: sims.urls.ca,
    EGOV_PORTAL_URL: sims.urls['egov-portal'],
    PAYMENT_GATEWAY_URL: sims.urls['payment-gateway'],
    ELICENSE_URL: sims.urls.elicense,
    GBD_URL: sims.urls.gbd,
    STATE_CORPORATION_URL: sims.urls['state-corporation'],
    CABINET_URL: sims.urls.cabinet,
  };
  await sims.ca.providerCredentials();
  console.log('Simulators running. Environment for a server that uses them:');
  for (const [k, v] of Object.entries(env)) console.log(`export ${k}=${v}`);
  const stop = async () => {
    await sims.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
