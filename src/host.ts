import http from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { createApp } from './api/app';
import { HostContext, SignatureVerification } from './api/context';
import { readCalendarData } from './calendar/business-calendar';
import { CalendarInForce } from './calendar/calendar-in-force';
import { AppConfig } from './config';
import { DefinitionService, DeploymentResult } from './definitions/definition-service';
import { readProcessFiles } from './definitions/process-files';
import { DiagramTranslations, TranslationFiles } from './definitions/translations';
import { createDefaultHandlers } from './handlers';
import { HandlerRegistry } from './handlers/registry';
import { UserDirectory } from './identity/users';
import { apiStore } from './persistence/api-store';
import { openDatabase } from './persistence/data-source';
import { SqlDefinitionStore } from './persistence/definition-store';
import { SqlCalendarStore } from './persistence/calendar-store';
import { SqlWebSessionStore } from './persistence/session-store';
import { SqlAttachmentStore } from './persistence/attachment-store';
import { Attachments } from './runtime/attachments';
import { SqlSigningDraftStore } from './persistence/signing-draft-store';
import { SignaturesInStep } from './runtime/signatures-in-step';
import { CalendarCorrections } from './runtime/calendar-corrections';
import { Clock, systemClock } from './clock';
import { SqlInstanceStore } from './persistence/sql-instance-store';
import { DueDateCalculator } from './runtime/ports';
import { ProcessRuntime } from './runtime/process-runtime';
import { ExternalTasks } from './runtime/external-tasks';
import { SqlExternalTaskStore } from './persistence/external-task-store';
import { startPoller } from './scheduler/poller';
import { TimerScheduler } from './scheduler/timer-scheduler';
import { StepObserver, StepRunner } from './engine/step-runner';
import { HostOperations } from './host-operations';
import type { Logger } from './observability/logger';
import type { Metrics } from './observability/metrics';
import type { Readiness } from './observability/readiness';
import { SqlTimerLeases } from './persistence/operations-query';

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
  /** The EDS verifier of the external systems (Adapters.eds), for the signed documents of a case. */
  signatures?: SignatureVerification;
  /** Where the host logs (default: JSON lines on stdout at LOG_LEVEL). */
  logger?: Logger;
  /** Not ready (/health/ready 503, the API 503 STARTING) until deployProcessDirectory has deployed processes/ (the server's start). */
  awaitDeployment?: boolean;
}

export interface Host extends HostContext {
  /** The database, for the composition root's own work and tests; the HTTP layer gets `store`. */
  dataSource: DataSource;
  /** Runs instances' steps; keeps the engines of recently active instances (see StepRunner). */
  steps: StepRunner;
  logger: Logger;
  metrics: Metrics;
  readiness: Readiness;
  deployProcessDirectory(): Promise<DeploymentResult>;
  listen(port?: number, hostname?: string): Promise<{ server: http.Server; url: string }>;
  close(): Promise<void>;
}

