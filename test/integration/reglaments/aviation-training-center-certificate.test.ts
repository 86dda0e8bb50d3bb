import { describeReglament, INTAKE_REFUSALS, ReglamentPath, TaskStep } from '../../support/reglament-paths';

/*
 * Issuance of a certificate of an aviation training centre of civil aviation (paras 1, 5, 7, 8 as
 * amended by order No 198). Seed 000_ceaeb5ba1dfcf504.txt. Every path of
 * processes/aviation-training-center-certificate.bpmn: the one channel (portal www.elicense.kz),
 * every refusal branch and every error boundary of the shared IS flows.
 */

/** Procedures 1-3: office, head (or deputy), head of the structural unit. */
const INTAKE: TaskStep[] = [
  ['office', 'register-application'],
  ['head', 'head-resolution'],
  ['department-head', 'assign-executor'],
];
const COMPLETE: TaskStep = ['specialist', 'check-and-form-commission', { documentsComplete: true, commissionOrder: 'Бұйрық № 1' }];
const CONFORM: TaskStep = ['commission', 'analyse-documents', { documentsConform: true }];
const INSPECTED: TaskStep[] = [...INTAKE, COMPLETE, CONFORM, ['commission', 'certification-inspection']];
const REFUSAL: TaskStep = ['specialist', 'prepare-refusal', { refusalReason: 'Құжаттар сәйкес емес' }];

const PATHS: ReglamentPath[] = [
  {
    name: 'portal www.elicense.kz, positive decision of the Commission -> certificate',
    channel: 'portal',
    steps: [...INSPECTED, ['commission', 'draw-up-act', { commissionDecision: 'positive' }], ['specialist', 'prepare-certificate'], ['department-head', 'sign-certificate']],
    outcome: 'certificate-issued',
  },
  {
    name: 'application incomplete (procedure 4) -> motivated refusal',
    channel: 'portal',
    steps: [...INTAKE, ['specialist', 'check-and-form-commission', { documentsComplete: false }], REFUSAL],
    outcome: 'refused-incomplete-documents',
  },
  {
    name: 'documents or data do not conform (procedure 5) -> motivated refusal',
    channel: 'portal',
    steps: [...INTAKE, COMPLETE, ['commission', 'analyse-documents', { documentsConform: false }], REFUSAL],
    outcome: 'refused-documents-nonconforming',
  },
  {
    name: 'negative decision of the Commission (procedures 7-8) -> motivated refusal',
    channel: 'portal',
    steps: [...INSPECTED, ['commission', 'draw-up-act', { commissionDecision: 'negative' }], REFUSAL],
    outcome: 'refused-commission-decision',
  },
  INTAKE_REFUSALS.authorization('portal: authorization refused'),
  INTAKE_REFUSALS.eds('portal: EDS not confirmed', 'expired'),
];

describeReglament({ key: 'aviation-training-center-certificate', applicant: { kind: 'legal-entity' }, paths: PATHS });
