import { startTestHost, TEST_USERS, TestHost, TestUserId } from '../support/test-host';

/*
 * Drives the first reglament through the HTTP API only, once per path, with a different user
 * per role. At every step the task must be listed for its role's users and for nobody else.
 * No channel is given, so every run is the paper application at the provider's office (the
 * default branch); the electronic channels are driven in reglaments/cotton-warehouse-license.test.ts.
 */
const KEY = 'cotton-warehouse-license';
const ROLE_USER: Record<string, TestUserId> = {
  office: 'olga-office',
  head: 'hasan-head',
  'department-head': 'dana-department-head',
  specialist: 'sanzhar-specialist',
  'other-bodies': 'bota-other-bodies',
};

type Step = [group: keyof typeof ROLE_USER, taskKey: string, variables?: Record<string, unknown>];

const application = (variant: string, resultForm = 'electronic') => ({
  variant,
  resultForm,
  applicantName: 'ТОО «Мақта Терминал»',
  applicantIinBin: '140540012345',
});

const INTAKE: Step[] = [
  ['office', 'register-application'],
  ['head', 'head-resolution'],
  ['department-head', 'assign-specialist'],
];
const FULL_APPROVAL: Step[] = [
  ...INTAKE,
  ['specialist', 'initial-check', { documentsComplete: true }],
  ['specialist', 'qualification-check', { qualificationMet: true }],
  ['other-bodies', 'agency-conclusion', { conclusionPositive: true }],
  ['head', 'sign-decision'],
  ['specialist', 'formalise-licence'],
];

const PATHS: { name: string; variant: string; resultForm?: string; steps: Step[]; outcome: string; expectVariables: string[] }[] = [
  { name: 'issue (electronic licence)', variant: 'issue', steps: FULL_APPROVAL, outcome: 'licence-issued', expectVariables: ['registrationNumber', 'licenceNumber'] },
  {
    name: 'issue on paper',
    variant: 'issue',
    resultForm: 'paper',
    steps: [...FULL_APPROVAL, ['office', 'deliver-paper-licence']],
    outcome: 'licence-issued',
    expectVariables: ['licenceNumber'],
  },
  { name: 're-registration', variant: 'reregister', steps: FULL_APPROVAL, outcome: 'licence-issued', expectVariables: ['licenceNumber'] },
  {
    name: 'duplicate (procedures 4-7 do not apply)',
    variant: 'duplicate',
    steps: [...INTAKE, ['specialist', 'formalise-licence']],
    outcome: 'licence-issued',
    expectVariables: ['licenceNumber'],
  },
  {
    name: 'incomplete documents -> written refusal',
    variant: 'issue',
    steps: [...INTAKE, ['specialist', 'initial-check', { documentsComplete: false }], ['specialist', 'notify-incomplete', { refusalReason: 'Құжаттар толық емес' }]],
    outcome: 'refused-incomplete-documents',
    expectVariables: ['refusalNumber'],
  },
  {
    name: 'qualification not met -> motivated refusal',
    variant: 'issue',
    steps: [
      ...INTAKE,
      ['specialist', 'initial-check', { documentsComplete: true }],
      ['specialist', 'qualification-check', { qualificationMet: false }],
      ['specialist', 'refuse-qualification', { refusalReason: 'Біліктілік талаптарына сәйкес емес' }],
      ['office', 'send-refusal-qualification'],
    ],
    outcome: 'refused-qualification',
    expectVariables: ['refusalNumber'],
  },
  {
    name: 'negative conclusion of other bodies -> motivated refusal',
    variant: 'reregister',
    steps: [
      ...INTAKE,
      ['specialist', 'initial-check', { documentsComplete: true }],
      ['specialist', 'qualification-check', { qualificationMet: true }],
      ['other-bodies', 'agency-conclusion', { conclusionPositive: false }],
      ['specialist', 'refuse-negative-conclusion', { refusalReason: 'Теріс қорытынды' }],
      ['office', 'send-refusal-negative-conclusion'],
    ],
    outcome: 'refused-negative-conclusion',
    expectVariables: ['refusalNumber'],
  },
];