/** Wires the host's parts together: database, definitions, runtime, HTTP API. */
export async function createHost(options: HostOptions): Promise<Host> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const handlers = options.handlers ?? createDefaultHandlers(config.externalSystems);
  // The file is read first, so that a broken one stops the start; the version in force comes from the database.
  const calendarInForce = options.dueDates ? null : new CalendarInForce({ version: 0, data: readCalendarData(config.calendarFile), hash: '' }, config.atRiskShare);
  const dueDates = options.dueDates ?? calendarInForce!;
  const dataSource: DataSource = await openDatabase({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, sqliteFile: config.database });
  const ops = new HostOperations(config, dataSource, { logger: options.logger, awaitDeployment: options.awaitDeployment, now: () => clock.now() });
  const calendar = new CalendarCorrections(new SqlCalendarStore(dataSource), calendarInForce, clock);
  await calendar.start(config.calendarFile);
  const definitions = new DefinitionService(new SqlDefinitionStore(dataSource), handlers, () => clock.now(), calendarInForce?.zone);
  const externalTopics = new Set(config.externalTaskTopics ?? []);
  const signingDrafts = new SqlSigningDraftStore(dataSource);
  const signaturesInStep = new SignaturesInStep();
  // A worker may set only what the topic's handler declares it produces: a topic no handler registers has no such list.
  const unknownTopics = [...externalTopics].filter((topic) => !handlers.get(topic));
  if (unknownTopics.length > 0) throw new Error(`EXTERNAL_TASK_TOPICS names ${unknownTopics.join(', ')}, which no handler registers (known: ${handlers.names().join(', ')})`);
  const steps = new StepRunner({
    externalTopics,
    handlers,
    now: () => clock.now(),
    engineCacheSize: config.engineCacheSize,
    engineCacheIdleMs: config.engineCacheIdleMs,
    maxTransitions: config.stepMaxTransitions,
    timeoutMs: config.stepTimeoutMs,
    onStep: options.onStep,
    telemetry: ops.telemetry,
    signedDocuments: {
      async lastSigned(rootInstanceId, kind) {
        const draft = await signingDrafts.lastSigned(rootInstanceId, kind, (taskId) => signaturesInStep.of(taskId));
        return draft && { id: draft.id, kind: draft.kind, taskDefinitionKey: draft.taskDefinitionKey, cms: draft.cms!, signerIin: draft.signerIin, signedAt: draft.signedAt };
      },
    },
  });
  // Each commit wakes workers waiting for external tasks (the service is made below, on the runtime over this store).
  const committed: { to?: ExternalTasks } = {};
  const store = new SqlInstanceStore(dataSource, (uow) => committed.to?.committed(uow));
  const runtime = new ProcessRuntime({ store, definitions, steps, clock, dueDates, groups: options.users, signaturesInStep });
  const externalTasks = new ExternalTasks({ store: new SqlExternalTaskStore(dataSource), runtime, handlers, clock, topics: externalTopics });
  committed.to = externalTasks;
  const scheduler = new TimerScheduler({ store, runtime, definitions, clock, leases: new SqlTimerLeases(dataSource) });
  const translations = new DiagramTranslations(definitions, new TranslationFiles(config.processesDir));
  const context: HostContext = { store: apiStore(dataSource), definitions, translations, runtime, scheduler, calendar, users: options.users, sessions: new SqlWebSessionStore(dataSource), handlers, clock, attachments: new Attachments({ records: new SqlAttachmentStore(dataSource), instances: store, clock, maxBytes: config.attachmentMaxBytes }), signingDrafts, ncalayerUrl: config.ncalayerUrl, signatures: options.signatures, workingMinutes: (a, b) => dueDates.workingMinutes?.(a, b) ?? (b.getTime() - a.getTime()) / 60000 };
  context.externalTasks = externalTasks;
  const servers: http.Server[] = [];
  const pollMs = options.timerPollMs ?? config.timerPollMs;
  const poller =
    pollMs > 0
      ? startPoller(async () => {
          await calendar.refresh();
          const { failed } = await scheduler.fireDueTimers();
          failed.forEach((f) => ops.logger.error({ timerId: f.timerId, error: f.error }, 'timer failed'));
        }, pollMs, (error) => ops.logger.error({ err: error }, 'timer poll failed'))
      : undefined;

  return {
    ...context,
    dataSource,
    steps,
    logger: ops.logger,
    metrics: ops.metrics,
    readiness: ops.readiness,
    async deployProcessDirectory() {
      const result = await definitions.deploy(readProcessFiles(config.processesDir), { name: 'processes/ at start', source: 'startup' });
      ops.readiness.ready();
      return result;
    },
    async listen(port = config.port, hostname = config.host) {
      // Links name PUBLIC_URL, or else the address this server listens on (known once it listens).
      let publicUrl = config.publicUrl;
      const app = createApp(context, { publicUrl: () => publicUrl ?? `http://${hostname}:${config.port}`, authFailureLimit: config.authFailureLimit, authFailureWindowMs: config.authFailureWindowMs, sessionLimits: { maxAgeMs: config.sessionMaxAgeMs, idleMs: config.sessionIdleMs } });
      const server = http.createServer(ops.front(app));
      ops.track(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, hostname, () => resolve());
      });
      servers.push(server);
      const address = server.address() as AddressInfo;
      const url = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${address.port}`;
      publicUrl ??= url;
      const metricsUrl = await ops.listenMetrics(hostname);
      if (metricsUrl) ops.logger.info({ url: `${metricsUrl}/metrics` }, 'metrics listening');
      return { server, url };
    },
    async close() {
      // A worker's long poll would hold the listener open until its timeout.
      externalTasks.stop();
      await ops.shutDown({
        stopScheduler: () => scheduler.stop(),
        stopPoller: async () => poller?.stop(),
        releaseLeases: () => scheduler.releaseLeases(),
        dataSource,
        closeStore: async () => {
          await steps.clear();
          if (dataSource.isInitialized) await dataSource.destroy();
        },
      });
    },
  };
}
