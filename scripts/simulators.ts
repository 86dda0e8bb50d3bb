/**
 * Runs the simulators of the external systems standalone and prints their base URLs (to point
 * EGOV_PORTAL_URL, SHEP_URL, ... of a server at them, or to prepare data with curl;
 * see docs/external-systems.md).
 *   node dist/scripts/simulators.js [--host 127.0.0.1] [--base-port 9100] [--data-dir data]
 * With --base-port the systems listen on consecutive ports from it, in the order of
 * src/integrations/systems.ts (ca first).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SIMULATED_SYSTEMS, simulatorEnv, startSimulators } from '../src/integrations/simulators';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { host: { type: 'string', default: '127.0.0.1' }, 'base-port': { type: 'string' }, 'data-dir': { type: 'string' } } });
  const basePort = values['base-port'] ? Number(values['base-port']) : undefined;
  if (basePort !== undefined && !(Number.isInteger(basePort) && basePort > 0 && basePort < 65536)) throw new Error(`--base-port must be a port number, got "${values['base-port']}"`);
  const ports = basePort ? Object.fromEntries(SIMULATED_SYSTEMS.map((s, i) => [s, basePort + i])) : undefined;
  const dataDir = path.resolve(values['data-dir'] ?? process.env.DATA_DIR ?? 'data');
  const sims = await startSimulators({ host: values.host, ports, dataDir: path.join(dataDir, 'simulators') });
  await sims.ca.providerCredentials();
  console.log('Simulators running. Environment for a server that uses them:');
  for (const [k, v] of Object.entries(simulatorEnv(sims))) console.log(`export ${k}=${v}`);
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
