import { INTAKE_REFUSALS, ReglamentPath, TaskStep } from '../../support/reglament-paths';

/*
 * What the reglaments of seed 003_eded1d01d0e55d57.txt share (the three licences of annexes 1-3,
 * expert-attestation of annex 4, pm-organization-accreditation of annex 5): the portal is their one
 * channel, the office accepts and the head reviews, and egov-portal-intake refuses an applicant the
 * portal does not know or whose request is not signed with a valid certificate of the applicant.
 */

/** Monday 2 March 2026, 10:00 in Kazakhstan (UTC+5): a plain working week, inside office hours (09:00-18:00). */
export const START = new Date('2026-03-02T05:00:00Z');

export const RECEPTION: TaskStep[] = [
  ['office', 'accept-documents'],
  ['head', 'review-documents'],
];

/** Portal condition 1 (process 2) and condition 2 (process 4) with every certificate the EDS check refuses. */
export const PORTAL_REFUSALS: ReglamentPath[] = [
  INTAKE_REFUSALS.authorization('portal: authorization refused (condition 1 -> process 2, error boundary AUTHORIZATION_REFUSED)'),
  ...(['expired', 'revoked', 'other-iin', 'none'] as const).map((certificate) => INTAKE_REFUSALS.eds(`portal: EDS not confirmed, certificate ${certificate} (condition 2 -> process 4)`, certificate)),
];

/** A start with a malformed IIN/BIN and a channel none of these reglaments names. */
export const MALFORMED_START = { channel: 'state-corporation', applicantIinBin: '14054001' };
