import fs from 'node:fs';
import path from 'node:path';
import { startTestHost, TestHost } from '../../support/test-host';

/*
 * Issuance of a certificate of an aviation training centre of civil aviation (paras 1, 5, 7, 8 as amended by order No 198).
 * Seed 000_ceaeb5ba1dfcf504.txt. Drives every path of processes/aviation-training-center-certificate.bpmn through the HTTP API:
 * the one channel (portal www.elicense.kz), every refusal branch and every error boundary of the shared IS flows. At each user task the
 * task must be listed for its group's user with the time limit of the fixture transcribed from the seed, then it
 * is claimed and completed with its form variables; at the end the instance's outcome is the end event's id.
 */
const KEY = 'aviation-training-center-certificate';
const FIXTURE: Record<string, { timeLimit: string }> = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, `../../fixtures/time-limits/${KEY}.json`), 'utf8'),
);
/** User tasks of the shared flows called on these paths (their own diagrams carry the limits). */
const SHARED_TASKS: Record<string, { timeLimit: string }> = {
  'attach-documents': { timeLimit: 'not stated' }, // elicense-provider-intake, process 6
  'accept-with-receipt': { timeLimit: '20 minutes' }, // state-corporation-intake, receipt-only
  'issue-by-receipt': { timeLimit: 'not stated' }, // state-corporation-result-issuance, receipt-only
};

type Step = [group: string, taskKey: string, variables?: Record<string, unknown>];
type ApplicantOptions = { kind?: 'individual' | 'legal-entity'; portalUser?: boolean; paid?: boolean; certificate?: string; inStateDatabase?: boolean };
interface PathSpec {
  name: string;
  channel: string;
  applicant?: ApplicantOptions;
  steps: Step[];
  outcome: string;
  /** Start the instance as the employee E-licensing does not know (EMPLOYEE_AUTHORIZATION_REFUSED). */
  unregisteredEmployee?: boolean;
}

const GROUPS = ['office', 'head', 'department-head', 'specialist', 'commission'];

/** Procedures 1-3: office, head (or deputy), head of the structural unit. */
const INTAKE: Step[] = [
  ['office', 'register-application'],
  ['head', 'head-resolution'],
  ['department-head', 'assign-executor'],
];
const COMPLETE: Step = ['specialist', 'check-and-form-commission', { documentsComplete: true, commissionOrder: 'Бұйрық № 1' }];
const CONFORM: Step = ['commission', 'analyse-documents', { documentsConform: true }];
const INSPECTION: Step = ['commission', 'certification-inspection'];
const REFUSAL: Step = ['specialist', 'prepare-refusal', { refusalReason: 'Құжаттар сәйкес емес' }];

const PATHS: PathSpec[] = [
  {
    name: 'portal www.elicense.kz, positive decision of the Commission -> certificate',
    channel: 'portal',
    steps: [...INTAKE, COMPLETE, CONFORM, INSPECTION, ['commission', 'draw-up-act', { commissionDecision: 'positive' }], ['specialist', 'prepare-certificate'], ['department-head', 'sign-certificate']],
    outcome: 'certificate-issued',
  },
  {
    name: 'application incomplete (procedure 4) -> motivated refusal',
    channel: 'portal',
    steps: [...INTAKE, ['specialist', 'check-and-form-commission', { documentsComplete: false }], REFUSAL],
    outcome: 'refused-incomplete-documents',
  },
  {
    name: 'documents or data do not conform (procedure 5) -> motivated refusal',
    channel: 'portal',
    steps: [...INTAKE, COMPLETE, ['commission', 'analyse-documents', { documentsConform: false }], REFUSAL],
    outcome: 'refused-documents-nonconforming',
  },
  {
    name: 'negative decision of the Commission (procedures 7-8) -> motivated refusal',
    channel: 'portal',
    steps: [...INTAKE, COMPLETE, CONFORM, INSPECTION, ['commission', 'draw-up-act', { commissionDecision: 'negative' }], REFUSAL],
    outcome: 'refused-commission-decision',
  },
  { name: 'portal: authorization refused', channel: 'portal', applicant: { portalUser: false }, steps: [], outcome: 'refused-authorization' },
  { name: 'portal: EDS not confirmed', channel: 'portal', applicant: { certificate: 'expired' }, steps: [], outcome: 'refused-eds-not-confirmed' },
];

describe(`${KEY} through the HTTP API`, () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  const sim = () => (t as any).sim as { prepareApplicant(options: Record<string, unknown>): Promise<Record<string, unknown>> };

  async function start(p: PathSpec, businessKey: string): Promise<string> {
    const applicant = await sim().prepareApplicant({
      kind: 'legal-entity',
      portalUser: true,
      paid: true,
      certificate: 'valid',
      inStateDatabase: true,
      ...p.applicant,
      processKey: KEY,
    });
    const starter = p.unregisteredEmployee ? (t as any).unregisteredEmployee : t.userOf('office');
    const started = await t.call(starter, 'POST', `/process-definitions/${KEY}/start`, {
      businessKey,
      variables: { ...applicant, channel: p.channel },
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
    for (const other of GROUPS.filter((g) => g !== group)) {
      expect(await openTasks(t.userOf(other), businessKey)).toEqual([]);
      expect((await t.call(t.userOf(other), 'POST', `/tasks/${task.id}/claim`)).status).toBe(403);
      expect((await t.call(t.userOf(other), 'POST', `/tasks/${task.id}/complete`, { variables: {} })).status).toBe(403);
    }
    // The task is still open for its own group.
    expect((await t.call('admin', 'GET', `/process-instances/${id}`)).body.state).toBe('running');
    expect((await openTasks(owner, businessKey)).map((x) => x.taskDefinitionKey)).toEqual([taskKey]);
  });
});
