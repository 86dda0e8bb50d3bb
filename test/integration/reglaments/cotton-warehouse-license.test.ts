import { Application, describeReglament, INTAKE_REFUSALS, present, ReglamentPath, TaskStep, text } from '../../support/reglament-paths';
import { requiredValues } from '../../support/form-values';

/*
 * Licence for warehouse activity with the issue of cotton receipts (issue, re-registration, duplicate).
 * Seed 002_83683e9406adde34.txt. Every path of processes/cotton-warehouse-license.bpmn: the three
 * channels (portal with payment = diagram No 1; the provider's employee through E-licensing with the
 * GBD FL / GBD UL query = diagram No 2, individual and legal entity; the paper application at the
 * office, with the channel named or left to the default branch), every variant (issue,
 * re-registration, duplicate), electronic and paper licence, every refusal of section 2 and every
 * error boundary of the shared IS flows. The audited paths are the default branch's: at each step
 * every test user sees the task only if in its group, and the history lists the steps in order.
 */

const INTAKE: TaskStep[] = [
  ['office', 'register-application'],
  ['head', 'head-resolution'],
  ['department-head', 'assign-specialist'],
];
const SCAN: TaskStep[] = [['office', 'attach-documents', { scannedDocuments: 4 }]];
const CHECKS: TaskStep[] = [
  ['specialist', 'initial-check', { documentsComplete: true }],
  ['specialist', 'qualification-check', { qualificationMet: true }],
];
const APPROVAL: TaskStep[] = [...CHECKS, ['other-bodies', 'agency-conclusion', { conclusionPositive: true }], ['head', 'sign-decision']];
const FORMALISE: TaskStep[] = [['specialist', 'formalise-licence']];
/** A paper licence: the head certifies the printed licence with signature and seal (lines 116-122), then the office sends it (lines 122-124). */
const PAPER: TaskStep[] = [
  ['head', 'certify-paper-licence'],
  ['office', 'deliver-paper-licence'],
];
const INCOMPLETE: TaskStep[] = [
  ['specialist', 'initial-check', { documentsComplete: false }],
  ['specialist', 'notify-incomplete', { refusalReason: 'Құжаттар толық емес' }],
];
const NOT_QUALIFIED: TaskStep[] = [
  ...CHECKS.slice(0, 1),
  ['specialist', 'qualification-check', { qualificationMet: false }],
  ['specialist', 'refuse-qualification', { refusalReason: 'Біліктілік талаптарына сәйкес емес' }],
  ['office', 'send-refusal-qualification'],
];
const ISSUE: TaskStep[] = [...INTAKE, ...APPROVAL, ...FORMALISE];
const FORM = { variant: 'issue', resultForm: 'electronic' };
const LEGAL_ENTITY = { kind: 'legal-entity' } as const;
const ISSUED = present('registrationNumber', 'licenceNumber', 'elicenseRequestNumber', 'resultDocument', 'notificationId');
const REFUSED = present('registrationNumber', 'refusalNumber', 'elicenseRequestNumber', 'resultDocument', 'notificationId');

/** The paper application with no channel given (the default branch), audited step by step. */
const NO_CHANNEL: Application = { name: 'no channel (paper application at the office)', applicant: LEGAL_ENTITY, form: FORM, audit: true };
const audited = (name: string, variant: string, steps: TaskStep[], outcome: string, variables: Record<string, unknown>, resultForm = 'electronic'): ReglamentPath => ({
  ...NO_CHANNEL,
  name: `${NO_CHANNEL.name}: ${name}`,
  form: { variant, resultForm },
  steps,
  outcome,
  variables,
});

const NEGATIVE_CONCLUSION: TaskStep[] = [
  ...CHECKS,
  ['other-bodies', 'agency-conclusion', { conclusionPositive: false }],
  ['specialist', 'refuse-negative-conclusion', { refusalReason: 'Теріс қорытынды' }],
  ['office', 'send-refusal-negative-conclusion'],
];

