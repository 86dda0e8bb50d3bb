import { describeReglament, ReglamentPath, TaskStep } from '../../support/reglament-paths';
import { ACT_004, decidedAtSc, decidedOnPortal, intakeRefusals, MET, NOT_MET, returnedToProvider } from './act-004';

/*
 * Licence for irregular intercity, interdistrict and international and regular international
 * passenger transport by buses and minibuses (Annex 2 of Atyrau oblast akimat resolution No 307).
 * Seed 004_b8dcda2f6044580b.txt. Every path of processes/irregular-bus-transport-license.bpmn: both
 * channels, the three variants (issue of the licence, re-issue, duplicate: step 4 takes 14 / 2 / 1
 * working days), the result and the motivated refusal (condition 3) on each channel, the result
 * returned to the provider after a month in storage, and every error boundary of the shared IS flows.
 * On the portal the result goes to the personal cabinet with no office step 6.
 */
const PORTAL = 'portal (diagram No 2), re-issue -> licence in the personal cabinet (process 7), no office step 6';
/** Step 4 of each variant. */
const CHECK = (variant: 'issue' | 'reissue' | 'duplicate', decision: Record<string, unknown>): TaskStep => ['specialist', `check-${variant}`, decision];
const variantOf = (variant: string, kind: 'individual' | 'legal-entity' = 'individual') => ({ form: { variant }, applicant: { kind } });

const PATHS: ReglamentPath[] = [
  decidedAtSc('State corporation, issue of the licence (14 working days) -> licence issued at the State corporation', CHECK('issue', MET), 'licence-issued', variantOf('issue')),
  decidedAtSc('State corporation, duplicate (1 working day) -> duplicate issued at the State corporation', CHECK('duplicate', MET), 'licence-issued', variantOf('duplicate', 'legal-entity')),
  decidedAtSc(
    'State corporation, re-issue (2 working days), requirements not met (condition 3) -> motivated refusal at the State corporation',
    CHECK('reissue', NOT_MET),
    'refused-requirements-not-met',
    variantOf('reissue'),
  ),
  decidedOnPortal(PORTAL, CHECK('reissue', MET), 'licence-issued', [], variantOf('reissue', 'legal-entity')),
  decidedOnPortal('portal, issue of the licence, requirements not met (condition 3, process 6) -> refusal in the personal cabinet', CHECK('issue', NOT_MET), 'refused-requirements-not-met', [], variantOf('issue')),
  decidedOnPortal('portal, duplicate -> licence duplicate in the personal cabinet', CHECK('duplicate', MET), 'licence-issued', [], variantOf('duplicate')),
  ...intakeRefusals({ variant: 'issue' }, { variant: 'reissue' }),
  // Last: it moves the host's clock a month on.
  returnedToProvider(CHECK('issue', MET), { variant: 'issue' }),
];

describeReglament({ key: 'irregular-bus-transport-license', ...ACT_004, forbidden: { path: PORTAL }, paths: PATHS }, (r) => {
  it('step 4 rejects a completion without the decision of condition 3 (form validation)', () => r.expectEmptyDecisionRefused(PATHS[0], 'specialist', `${r.key}-form`));
});
