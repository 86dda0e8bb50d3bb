import { INTAKE_REFUSALS, PathRunner, present, ReglamentPath, ReglamentTable, TaskStep } from '../../support/reglament-paths';

/*
 * What the two reglaments of seed 004_b8dcda2f6044580b.txt share (Atyrau oblast akimat resolution
 * No 307: annex 1 intl-technical-inspection-certificate, annex 2 irregular-bus-transport-license):
 * both channels the act names - the State corporation (functional interaction diagram No 1, shared
 * flows state-corporation-intake and state-corporation-result-issuance with scProcedure = courier)
 * and the portal (diagram No 2, egov-portal-intake without payment and egov-result-delivery) - the
 * routing of pt. 5, the head's signature, the result carried back to the State corporation, the
 * one-month storage there, and the refusals of the intake flows.
 */

/** An individual applicant who pays nothing; the State corporation's employee starts its applications; a manual clock for the storage timer. */
export const ACT_004: Omit<ReglamentTable, 'key' | 'paths'> = {
  applicant: { kind: 'individual', paid: false },
  starters: { 'state-corporation': 'state-corporation' },
  manualClock: true,
};

/** Diagram No 1, processes 1-3 (state-corporation-intake, courier). */
export const SC_INTAKE: TaskStep[] = [
  ['state-corporation', 'accept-documents', { documentsComplete: true }],
  ['state-corporation', 'hand-over'],
  ['state-corporation-accumulation', 'send-by-courier'],
];
/**
 * The office records the arrival of the documents the State corporation's courier brought (no limit):
 * step 1's limit runs "from the moment the documents arrive from the State corporation" (lines 99-102, 338-339).
 */
export const FROM_SC: TaskStep = ['office', 'receive-from-state-corporation'];
/** Steps 1-3 of pt. 5. */
export const ROUTING: TaskStep[] = [
  ['office', 'register-application'],
  ['head', 'head-review'],
  ['department-head', 'department-head-review'],
];
export const MET = { requirementsMet: true };
export const NOT_MET = { requirementsMet: false, refusalReason: 'Стандарттың 10-тармағы' };
export const SIGN: TaskStep = ['head', 'sign-result'];
/** Step 6 and the provider's courier, then diagram No 1 processes 5-6 (state-corporation-result-issuance, courier). */
export const SC_RESULT: TaskStep[] = [
  ['office', 'send-result'],
  ['provider-courier', 'courier-delivery'],
  ['state-corporation-accumulation', 'mark-barcode'],
  // The recipient comes; only then do the 30 minutes of process 6 run.
  ['state-corporation-issuing', 'await-recipient'],
  ['state-corporation-issuing', 'issue-result'],
];
export const ISSUED = present('licenceNumber');
export const REFUSED = present('refusalNumber', 'refusalReason');
export const AT_SC = present('scReceiptNumber');
export const ELECTRONIC = present('elicenseRequestNumber', 'resultDocument', 'notificationId', 'edsSubject');

/** Decided at `check` on the State corporation's channel: from its intake to the issue there. */
export const decidedAtSc = (name: string, check: TaskStep, outcome: string, row: Partial<ReglamentPath> = {}): ReglamentPath => ({
  name,
  channel: 'state-corporation',
  steps: [...SC_INTAKE, FROM_SC, ...ROUTING, check, SIGN, ...SC_RESULT],
  outcome,
  variables: { ...(check[2]?.requirementsMet ? ISSUED : REFUSED), ...AT_SC },
  ...row,
});

/** Decided at `check` on the portal: the result (and the office's step 6 where the reglament has one) in the personal cabinet. */
export const decidedOnPortal = (name: string, check: TaskStep, outcome: string, after: TaskStep[], row: Partial<ReglamentPath> = {}): ReglamentPath => ({
  name,
  channel: 'portal',
  steps: [...ROUTING, check, SIGN, ...after],
  outcome,
  variables: { ...(check[2]?.requirementsMet ? ISSUED : REFUSED), ...ELECTRONIC },
  ...row,
});

