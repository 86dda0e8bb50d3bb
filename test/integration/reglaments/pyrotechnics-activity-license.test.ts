import fs from 'node:fs';
import path from 'node:path';
import { startTestHost, TestHost } from '../../support/test-host';

/*
 * Licence for activities with civilian pyrotechnic substances and products.
 * Seed 001_f4ebcd1e8b1bfb82.txt (Annex 3 of the order). Drives every path of processes/pyrotechnics-activity-license.bpmn through the
 * HTTP API: both channels (portal with payment = diagram No 1, provider through E-licensing with the
 * GBD UL query = diagram No 2), every result variant (licence and annex / re-issue / duplicate), paper and electronic result, every refusal and every error boundary of the
 * shared IS flows. At each user task the task must be listed for its group's user with the
 * time limit of the fixture transcribed from the seed, then it is claimed and completed.
 */
const KEY = 'pyrotechnics-activity-license';
const FIXTURE: Record<string, { timeLimit: string }> = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, `../../fixtures/time-limits/${KEY}.json`), 'utf8'),
);
/** User task of the shared provider-path flow (elicense-provider-intake, process 6: scan the paper documents). */
const SHARED_TASKS: Record<string, { timeLimit: string }> = { 'attach-documents': { timeLimit: 'not stated' } };

type Step = [group: string, taskKey: string, variables?: Record<string, unknown>];
type ApplicantOptions = { kind: 'individual' | 'legal-entity'; portalUser?: boolean; paid?: boolean; certificate?: string; inStateDatabase?: boolean };
interface PathSpec {
  name: string;
  channel: 'portal' | 'provider';
  applicant: ApplicantOptions;
  form: Record<string, unknown>;
  steps: Step[];
  outcome: string;
  /** Start the instance as the employee E-licensing does not know (EMPLOYEE_AUTHORIZATION_REFUSED). */
  unregisteredEmployee?: boolean;
}

const INTAKE: Step[] = [
  ['office', 'register-application'],
  ['head', 'head-resolution'],
  ['department-head', 'assign-executor'],
];
const SCAN: Step[] = [['office', 'attach-documents', { scannedDocuments: 3 }]];
/** Agreement, signature; the paper result adds the office's dispatch. */
const SIGN: Step[] = [
  ['department-head', 'agree-decision'],
  ['head', 'sign-decision'],
];
const PAPER: Step[] = [['office', 'register-outgoing']];
const FORM = { variant: 'issue', resultForm: 'electronic' };
const complete_ = { documentsComplete: true };
const issued = { decision: 'issued' };
const refused = { decision: 'refused', refusalReason: 'Біліктілік талаптарына сәйкес емес' };

const PATHS: PathSpec[] = [
  {
    name: 'portal, licence and annex, electronic result -> licence issued',
    channel: 'portal',
    applicant: { kind: 'legal-entity' },
    form: { variant: 'issue', resultForm: 'electronic' },
    steps: [...INTAKE, ['specialist', 'check-completeness', complete_], ['specialist', 'prepare-licence', issued], ...SIGN],
    outcome: 'licence-issued',
  },
  {
    name: 'provider (E-licensing, GBD UL), re-issue, paper result -> licence issued',
    channel: 'provider',
    applicant: { kind: 'legal-entity' },
    form: { variant: 'reissue', resultForm: 'paper' },
    steps: [...SCAN, ...INTAKE, ['specialist', 'check-completeness', complete_], ['specialist', 'prepare-reissue', issued], ...SIGN, ...PAPER],
    outcome: 'licence-issued',
  },
  {
    name: 'portal, duplicate, paper result, qualification not met (condition 4) -> motivated refusal',
    channel: 'portal',
    applicant: { kind: 'legal-entity' },
    form: { variant: 'duplicate', resultForm: 'paper' },
    steps: [...INTAKE, ['specialist', 'check-completeness', complete_], ['specialist', 'prepare-duplicate', refused], ...SIGN, ...PAPER],
    outcome: 'refused-qualification',
  },
  {
    name: 'provider, materials incomplete -> motivated refusal',
    channel: 'provider',
    applicant: { kind: 'legal-entity' },
    form: { variant: 'issue', resultForm: 'electronic' },
    steps: [
      ...SCAN,
      ...INTAKE,
      ['specialist', 'check-completeness', { documentsComplete: false }],
      ['specialist', 'prepare-refusal-incomplete', { refusalReason: 'Материалдар толық емес' }],
      ...SIGN,
    ],
    outcome: 'refused-incomplete-documents',
  },
  { name: 'portal: authorization refused (condition 1, process 2)', channel: 'portal', applicant: { kind: 'legal-entity', portalUser: false }, form: FORM, steps: [], outcome: 'refused-authorization' },
  { name: 'portal: no payment (condition 2, process 5)', channel: 'portal', applicant: { kind: 'legal-entity', paid: false }, form: FORM, steps: [], outcome: 'refused-no-payment' },
  { name: 'portal: EDS not confirmed (condition 3, process 7)', channel: 'portal', applicant: { kind: 'legal-entity', certificate: 'expired' }, form: FORM, steps: [], outcome: 'refused-eds-not-confirmed' },
  { name: 'provider: employee authorization refused (diagram 2, process 2)', channel: 'provider', applicant: { kind: 'legal-entity' }, form: FORM, steps: [], outcome: 'refused-employee-authorization', unregisteredEmployee: true },
  { name: 'provider: no data in GBD UL (diagram 2, process 5)', channel: 'provider', applicant: { kind: 'legal-entity', inStateDatabase: false }, form: FORM, steps: [], outcome: 'refused-applicant-data-unavailable' },
];

