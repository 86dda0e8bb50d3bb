/**
 * Crash-safety fault injection (issue 6, item 3).
 *
 *   npm run build && node dist/test/faults/index.js [--kills 200] [--instances N] [--workers 6]
 *                                                   [--seed S] [--min-uptime-ms 150] [--max-uptime-ms 900]
 *                                                   [--latency-ms 30] [--after-side-effect 0.5] [--strict-orphans 1|0]
 *                                                   [--deploy-every 5]
 *
 * Starts the real server (dist/src/server.js) as a child process on a fresh sqlite file (or on
 * DATABASE_URL when it is set), with the simulators of the external systems running in this
 * process (their state survives every server kill). It then drives at least `--instances`
 * applications (default: two per reglament; more while kills are still due) of every reglament in
 * processes/ generically, `--workers` at a time: each is started with variables that satisfy its start
 * form (a fresh applicant prepared in the simulators: portal user, GBD record, payment, EDS-signed
 * request), and every open task is completed with values that satisfy its form fields (enums and
 * booleans chosen at random, so refusals and approvals both happen). Meanwhile the server is
 * killed with SIGKILL at random moments (after a random uptime while requests are in flight) and
 * started again, `--kills` times. Every answer of an external system is held `--latency-ms` by a
 * proxy in front of its simulator, so that many kills land inside a step, between a side effect and the
 * step's commit; a share `--after-side-effect` of the kills waits for such a moment: it comes as
 * soon as a side-effecting call (a registration, a decision, a notification) has reached its system
 * and before the server has the answer. A request that the kill cut off is checked before it is repeated
 * (is the instance there? is the task still open?), as a careful client would.
 *
 * At the end, with the server up for good, it checks:
 *  - every application has exactly one root instance, and every instance has completed or waits on
 *    an open task; no incident is open;
 *  - every instance's history has each step once (each task created and completed once, each
 *    activity ended once, each service task completed once) and the completions match the tasks;
 *  - the simulators saw each side effect at most once per request: one E-licensing registration
 *    per instance tree, whose number, decision and licence number are those the instance stored;
 *    one State corporation registration per instance tree; one cabinet notification per instance
 *    and service task, and the result document the recipient got is the one the instance stored
 *    (signed once). A step whose transaction the kill discarded is made again with the same ids
 *    (starts carry an Idempotency-Key; called instances get ids derived from their caller's state),
 *    so its repeat reaches the systems as the same request: a side effect that belongs to no
 *    instance (`orphanSideEffects`) fails the run unless `--strict-orphans 0`.
 *  - every completion the server answered 200 is stored whole: its task is completed, the history
 *    records the completion once and the engine left the task (its activity ended);
 *  - every deployment answered 2xx is stored as it said: the version it reported holds the content sent.
 * Deployments run during the whole run (`--deploy-every` steps apart, 0 = none), each under the same
 * kills: in turn a small diagram (test/fixtures/processes/write-lock) whose documentation changes, a
 * reglament of processes/ unchanged (no new version), and a reglament whose documentation changes (a
 * new version: applications started after it run on it, running ones stay on theirs).
 * It prints its counts and, last, one line `FAULT-INJECTION-RESULT <json>`; exit code 0 when every
 * check passed.
 *
 * The parts: options.ts (command line), server-under-test.ts (the child process), slow-proxy.ts,
 * killer.ts, deployer.ts, client.ts (HTTP with kills in mind), applications.ts (the careful client,
 * on the reglament driver's form values and applicants), checks.ts, report.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHARED_FLOW_KEYS } from '../../src/handlers/support';
import { SIMULATED_SYSTEMS, startSimulators } from '../../src/integrations/simulators';
import { envOfSystemUrls } from '../../src/integrations/systems';
import { seededRandom } from '../support/form-values';
import { SimulatorControl, simulatorAdapters } from '../support/simulators';
import { groupsOfDiagrams, UNREGISTERED_EMPLOYEE, writeUsersFile } from '../support/test-host';
import { Application, ApplicationClient, startFormsOf } from './applications';
import { checkAcknowledged, checkEndStates, checkHistories, checkSideEffects, readInstances } from './checks';
import { faultClient } from './client';
import { deployDuringRun } from './deployer';
import { killAtRandom } from './killer';
import { FaultOptions, parseFaultOptions } from './options';
import { FaultInjectionResult, printReport } from './report';
import { ROOT, ServerUnderTest } from './server-under-test';
import { ExternalTraffic, slowProxy } from './slow-proxy';
import { newTally } from './tally';

const PROCESSES_DIR = process.env.PROCESSES_DIR ? path.resolve(process.env.PROCESSES_DIR) : path.join(ROOT, 'processes');

export async function runFaultInjection(options: FaultOptions): Promise<FaultInjectionResult> {
  const began = Date.now();
  const { seed } = options;
  const random = seededRandom(seed);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reglament-faults-'));
  const usersFile = writeUsersFile(dir, groupsOfDiagrams(PROCESSES_DIR));
  const users = new Set((JSON.parse(fs.readFileSync(usersFile, 'utf8')) as { id: string }[]).map((u) => u.id));
  const tally = newTally();

  const simulators = await startSimulators({ host: '127.0.0.1', employees: [...users].filter((id) => id !== UNREGISTERED_EMPLOYEE), dataDir: path.join(dir, 'simulators') });
  const sim = new SimulatorControl(simulators, simulatorAdapters(simulators), () => new Date());
  const find = simulators.payments.find.bind(simulators.payments);
  simulators.payments.find = (payer: string, service?: string) => {
    tally.paymentChecks++;
    return find(payer, service);
  };

  // Every external system behind a slow proxy; the server under test is pointed at the proxies.
  const traffic: ExternalTraffic = { calls: 0 };
  const proxies = await Promise.all(SIMULATED_SYSTEMS.map(async (system) => [system, await slowProxy(simulators.urls[system], options.latencyMs, traffic)] as const));
  const server = new ServerUnderTest({
    DATA_DIR: dir,
    DB_FILE: path.join(dir, 'faults.sqlite'),
    PROCESSES_DIR,
    USERS_FILE: usersFile,
    PORT: '0',
    HOST: '127.0.0.1',
    TIMER_POLL_MS: '0',
    ...envOfSystemUrls(Object.fromEntries(proxies.map(([system, proxy]) => [system, proxy.url]))),
    EXTERNAL_BACKOFF_MS: '20',
  });
  const api = faultClient(server);

  try {
    await server.start();
    const definitions = (await api.read('admin', '/process-definitions')).body as { key: string }[];
    const reglaments = definitions.map((d) => d.key).filter((k) => !SHARED_FLOW_KEYS.has(k)).sort();
    const client = new ApplicationClient(api, tally, { seed, random, reglaments, startForms: await startFormsOf(api, reglaments), sim, users });
    const instancesWanted = options.instances ?? reglaments.length * 2;

    const killer = killAtRandom(server, traffic, tally, options, random);
    const deployer = deployDuringRun(api, tally, { every: options.deployEvery, seed, reglaments, processesDir: PROCESSES_DIR });

    // --instances is the least number of applications; while kills are still due, more are made so
    // that every kill lands on a server at work.
    const next = async (): Promise<Application | undefined> => (client.applications.length < instancesWanted || server.kills < options.kills ? client.make() : undefined);
    await Promise.all(
      Array.from({ length: options.workers }, async () => {
        for (let app = await next(); app; app = await next()) {
          try {
            await client.drive(app);
          } catch (error) {
            app.error = error instanceof Error ? error.message : String(error);
            tally.fail(`${app.businessKey} (${app.key}): ${app.error}`);
          }
        }
      }),
    );
    tally.workDone = true;
    await killer;
    await deployer;
    if (server.kills < options.kills) tally.fail(`only ${server.kills} of ${options.kills} kills happened`);

    const applications = client.applications;
    const instances = await readInstances(api);
    const outcomes = await checkEndStates(api, applications, instances, tally);
    await checkHistories(api, instances, tally);
    await checkAcknowledged(api, instances, tally);
    const { sideEffects, orphanSideEffects } = checkSideEffects(simulators, applications, instances, tally, options.strictOrphans);
    return {
      ok: tally.failures.length === 0,
      seed,
      reglaments,
      instances: applications.length,
      instancesTotal: instances.all.length,
      kills: server.kills,
      serverStarts: server.starts,
      steps: tally.steps,
      cutRequests: tally.cut,
      replayedStarts: tally.replayedStarts,
      deployments: { answered: tally.deployments.length, newVersions: tally.deployments.filter((d) => d.created).length, cut: tally.deploymentsCut },
      acknowledgedCompletions: tally.acknowledged.length,
      outcomes,
      sideEffects: { ...sideEffects, paymentChecks: tally.paymentChecks, externalCalls: traffic.calls },
      orphanSideEffects,
      failures: tally.failures,
      seconds: Math.round((Date.now() - began) / 1000),
    };
  } finally {
    await server.stop();
    await Promise.all(proxies.map(([, proxy]) => proxy.close()));
    await simulators.close();
    if (!process.env.KEEP_FAULTS_DIR) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  Promise.resolve()
    .then(() => runFaultInjection(parseFaultOptions(process.argv.slice(2))))
    .then(
      (result) => {
        printReport(result);
        process.exitCode = result.ok ? 0 : 1;
      },
      (error: unknown) => {
        console.error(error instanceof Error ? (error.stack ?? error.message) : error);
        process.exitCode = 2;
      },
    );
}
