import { describeReglament, ReglamentPath, text } from '../../support/reglament-paths';
import { MALFORMED_START, PORTAL_REFUSALS, RECEPTION } from './act-003';

/*
 * pm-organization-accreditation (seed 003_eded1d01d0e55d57.txt, annex 5): every path of the
 * diagram - the portal's two refusals (error boundaries of egov-portal-intake), the certificate and
 * the refusal for the qualification requirements (portal condition 3).
 */

const ISSUED = 'portal: accreditation certificate issued';
const PATHS: ReglamentPath[] = [
  {
    name: ISSUED,
    channel: 'portal',
    steps: [...RECEPTION, ['specialist', 'check-qualification', { qualificationMet: true }], ['head', 'sign-certificate']],
    outcome: 'certificate-issued',
    variables: { decision: 'issued', resultKind: 'certificate', ...text('elicenseRequestNumber', 'resultDocument') },
    signed: [['sign-certificate', 'certificate']],
  },
  {
    name: 'portal: qualification requirements not met -> motivated refusal (condition 3 -> process 6)',
    channel: 'portal',
    steps: [...RECEPTION, ['specialist', 'check-qualification', { qualificationMet: false, refusalReason: 'Біліктілік талаптарына сәйкес келмейді' }], ['head', 'sign-certificate']],
    outcome: 'refused-qualification',
    variables: { decision: 'refused', resultKind: 'refusal' },
    // The head signs the refusal the executor's check led to, not the certificate (grantedIf qualificationMet=true does not hold).
    signed: [['sign-certificate', 'refusal']],
  },
  ...PORTAL_REFUSALS,
];

// The check of the other groups stands at the qualification check, once the office and the head have handed the application on.
describeReglament({ key: 'pm-organization-accreditation', applicant: { kind: 'legal-entity' }, forbidden: { path: ISSUED, after: RECEPTION.length }, paths: PATHS }, (r) => {
  it('the check form is validated', async () => {
    const businessKey = `${r.key}-form`;
    const { id } = await r.start(r.path(ISSUED), businessKey);
    await r.steps(RECEPTION, id, businessKey);
    const task = await r.taskFor('specialist', 'check-qualification', businessKey);
    await r.expectCompletionRefused('specialist', task, { qualificationMet: 'иә' }, ['qualificationMet']);
  });

  it('the signing step says which document this case signs: the refusal where the qualification is not met, the certificate where it is', async () => {
    for (const [qualificationMet, kind] of [
      [false, 'refusal'],
      [true, 'certificate'],
    ] as const) {
      const businessKey = `${r.key}-signs-${kind}`;
      const { id } = await r.start(r.path(ISSUED), businessKey);
      await r.steps([...RECEPTION, ['specialist', 'check-qualification', qualificationMet ? { qualificationMet } : { qualificationMet, refusalReason: 'Біліктілік талаптарына сәйкес келмейді' }]], id, businessKey);
      const task = await r.taskFor('head', 'sign-certificate', businessKey);
      expect((await r.t.call(r.t.userOf('head'), 'GET', `/tasks/${task.id}`)).body).toMatchObject({ taskDefinitionKey: 'sign-certificate', signs: kind });
    }
  });

  it('rejects a start with a malformed IIN/BIN or a channel the reglament does not name', () =>
    r.expectStartRefused({ ...MALFORMED_START, applicantName: 'ЖШС «Жоба Менеджмент»' }, ['applicantIinBin', 'channel']));
});
