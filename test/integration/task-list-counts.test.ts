import { startTestHost, TestHost } from '../support/test-host';

/*
 * A group's task-list total comes from a counter the units of work keep (task_group_counts), not
 * from counting the group's open tasks. Whatever opens or closes tasks, the counter must equal the
 * count of the group's open tasks and the total the list reports.
 */
const KEY = 'cotton-warehouse-license';
const variables = { variant: 'issue', resultForm: 'paper', applicantName: 'ТОО «Санақ»', applicantIinBin: '140540012346' };

describe('task-list totals from the open-task counters', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  async function check(): Promise<Record<string, number>> {
    const counted: { groupId: string; n: number }[] = await t.host.dataSource.query(`SELECT "groupId", COUNT(*) AS n FROM "task_candidate_groups" WHERE "state" = 'open' GROUP BY "groupId"`);
    const kept: { groupId: string; open: number }[] = await t.host.dataSource.query(`SELECT "groupId", "open" FROM "task_group_counts" WHERE "open" <> 0`);
    const expected = Object.fromEntries(counted.map((r) => [r.groupId, Number(r.n)]));
    expect(Object.fromEntries(kept.map((r) => [r.groupId, Number(r.open)]))).toEqual(expected);
    for (const [group, n] of Object.entries(expected)) {
      const list = (await t.call('admin', 'GET', `/tasks?candidateGroup=${group}&maxResults=1000`)).body;
      expect({ group, total: list.total, items: list.items.length }).toEqual({ group, total: n, items: n });
    }
    return expected;
  }

  it('match the open tasks through starts, completions, a refusal and after each step', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const started = await t.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, { businessKey: `COUNT-${i}`, variables });
      expect(started.status).toBe(201);
      ids.push(started.body.id);
    }
    expect((await check()).office).toBe(4);
    const steps: [string, string, Record<string, unknown>?][] = [
      ['office', 'register-application'],
      ['head', 'head-resolution', { headResolution: 'Бөлімге', resolutionUnit: 'department' }],
      ['department-head', 'assign-specialist', { departmentHeadResolution: 'Орындауға', responsibleSpecialist: 'specialist-user' }],
      ['specialist', 'initial-check', { documentsComplete: false }],
    ];
    for (const [group, key, values] of steps) {
      for (const id of ids.slice(0, 3)) {
        const task = (await t.call('admin', 'GET', `/tasks?processInstanceId=${id}`)).body.items[0];
        expect(task.taskDefinitionKey).toBe(key);
        expect((await t.call(`${group}-user`, 'POST', `/tasks/${task.id}/complete`, { variables: values ?? {} })).status).toBe(200);
      }
      await check();
    }
    const counts = await check();
    expect(counts.office).toBe(1);
    // Three applications now wait at the refusal notice (specialist), the fourth at registration.
    expect(counts.specialist).toBe(3);
  });
});