describe(`${KEY} through the HTTP API`, () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  async function visibleTaskKeys(user: TestUserId, instanceId: string): Promise<string[]> {
    const res = await t.call(user, 'GET', `/tasks?processInstanceId=${instanceId}`);
    expect(res.status).toBe(200);
    return res.body.items.map((x: any) => x.taskDefinitionKey);
  }

  it.each(PATHS)('$name', async ({ variant, resultForm, steps, outcome, expectVariables }) => {
    const businessKey = `COTTON-${variant}-${outcome}-${resultForm ?? 'e'}`;
    const started = await t.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, { businessKey, variables: application(variant, resultForm) });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ processDefinitionKey: KEY, version: 1, state: 'running' });
    const id = started.body.id;

    for (const [group, taskKey, variables] of steps) {
      const owner = ROLE_USER[group];
      // Only users of the task's group see it; every other role sees nothing of this instance.
      for (const other of TEST_USERS) {
        if (other.id === 'admin') continue;
        const keys = await visibleTaskKeys(other.id, id);
        expect({ user: other.id, keys }).toEqual({ user: other.id, keys: (other.groups as readonly string[]).includes(group) ? [taskKey] : [] });
      }
      const listed = (await t.call(owner, 'GET', `/tasks?processInstanceId=${id}`)).body.items[0];
      expect(listed.candidateGroups).toEqual([group]);
      // Steps the reglament gives no duration (the motivated refusals, lines 110-115) have no due date.
      if (listed.timeLimit === 'not stated') expect(listed.due).toBeNull();
      else expect(listed.due).not.toBeNull();
      const outsider = group === 'office' ? 'hasan-head' : 'olga-office';
      expect((await t.call(outsider, 'POST', `/tasks/${listed.id}/complete`, { variables })).status).toBe(403);
      expect((await t.call(owner, 'POST', `/tasks/${listed.id}/claim`)).status).toBe(200);
      const completed = await t.call(owner, 'POST', `/tasks/${listed.id}/complete`, { variables: variables ?? {} });
      expect(completed.status).toBe(200);
      expect((await t.call(owner, 'POST', `/tasks/${listed.id}/complete`, { variables: variables ?? {} })).status).toBe(409);
    }

    const instance = (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
    expect(instance).toMatchObject({ state: 'completed', outcome, businessKey, version: 1, activeActivities: [] });
    for (const name of expectVariables) expect(instance.variables[name]).toEqual(expect.any(String));
    expect(await visibleTaskKeys('admin', id)).toEqual([]);

    const history = (await t.call('admin', 'GET', `/process-instances/${id}/history`)).body as any[];
    const completedTasks = history.filter((h) => h.type === 'task-completed');
    expect(completedTasks.map((h) => h.activityId)).toEqual(steps.map((s) => s[1]));
    expect(completedTasks.map((h) => h.user)).toEqual(steps.map((s) => ROLE_USER[s[0]]));
    // Each step once: no activity of this run ended twice.
    const ended = history.filter((h) => h.type === 'activity-end').map((h) => h.activityId);
    expect(new Set(ended).size).toBe(ended.length);
    expect(ended).toContain(outcome);
    expect(history[0].type).toBe('instance-started');
    expect(history[history.length - 1]).toMatchObject({ type: 'instance-completed', activityId: outcome });
  });

  it('rejects invalid variables with the field at fault and changes nothing', async () => {
    const bad = await t.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, { variables: { ...application('issue'), applicantIinBin: '12AB', variant: 'gift' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.fields.map((f: any) => f.field).sort()).toEqual(['applicantIinBin', 'variant']);

    const started = await t.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, { variables: application('issue') });
    const id = started.body.id;
    for (const [group, key] of INTAKE) {
      const task = (await t.call(ROLE_USER[group], 'GET', `/tasks?processInstanceId=${id}`)).body.items[0];
      expect(task.taskDefinitionKey).toBe(key);
      await t.call(ROLE_USER[group], 'POST', `/tasks/${task.id}/complete`, {});
    }
    const check = (await t.call('sanzhar-specialist', 'GET', `/tasks?processInstanceId=${id}`)).body.items[0];
    const detail = await t.call('sanzhar-specialist', 'GET', `/tasks/${check.id}`);
    expect(detail.body.formFields).toEqual([expect.objectContaining({ id: 'documentsComplete', type: 'boolean', required: true })]);
    expect(detail.body.variables.applicantIinBin).toBe('140540012345');

    const historyBefore = (await t.call('admin', 'GET', `/process-instances/${id}/history`)).body;
    const missing = await t.call('sanzhar-specialist', 'POST', `/tasks/${check.id}/complete`, { variables: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields).toEqual([expect.objectContaining({ field: 'documentsComplete' })]);
    const wrongType = await t.call('sanzhar-specialist', 'POST', `/tasks/${check.id}/complete`, { variables: { documentsComplete: 'yes' } });
    expect(wrongType.status).toBe(400);
    expect((await t.call('admin', 'GET', `/process-instances/${id}/history`)).body).toEqual(historyBefore);
    expect((await t.call('sanzhar-specialist', 'GET', `/tasks/${check.id}`)).body.state).toBe('open');
  });

  it('lets one of two clerks claim a task; the other gets 409', async () => {
    const started = await t.call('olga-office', 'POST', `/process-definitions/${KEY}/start`, { variables: application('issue') });
    for (const [group] of INTAKE) {
      const task = (await t.call(ROLE_USER[group], 'GET', `/tasks?processInstanceId=${started.body.id}`)).body.items[0];
      await t.call(ROLE_USER[group], 'POST', `/tasks/${task.id}/complete`, {});
    }
    const task = (await t.call('sanzhar-specialist', 'GET', `/tasks?processInstanceId=${started.body.id}`)).body.items[0];
    const [a, b] = await Promise.all([
      t.call('sanzhar-specialist', 'POST', `/tasks/${task.id}/claim`),
      t.call('second-specialist', 'POST', `/tasks/${task.id}/claim`),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? 'sanzhar-specialist' : 'second-specialist';
    expect((await t.call(loser, 'POST', `/tasks/${task.id}/complete`, { variables: { documentsComplete: true } })).status).toBe(409);
    const unassigned = await t.call('second-specialist', 'GET', `/tasks?unassigned=true&processInstanceId=${started.body.id}`);
    expect(unassigned.body.total).toBe(0);
  });
});