const PATHS: ReglamentPath[] = [
  { name: 'office (paper application), issue, electronic licence -> licence issued', channel: 'office', applicant: LEGAL_ENTITY, form: FORM, steps: ISSUE, outcome: 'licence-issued', variables: ISSUED },
  { name: 'office, issue, paper licence -> licence issued and delivered by the office', channel: 'office', form: { ...FORM, resultForm: 'paper' }, steps: [...ISSUE, ...PAPER], outcome: 'licence-issued', variables: ISSUED },
  {
    name: 'portal (diagram No 1, paid, EDS valid), re-registration, electronic licence -> licence issued',
    channel: 'portal',
    applicant: LEGAL_ENTITY,
    form: { variant: 'reregister', resultForm: 'electronic' },
    steps: ISSUE,
    outcome: 'licence-issued',
    variables: { ...ISSUED, ...present('edsSubject', 'paymentReference') },
  },
  {
    name: 'provider (diagram No 2, GBD FL), duplicate (procedures 4-7 do not apply: no decision), paper duplicate certified by the head -> licence issued',
    channel: 'provider',
    form: { variant: 'duplicate', resultForm: 'paper' },
    steps: [...SCAN, ...INTAKE, ...FORMALISE, ...PAPER],
    outcome: 'licence-issued',
    variables: { ...ISSUED, ...present('applicantRegisteredName') },
  },
  { name: 'provider (diagram No 2, GBD UL), documents incomplete -> written refusal', channel: 'provider', applicant: LEGAL_ENTITY, form: FORM, steps: [...SCAN, ...INTAKE, ...INCOMPLETE], outcome: 'refused-incomplete-documents', variables: REFUSED },
  {
    name: 'portal, qualification requirements not met (condition 4) -> motivated refusal sent by the office',
    channel: 'portal',
    form: { ...FORM, resultForm: 'paper' },
    steps: [...INTAKE, ...NOT_QUALIFIED],
    outcome: 'refused-qualification',
    variables: REFUSED,
  },
  // Also the audited default branch of the re-registration refused on the other bodies' conclusion.
  {
    ...NO_CHANNEL,
    name: 'office, re-registration, negative conclusion of other bodies -> motivated refusal sent by the office',
    form: { variant: 'reregister', resultForm: 'electronic' },
    steps: [...INTAKE, ...NEGATIVE_CONCLUSION],
    outcome: 'refused-negative-conclusion',
    variables: { ...REFUSED, ...text('refusalNumber') },
  },
  audited('issue (electronic licence)', 'issue', ISSUE, 'licence-issued', text('registrationNumber', 'licenceNumber')),
  audited('issue on paper', 'issue', [...ISSUE, ...PAPER], 'licence-issued', text('licenceNumber'), 'paper'),
  audited('re-registration', 'reregister', ISSUE, 'licence-issued', text('licenceNumber')),
  audited('duplicate (procedures 4-7 do not apply)', 'duplicate', [...INTAKE, ...FORMALISE], 'licence-issued', text('licenceNumber')),
  audited('incomplete documents -> written refusal', 'issue', [...INTAKE, ...INCOMPLETE], 'refused-incomplete-documents', text('refusalNumber')),
  audited('qualification not met -> motivated refusal', 'issue', [...INTAKE, ...NOT_QUALIFIED], 'refused-qualification', text('refusalNumber')),
  INTAKE_REFUSALS.authorization('portal: authorization refused (condition 1, process 2)', { form: FORM, applicant: LEGAL_ENTITY }),
  INTAKE_REFUSALS.payment('portal: no payment (condition 2, process 5)', { form: FORM }),
  INTAKE_REFUSALS.eds('portal: EDS not confirmed (condition 3, process 7)', 'revoked', { form: FORM, applicant: LEGAL_ENTITY }),
  INTAKE_REFUSALS.employee('provider: employee authorization refused (diagram No 2, condition 1, process 2)', { form: FORM, applicant: LEGAL_ENTITY }),
  INTAKE_REFUSALS.stateDatabase('provider: no data in GBD FL (diagram No 2, condition 2, process 5)', { form: FORM }),
];

