import fs from 'node:fs';
import path from 'node:path';
import { startTestHost, TestHost } from '../support/test-host';
import { requiredValues } from '../support/form-values';

const cottonFile = path.resolve(__dirname, '../../processes/cotton-warehouse-license.bpmn');
const KEY = 'cotton-warehouse-license';
const application = { variant: 'duplicate', resultForm: 'electronic', applicantName: 'ЖШС', applicantIinBin: '140540012346' };

describe('deployments and versions', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  async function drive(id: string) {
    for (;;) {
      const tasks = (await t.call('admin', 'GET', `/tasks?processInstanceId=${id}`)).body.items;
      if (tasks.length === 0) return;
      // What each step's form requires (the head's resolution, the chosen specialist), completed by the one it is assigned to.
      const detail = (await t.call('admin', 'GET', `/tasks/${tasks[0].id}`)).body;
      expect((await t.call(detail.assignee ?? 'admin', 'POST', `/tasks/${tasks[0].id}/complete`, { variables: requiredValues(detail.formFields) })).status).toBe(200);
    }
  }

  it('lists the catalog deployed at start', async () => {
    const res = await t.call('olga-office', 'GET', '/process-definitions');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: `${KEY}:1`, key: KEY, version: 1 })]));
  });

  it('makes no new version for unchanged content, version 2 for a change; a v1 instance finishes on v1', async () => {
    const original = fs.readFileSync(cottonFile, 'utf8');
    const onV1 = await t.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, { variables: application });
    expect(onV1.body.version).toBe(1);

    const same = await t.call('admin', 'POST', '/deployments', { resources: [{ name: 'cotton-warehouse-license.bpmn', source: original }] });
    expect(same.status).toBe(200);
    expect(same.body.definitions).toEqual([expect.objectContaining({ key: KEY, version: 1, created: false })]);

    // Version 2: the head's resolution step is renamed.
    const changed = original.replace(/(<bpmn:userTask id="head-resolution"[^>]*name=")[^"]*"/, '$1Өтінішті қабылдау (v2)"');
    expect(changed).not.toBe(original);
    const v2 = await t.call('admin', 'POST', `/deployments?name=cotton-v2.bpmn`, changed, { 'content-type': 'application/xml' });
    expect(v2.status).toBe(201);
    expect(v2.body.definitions).toEqual([expect.objectContaining({ key: KEY, version: 2, created: true })]);

    const latest = (await t.call('olga-office', 'GET', '/process-definitions')).body.find((d: any) => d.key === KEY);
    expect(latest.version).toBe(2);
    const onV2 = await t.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, { variables: application });
    expect(onV2.body.version).toBe(2);

    await drive(onV1.body.id);
    const finished = (await t.call('admin', 'GET', `/process-instances/${onV1.body.id}`)).body;
    expect(finished).toMatchObject({ version: 1, processDefinitionId: `${KEY}:1`, state: 'completed', outcome: 'licence-issued' });
    const v1Names = (await t.call('admin', 'GET', `/process-instances/${onV1.body.id}/history`)).body.filter((h: any) => h.type === 'task-completed').map((h: any) => h.activityName);
    expect(v1Names.join('|')).not.toContain('(v2)');

    await drive(onV2.body.id);
    const v2Names = (await t.call('admin', 'GET', `/process-instances/${onV2.body.id}/history`)).body.filter((h: any) => h.type === 'task-completed').map((h: any) => h.activityName);
    expect(v2Names).toContain('Өтінішті қабылдау (v2)');
  });

  it('rejects a broken diagram with every problem listed and leaves the catalog as it was', async () => {
    const before = (await t.call('admin', 'GET', '/process-definitions?all=true')).body;
    const broken = fs
      .readFileSync(cottonFile, 'utf8')
      // The first licence.issue of the cotton diagram is form-licence's (E-licensing numbers the licence before step 7).
      .replace('camunda:topic="licence.issue"', 'camunda:topic="no.such-handler"')
      .replace(/(<bpmn:userTask id="sign-decision"[^>]*?) camunda:candidateGroups="head"/, '$1');
    const res = await t.call('admin', 'POST', '/deployments', { resources: [{ name: 'broken.bpmn', source: broken }] });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('INVALID_DEFINITION');
    const problems = res.body.error.details.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'broken.bpmn', elementId: 'form-licence', rule: 'reglament/service-task-handler' }),
        expect.objectContaining({ file: 'broken.bpmn', elementId: 'sign-decision', rule: 'reglament/user-task-candidate-group' }),
      ]),
    );
    expect(res.body.error.message).toContain('form-licence');

    const xmlJunk = await t.call('admin', 'POST', '/deployments', '<bpmn:definitions><oops', { 'content-type': 'application/xml' });
    expect(xmlJunk.status).toBe(422);
    expect(xmlJunk.body.error.details.problems[0].rule).toBe('parse');

    expect((await t.call('admin', 'GET', '/process-definitions?all=true')).body).toEqual(before);
  });

  it('allows deploying to admins only', async () => {
    const res = await t.call('olga-office', 'POST', '/deployments', { resources: [] });
    expect(res.status).toBe(403);
  });
});
