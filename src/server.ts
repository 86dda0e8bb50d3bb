import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config';
import { createDefaultHandlers } from './handlers';
import { createHost } from './host';
import { externalSystemsForRun } from './integrations/default-run-simulators';
import { COTTON_LICENCE_KEY, COTTON_LICENCE_ROUTE, RouteStep, routeLine, writeDemoUsers } from './identity/demo-users';
import { UserDirectory } from './identity/users';

/**
 * The server's entry point: open the database, deploy processes/, serve the web app and the API.
 * With no USERS_FILE it creates demo users (one per candidate group of the deployed diagrams, named
 * for their role) on the first run and prints their tokens once, in the order a cotton warehouse
 * licence passes through them.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const usersFile = config.usersFile ?? path.join(config.dataDir, 'users.json');
  const firstRunDemoUsers = !config.usersFile && !fs.existsSync(usersFile);
  // The directory is replaced below once the demo users exist; deploying needs no users.
  const users = firstRunDemoUsers ? new UserDirectory([]) : UserDirectory.fromFile(usersFile);
  // External systems: configured base URLs, or local simulators for those not configured.
  const external = await externalSystemsForRun(config.externalSystems, { dataDir: config.dataDir, employees: users.list().map((u) => u.id) });
  const host = await createHost({ config, users, handlers: createDefaultHandlers(external.adapters), signatures: external.adapters.eds });

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
    const route: RouteStep[] = [];
    for (const row of await host.definitions.list(false)) {
      const loaded = await host.definitions.load(row.id);
      for (const task of loaded.model.userTasks.values()) task.candidateGroups.forEach((g) => groups.add(g));
      if (row.key !== COTTON_LICENCE_KEY) continue;
      for (const taskId of COTTON_LICENCE_ROUTE) {
        const task = loaded.model.userTasks.get(taskId);
        if (task?.candidateGroups[0]) route.push({ taskId, taskName: task.name ?? taskId, group: task.candidateGroups[0] });
      }
    }
    const demo = writeDemoUsers(usersFile, [...groups].sort(), route);
    console.log(`\nDemo users written to ${usersFile} (only token hashes are stored). Their tokens, shown this once${route.length ? ', in the order a cotton warehouse licence passes through them' : ''}:`);
    demo.forEach((u, i) => console.log(`  ${String(i + 1).padStart(2)}. ${u.id.padEnd(31)} ${u.name.padEnd(60)} token=${u.token}`));
    if (route.length) console.log(`\nWho comes next with a cotton warehouse licence: ${routeLine(route)}`);
    console.log('');
    users.reloadFrom(usersFile);
    // The demo users may log in to the E-licensing simulator.
    external.simulators?.elicense.addEmployee(...users.list().map((u) => u.id));
  }

  const { url } = await host.listen();
  // A server listening on every interface is opened at this machine's loopback address; PUBLIC_URL is where others reach it.
  const local = url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
  const open = config.publicUrl ?? local;
  console.log(`\nReglament is running. Open the web app: ${open}/`);
  console.log(`(REST API at ${open}/api, its OpenAPI document at ${open}/api/openapi.json; Camunda Modeler deploys to ${open}/engine-rest)`);

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
