import { INTAKE_REFUSALS, ReglamentPath, TaskStep } from '../../support/reglament-paths';

/*
 * What the three reglaments of seed 001_f4ebcd1e8b1bfb82.txt share (annex 1 weapon-registration,
 * annex 2 weapon-activity-license, annex 3 pyrotechnics-activity-license): both channels (portal
 * with payment = diagram No 1, the provider through E-licensing with the GBD UL query = diagram
 * No 2), the office, head and head of the unit taking the application in, the specialist's check,
 * the head of the unit's agreement and the head's signature, and the intake flows' refusals.
 * Every applicant is a legal entity unless a path says otherwise.
 */

export const INTAKE: TaskStep[] = [
  ['office', 'register-application'],
  ['head', 'head-resolution'],
  ['department-head', 'assign-executor'],
];
/** Process 6 of elicense-provider-intake: the employee scans the paper documents. */
export const SCAN: TaskStep[] = [['office', 'attach-documents', { scannedDocuments: 3 }]];
export const COMPLETE: TaskStep = ['specialist', 'check-completeness', { documentsComplete: true }];
export const INCOMPLETE: TaskStep[] = [
  ['specialist', 'check-completeness', { documentsComplete: false }],
  ['specialist', 'prepare-refusal-incomplete', { refusalReason: 'Материалдар толық емес' }],
];
/** The head of the unit's agreement and the head's signature. */
export const SIGN: TaskStep[] = [
  ['department-head', 'agree-decision'],
  ['head', 'sign-decision'],
];
/** The office's dispatch of a paper result. */
export const OUTGOING: TaskStep[] = [['office', 'register-outgoing']];
export const ISSUED = { decision: 'issued' };

/** The error boundaries of the intake flows on both channels, started with `form`. */
export const intakeRefusals = (form: Record<string, unknown>): ReglamentPath[] =>
  [
    INTAKE_REFUSALS.authorization('portal: authorization refused (condition 1, process 2)'),
    INTAKE_REFUSALS.payment('portal: no payment (condition 2, process 5)'),
    INTAKE_REFUSALS.eds('portal: EDS not confirmed (condition 3, process 7)', 'expired'),
    INTAKE_REFUSALS.employee('provider: employee authorization refused (diagram 2, process 2)'),
    INTAKE_REFUSALS.stateDatabase('provider: no data in GBD UL (diagram 2, process 5)'),
  ].map((row) => ({ ...row, form }));
