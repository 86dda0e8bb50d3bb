import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config';
import { createDefaultHandlers } from './handlers';
import { createHost } from './host';
import { externalSystemsForRun } from './integrations/default-run-simulators';
import { UserDirectory, writeDemoUsers } from './identity/users';

/**
 * The server's entry point: open the database, deploy processes/, serve the API. With no
 * USERS_FILE it creates demo users (one per candidate group of the deployed diagrams) on the
 * first run and prints their tokens once.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const usersFile = config.usersFile ?? path.join(config.dataDir, 'users.json');
  const firstRunDemoUsers = !config.usersFile && !fs.existsSync(usersFile);
  // The directory is replaced below once the demo users exist; deploying needs no users.
  const users = firstRunDemoUsers ? new UserDirectory([]) : UserDirectory.fromFile(usersFile);
  // External systems: configured base URLs, or local simulators for those not configured.
  const external = await externalSystemsForRun(config.externalSystems, { dataDir: config.dataDir, employees: users.list().map((u) => u.id) });
  const host = await createHost({ config, users, handlers: createDefaultHandlers(external.adapters) });

  try {
    const result = await host.deployProcessDirectory();
    for (const d of result.definitions) console.log(`deployed ${d.key} version ${d.version}${d.created ? '' : ' (unchanged)'} from ${d.resourceName}`);
  } catch (err) {
    const e = err as { message?: string };
    console.error(e.message ?? err);
    await host.close();
    await external.simulators?.close();
    process.exit(1);
  }

  if (firstRunDemoUsers) {
    const groups = new Set<string>();
    for (const row of await host.definitions.list(false)) {
      const loaded = await host.definitions.load(row.id);
      for (const task of loaded.model.userTasks.values()) task.candidateGroups.forEach((g) => groups.add(g));
    }
    const demo = writeDemoUsers(usersFile, [...groups].sort());
    console.log(`\nDemo users written to ${usersFile} (only token hashes are stored). Their tokens, shown this once:`);
    for (const u of demo) console.log(`  ${u.id.padEnd(24)} groups=${u.groups.join(',').padEnd(16)} token=${u.token}`);
    console.log('');
    users.reloadFrom(usersFile);
    // The demo users may log in to the E-licensing simulator.
    external.simulators?.elicense.addEmployee(...users.list().map((u) => u.id));
  }

  const { url } = await host.listen();
  console.log(`Reglament listening on ${url}/api (OpenAPI: ${url}/api/openapi.json)`);

  const shutdown = async (signal: string) => {
    console.log(`${signal}: shutting down`);
    await host.close();
    await external.simulators?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

void main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
