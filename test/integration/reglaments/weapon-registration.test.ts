import { describeReglament, ReglamentPath } from '../../support/reglament-paths';
import { COMPLETE, INCOMPLETE, INTAKE, intakeRefusals, ISSUED, OUTGOING, SCAN, SIGN } from './act-001';

/*
 * Registration and re-registration of each unit of civilian and service weapons of individuals and
 * legal entities. Seed 001_f4ebcd1e8b1bfb82.txt (annex 1 of the order). Every path of
 * processes/weapon-registration.bpmn: both channels, every kind of permit (individual / legal
 * entity), every refusal and every error boundary of the shared IS flows. The permit is on paper
 * only, so every decision ends with the office's dispatch.
 */
const DECIDED = [...SIGN, ...OUTGOING];
const LEGAL_ENTITY = { variant: 'registration', applicantKind: 'legal-entity' };
const REREGISTRATION = { variant: 'reregistration', applicantKind: 'legal-entity' };

const PATHS: ReglamentPath[] = [
  {
    name: 'portal, individual, registration -> permit to store or to store and carry',
    channel: 'portal',
    applicant: { kind: 'individual' },
    form: { variant: 'registration', applicantKind: 'individual' },
    steps: [...INTAKE, COMPLETE, ['specialist', 'prepare-permit-individual', ISSUED], ...DECIDED],
    outcome: 'permit-issued',
    signed: [['sign-decision', 'permit']],
  },
  {
    name: 'provider (E-licensing, GBD UL), legal entity, re-registration -> permit to store',
    channel: 'provider',
    form: REREGISTRATION,
    steps: [...SCAN, ...INTAKE, COMPLETE, ['specialist', 'prepare-permit-legal-entity', ISSUED], ...DECIDED],
    outcome: 'permit-issued',
    signed: [['sign-decision', 'permit']],
  },
  {
    name: 'portal, legal entity, grounds not met (condition 4) -> motivated refusal',
    channel: 'portal',
    form: LEGAL_ENTITY,
    steps: [...INTAKE, COMPLETE, ['specialist', 'prepare-permit-legal-entity', { decision: 'refused', refusalReason: 'Негіздерге сәйкес емес' }], ...DECIDED],
    outcome: 'refused-qualification',
    // The head signs the motivated refusal (grantedIf decision=issued does not hold), not a permit.
    signed: [['sign-decision', 'refusal']],
  },
  {
    name: 'provider, materials incomplete -> motivated refusal',
    channel: 'provider',
    form: REREGISTRATION,
    steps: [...SCAN, ...INTAKE, ...INCOMPLETE, ...DECIDED],
    outcome: 'refused-incomplete-documents',
    // No decision is recorded on this path: what the head signs is the refusal.
    signed: [['sign-decision', 'refusal']],
  },
  ...intakeRefusals(LEGAL_ENTITY),
];

describeReglament({ key: 'weapon-registration', applicant: { kind: 'legal-entity' }, paths: PATHS });
