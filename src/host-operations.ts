import http from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';
import { DataSource } from 'typeorm';
import { AppConfig } from './config';
import { StepTelemetry } from './engine/step';
import { observeExternalCalls } from './integrations/http-client';
import { graceful, GracefulServer } from './observability/graceful-close';
import { createLogger, Logger } from './observability/logger';
import { Metrics } from './observability/metrics';
import { notWhileStarting, opsRoutes } from './observability/ops-routes';
import { Readiness } from './observability/readiness';
import { requestLog } from './observability/request-log';
import { operationsSnapshot, poolUsage } from './persistence/operations-query';
import { writesDrained } from './persistence/write-lock';

/**
 * The host's operations side (issue 19): logger, metrics, readiness, and the order in which a
 * host shuts down. The lower layers report through their ports (StepTelemetry of the engine, the
 * HTTP client's call observer); this wires those ports to the metrics and the log.
 */
export class HostOperations {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly telemetry: StepTelemetry;
  private stepsInFlight = 0;
  private readonly graceful: GracefulServer[] = [];
  private readonly stopObservingCalls: () => void;
  private metricsServer?: http.Server;

  constructor(
    private readonly config: AppConfig,
    dataSource: DataSource,
    options: { logger?: Logger; awaitDeployment?: boolean; now: () => Date },
  ) {
    this.logger = options.logger ?? createLogger({ level: config.logLevel });
    this.readiness = new Readiness(options.awaitDeployment ? 'starting' : 'ready');
    this.metrics = new Metrics({ snapshot: () => operationsSnapshot(dataSource, options.now()), pool: () => poolUsage(dataSource), snapshotTtlMs: config.metricsCacheMs });
    this.telemetry = {
      stepStarted: (identity, command) => {
        const startedAt = performance.now();
        this.stepsInFlight++;
        this.metrics.stepStarted(identity.processDefinitionKey);
        return (end) => {
          this.stepsInFlight--;
          const seconds = (performance.now() - startedAt) / 1000;
          this.metrics.step({ reglament: identity.processDefinitionKey, outcome: end.outcome, code: end.outcome === 'failed' ? end.code : undefined, seconds });
          const line = {
            instanceId: identity.instanceId,
            reglament: identity.processDefinitionKey,
            activity: command.activityId ?? null,
            command: command.kind,
            ...end,
            durationMs: Math.round(seconds * 10_000) / 10,
          };
          if (end.outcome === 'failed' || end.outcome === 'incident') this.logger.warn(line, 'step');
          else this.logger.info(line, 'step');
        };
      },
    };
    this.stopObservingCalls = observeExternalCalls((call) => {
      this.metrics.externalCall({ system: call.system, service: call.service, failed: call.failed, seconds: call.durationMs / 1000 });
      const line = { system: call.system, ...(call.service ? { service: call.service } : {}), messageId: call.messageId, method: call.method, status: call.status ?? null, failed: call.failed, attempts: call.attempts, durationMs: Math.round(call.durationMs * 10) / 10 };
      if (call.failed) this.logger.warn(line, 'external call');
      else this.logger.info(line, 'external call');
    });
  }

  /** The API behind the request log, the health and metrics endpoints, and the "starting" refusal. */
  front(api: express.Express): express.Express {
    const app = express();
    app.disable('x-powered-by');
    app.use(requestLog(this.logger));
    app.use(opsRoutes(this.metrics, this.readiness, this.access(), 'api'));
    app.use(notWhileStarting(this.readiness));
    app.use(api);
    return app;
  }

  /** A server of the host: closed gracefully at shutdown. */
  track(server: http.Server): void {
    this.graceful.push(graceful(server));
  }

  /** METRICS_PORT, when set: /metrics and the health endpoints on a listener of their own. */
  async listenMetrics(hostname: string): Promise<string | undefined> {
    if (this.config.metricsPort === undefined || this.metricsServer) return undefined;
    const app = express();
    app.disable('x-powered-by');
    app.use(opsRoutes(this.metrics, this.readiness, this.access(), 'metrics-port'));
    const server = http.createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.metricsPort, hostname, () => resolve());
    });
    this.metricsServer = server;
    this.track(server);
    const port = (server.address() as AddressInfo).port;
    return `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`;
  }

  /**
   * Shuts the host down in order, each wait bounded by SHUTDOWN_TIMEOUT_MS: not ready; the
   * listeners stop accepting and let requests under way finish; the poller's round ends; steps
   * still in flight and queued commits finish; this process's timer leases are given back; then
   * `closeStore` closes the database.
   */
  async shutDown(parts: { stopScheduler(): void; stopPoller(): Promise<void>; releaseLeases(): Promise<number>; dataSource: DataSource; closeStore(): Promise<void> }): Promise<void> {
    this.readiness.stopping();
    const deadline = Date.now() + this.config.shutdownTimeoutMs;
    const bounded = (work: Promise<unknown>) => Promise.race([work, new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref())]);
    parts.stopScheduler();
    await Promise.all([...this.graceful.map((g) => g.close(deadline)), bounded(parts.stopPoller())]);
    while (this.stepsInFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    if (parts.dataSource.isInitialized) {
      await bounded(writesDrained(parts.dataSource));
      const released = await parts.releaseLeases().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'timer leases not released; they expire on their own');
        return 0;
      });
      if (released) this.logger.info({ released }, 'timer leases released');
    }
    if (this.stepsInFlight > 0) this.logger.warn({ steps: this.stepsInFlight }, 'steps still running at the shutdown deadline are abandoned (nothing of them is stored)');
    this.stopObservingCalls();
    await parts.closeStore();
  }

  private access() {
    return { token: this.config.metricsToken, separatePort: this.config.metricsPort !== undefined };
  }
}