describe(`${KEY} through the HTTP API`, () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  const sim = () => (t as any).sim as { prepareApplicant(options: Record<string, unknown>): Promise<Record<string, unknown>> };

  async function start(p: PathSpec, businessKey: string): Promise<string> {
    const applicant = await sim().prepareApplicant({ portalUser: true, paid: true, certificate: 'valid', inStateDatabase: true, ...p.applicant, processKey: KEY });
    const starter = p.unregisteredEmployee ? (t as any).unregisteredEmployee : t.userOf('office');
    const started = await t.call(starter, 'POST', `/process-definitions/${KEY}/start`, {
      businessKey,
      variables: { ...applicant, ...p.form, channel: p.channel },
    });
    expect(started.status).toBe(201);
    return started.body.id;
  }

  async function openTasks(user: string, businessKey: string): Promise<any[]> {
    const res = await t.call(user, 'GET', `/tasks?businessKey=${encodeURIComponent(businessKey)}`);
    expect(res.status).toBe(200);
    return res.body.items;
  }

  async function complete(group: string, taskKey: string, businessKey: string, variables: Record<string, unknown> = {}) {
    const user = t.userOf(group);
    const items = await openTasks(user, businessKey);
    expect(items.map((x) => x.taskDefinitionKey)).toEqual([taskKey]);
    const task = items[0];
    expect(task.candidateGroups).toEqual([group]);
    expect(task.timeLimit).toBe((FIXTURE[taskKey] ?? SHARED_TASKS[taskKey]).timeLimit);
    expect((await t.call(user, 'POST', `/tasks/${task.id}/claim`)).status).toBe(200);
    const done = await t.call(user, 'POST', `/tasks/${task.id}/complete`, { variables });
    expect(done.status).toBe(200);
  }

  it.each(PATHS)('$name', async (p) => {
    const businessKey = `${KEY}-${PATHS.indexOf(p)}`;
    const id = await start(p, businessKey);
    for (const [group, taskKey, variables] of p.steps) await complete(group, taskKey, businessKey, variables);
    const instance = (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
    expect(instance).toMatchObject({ state: 'completed', outcome: p.outcome });
    expect(await openTasks('admin', businessKey)).toEqual([]);
  });

  it('every user task of the diagram has a fixture entry and is on some path', () => {
    const xml = fs.readFileSync(path.resolve(__dirname, `../../../processes/${KEY}.bpmn`), 'utf8');
    const userTasks = [...xml.matchAll(/<bpmn:userTask id="([^"]+)"/g)].map((m) => m[1]).sort();
    expect(Object.keys(FIXTURE).sort()).toEqual(userTasks);
    const driven = new Set(PATHS.flatMap((p) => p.steps.map((s) => s[1])));
    for (const task of userTasks) expect(driven.has(task)).toBe(true);
  });

  it("another group's user neither sees nor completes a task (403)", async () => {
    const businessKey = `${KEY}-groups`;
    const id = await start(PATHS[0], businessKey);
    const [group, taskKey] = PATHS[0].steps[0];
    const owner = t.userOf(group);
    const task = (await openTasks(owner, businessKey))[0];
    expect(task.taskDefinitionKey).toBe(taskKey);
    for (const other of ['office', 'head', 'department-head', 'specialist'].filter((g) => g !== group)) {
      expect(await openTasks(t.userOf(other), businessKey)).toEqual([]);
      expect((await t.call(t.userOf(other), 'POST', `/tasks/${task.id}/claim`)).status).toBe(403);
      expect((await t.call(t.userOf(other), 'POST', `/tasks/${task.id}/complete`, { variables: {} })).status).toBe(403);
    }
    // The task is still open for its own group.
    expect((await t.call('admin', 'GET', `/process-instances/${id}`)).body.state).toBe('running');
    expect((await openTasks(owner, businessKey)).map((x) => x.taskDefinitionKey)).toEqual([taskKey]);
  });
});
