import { HistoryEntity, HistoryRow } from '../../src/persistence/entities';
import { unfoldFlows } from '../../src/persistence/history-flows';
import type { ProcessModel } from '../../src/definitions/model';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';

/*
 * Issue 19 point 5: a history row stores no element name and an activity-end row no element type; both
 * are read from the deployed definition, which never changes. Every reader gives them back as before:
 * the API's history (which the case page shows), /engine-rest's historic activity instances (their
 * name, type, filter and sort by name), and a row written before the change, which still carries its
 * name and type, reads the same as a new one.
 * The application is weapon-registration through the provider channel, waiting at the clerk's task
 * attach-documents of the called flow elicense-provider-intake; both diagrams name their elements in Kazakh.
 */
const KEY = 'weapon-registration';
const admin = 'admin';
const KAZAKH = /[әіңғүұқөһ]/i;
/** The row types whose writers stored the element's name before this change. */
const NAMED_BEFORE = new Set(['activity-end', 'service-completed', 'business-error', 'task-created', 'task-cancelled', 'task-completed', 'task-claimed', 'call-started', 'instance-completed']);

describe('history rows without element names, named from the deployed definition', () => {
  let t: TestHost;
  let parent: string;
  let child: string;
  const models = new Map<string, ProcessModel>();

  const rowsOf = (instanceId: string): Promise<HistoryRow[]> => t.host.dataSource.getRepository(HistoryEntity).find({ where: { processInstanceId: instanceId }, order: { id: 'ASC' } });
  const apiHistory = async (instanceId: string) => {
    const res = await t.call(admin, 'GET', `/process-instances/${instanceId}/history`);
    expect(res.status).toBe(200);
    return res.body as { type: string; activityId?: string; activityName?: string; data?: Record<string, unknown> }[];
  };
  async function camunda(route: string) {
    const response = await fetch(`${t.url}/engine-rest${route}`, { headers: { accept: 'application/json', authorization: `Bearer ${tokenOf(admin)}` } });
    expect({ route, status: response.status }).toEqual({ route, status: 200 });
    return (await response.json()) as any;
  }
  const modelOf = (instanceId: string) => models.get(instanceId)!;

  beforeAll(async () => {
    t = await startTestHost();
    const applicant = await t.sim.prepareApplicant({ kind: 'legal-entity', processKey: KEY });
    const started = await t.call('office-user', 'POST', `/process-definitions/${KEY}/start`, { variables: { ...applicant, channel: 'provider', variant: 'registration', applicantKind: 'legal-entity' } });
    expect(started.status).toBe(201);
    parent = started.body.id;
    const children = (await t.call(admin, 'GET', '/process-instances?processDefinitionKey=elicense-provider-intake&maxResults=1000')).body.items;
    child = children.find((i: any) => i.parentInstanceId === parent).id;
    for (const id of [parent, child]) {
      const instance = (await t.call(admin, 'GET', `/process-instances/${id}`)).body;
      models.set(id, (await t.host.definitions.load(instance.processDefinitionId)).model);
    }
  });
  afterAll(() => t.close());

  it('stores no element name in any new row and no element type in an activity-end row', async () => {
    for (const id of [parent, child]) {
      const rows = await rowsOf(id);
      // Most activity-end rows are stored inside the row before them (history-flows.ts); read back, they are there.
      expect(unfoldFlows(rows).some((r) => r.type === 'activity-end')).toBe(true);
      expect(rows.filter((r) => r.activityName !== null).map((r) => `${r.type} ${r.activityId}: ${r.activityName}`)).toEqual([]);
      expect(rows.filter((r) => r.type === 'activity-end' && r.data !== null && 'type' in JSON.parse(r.data)).map((r) => r.activityId)).toEqual([]);
    }
  });

  it('answers the API history with each element row named in Kazakh and each activity-end typed, from the definition', async () => {
    for (const id of [parent, child]) {
      const model = modelOf(id);
      const history = await apiHistory(id);
      const ofElements = history.filter((e) => e.activityId !== undefined && model.elements.has(e.activityId));
      expect(ofElements.length).toBeGreaterThan(3);
      for (const entry of ofElements) {
        const element = model.elements.get(entry.activityId!)!;
        expect({ id: entry.activityId, name: entry.activityName }).toEqual({ id: entry.activityId, name: element.name });
        if (entry.type === 'activity-end') expect({ id: entry.activityId, type: entry.data?.type }).toEqual({ id: entry.activityId, type: element.type });
      }
    }
    const created = (await apiHistory(child)).find((e) => e.type === 'task-created');
    expect(created).toMatchObject({ activityId: 'attach-documents', activityName: modelOf(child).elements.get('attach-documents')!.name });
    expect(created!.activityName).toMatch(KAZAKH);
    const started = (await apiHistory(parent)).find((e) => e.type === 'activity-end' && e.data?.type === 'bpmn:StartEvent');
    expect(started?.activityName).toMatch(KAZAKH);
  });

  it('gives /engine-rest historic activity instances their Kazakh names and types, filtered and sorted by name', async () => {
    const name = modelOf(child).elements.get('attach-documents')!.name!;
    const byName = await camunda(`/history/activity-instance?processInstanceId=${child}&activityName=${encodeURIComponent(name)}`);
    expect(byName.map((a: any) => [a.activityId, a.activityName, a.activityType])).toEqual([['attach-documents', name, 'userTask']]);
    const sorted = await camunda(`/history/activity-instance?processInstanceId=${parent}&sortBy=activityName&sortOrder=asc`);
    const names = sorted.map((a: any) => a.activityName);
    expect(names.length).toBeGreaterThan(1);
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
    for (const a of sorted) expect({ id: a.activityId, name: a.activityName }).toEqual({ id: a.activityId, name: modelOf(parent).elements.get(a.activityId)!.name });
  });

  it('reads a row written before the change, with its stored name and type, the same as a new one', async () => {
    for (const id of [parent, child]) {
      const model = modelOf(id);
      const apiBefore = await apiHistory(id);
      const activitiesBefore = await camunda(`/history/activity-instance?processInstanceId=${id}`);
      const repository = t.host.dataSource.getRepository(HistoryEntity);
      // What the server stored until this change: the element's name in the rows of the engine's and the
      // tasks' events (not in flows taken, timers or incidents), the type in activity-end's data.
      for (const row of await rowsOf(id)) {
        const element = row.activityId ? model.elements.get(row.activityId) : undefined;
        if (!element || !NAMED_BEFORE.has(row.type)) continue;
        const data = row.type === 'activity-end' ? JSON.stringify({ ...(row.data ? JSON.parse(row.data) : {}), type: element.type }) : row.data;
        await repository.update({ id: row.id }, { activityName: element.name ?? null, data });
      }
      expect((await rowsOf(id)).filter((r) => r.activityName !== null).length).toBeGreaterThan(0);
      expect(await apiHistory(id)).toEqual(apiBefore);
      expect(await camunda(`/history/activity-instance?processInstanceId=${id}`)).toEqual(activitiesBefore);
    }
  });

  it('prefers a stored name to the definition’s', async () => {
    const row = (await rowsOf(child)).find((r) => r.type === 'task-created')!;
    await t.host.dataSource.getRepository(HistoryEntity).update({ id: row.id }, { activityName: 'Сақталған атау' });
    expect((await apiHistory(child)).find((e) => e.type === 'task-created')?.activityName).toBe('Сақталған атау');
  });
});
