import { describeReglament, ReglamentPath, TaskStep } from '../../support/reglament-paths';
import { ACT_004, decidedAtSc, expectOfficeLimitFromArrival, decidedOnPortal, ELECTRONIC, intakeRefusals, ISSUED, MET, NOT_MET, REFUSED, returnedToProvider } from './act-004';

/*
 * Licence for irregular intercity, interdistrict and international and regular international
 * passenger transport by buses and minibuses (Annex 2 of Atyrau oblast akimat resolution No 307).
 * Seed 004_b8dcda2f6044580b.txt. Every path of processes/irregular-bus-transport-license.bpmn: both
 * channels, the three variants (issue of the licence, re-issue, duplicate: step 4 takes 14 / 2 / 1
 * working days), the result and the motivated refusal (condition 3) on each channel, the result
 * returned to the provider after a month in storage, and every error boundary of the shared IS flows.
 * Step 6 (the office sends the result by the courier to the State corporation, lines 361-363) has no
 * condition: a portal application takes it too, and the personal cabinet then gets the notification of
 * the place and date of receipt of the paper result (lines 324-326; process 7, lines 465-472), not the
 * licence itself.
 */
const PORTAL = 'portal (diagram No 2), re-issue -> step 6 by the courier to the State corporation, notification of the place and date of receipt in the personal cabinet (process 7)';
/** Step 6 and the provider's courier: on the portal channel too. */
const SEND: TaskStep[] = [
  ['office', 'send-result'],
  ['provider-courier', 'courier-delivery'],
];
/** What the portal recipient gets when the licence is issued: the notification, a paper licence waiting at the State corporation. */
const NOTIFIED = { ...ISSUED, ...ELECTRONIC, decision: 'issued', resultKind: 'notification' };
const REFUSAL_MESSAGE = { ...REFUSED, ...ELECTRONIC, decision: 'refused', resultKind: 'refusal' };
/** Step 4 of each variant. */
const CHECK = (variant: 'issue' | 'reissue' | 'duplicate', decision: Record<string, unknown>): TaskStep => ['specialist', `check-${variant}`, decision];
const variantOf = (variant: string, kind: 'individual' | 'legal-entity' = 'individual') => ({ form: { variant }, applicant: { kind } });
/** What the head signs at step 5 with their own EDS: the licence when condition 3 holds (grantedIf requirementsMet=true), the motivated refusal otherwise. */
const SIGNED_LICENCE: ReglamentPath['signed'] = [['sign-result', 'licence']];
const SIGNED_REFUSAL: ReglamentPath['signed'] = [['sign-result', 'refusal']];

const PATHS: ReglamentPath[] = [
  decidedAtSc('State corporation, issue of the licence (14 working days) -> licence issued at the State corporation', CHECK('issue', MET), 'licence-issued', { ...variantOf('issue'), signed: SIGNED_LICENCE }),
  decidedAtSc('State corporation, duplicate (1 working day) -> duplicate issued at the State corporation', CHECK('duplicate', MET), 'licence-issued', { ...variantOf('duplicate', 'legal-entity'), signed: SIGNED_LICENCE }),
  decidedAtSc(
    'State corporation, re-issue (2 working days), requirements not met (condition 3) -> motivated refusal at the State corporation',
    CHECK('reissue', NOT_MET),
    'refused-requirements-not-met',
    { ...variantOf('reissue'), signed: SIGNED_REFUSAL },
  ),
  decidedOnPortal(PORTAL, CHECK('reissue', MET), 'licence-issued', SEND, { ...variantOf('reissue', 'legal-entity'), variables: NOTIFIED, signed: SIGNED_LICENCE }),
  decidedOnPortal(
    'portal, issue of the licence, requirements not met (condition 3, process 6) -> step 6 by the courier, refusal message in the personal cabinet',
    CHECK('issue', NOT_MET),
    'refused-requirements-not-met',
    SEND,
    { ...variantOf('issue'), variables: REFUSAL_MESSAGE, signed: SIGNED_REFUSAL },
  ),
  decidedOnPortal(
    'portal, duplicate -> step 6 by the courier, notification of the place and date of receipt in the personal cabinet',
    CHECK('duplicate', MET),
    'licence-issued',
    SEND,
    { ...variantOf('duplicate'), variables: NOTIFIED, signed: SIGNED_LICENCE },
  ),
  ...intakeRefusals({ variant: 'issue' }, { variant: 'reissue' }),
  // Last: it moves the host's clock a month on.
  { ...returnedToProvider(CHECK('issue', MET), { variant: 'issue' }), signed: SIGNED_LICENCE },
];

describeReglament({ key: 'irregular-bus-transport-license', ...ACT_004, forbidden: { path: PORTAL }, paths: PATHS }, (r) => {
  it('step 4 rejects a completion without the decision of condition 3 (form validation)', () => r.expectEmptyDecisionRefused(PATHS[0], 'specialist', `${r.key}-form`));
  it("counts step 1's 30 minutes from the documents' arrival from the State corporation: a courier taking two days leaves nothing overdue at the office", () =>
    expectOfficeLimitFromArrival(r, PATHS[0], '30 minutes', '2026-03-12T04:30:00.000Z'));
});
