import fs from 'node:fs';
import path from 'node:path';
import { startTestHost, TestHost } from '../../support/test-host';

/*
 * Licence for warehouse activity with the issue of cotton receipts (issue, re-registration, duplicate).
 * Seed 002_83683e9406adde34.txt. Drives every path of processes/cotton-warehouse-license.bpmn through the
 * HTTP API: the three channels (portal with payment = diagram No 1; the provider's employee through
 * E-licensing with the GBD FL / GBD UL query = diagram No 2, individual and legal entity; the paper
 * application at the office), every variant (issue, re-registration, duplicate), electronic and paper
 * licence, every refusal of section 2 and every error boundary of the shared IS flows. At each user
 * task the task must be listed for its group's user with the time limit of the fixture transcribed
 * from the seed, then it is claimed and completed; at the end the outcome is the end event's id.
 */
const KEY = 'cotton-warehouse-license';
const FIXTURE: Record<string, { timeLimit: string }> = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, `../../fixtures/time-limits/${KEY}.json`), 'utf8'),
);
/** User task of the shared provider-path flow (elicense-provider-intake, process 6: scan the paper documents). */
const SHARED_TASKS: Record<string, { timeLimit: string }> = { 'attach-documents': { timeLimit: 'not stated' } };

type Step = [group: string, taskKey: string, variables?: Record<string, unknown>];
type ApplicantOptions = { kind: 'individual' | 'legal-entity'; portalUser?: boolean; paid?: boolean; certificate?: string; inStateDatabase?: boolean };
interface PathSpec {
  name: string;
  channel?: 'portal' | 'provider' | 'office';
  applicant: ApplicantOptions;
  form: { variant: string; resultForm: string };
  steps: Step[];
  outcome: string;
  /** Start the instance as the employee E-licensing does not know (EMPLOYEE_AUTHORIZATION_REFUSED). */
  unregisteredEmployee?: boolean;
  /** Variables the instance must end with. */
  expectVariables?: string[];
}

const INTAKE: Step[] = [
  ['office', 'register-application'],
  ['head', 'head-resolution'],
  ['department-head', 'assign-specialist'],
];
const SCAN: Step[] = [['office', 'attach-documents', { scannedDocuments: 4 }]];
const CHECKS: Step[] = [
  ['specialist', 'initial-check', { documentsComplete: true }],
  ['specialist', 'qualification-check', { qualificationMet: true }],
];
const APPROVAL: Step[] = [...CHECKS, ['other-bodies', 'agency-conclusion', { conclusionPositive: true }], ['head', 'sign-decision']];
const FORMALISE: Step[] = [['specialist', 'formalise-licence']];
const PAPER: Step[] = [['office', 'deliver-paper-licence']];
const FORM = { variant: 'issue', resultForm: 'electronic' };
const ISSUED = ['registrationNumber', 'licenceNumber', 'elicenseRequestNumber', 'resultDocument', 'notificationId'];
const REFUSED = ['registrationNumber', 'refusalNumber', 'elicenseRequestNumber', 'resultDocument', 'notificationId'];

const PATHS: PathSpec[] = [
  {
    name: 'office (paper application), issue, electronic licence -> licence issued',
    channel: 'office',
    applicant: { kind: 'legal-entity' },
    form: { variant: 'issue', resultForm: 'electronic' },
    steps: [...INTAKE, ...APPROVAL, ...FORMALISE],
    outcome: 'licence-issued',
    expectVariables: ISSUED,
  },
  {
    name: 'office, issue, paper licence -> licence issued and delivered by the office',
    channel: 'office',
    applicant: { kind: 'individual' },
    form: { variant: 'issue', resultForm: 'paper' },
    steps: [...INTAKE, ...APPROVAL, ...FORMALISE, ...PAPER],
    outcome: 'licence-issued',
    expectVariables: ISSUED,
  },
  {
    name: 'portal (diagram No 1, paid, EDS valid), re-registration, electronic licence -> licence issued',
    channel: 'portal',
    applicant: { kind: 'legal-entity' },
    form: { variant: 'reregister', resultForm: 'electronic' },
    steps: [...INTAKE, ...APPROVAL, ...FORMALISE],
    outcome: 'licence-issued',
    expectVariables: [...ISSUED, 'edsSubject', 'paymentReference'],
  },
  {
    name: 'provider (diagram No 2, GBD FL), duplicate (procedures 4-7 do not apply), paper licence -> licence issued',
    channel: 'provider',
    applicant: { kind: 'individual' },
    form: { variant: 'duplicate', resultForm: 'paper' },
    steps: [...SCAN, ...INTAKE, ...FORMALISE, ...PAPER],
    outcome: 'licence-issued',
    expectVariables: [...ISSUED, 'applicantRegisteredName'],
  },
  {
    name: 'provider (diagram No 2, GBD UL), documents incomplete -> written refusal',
    channel: 'provider',
    applicant: { kind: 'legal-entity' },
    form: FORM,
    steps: [
      ...SCAN,
      ...INTAKE,
      ['specialist', 'initial-check', { documentsComplete: false }],
      ['specialist', 'notify-incomplete', { refusalReason: 'Құжаттар толық емес' }],
    ],
    outcome: 'refused-incomplete-documents',
    expectVariables: REFUSED,
  },
  {
    name: 'portal, qualification requirements not met (condition 4) -> motivated refusal sent by the office',
    channel: 'portal',
    applicant: { kind: 'individual' },
    form: { variant: 'issue', resultForm: 'paper' },
    steps: [
      ...INTAKE,
      ...CHECKS.slice(0, 1),
      ['specialist', 'qualification-check', { qualificationMet: false }],
      ['specialist', 'refuse-qualification', { refusalReason: 'Біліктілік талаптарына сәйкес емес' }],
      ['office', 'send-refusal-qualification'],
    ],
    outcome: 'refused-qualification',
    expectVariables: REFUSED,
  },
  {
    name: 'office, re-registration, negative conclusion of other bodies -> motivated refusal sent by the office',
    applicant: { kind: 'legal-entity' },
    form: { variant: 'reregister', resultForm: 'electronic' },
    steps: [
      ...INTAKE,
      ...CHECKS,
      ['other-bodies', 'agency-conclusion', { conclusionPositive: false }],
      ['specialist', 'refuse-negative-conclusion', { refusalReason: 'Теріс қорытынды' }],
      ['office', 'send-refusal-negative-conclusion'],
    ],
    outcome: 'refused-negative-conclusion',
    expectVariables: REFUSED,
  },
  { name: 'portal: authorization refused (condition 1, process 2)', channel: 'portal', applicant: { kind: 'legal-entity', portalUser: false }, form: FORM, steps: [], outcome: 'refused-authorization' },
  { name: 'portal: no payment (condition 2, process 5)', channel: 'portal', applicant: { kind: 'individual', paid: false }, form: FORM, steps: [], outcome: 'refused-no-payment' },
  { name: 'portal: EDS not confirmed (condition 3, process 7)', channel: 'portal', applicant: { kind: 'legal-entity', certificate: 'revoked' }, form: FORM, steps: [], outcome: 'refused-eds-not-confirmed' },
  {
    name: 'provider: employee authorization refused (diagram No 2, condition 1, process 2)',
    channel: 'provider',
    applicant: { kind: 'legal-entity' },
    form: FORM,
    steps: [],
    outcome: 'refused-employee-authorization',
    unregisteredEmployee: true,
  },
  {
    name: 'provider: no data in GBD FL (diagram No 2, condition 2, process 5)',
    channel: 'provider',
    applicant: { kind: 'individual', inStateDatabase: false },
    form: FORM,
    steps: [],
    outcome: 'refused-applicant-data-unavailable',
  },
];

