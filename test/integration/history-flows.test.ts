import path from 'node:path';
import { HistoryEntity } from '../../src/persistence/entities';
import { startTestHost, TestHost } from '../support/test-host';

/*
 * Issue 19 point 5: the flows a step took are stored in the row of the element they leave, and an
 * element's end in the row that says why it ended, not as rows of their own, and every reader gets
 * the history as before: the API's history (each flow a flow-taken row after the end of its
 * element), /engine-rest's activity instances (started by the flow that led to them).
 */
const fixtures = path.resolve(__dirname, '../fixtures/processes/call-activity');

describe('flows taken, stored with the element they leave', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ processesDir: fixtures });
  });
  afterAll(() => t.close());

  it('stores no flow-taken row, and the history lists each flow after the end of its element', async () => {
    const id = (await t.call('olga-office', 'POST', '/process-definitions/test-parent/start', { businessKey: 'HF-1' })).body.id;
    const prepare = (await t.call('olga-office', 'GET', `/tasks?processInstanceId=${id}`)).body.items[0];
    expect((await t.call('olga-office', 'POST', `/tasks/${prepare.id}/complete`, {})).status).toBe(200);

    const stored = await t.host.dataSource.getRepository(HistoryEntity).find({ where: { processInstanceId: id }, order: { id: 'ASC' } });
    expect(stored.filter((r) => r.type === 'flow-taken')).toEqual([]);
    const history = (await t.call('admin', 'GET', `/process-instances/${id}/history`)).body as { type: string; activityId?: string; at: string }[];
    const engineRows = history.filter((h) => h.type === 'activity-end' || h.type === 'flow-taken').map((h) => `${h.type} ${h.activityId}`);
    expect(engineRows.slice(0, 4)).toEqual(['activity-end start', 'flow-taken f1', 'activity-end prepare', 'flow-taken f2']);
    // The task's end (and the flow after it) is stored in the completion, and read back after it.
    expect(stored.filter((r) => r.activityId === 'prepare').map((r) => r.type)).toEqual(['task-created', 'task-completed']);
    const completed = history.findIndex((h) => h.type === 'task-completed');
    expect(history.slice(completed, completed + 3).map((h) => `${h.type} ${h.activityId}`)).toEqual(['task-completed prepare', 'activity-end prepare', 'flow-taken f2']);
    expect(history.length).toBeGreaterThan(stored.length);
  });
});