describeReglament({ key: 'cotton-warehouse-license', paths: PATHS }, (r) => {
  /** Completes a task as its group's user without claiming it first, with only what its form requires (no variables member when it requires nothing). */
  async function completeUnclaimed([group, taskKey]: TaskStep, businessKey: string) {
    const task = await r.taskFor(group, taskKey, businessKey);
    const variables = requiredValues((await r.t.call(r.t.userOf(group), 'GET', `/tasks/${task.id}`)).body.formFields);
    expect((await r.t.call(r.t.userOf(group), 'POST', `/tasks/${task.id}/complete`, Object.keys(variables).length > 0 ? { variables } : {})).status).toBe(200);
  }

  it('an application without a channel is the paper application at the office', async () => {
    const businessKey = `${r.key}-no-channel`;
    const { id } = await r.start({ ...r.path(PATHS[0].name), channel: undefined }, businessKey);
    await r.steps(INTAKE.slice(0, 1), id, businessKey);
    const history = (await r.t.call('admin', 'GET', `/process-instances/${id}/history`)).body as any[];
    const taken = history.filter((h) => h.type === 'flow-taken').map((h) => h.activityId);
    expect(taken).toEqual(expect.arrayContaining(['flow-channel-provider-side', 'flow-channel-office']));
    expect(history.filter((h) => h.type === 'call-started')).toEqual([]);
  });

  it('rejects invalid variables with the field at fault and changes nothing', async () => {
    await r.expectStartRefused({ variant: 'gift', resultForm: 'electronic', applicantName: 'ТОО «Мақта Терминал»', applicantIinBin: '12AB' }, ['applicantIinBin', 'variant']);
    const businessKey = `${r.key}-invalid`;
    const { id, variables } = await r.start(NO_CHANNEL, businessKey);
    for (const step of INTAKE) await completeUnclaimed(step, businessKey);
    const check = await r.taskFor('specialist', 'initial-check', businessKey);
    const detail = await r.t.call(r.t.userOf('specialist'), 'GET', `/tasks/${check.id}`);
    expect(detail.body.formFields).toEqual([expect.objectContaining({ id: 'documentsComplete', type: 'boolean', required: true })]);
    expect(detail.body.variables.applicantIinBin).toBe(variables.applicantIinBin);

    const historyBefore = (await r.t.call('admin', 'GET', `/process-instances/${id}/history`)).body;
    await r.expectCompletionRefused('specialist', check, {}, ['documentsComplete']);
    const wrongType = await r.t.call(r.t.userOf('specialist'), 'POST', `/tasks/${check.id}/complete`, { variables: { documentsComplete: 'yes' } });
    expect(wrongType.status).toBe(400);
    expect((await r.t.call('admin', 'GET', `/process-instances/${id}/history`)).body).toEqual(historyBefore);
    expect((await r.t.call(r.t.userOf('specialist'), 'GET', `/tasks/${check.id}`)).body.state).toBe('open');
  });

  it('lets one of two clerks claim a task; the other gets 409', async () => {
    const businessKey = `${r.key}-two-clerks`;
    await r.start(NO_CHANNEL, businessKey);
    for (const step of INTAKE) await completeUnclaimed(step, businessKey);
    const task = await r.taskFor('specialist', 'initial-check', businessKey);
    const clerks = [r.t.userOf('specialist'), r.t.otherUserOf('specialist')];
    const [a, b] = await Promise.all(clerks.map((clerk) => r.t.call(clerk, 'POST', `/tasks/${task.id}/claim`)));
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? clerks[0] : clerks[1];
    expect((await r.t.call(loser, 'POST', `/tasks/${task.id}/complete`, { variables: { documentsComplete: true } })).status).toBe(409);
    const unassigned = await r.t.call(clerks[1], 'GET', `/tasks?unassigned=true&businessKey=${encodeURIComponent(businessKey)}`);
    expect(unassigned.body.total).toBe(0);
  });
});
