import { describeReglament, ReglamentTable, TaskStep, text } from '../../support/reglament-paths';
import { MALFORMED_START, PORTAL_REFUSALS, RECEPTION, START } from './act-003';

/*
 * The three licences of seed 003_eded1d01d0e55d57.txt (annexes 1-3: design-activity-license,
 * survey-activity-license, construction-installation-license) are one act for three services: one
 * table, run once per diagram. Every path: the portal's two refusals (error boundaries of
 * egov-portal-intake), the written refusal of further consideration for incomplete documents
 * (condition 3, first part), each case of step 3 (group A: issue and three re-registration cases,
 * 4 working days; group B: three re-registration cases, 2 working days), the motivated refusal under
 * para. 10 of the Standard from either group (condition 3, second part), the licence and the
 * re-registered licence.
 */
const KEYS = ['design-activity-license', 'survey-activity-license', 'construction-installation-license'];

/** Due dates from START by the calendar: working time for minutes/hours, closing time 18:00 (13:00Z) for days. */
const DUE: Record<string, string | null> = {
  'accept-documents': '2026-03-02T05:15:00.000Z', // 15 minutes
  'review-documents': '2026-03-02T06:00:00.000Z', // 1 hour
  'check-completeness': '2026-03-02T13:00:00.000Z', // 1 working day: the acceptance day
  'prepare-licence': '2026-03-06T13:00:00.000Z', // 4 working days, from next day: Tue-Fri
  'prepare-reissued-licence': '2026-03-04T13:00:00.000Z', // 2 working days, from next day: Tue-Wed
  'sign-refusal-incomplete': null, // not stated
  'sign-result': null, // not stated
};

const GROUP_A = ['issue', 'reissue-spin-off', 'reissue-division', 'reissue-category'];
const GROUP_B = ['reissue-individual-name', 'reissue-entrepreneur', 'reissue-legal-entity-name-location'];
const prepareTask = (variant: string) => (GROUP_B.includes(variant) ? 'prepare-reissued-licence' : 'prepare-licence');

const INTAKE: TaskStep[] = [...RECEPTION, ['specialist', 'check-completeness', { documentsComplete: true }]];
const prepared = (variant: string, decision: Record<string, unknown>): TaskStep[] => [...INTAKE, ['specialist', prepareTask(variant), decision], ['head', 'sign-result']];
const REFUSAL_REASON = 'Біліктілік талаптарына сәйкес келмейді';
const reissued = (variant: string) => `portal: licence re-registered, case ${variant}`;

const TABLE: Omit<ReglamentTable, 'key'> = {
  applicant: { kind: 'legal-entity' },
  clockStart: START,
  due: DUE,
  // The check of completeness, where the office and the head have handed the application on.
  forbidden: { path: reissued('reissue-legal-entity-name-location'), after: 2 },
  paths: [
    {
      name: 'portal: licence issued (group A, 4 working days)',
      channel: 'portal',
      form: { variant: 'issue' },
      steps: prepared('issue', { refusalGroundsFound: false }),
      outcome: 'licence-issued',
      variables: { variant: 'issue', decision: 'issued', resultKind: 'licence', ...text('elicenseRequestNumber', 'licenceNumber', 'resultDocument') },
      signed: [['sign-result', 'licence']] as [string, string][],
    },
    ...[...GROUP_A.slice(1), ...GROUP_B].map((variant) => ({
      name: reissued(variant),
      channel: 'portal',
      form: { variant },
      steps: prepared(variant, { refusalGroundsFound: false }),
      outcome: 'licence-reissued',
      variables: { variant, decision: 'issued', resultKind: 'licence', ...text('resultDocument') },
      signed: [['sign-result', 'licence']] as [string, string][],
    })),
    ...['issue', 'reissue-entrepreneur'].map((variant) => ({
      name: `portal: motivated refusal under para. 10 of the Standard, case ${variant} (condition 3 -> process 6)`,
      channel: 'portal',
      form: { variant },
      steps: prepared(variant, { refusalGroundsFound: true, refusalReason: REFUSAL_REASON }),
      outcome: 'refused-standard-grounds',
      variables: { decision: 'refused', resultKind: 'refusal', refusalReason: REFUSAL_REASON },
      // The head signs the motivated refusal the executor prepared (grantedIf refusalGroundsFound=false does not hold), not a licence.
      signed: [['sign-result', 'refusal']] as [string, string][],
    })),
    {
      name: 'portal: documents incomplete -> written refusal of further consideration, signed by the head (condition 3 -> process 6)',
      channel: 'portal',
      form: { variant: 'reissue-category' },
      steps: [
        ...RECEPTION,
        ['specialist', 'check-completeness', { documentsComplete: false, refusalReason: 'Стандарттың 9-тармағындағы құжаттар толық емес' }],
        ['head', 'sign-refusal-incomplete'],
      ],
      outcome: 'refused-incomplete-documents',
      variables: { documentsComplete: false, decision: 'refused', resultKind: 'refusal' },
      signed: [['sign-refusal-incomplete', 'refusal']],
    },
    ...PORTAL_REFUSALS.map((row) => ({ ...row, form: { variant: 'issue' } })),
  ],
};

for (const key of KEYS) {
  describeReglament({ key, ...TABLE }, (r) => {
    it('the completeness and preparation forms are validated; the head cannot complete the specialist’s task', async () => {
      const businessKey = `${key}-forms`;
      const { id } = await r.start(r.path(reissued('reissue-legal-entity-name-location')), businessKey);
      await r.steps(RECEPTION, id, businessKey);
      const check = await r.taskFor('specialist', 'check-completeness', businessKey);
      await r.expectCompletionRefused('specialist', check, {}, ['documentsComplete']);
      await r.steps(INTAKE.slice(RECEPTION.length), id, businessKey);
      const prepare = await r.taskFor('specialist', 'prepare-reissued-licence', businessKey);
      await r.expectCompletionRefused('specialist', prepare, { refusalGroundsFound: 'жоқ' }, ['refusalGroundsFound']);
      expect((await r.t.call(r.t.userOf('head'), 'POST', `/tasks/${prepare.id}/complete`, { variables: { refusalGroundsFound: false } })).status).toBe(403);
    });

    it('rejects a start with a malformed IIN/BIN, a channel the reglament does not name or an unknown case', () =>
      r.expectStartRefused({ ...MALFORMED_START, variant: 'duplicate', applicantName: 'ЖШС «Құрылыс Жоба»' }, ['applicantIinBin', 'channel', 'variant']));
  });
}