/**
 * The result not collected at the State corporation within a month goes back to the provider: the
 * path decided at `check` up to the wait for the recipient, the P1M storage timer (the wait still
 * open), the return.
 */
export const returnedToProvider = (check: TaskStep, form: Record<string, unknown> = {}): ReglamentPath => {
  const decided = decidedAtSc('State corporation, the result is not collected within one month -> returned to the provider (P1M storage timer)', check, 'result-returned-to-provider', { form });
  const steps = [...decided.steps.slice(0, -2), { timer: 'storage-expired', shows: { timerValue: 'P1M' }, openWhileWaiting: ['await-recipient'] }, ['state-corporation-issuing', 'return-to-provider'] as TaskStep];
  return { ...decided, steps, variables: undefined };
};

/** The portal's conditions 1 and 2, and the State corporation not accepting an incomplete set (diagram No 1, process 1). */
export const intakeRefusals = (portalForm: Record<string, unknown>, scForm: Record<string, unknown>): ReglamentPath[] => [
  INTAKE_REFUSALS.authorization('portal: authorization refused (condition 1, process 2)', { form: portalForm }),
  INTAKE_REFUSALS.eds('portal: EDS not confirmed (condition 2, process 4)', 'revoked', { form: portalForm }),
  {
    name: 'State corporation: incomplete set of documents, application not accepted (diagram No 1, process 1)',
    channel: 'state-corporation',
    form: scForm,
    steps: [['state-corporation', 'accept-documents', { documentsComplete: false }]],
    outcome: 'refused-sc-documents-incomplete',
  },
];

/**
 * Step 1 of pt. 5 gives the office its minutes "from the moment the documents arrive from the State
 * corporation" (lines 99-102: 15 minutes; 338-339: 30 minutes), and process 3 only SENDS them by the
 * State corporation's courier (lines 157-160): an application whose courier takes two days is not
 * overdue at the office, and the office's limit runs from the arrival it records.
 */
export async function expectOfficeLimitFromArrival(r: PathRunner, p: ReglamentPath, registration: string, due: string): Promise<void> {
  const { t } = r;
  const businessKey = `${r.key}-courier-two-days`;
  r.clock!.set(new Date('2026-03-10T04:00:00Z')); // Tuesday 09:00 in Almaty
  const { id } = await r.start(p, businessKey);
  await r.steps(SC_INTAKE, id, businessKey);
  // The State corporation's courier is on the way; two days later the documents arrive.
  r.clock!.set(new Date('2026-03-12T04:00:00Z')); // Thursday 09:00
  await t.call('admin', 'POST', '/timers/fire-due');
  const history = (await t.call('admin', 'GET', `/process-instances/${id}/history`)).body as { type: string; activityId?: string }[];
  expect(history.filter((h) => h.type === 'task-overdue').map((h) => h.activityId)).toEqual([]);
  expect((await t.call('admin', 'GET', `/tasks?businessKey=${businessKey}&overdue=true`)).body.items).toEqual([]);
  const waiting = (await t.call(t.userOf('office'), 'GET', `/tasks?businessKey=${businessKey}`)).body.items;
  expect(waiting).toEqual([expect.objectContaining({ taskDefinitionKey: FROM_SC[1], timeLimit: 'not stated', due: null })]);
  await r.complete(FROM_SC, businessKey);
  // Recorded at 09:00 on Thursday: step 1 is due that many minutes later.
  const registering = (await t.call(t.userOf('office'), 'GET', `/tasks?businessKey=${businessKey}`)).body.items;
  expect(registering).toEqual([expect.objectContaining({ taskDefinitionKey: 'register-application', timeLimit: registration })]);
  expect(new Date(registering[0].due).toISOString()).toBe(due);
  await r.complete(ROUTING[0], businessKey);
  expect((await t.call('admin', 'GET', `/process-instances/${id}/history`)).body.filter((h: { type: string }) => h.type === 'task-overdue')).toEqual([]);
}
