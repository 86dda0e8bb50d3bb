import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../src/clock';
import { smallDiagram } from '../support/small-diagram';
import { startTestHost, tempDir, TestHost, tokenOf } from '../support/test-host';

/*
 * Law that changes: a version may carry the date from which it is in force (process property
 * inForceFrom). A new application starts on the version in force on its filing date (Almaty), an
 * earlier one keeps its version, /engine-rest by key follows the same rule and by id starts exactly
 * the version named, and the catalog says which version applies when.
 */
const KEY = 'amended-service';

/** start -> review (office, 3 working days) -> end; `taskName` tells the versions apart. */
function diagram(taskName: string, inForceFrom?: string): string {
  const xml = smallDiagram(
    KEY,
    [
      { id: 'start', type: 'bpmn:startEvent' },
      {
        id: 'review',
        type: 'bpmn:userTask',
        name: taskName,
        attrs: 'camunda:candidateGroups="office"',
        inner: '<bpmn:extensionElements><camunda:properties><camunda:property name="timeLimit" value="3 working days" /></camunda:properties></bpmn:extensionElements>',
      },
      { id: 'end', type: 'bpmn:endEvent' },
    ],
    [
      { id: 'f1', from: 'start', to: 'review' },
      { id: 'f2', from: 'review', to: 'end' },
    ],
  );
  if (inForceFrom === undefined) return xml;
  return xml.replace(/(<bpmn:process [^>]*>)/, `$1<bpmn:extensionElements><camunda:properties><camunda:property name="inForceFrom" value="${inForceFrom}" /></camunda:properties></bpmn:extensionElements>`);
}

/** 30 December 2026, 10:00 in Almaty. */
const BEFORE = new Date('2026-12-30T05:00:00Z');

describe('versions in force from a date', () => {
  let t: TestHost;
  const clock = new ManualClock(BEFORE);

  beforeAll(async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'processes'));
    fs.writeFileSync(path.join(dir, 'processes', `${KEY}.bpmn`), diagram('Өтінішті қарау'));
    t = await startTestHost({ processesDir: path.join(dir, 'processes'), dir, clock });
  });
  afterAll(() => t.close());

  const start = async () => {
    const res = await t.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, {});
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number };
  };

  const engineRest = async (route: string) => {
    const res = await fetch(`${t.url}/engine-rest${route}`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`olga-office:${tokenOf('olga-office')}`).toString('base64')}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { id: string; definitionId: string };
  };

  it('refuses an inForceFrom that is not a date, naming the property; nothing is deployed', async () => {
    const res = await t.call('admin', 'POST', '/deployments', { resources: [{ name: `${KEY}.bpmn`, source: diagram('Қате', '1 January 2027') }] });
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems).toEqual([expect.objectContaining({ rule: 'inForceFrom', elementId: KEY, message: expect.stringContaining('"1 January 2027" is not a date') })]);
    expect((await t.call('admin', 'GET', '/process-definitions?all=true')).body.filter((d: any) => d.key === KEY).map((d: any) => d.version)).toEqual([1]);
  });

  it('starts applications filed before the amendment on the old version and later ones on the new', async () => {
    const deployed = await t.call('admin', 'POST', '/deployments', { resources: [{ name: `${KEY}.bpmn`, source: diagram('Өтінішті қарау (2027 жылғы редакция)', '2027-01-01') }] });
    expect(deployed.status).toBe(201);
    expect(deployed.body.definitions).toEqual([expect.objectContaining({ key: KEY, version: 2, created: true, inForceFrom: '2027-01-01' })]);

    // Deployed, but not in force yet: today's applications, the start form and the catalog say version 1.
    const early = await start();
    expect(early.version).toBe(1);
    expect((await t.call('olga-office', 'GET', `/process-definitions/${KEY}`)).body).toMatchObject({ id: `${KEY}:1`, inForceFrom: null });
    const inForce = await t.call('olga-office', 'GET', `/process-definitions/${KEY}/in-force`);
    expect(inForce.body).toEqual({
      key: KEY,
      today: '2026-12-30',
      periods: [
        { id: `${KEY}:1`, version: 1, from: null, until: '2026-12-31' },
        { id: `${KEY}:2`, version: 2, from: '2027-01-01', until: null },
      ],
    });
    expect((await engineRest(`/process-definition/key/${KEY}/start`)).definitionId).toBe(`${KEY}:1`);
    // By id: exactly the version named, even a newer one not yet in force (an analyst trying the amendment).
    expect((await engineRest(`/process-definition/${KEY}:2/start`)).definitionId).toBe(`${KEY}:2`);

    // 31 December 2026, 19:30 UTC is already 1 January 2027 in Almaty: the filing date counts there.
    clock.set(new Date('2026-12-31T19:30:00Z'));
    const late = await start();
    expect(late.version).toBe(2);
    expect((await engineRest(`/process-definition/key/${KEY}/start`)).definitionId).toBe(`${KEY}:2`);
    // By id, a version older than the one in force is refused, naming the one in force.
    const old = await fetch(`${t.url}/engine-rest/process-definition/${KEY}:1/start`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`olga-office:${tokenOf('olga-office')}`).toString('base64')}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(old.status).toBe(400);
    expect(((await old.json()) as { message: string }).message).toContain(`${KEY}:2`);
    expect((await t.call('olga-office', 'GET', `/process-definitions/${KEY}/in-force`)).body).toEqual({
      key: KEY,
      today: '2027-01-01',
      periods: [{ id: `${KEY}:2`, version: 2, from: '2027-01-01', until: null }],
    });

    // The application filed in 2026 keeps version 1: its task is the old one and it finishes there.
    const tasks = (await t.call('olga-office', 'GET', `/tasks?processInstanceId=${early.id}`)).body.items;
    expect(tasks).toEqual([expect.objectContaining({ name: 'Өтінішті қарау' })]);
    const lateTasks = (await t.call('olga-office', 'GET', `/tasks?processInstanceId=${late.id}`)).body.items;
    expect(lateTasks).toEqual([expect.objectContaining({ name: 'Өтінішті қарау (2027 жылғы редакция)' })]);
    expect((await t.call('olga-office', 'POST', `/tasks/${tasks[0].id}/complete`, {})).status).toBe(200);
    expect((await t.call('admin', 'GET', `/process-instances/${early.id}`)).body).toMatchObject({ version: 1, state: 'completed' });
  });

  it('refuses a start when every version comes into force later', async () => {
    const key = 'future-only';
    const source = diagram('Болашақ', '2030-01-01').replaceAll(KEY, key);
    expect((await t.call('admin', 'POST', '/deployments', { resources: [{ name: `${key}.bpmn`, source }] })).status).toBe(201);
    const res = await t.call('olga-office', 'POST', `/process-definitions/${key}/start`, {});
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'NOT_YET_IN_FORCE', message: expect.stringContaining('2030-01-01') });
  });
});