describe(`${KEY} through the HTTP API`, () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  async function start(p: PathSpec, businessKey: string): Promise<string> {
    const applicant = await t.sim.prepareApplicant({ portalUser: true, paid: true, certificate: 'valid', inStateDatabase: true, ...p.applicant, processKey: KEY } as any);
    const starter = p.unregisteredEmployee ? t.unregisteredEmployee : t.userOf('office');
    const variables: Record<string, unknown> = { ...applicant, ...p.form };
    if (p.channel) variables.channel = p.channel;
    const started = await t.call(starter, 'POST', `/process-definitions/${KEY}/start`, { businessKey, variables });
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
    const timeLimit = (FIXTURE[taskKey] ?? SHARED_TASKS[taskKey]).timeLimit;
    expect(task.timeLimit).toBe(timeLimit);
    if (timeLimit === 'not stated') expect(task.due).toBeNull();
    else expect(task.due).not.toBeNull();
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
    for (const name of p.expectVariables ?? []) expect({ name, value: instance.variables[name] }).toEqual({ name, value: expect.anything() });
    expect(await openTasks('admin', businessKey)).toEqual([]);
  });

  it('every user task of the diagram has a fixture entry and is on some path', () => {
    const xml = fs.readFileSync(path.resolve(__dirname, `../../../processes/${KEY}.bpmn`), 'utf8');
    const userTasks = [...xml.matchAll(/<bpmn:userTask id="([^"]+)"/g)].map((m) => m[1]).sort();
    expect(Object.keys(FIXTURE).sort()).toEqual(userTasks);
    const driven = new Set(PATHS.flatMap((p) => p.steps.map((s) => s[1])));
    for (const task of userTasks) expect(driven.has(task)).toBe(true);
  });

  it('an application without a channel is the paper application at the office', async () => {
    const businessKey = `${KEY}-no-channel`;
    const id = await start({ ...PATHS[0], channel: undefined }, businessKey);
    await complete('office', 'register-application', businessKey);
    const history = (await t.call('admin', 'GET', `/process-instances/${id}/history`)).body as any[];
    const taken = history.filter((h) => h.type === 'flow-taken').map((h) => h.activityId);
    expect(taken).toEqual(expect.arrayContaining(['flow-channel-provider-side', 'flow-channel-office']));
    expect(history.filter((h) => h.type === 'call-started')).toEqual([]);
  });

  it("another group's user neither sees nor completes a task (403)", async () => {
    const businessKey = `${KEY}-groups`;
    const id = await start(PATHS[0], businessKey);
    const [group, taskKey] = PATHS[0].steps[0];
    const owner = t.userOf(group);
    const task = (await openTasks(owner, businessKey))[0];
    expect(task.taskDefinitionKey).toBe(taskKey);
    for (const other of ['head', 'department-head', 'specialist', 'other-bodies']) {
      expect(await openTasks(t.userOf(other), businessKey)).toEqual([]);
      expect((await t.call(t.userOf(other), 'POST', `/tasks/${task.id}/claim`)).status).toBe(403);
      expect((await t.call(t.userOf(other), 'POST', `/tasks/${task.id}/complete`, { variables: {} })).status).toBe(403);
    }
    expect((await t.call('admin', 'GET', `/process-instances/${id}`)).body.state).toBe('running');
    expect((await openTasks(owner, businessKey)).map((x) => x.taskDefinitionKey)).toEqual([taskKey]);
  });
});
