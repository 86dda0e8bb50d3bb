import { describeReglament, ReglamentPath } from '../../support/reglament-paths';
import { COMPLETE, INCOMPLETE, INTAKE, intakeRefusals, ISSUED, OUTGOING, SCAN, SIGN } from './act-001';

/*
 * The two activity licences of seed 001_f4ebcd1e8b1bfb82.txt: weapon-activity-license (annex 2,
 * civilian and service weapons and their cartridges) and pyrotechnics-activity-license (annex 3,
 * civilian pyrotechnic substances and products) follow one procedure, so one table runs on both.
 * Every path: both channels, every result variant (licence and annex / re-issue / duplicate), paper
 * and electronic result, every refusal and every error boundary of the shared IS flows.
 */
const KEYS = ['pyrotechnics-activity-license', 'weapon-activity-license'];

const PATHS: ReglamentPath[] = [
  {
    name: 'portal, licence and annex, electronic result -> licence issued',
    channel: 'portal',
    form: { variant: 'issue', resultForm: 'electronic' },
    steps: [...INTAKE, COMPLETE, ['specialist', 'prepare-licence', ISSUED], ...SIGN],
    outcome: 'licence-issued',
    signed: [['sign-decision', 'licence']],
  },
  {
    name: 'provider (E-licensing, GBD UL), re-issue, paper result -> licence issued',
    channel: 'provider',
    form: { variant: 'reissue', resultForm: 'paper' },
    steps: [...SCAN, ...INTAKE, COMPLETE, ['specialist', 'prepare-reissue', ISSUED], ...SIGN, ...OUTGOING],
    outcome: 'licence-issued',
    signed: [['sign-decision', 'licence']],
  },
  {
    name: 'portal, duplicate, paper result, qualification not met (condition 4) -> motivated refusal',
    channel: 'portal',
    form: { variant: 'duplicate', resultForm: 'paper' },
    steps: [...INTAKE, COMPLETE, ['specialist', 'prepare-duplicate', { decision: 'refused', refusalReason: 'Біліктілік талаптарына сәйкес емес' }], ...SIGN, ...OUTGOING],
    outcome: 'refused-qualification',
    // The head signs the motivated refusal (grantedIf decision=issued does not hold), not a licence.
    signed: [['sign-decision', 'refusal']],
  },
  {
    name: 'provider, materials incomplete -> motivated refusal',
    channel: 'provider',
    form: { variant: 'issue', resultForm: 'electronic' },
    steps: [...SCAN, ...INTAKE, ...INCOMPLETE, ...SIGN],
    outcome: 'refused-incomplete-documents',
    // No decision is recorded on this path: what the head signs is the refusal.
    signed: [['sign-decision', 'refusal']],
  },
  ...intakeRefusals({ variant: 'issue', resultForm: 'electronic' }),
];

for (const key of KEYS) describeReglament({ key, applicant: { kind: 'legal-entity' }, paths: PATHS });
