import type { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config';
import { HostOperations } from '../../../src/host-operations';
import { HttpClient } from '../../../src/integrations/http-client';
import { createLogger } from '../../../src/observability/logger';

/* The ports the engine and the HTTP client report through, as the host wires them: a metric and a log line for each step and call. */
describe('HostOperations', () => {
  const lines: string[] = [];
  const ops = new HostOperations(loadConfig({}, '/tmp'), { isInitialized: false } as DataSource, {
    logger: createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } }),
    now: () => new Date(),
  });
  const identity = { instanceId: 'inst-1', processDefinitionKey: 'cotton', businessKey: null, startedBy: 'u', rootProcessDefinitionKey: 'cotton', rootInstanceId: 'inst-1' } as never;
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const value = async (name: string, labels: Record<string, string>) =>
    (await ops.metrics.registry.getSingleMetric(name)!.get()).values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;

  afterAll(() => ops.shutDown({ stopScheduler: () => undefined, stopPoller: async () => undefined, releaseLeases: async () => 0, dataSource: { isInitialized: false } as DataSource, closeStore: async () => undefined }));

  it.each([
    [{ outcome: 'waiting' as const }, 'reglament_steps_completed_total', { outcome: 'waiting' }, 'info'],
    [{ outcome: 'ended' as const, endEvent: 'issued' }, 'reglament_steps_completed_total', { outcome: 'ended' }, 'info'],
    [{ outcome: 'incident' as const, incidentActivityId: 'lookup' }, 'reglament_steps_completed_total', { outcome: 'incident' }, 'warn'],
    [{ outcome: 'failed' as const, code: 'STEP_RUNAWAY' }, 'reglament_steps_failed_total', { code: 'STEP_RUNAWAY' }, 'warn'],
  ])('a step that ends %j is counted and logged', async (end, metric, labels, level) => {
    lines.length = 0;
    const before = (await value(metric, { reglament: 'cotton', ...labels })) ?? 0;
    const started = (await value('reglament_steps_started_total', { reglament: 'cotton' })) ?? 0;
    ops.telemetry.stepStarted(identity, { kind: 'signal', activityId: 'review' })(end);
    expect((await value(metric, { reglament: 'cotton', ...labels })) ?? 0).toBe(before + 1);
    expect(await value('reglament_steps_started_total', { reglament: 'cotton' })).toBe(started + 1);
    expect(records()).toEqual([expect.objectContaining({ level, msg: 'step', instanceId: 'inst-1', reglament: 'cotton', activity: 'review', command: 'signal', ...end })]);
  });

  it('counts and logs a call that found its system unavailable, with its message id', async () => {
    lines.length = 0;
    const client = new HttpClient({ system: 'gbd', baseUrl: 'http://127.0.0.1:9', attempts: 2, backoffMs: 1, timeoutMs: 1000 });
    await expect(client.get('/persons/1')).rejects.toThrow(/unavailable/);
    expect(await value('reglament_external_call_failures_total', { system: 'gbd' })).toBe(1);
    expect(await value('reglament_external_calls_total', { system: 'gbd' })).toBe(1);
    expect(records()).toEqual([expect.objectContaining({ level: 'warn', msg: 'external call', system: 'gbd', method: 'GET', status: null, failed: true, attempts: 2, messageId: expect.stringMatching(/^[0-9a-f-]{36}$/) })]);
  });
});
