import fs from 'node:fs';
import path from 'node:path';
import { startTestHost, TestHost } from '../../support/test-host';

/*
 * Issuance of certificates to aviation personnel (Annex 1 of order No 198).
 * Seed 000_ceaeb5ba1dfcf504.txt. Drives every path of processes/aviation-personnel-certificate.bpmn through the HTTP API:
 * every channel (portal = diagram No 1, provider through E-licensing with the GBD UL query = diagram No 2, State corporation with the result issued there), every refusal branch and every error boundary of the shared IS flows. At each user task the
 * task must be listed for its group's user with the time limit of the fixture transcribed from the seed, then it
 * is claimed and completed with its form variables; at the end the instance's outcome is the end event's id.
 */
const KEY = 'aviation-personnel-certificate';
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

const GROUPS = ['office', 'head', 'deputy-head', 'department-head', 'specialist', 'inspector-medicine', 'inspector-training-center', 'inspector-personnel'];

/** Head, deputy and head of the structural unit: procedures 2-4. */
const ROUTING: Step[] = [
  ['head', 'head-review'],
  ['deputy-head', 'deputy-review'],
  ['department-head', 'assign-executor'],
];
/** Paper application (State corporation, provider): the office registers it first (procedure 1). */
const OFFICE: Step[] = [['office', 'register-application']];
const SCAN: Step[] = [['office', 'attach-documents', { scannedDocuments: 4 }]];
const SC_INTAKE: Step[] = [['state-corporation', 'accept-with-receipt', { documentsComplete: true, consentGiven: true }]];
const SC_ISSUE: Step[] = [['state-corporation-issuing', 'issue-by-receipt']];
const COMPLETE: Step = ['specialist', 'check-completeness', { documentsComplete: true }];
const MEDICAL_OK: Step = ['inspector-medicine', 'medical-expertise', { medicalRequirementsMet: true }];
const TRAINING_OK: Step = ['inspector-training-center', 'training-center-expertise', { trainingCenterRequirementsMet: true }];
const ISSUE: Step = ['inspector-personnel', 'personnel-decision', { personnelDecision: 'issue' }];
const CERTIFICATE: Step[] = [['specialist', 'prepare-certificate'], ['department-head', 'sign-certificate']];
const REFUSAL: Step[] = [['specialist', 'prepare-refusal', { refusalReason: 'Стандарттың 9-1-тармағы' }], ['department-head', 'sign-refusal']];

const PATHS: PathSpec[] = [
  {
    name: 'portal (diagram 1) -> certificate delivered electronically',
    channel: 'portal',
    steps: [...ROUTING, COMPLETE, MEDICAL_OK, TRAINING_OK, ISSUE, ...CERTIFICATE],
    outcome: 'certificate-issued',
  },
  {
    name: 'provider through E-licensing (diagram 2) -> certificate delivered electronically',
    channel: 'provider',
    steps: [...SCAN, ...OFFICE, ...ROUTING, COMPLETE, MEDICAL_OK, TRAINING_OK, ISSUE, ...CERTIFICATE],
    outcome: 'certificate-issued',
  },
  {
    name: 'State corporation -> certificate issued at the State corporation',
    channel: 'state-corporation',
    applicant: { kind: 'individual' },
    steps: [...SC_INTAKE, ...OFFICE, ...ROUTING, COMPLETE, MEDICAL_OK, TRAINING_OK, ISSUE, ...CERTIFICATE, ...SC_ISSUE],
    outcome: 'certificate-issued',
  },
  {
    name: 'State corporation, application incomplete (procedure 5) -> refusal issued at the State corporation',
    channel: 'state-corporation',
    steps: [...SC_INTAKE, ...OFFICE, ...ROUTING, ['specialist', 'check-completeness', { documentsComplete: false }], ...REFUSAL, ...SC_ISSUE],
    outcome: 'refused-incomplete-documents',
  },
  {
    name: 'portal, medical requirements not met (procedure 6) -> refusal delivered electronically',
    channel: 'portal',
    steps: [...ROUTING, COMPLETE, ['inspector-medicine', 'medical-expertise', { medicalRequirementsMet: false }], ...REFUSAL],
    outcome: 'refused-medical-requirements',
  },
  {
    name: 'provider, training-centre requirements not met (procedure 7) -> refusal delivered electronically',
    channel: 'provider',
    steps: [...SCAN, ...OFFICE, ...ROUTING, COMPLETE, MEDICAL_OK, ['inspector-training-center', 'training-center-expertise', { trainingCenterRequirementsMet: false }], ...REFUSAL],
    outcome: 'refused-training-center-requirements',
  },
  {
    name: 'portal, inspector on aviation personnel refuses (procedures 8-9) -> refusal delivered electronically',
    channel: 'portal',
    steps: [...ROUTING, COMPLETE, MEDICAL_OK, TRAINING_OK, ['inspector-personnel', 'personnel-decision', { personnelDecision: 'refuse', refusalReason: 'Стандарттың 9-1-тармағы' }], ...REFUSAL],
    outcome: 'refused-personnel-decision',
  },
  { name: 'portal: authorization refused (condition 1, process 2)', channel: 'portal', applicant: { portalUser: false }, steps: [], outcome: 'refused-authorization' },
  { name: 'portal: EDS not confirmed (condition 2, process 5)', channel: 'portal', applicant: { certificate: 'revoked' }, steps: [], outcome: 'refused-eds-not-confirmed' },
  { name: 'provider: employee authorization refused (diagram 2, process 2)', channel: 'provider', steps: [], outcome: 'refused-employee-authorization', unregisteredEmployee: true },
  { name: 'provider: no data in GBD UL (diagram 2, process 5)', channel: 'provider', applicant: { inStateDatabase: false }, steps: [], outcome: 'refused-applicant-data-unavailable' },
  {
    name: 'State corporation: incomplete documents, no receipt (para 9)',
    channel: 'state-corporation',
    steps: [['state-corporation', 'accept-with-receipt', { documentsComplete: false }]],
    outcome: 'refused-sc-documents-incomplete',
  },
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
