import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../src/clock';
import { median, percentile } from '../../src/reports/sla-report';
import { startTestHost, TestHost } from '../support/test-host';

const fixtures = path.resolve(__dirname, '../fixtures/processes/timers-and-errors');
const expected = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/reports/sla-fixture-checker.json'), 'utf8'));

describe('compliance report GET /reports/sla', () => {
  let t: TestHost;
  const clock = new ManualClock(new Date('2026-03-02T05:00:00Z')); // Monday 10:00 in Almaty

  beforeAll(async () => {
    t = await startTestHost({ processesDir: fixtures, clock });
    for (let i = 0; i < 3; i++) {
      expect((await t.call('olga-office', 'POST', '/process-definitions/fixture-parent/start', { businessKey: `SLA-${i}` })).status).toBe(201);
    }
    const tasks = (await t.call('sanzhar-specialist', 'GET', '/tasks?processDefinitionKey=fixture-checker&sortBy=created')).body.items;
    expect(tasks).toHaveLength(3);
    const completions = ['2026-03-02T06:00:00Z', '2026-03-02T10:00:00Z', '2026-03-03T05:00:00Z'];
    for (const [i, at] of completions.entries()) {
      clock.set(new Date(at));
      expect((await t.call('sanzhar-specialist', 'POST', `/tasks/${tasks[i].id}/complete`, { variables: { ok: true } })).status).toBe(200);
    }
  });
  afterAll(() => t.close());

  it('matches the hand-computed fixture per reglament and per step', async () => {
    const res = await t.call('hasan-head', 'GET', '/reports/sla?processDefinitionKey=fixture-checker');
    expect(res.status).toBe(200);
    expect(res.body.processes).toEqual(expected.processes);
  });

  it('counts only completions inside [from, to)', async () => {
    const res = await t.call('admin', 'GET', '/reports/sla?processDefinitionKey=fixture-checker&from=2026-03-03T00:00:00Z&to=2026-03-04T00:00:00Z');
    expect(res.body.processes[0]).toMatchObject({ completed: 1, withinLimit: 0, steps: [expect.objectContaining({ medianWorkingMinutes: 480 })] });
    // No completion in the window: what remains are the steps with open tasks (counted now, whatever the window).
    const none = await t.call('admin', 'GET', '/reports/sla?from=2027-01-01T00:00:00Z');
    expect(none.body.processes.map((p: any) => [p.processDefinitionKey, p.completed, p.open])).toEqual([['fixture-parent', 0, 3]]);
  });

  it('is for heads and admins only, and rejects a malformed date', async () => {
    expect((await t.call('olga-office', 'GET', '/reports/sla')).status).toBe(403);
    const bad = await t.call('admin', 'GET', '/reports/sla?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('from');
  });
});

describe('median and percentile', () => {
  it.each([
    [[5], 5, 5],
    [[1, 2], 1.5, 2],
    [[4, 1, 3, 2], 2.5, 4],
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 55, 90],
  ])('%j -> median %d, p90 %d', (values, m, p) => {
    expect(median(values)).toBe(m);
    expect(percentile(values, 90)).toBe(p);
  });
});
