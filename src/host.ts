import http from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { createApp } from './api/app';
import { HostContext } from './api/context';
import { loadCalendar } from './calendar/business-calendar';
import { parseTimeLimit } from './calendar/time-limit';
import { AppConfig } from './config';
import { DefinitionService, DeploymentResult } from './definitions/definition-service';
import { readProcessFiles } from './definitions/process-files';
import { createDefaultHandlers } from './handlers';
import { HandlerRegistry } from './handlers/registry';
import { UserDirectory } from './identity/users';
import { openDatabase } from './persistence/data-source';
import { Clock, systemClock } from './clock';
import { DueDateCalculator, ProcessRuntime } from './runtime/process-runtime';
import { StepObserver, StepRunner } from './engine/step-runner';

export interface HostOptions {
  config: AppConfig;
  users: UserDirectory;
  clock?: Clock;
  handlers?: HandlerRegistry;
  dueDates?: DueDateCalculator;
  /** How often the host looks for due timers; 0 = never (tests fire them through the API). Default 1000 ms. */
  timerPollMs?: number;
  /** Told of every step the engine ran (the tests record BPMN coverage with it). */
  onStep?: StepObserver;
}

export interface Host extends HostContext {
  /** Runs instances' steps; keeps the engines of recently active instances (see StepRunner). */
  steps: StepRunner;
  deployProcessDirectory(): Promise<DeploymentResult>;
  listen(port?: number, hostname?: string): Promise<{ server: http.Server; url: string }>;
  close(): Promise<void>;
}

/** Wires the host's parts together: database, definitions, runtime, HTTP API. */
export async function createHost(options: HostOptions): Promise<Host> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const handlers = options.handlers ?? createDefaultHandlers(config.externalSystems);
  const dueDates = options.dueDates ?? calendarDueDates(config.calendarFile);
  const dataSource: DataSource = await openDatabase({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, sqliteFile: config.database });
  const definitions = new DefinitionService(dataSource, handlers, () => clock.now());
  const steps = new StepRunner({
    handlers,
    now: () => clock.now(),
    engineCacheSize: config.engineCacheSize,
    engineCacheIdleMs: config.engineCacheIdleMs,
    maxTransitions: config.stepMaxTransitions,
    timeoutMs: config.stepTimeoutMs,
    onStep: options.onStep,
  });
  const runtime = new ProcessRuntime({ dataSource, definitions, steps, clock, dueDates });
  const workingMinutes = dueDates.workingMinutes ?? ((from: Date, to: Date) => (to.getTime() - from.getTime()) / 60000);
  const context: HostContext = { dataSource, definitions, runtime, users: options.users, handlers, clock, workingMinutes: (a, b) => workingMinutes(a, b) };
  const servers: http.Server[] = [];
  const pollMs = options.timerPollMs ?? config.timerPollMs;
  let polling = false;
  const poller =
    pollMs > 0
      ? setInterval(() => {
          if (polling) return;
          polling = true;
          runtime
            .fireDueTimers()
            .then(({ failed }) => failed.forEach((f) => console.error(`timer ${f.timerId} failed: ${f.error}`)))
            .catch((error: unknown) => console.error('timer poll failed:', error))
            .finally(() => (polling = false));
        }, pollMs)
      : undefined;
  // A poll must not keep a finished process alive.
  poller?.unref();

  return {
    ...context,
    steps,
    deployProcessDirectory: () => definitions.deploy(readProcessFiles(config.processesDir), { name: 'processes/ at start', source: 'startup' }),
    async listen(port = config.port, hostname = config.host) {
      // Links name PUBLIC_URL, or else the address this server listens on (known once it listens).
      let publicUrl = config.publicUrl;
      const app = createApp(context, { publicUrl: () => publicUrl ?? `http://${hostname}:${config.port}`, authFailureLimit: config.authFailureLimit, authFailureWindowMs: config.authFailureWindowMs });
      const server = http.createServer(app);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, hostname, () => resolve());
      });
      servers.push(server);
      const address = server.address() as AddressInfo;
      const url = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${address.port}`;
      publicUrl ??= url;
      return { server, url };
    },
    async close() {
      if (poller) clearInterval(poller);
      await Promise.all(servers.map((s) => new Promise((resolve) => { s.close(resolve); s.closeAllConnections(); })));
      await steps.clear();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/** Due dates in working time from the Kazakhstan business calendar. */
export function calendarDueDates(calendarFile?: string): DueDateCalculator {
  const calendar = loadCalendar({ file: calendarFile });
  return { due: (created, timeLimit) => calendar.dueDate(created, parseTimeLimit(timeLimit)), workingMinutes: (from, to) => calendar.workingMinutesBetween(from, to) };
}
