import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config';
import { createDefaultHandlers } from './handlers';
import { createHost } from './host';
import { externalSystemsForRun } from './integrations/default-run-simulators';
import { loadDemoKeys } from './integrations/ncalayer-simulator/demo-keys';
import { NcaLayerSimulator } from './integrations/ncalayer-simulator/ncalayer-simulator';
import { DEMO_SERVICES } from './integrations/egov-portal/simulator-demo';
import { COTTON_LICENCE_KEY, COTTON_LICENCE_ROUTE, RouteStep, routeLine, writeDemoUsers } from './identity/demo-users';
import { UserDirectory } from './identity/users';
import { createLogger } from './observability/logger';

/**
 * The server's entry point: open the database, deploy processes/, serve the web app and the API.
 * With no USERS_FILE it creates demo users (one per candidate group of the deployed diagrams, named
 * for their role) on the first run and prints their tokens once, in the order a cotton warehouse
 * licence passes through them.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const usersFile = config.usersFile ?? path.join(config.dataDir, 'users.json');
  const firstRunDemoUsers = !config.usersFile && !fs.existsSync(usersFile);
  // The directory is replaced below once the demo users exist; deploying needs no users.
  const users = firstRunDemoUsers ? new UserDirectory([]) : UserDirectory.fromFile(usersFile);
  // External systems: configured base URLs, or local simulators for those not configured.
  const external = await externalSystemsForRun(config.externalSystems, { dataDir: config.dataDir, employees: users.list().map((u) => u.id) });
  // The demo run (simulated systems, demo users, no NCALAYER_URL): a local NCALayer simulator signs for the demo users. Never in production.
  const ncalayer = external.simulators && !config.usersFile && !process.env.NCALAYER_URL ? await NcaLayerSimulator.start() : undefined;
  if (ncalayer) config.ncalayerUrl = ncalayer.url;
  const host = await createHost({ config, users, handlers: createDefaultHandlers(external.adapters), signatures: external.adapters.eds, logger, awaitDeployment: true });

  // Listening from here on: /health/live answers, /health/ready and the API say 503 until processes/ is deployed.
  const { url } = await host.listen();
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      logger.flush();
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: no new connections, finishing requests and steps in flight');
    try {
      await host.close();
      await external.simulators?.close();
      await ncalayer?.close();
      logger.info('stopped');
      logger.flush();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      logger.flush();
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    const result = await host.deployProcessDirectory();
    for (const d of result.definitions) logger.info({ key: d.key, version: d.version, created: d.created, resource: d.resourceName }, 'deployed');
  } catch (err) {
    // A signal during the deployment closed the host under it: the shutdown ends the process.
    if (stopping) return;
    const e = err as { message?: string };
    logger.fatal({ err }, `deployment of processes/ failed: ${e.message ?? String(err)}`);
    await host.close();
    await external.simulators?.close();
    logger.flush();
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

  if (ncalayer && external.simulators) {
    const keys = await loadDemoKeys(ncalayer, external.simulators.ca, users.list(), 'head');
    logger.warn({ url: ncalayer.url, keys }, `NCALAYER SIMULATOR at ${ncalayer.url}: it signs with TEST keys of the demo users (now the demo head's); a real signer runs NCALayer on their own computer (set NCALAYER_URL, see README)`);
  }

  // A server listening on every interface is opened at this machine's loopback address; PUBLIC_URL is where others reach it.
  const local = url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
  const open = config.publicUrl ?? local;
  console.log(`\nReglament is running. Open the web app: ${open}/`);
  console.log(`(REST API at ${open}/api, its OpenAPI document at ${open}/api/openapi.json; Camunda Modeler deploys to ${open}/engine-rest)`);
  if (external.simulators && external.demoApplicants) {
    // The portal simulator files the demo applications through the portal intake, as an account of
    // this process only (its token is made here and never printed or stored).
    const token = randomBytes(24).toString('base64url');
    users.addProcessUser({ id: 'egov-portal', name: 'e-gov portal (simulator, demo applications)', groups: ['office'] }, token);
    external.simulators.portal.demo = { applicants: external.demoApplicants, services: DEMO_SERVICES, intake: { serverUrl: local, token } };
    console.log(`Try a portal application as a demo applicant, in two clicks: ${external.simulators.urls['egov-portal']}/demo`);
  }
  // The line scripts and tests wait for (the address this process listens on).
  logger.info({ url }, `Reglament listening on ${url}/api`);
}

void main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
