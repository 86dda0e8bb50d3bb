import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OperationsSnapshot } from '../persistence/operations-query';

/** The engine's step telemetry and the HTTP client's call observer, as plain data (the ports live in those layers). */
export interface StepSample {
  reglament: string;
  outcome: 'waiting' | 'ended' | 'incident' | 'failed';
  code?: string;
  seconds: number;
}

export interface ExternalCallSample {
  system: string;
  /** The operation behind one address (a ShEP service id); empty for a system with one. */
  service?: string;
  failed: boolean;
  seconds: number;
}

export interface MetricsSources {
  /** Counts of the stored work (persistence/operations-query); read at most once per `snapshotTtlMs`. */
  snapshot(): Promise<OperationsSnapshot>;
  /** The database pool, where there is one. */
  pool(): { total: number; idle: number; waiting: number } | null;
  snapshotTtlMs?: number;
}

/** Step and external-call durations: a step is milliseconds to a minute (STEP_TIMEOUT_MS), a call up to its timeout with retries. */
const STEP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const CALL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The server's metrics in one registry of its own (several hosts in one test process do not mix):
 * counters and histograms moved by the step and call ports, gauges read from the database when
 * scraped, and Node's own (event-loop lag, heap, CPU, handles) from prom-client's defaults.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly stepsStarted: Counter<'reglament'>;
  private readonly stepsCompleted: Counter<'reglament' | 'outcome'>;
  private readonly stepsFailed: Counter<'reglament' | 'code'>;
  private readonly stepDuration: Histogram<'reglament'>;
  private readonly calls: Counter<'system'>;
  private readonly callFailures: Counter<'system'>;
  private readonly callDuration: Histogram<'system'>;
  private cached: { at: number; value: Promise<OperationsSnapshot> } | null = null;

  constructor(private readonly sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    this.stepsStarted = new Counter({ name: 'reglament_steps_started_total', help: 'Steps of process instances started in the engine, per reglament', labelNames: ['reglament'], registers });
    this.stepsCompleted = new Counter({
      name: 'reglament_steps_completed_total',
      help: 'Steps that reached a wait state (waiting), ended the instance (ended) or stopped at a handler incident (incident), per reglament',
      labelNames: ['reglament', 'outcome'],
      registers,
    });
    this.stepsFailed = new Counter({ name: 'reglament_steps_failed_total', help: 'Steps refused or aborted (nothing stored), per reglament and error code', labelNames: ['reglament', 'code'], registers });
    this.stepDuration = new Histogram({ name: 'reglament_step_duration_seconds', help: 'Duration of a step in the engine, handlers included', labelNames: ['reglament'], buckets: STEP_BUCKETS, registers });
    this.calls = new Counter({ name: 'reglament_external_calls_total', help: 'Calls to external systems (all attempts of one call count once)', labelNames: ['system', 'service'], registers });
    this.callFailures = new Counter({ name: 'reglament_external_call_failures_total', help: 'Calls that found the system unavailable after their attempts', labelNames: ['system', 'service'], registers });
    this.callDuration = new Histogram({ name: 'reglament_external_call_duration_seconds', help: 'Duration of a call to an external system, retries included', labelNames: ['system', 'service'], buckets: CALL_BUCKETS, registers });

    const snapshotGauge = <L extends string>(name: string, help: string, labelNames: L[], fill: (gauge: Gauge<L>, s: OperationsSnapshot) => void) =>
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers,
        collect: async function (this: Gauge<L>) {
          const snapshot = await metrics.snapshot();
          this.reset();
          fill(this, snapshot);
        },
      });
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const metrics = this;
    snapshotGauge('reglament_open_tasks', 'Open user tasks per candidate group (a task of two groups counts in both)', ['group'], (g, s) => s.openTasksByGroup.forEach((r) => g.set({ group: r.group }, r.count)));
    snapshotGauge('reglament_overdue_tasks', 'Open tasks past their legal time limit, per reglament and step', ['reglament', 'step'], (g, s) => s.overdueTasks.forEach((r) => g.set({ reglament: r.reglament, step: r.step }, r.count)));
    snapshotGauge('reglament_at_risk_tasks', 'Open tasks in the last share of their time limit (AT_RISK_SHARE), not yet overdue, per reglament and step', ['reglament', 'step'], (g, s) =>
      s.atRiskTasks.forEach((r) => g.set({ reglament: r.reglament, step: r.step }, r.count)),
    );
    snapshotGauge('reglament_timers', 'Timers (diagram timer events and task time limits) per state: pending, fired, cancelled', ['state'], (g, s) => {
      for (const state of ['pending', 'fired']) g.set({ state }, 0);
      s.timersByState.forEach((r) => g.set({ state: r.state }, r.count));
    });
    snapshotGauge('reglament_open_incidents', 'Unresolved incidents (a handler failed; an admin retries), per reglament', ['reglament'], (g, s) => s.openIncidents.forEach((r) => g.set({ reglament: r.reglament }, r.count)));
    new Gauge({
      name: 'reglament_db_pool_connections',
      help: 'Database pool connections by state (PostgreSQL; sqlite has one connection and no pool)',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = metrics.sources.pool();
        this.reset();
        if (!pool) return;
        this.set({ state: 'in_use' }, pool.total - pool.idle);
        this.set({ state: 'idle' }, pool.idle);
        this.set({ state: 'waiting' }, pool.waiting);
      },
    });
  }

  step(sample: StepSample): void {
    this.stepDuration.observe({ reglament: sample.reglament }, sample.seconds);
    if (sample.outcome === 'failed') this.stepsFailed.inc({ reglament: sample.reglament, code: sample.code ?? 'INTERNAL' });
    else this.stepsCompleted.inc({ reglament: sample.reglament, outcome: sample.outcome });
  }

  stepStarted(reglament: string): void {
    this.stepsStarted.inc({ reglament });
  }

  externalCall(sample: ExternalCallSample): void {
    const labels = { system: sample.system, service: sample.service ?? '' };
    this.calls.inc(labels);
    if (sample.failed) this.callFailures.inc(labels);
    this.callDuration.observe(labels, sample.seconds);
  }

  /** The Prometheus text exposition of every metric. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** One database read serves every gauge of a scrape, and the scrapes of a few seconds (several Prometheus servers, a dashboard's refresh). */
  private snapshot(): Promise<OperationsSnapshot> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > (this.sources.snapshotTtlMs ?? 5000)) {
      const value = this.sources.snapshot();
      this.cached = { at: now, value };
      // A failed read is not cached: the next scrape tries again.
      value.catch(() => (this.cached = null));
    }
    return this.cached.value;
  }
}
