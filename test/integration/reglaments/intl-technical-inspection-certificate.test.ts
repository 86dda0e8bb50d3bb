import { describeReglament, ReglamentPath, TaskStep } from '../../support/reglament-paths';
import { ACT_004, decidedAtSc, expectOfficeLimitFromArrival, decidedOnPortal, intakeRefusals, MET, NOT_MET, returnedToProvider } from './act-004';

/*
 * Issuance of the international technical inspection certificate (Annex 1 of Atyrau oblast akimat
 * resolution No 307). Seed 004_b8dcda2f6044580b.txt. Every path of
 * processes/intl-technical-inspection-certificate.bpmn: both channels, the result and the motivated
 * refusal (condition 3) on each, the result returned to the provider after a month in storage, and
 * every error boundary of the shared IS flows.
 */
const PORTAL = 'portal (diagram No 2) -> certificate; notification of the place and date of receipt in the personal cabinet (process 7)';
const CHECK = (decision: Record<string, unknown>): TaskStep => ['specialist', 'check-documents', decision];
/** Step 6: the office sends the result on the portal too. */
const SEND: TaskStep[] = [['office', 'send-result']];
const LEGAL_ENTITY = { applicant: { kind: 'legal-entity' } } as const;
/** What the head signs at step 5 with their own EDS: the certificate when condition 3 holds (grantedIf requirementsMet=true), the motivated refusal otherwise. */
const SIGNED_CERTIFICATE: ReglamentPath['signed'] = [['sign-result', 'certificate']];
const SIGNED_REFUSAL: ReglamentPath['signed'] = [['sign-result', 'refusal']];

const PATHS: ReglamentPath[] = [
  decidedAtSc('State corporation, documents meet the requirements -> certificate issued at the State corporation', CHECK(MET), 'certificate-issued', { signed: SIGNED_CERTIFICATE }),
  decidedAtSc('State corporation, requirements not met (condition 3) -> motivated refusal issued at the State corporation', CHECK(NOT_MET), 'refused-requirements-not-met', { ...LEGAL_ENTITY, signed: SIGNED_REFUSAL }),
  decidedOnPortal(PORTAL, CHECK(MET), 'certificate-issued', SEND, { ...LEGAL_ENTITY, signed: SIGNED_CERTIFICATE }),
  decidedOnPortal('portal, requirements not met (condition 3, process 6) -> refusal in the personal cabinet', CHECK(NOT_MET), 'refused-requirements-not-met', SEND, { signed: SIGNED_REFUSAL }),
  ...intakeRefusals({}, {}),
  // Last: it moves the host's clock a month on.
  { ...returnedToProvider(CHECK(MET)), signed: SIGNED_CERTIFICATE },
];

describeReglament({ key: 'intl-technical-inspection-certificate', ...ACT_004, forbidden: { path: PORTAL }, paths: PATHS }, (r) => {
  it('step 4 rejects a completion without the decision of condition 3 (form validation)', () => r.expectEmptyDecisionRefused(PATHS[0], 'specialist', `${r.key}-form`));
  it("counts step 1's 15 minutes from the documents' arrival from the State corporation: a courier taking two days leaves nothing overdue at the office", () =>
    expectOfficeLimitFromArrival(r, PATHS[0], '15 minutes', '2026-03-12T04:15:00.000Z'));
});
