import { describeReglament, INTAKE_REFUSALS, ReglamentPath, TaskStep } from '../../support/reglament-paths';

/*
 * Issuance of certificates to aviation personnel (Annex 1 of order No 198). Seed
 * 000_ceaeb5ba1dfcf504.txt. Every path of processes/aviation-personnel-certificate.bpmn: every
 * channel (portal = diagram No 1, provider through E-licensing with the GBD UL query = diagram
 * No 2, State corporation with the result issued there), every refusal branch and every error
 * boundary of the shared IS flows.
 */

/** Head, deputy and head of the structural unit: procedures 2-4. */
const ROUTING: TaskStep[] = [
  ['head', 'head-review'],
  ['deputy-head', 'deputy-review'],
  ['department-head', 'assign-executor'],
];
/** Paper application (State corporation, provider): the office registers it first (procedure 1). */
const OFFICE: TaskStep[] = [['office', 'register-application']];
const SCAN: TaskStep[] = [['office', 'attach-documents', { scannedDocuments: 4 }]];
const SC_INTAKE: TaskStep[] = [['state-corporation', 'accept-with-receipt', { documentsComplete: true, consentGiven: true }]];
const SC_ISSUE: TaskStep[] = [['state-corporation-issuing', 'issue-by-receipt']];
const COMPLETE: TaskStep = ['specialist', 'check-completeness', { documentsComplete: true }];
const MEDICAL_OK: TaskStep = ['inspector-medicine', 'medical-expertise', { medicalRequirementsMet: true }];
const TRAINING_OK: TaskStep = ['inspector-training-center', 'training-center-expertise', { trainingCenterRequirementsMet: true }];
const ISSUE: TaskStep = ['inspector-personnel', 'personnel-decision', { personnelDecision: 'issue' }];
const EXPERTISE: TaskStep[] = [COMPLETE, MEDICAL_OK, TRAINING_OK];
const CERTIFICATE: TaskStep[] = [...EXPERTISE, ISSUE, ['specialist', 'prepare-certificate'], ['department-head', 'sign-certificate']];
const REASON = 'Стандарттың 9-1-тармағы';
const REFUSAL: TaskStep[] = [['specialist', 'prepare-refusal', { refusalReason: REASON }], ['department-head', 'sign-refusal']];
/** What the head of department signs with their own EDS on each path (signs = certificate, signs = refusal). */
const SIGNED_CERTIFICATE: ReglamentPath['signed'] = [['sign-certificate', 'certificate']];
const SIGNED_REFUSAL: ReglamentPath['signed'] = [['sign-refusal', 'refusal']];

const PATHS: ReglamentPath[] = [
  { name: 'portal (diagram 1) -> certificate delivered electronically', channel: 'portal', steps: [...ROUTING, ...CERTIFICATE], outcome: 'certificate-issued', signed: SIGNED_CERTIFICATE },
  {
    name: 'provider through E-licensing (diagram 2) -> certificate delivered electronically',
    channel: 'provider',
    steps: [...SCAN, ...OFFICE, ...ROUTING, ...CERTIFICATE],
    outcome: 'certificate-issued',
    signed: SIGNED_CERTIFICATE,
  },
  {
    name: 'State corporation -> certificate issued at the State corporation',
    channel: 'state-corporation',
    applicant: { kind: 'individual' },
    steps: [...SC_INTAKE, ...OFFICE, ...ROUTING, ...CERTIFICATE, ...SC_ISSUE],
    outcome: 'certificate-issued',
    signed: SIGNED_CERTIFICATE,
  },
  {
    name: 'State corporation, application incomplete (procedure 5) -> refusal issued at the State corporation',
    channel: 'state-corporation',
    steps: [...SC_INTAKE, ...OFFICE, ...ROUTING, ['specialist', 'check-completeness', { documentsComplete: false }], ...REFUSAL, ...SC_ISSUE],
    outcome: 'refused-incomplete-documents',
    signed: SIGNED_REFUSAL,
  },
  {
    name: 'portal, medical requirements not met (procedure 6) -> refusal delivered electronically',
    channel: 'portal',
    steps: [...ROUTING, COMPLETE, ['inspector-medicine', 'medical-expertise', { medicalRequirementsMet: false }], ...REFUSAL],
    outcome: 'refused-medical-requirements',
    signed: SIGNED_REFUSAL,
  },
  {
    name: 'provider, training-centre requirements not met (procedure 7) -> refusal delivered electronically',
    channel: 'provider',
    steps: [...SCAN, ...OFFICE, ...ROUTING, COMPLETE, MEDICAL_OK, ['inspector-training-center', 'training-center-expertise', { trainingCenterRequirementsMet: false }], ...REFUSAL],
    outcome: 'refused-training-center-requirements',
    signed: SIGNED_REFUSAL,
  },
  {
    name: 'portal, inspector on aviation personnel refuses (procedures 8-9) -> refusal delivered electronically',
    channel: 'portal',
    steps: [...ROUTING, ...EXPERTISE, ['inspector-personnel', 'personnel-decision', { personnelDecision: 'refuse', refusalReason: REASON }], ...REFUSAL],
    outcome: 'refused-personnel-decision',
    signed: SIGNED_REFUSAL,
  },
  INTAKE_REFUSALS.authorization('portal: authorization refused (condition 1, process 2)'),
  INTAKE_REFUSALS.eds('portal: EDS not confirmed (condition 2, process 5)', 'revoked'),
  INTAKE_REFUSALS.employee('provider: employee authorization refused (diagram 2, process 2)'),
  INTAKE_REFUSALS.stateDatabase('provider: no data in GBD UL (diagram 2, process 5)'),
  {
    name: 'State corporation: incomplete documents, no receipt (para 9)',
    channel: 'state-corporation',
    steps: [['state-corporation', 'accept-with-receipt', { documentsComplete: false }]],
    outcome: 'refused-sc-documents-incomplete',
  },
];

describeReglament({ key: 'aviation-personnel-certificate', applicant: { kind: 'legal-entity' }, paths: PATHS });
