import { pdfText } from '../../support/pdf-text';
import { describeReglament, PathStep, ReglamentPath, TaskStep, text, TimerStep } from '../../support/reglament-paths';
import { fetchDraft } from '../../support/signing';
import { PORTAL_REFUSALS, RECEPTION, START } from './act-003';

/*
 * expert-attestation (seed 003_eded1d01d0e55d57.txt, annex 4): every path of the diagram - the
 * portal's two refusals (error boundaries of egov-portal-intake), the refusal before testing
 * (step 3), the wait for the scheduled testing (timer on ${testDate}, fired through
 * POST /timers/fire-due with the host clock moved), the refusal after testing and the attestat.
 */

/**
 * The scheduled testing, 10:00 local time some 90 days ahead. Ahead of the real clock as well as the
 * host's: the engine (bpmn-elements) compares a timeDate with the real time and completes a timer
 * event at once when that date has passed, before the host could store it.
 */
const TEST_DATE = (() => {
  const at = new Date(Math.max(Date.now(), START.getTime()) + 90 * 24 * 3600 * 1000);
  at.setUTCHours(5, 0, 0, 0);
  return at.toISOString();
})();

const TEST_PLACE = 'Ақтөбе қ., Әбілқайыр хан д-лы, 40, 305-кабинет';
const SCHEDULED: TaskStep = ['specialist', 'form-test-schedule', { admittedToTesting: true, testDate: TEST_DATE, testPlace: TEST_PLACE }];
const ADMITTED: TaskStep[] = [...RECEPTION, SCHEDULED, ['head', 'sign-schedule-or-refusal'], ['specialist', 'give-notification-or-refusal']];
/** Nothing happens before the scheduled time: no task for anyone, the instance waits at the timer alone. */
const TESTING_TIME: TimerStep = { timer: 'testing-time-reached', shows: { timerType: 'timeDate', dueAt: TEST_DATE }, activeActivities: ['testing-time-reached'], openWhileWaiting: [] };
const tested = (passed: Record<string, unknown>, result: Record<string, unknown> = {}): PathStep[] => [
  ...ADMITTED,
  TESTING_TIME,
  ['specialist', 'conduct-testing', passed],
  ['specialist', 'prepare-attestat-or-refusal', result],
  ['head', 'sign-attestat-or-refusal'],
];

/** Step 4 of every admitted path: the head signs the notification of the date and place of testing. */
const NOTIFIED: [string, string] = ['sign-schedule-or-refusal', 'notification'];

const ISSUED = 'portal: attestat issued after the testing at the scheduled date';
const PATHS: ReglamentPath[] = [
  {
    name: ISSUED,
    channel: 'portal',
    steps: tested({ testPassed: true }, { attestatGranted: true }),
    outcome: 'attestat-issued',
    variables: { testDate: TEST_DATE, decision: 'issued', resultKind: 'attestat', ...text('elicenseRequestNumber', 'resultDocument') },
    timersFired: ['testing-time-reached'],
    signed: [NOTIFIED, ['sign-attestat-or-refusal', 'attestat']],
  },
  {
    name: 'portal: testing failed -> refused after the testing (step 7-8 motivated refusal)',
    channel: 'portal',
    steps: tested({ testPassed: false }, { attestatGranted: false, refusalReason: 'Тестілеуден өтпеді' }),
    outcome: 'refused-after-testing',
    variables: { decision: 'refused', resultKind: 'refusal' },
    signed: [NOTIFIED, ['sign-attestat-or-refusal', 'refusal']],
  },
  {
    name: "portal: testing passed, the executor's step-7 conclusion refuses on another ground of para 10 of the Standard -> refused after the testing",
    channel: 'portal',
    steps: tested({ testPassed: true }, { attestatGranted: false, refusalReason: 'Стандарттың 10-тармағы: ұсынылған құжаттардағы деректердің анық еместігі анықталды' }),
    outcome: 'refused-after-testing',
    variables: { testPassed: true, attestatGranted: false, decision: 'refused', resultKind: 'refusal' },
    // The testing was passed, but the executor's conclusion refuses: the head signs the refusal (grantedIf attestatGranted=true does not hold).
    signed: [NOTIFIED, ['sign-attestat-or-refusal', 'refusal']],
  },
  {
    name: 'portal: testing failed, the step-7 form says attestat -> still refused (a failed testing is a ground of refusal)',
    channel: 'portal',
    steps: tested({ testPassed: false }, { attestatGranted: true }),
    outcome: 'refused-after-testing',
    variables: { testPassed: false, decision: 'refused', resultKind: 'refusal' },
    // The step-7 form says attestat, yet the testing failed: the head signs the refusal the case delivers (grantedIf testPassed=true does not hold).
    signed: [NOTIFIED, ['sign-attestat-or-refusal', 'refusal']],
  },
  {
    name: 'portal: refused before testing (step 3, portal condition 3 -> process 6)',
    channel: 'portal',
    steps: [
      ...RECEPTION,
      ['specialist', 'form-test-schedule', { admittedToTesting: false, refusalReason: 'Стандарттың 9-тармағындағы құжаттар толық емес' }],
      ['head', 'sign-schedule-or-refusal'],
      ['specialist', 'give-notification-or-refusal'],
    ],
    outcome: 'refused-before-testing',
    variables: { decision: 'refused', resultKind: 'refusal' },
    timersNotArmed: ['testing-time-reached'],
    // Step 4 signs the motivated refusal (grantedIf admittedToTesting=true does not hold), and step 8 is never reached.
    signed: [['sign-schedule-or-refusal', 'refusal']],
  },
  ...PORTAL_REFUSALS,
];

// The check of the other groups stands at the schedule, once the office and the head have handed the application on.
describeReglament({ key: 'expert-attestation', clockStart: START, forbidden: { path: ISSUED, after: RECEPTION.length }, paths: PATHS }, (r) => {
  it('the schedule form is validated', async () => {
    const businessKey = `${r.key}-form`;
    const { id } = await r.start(r.path(ISSUED), businessKey);
    await r.steps(RECEPTION, id, businessKey);
    const task = await r.taskFor('specialist', 'form-test-schedule', businessKey);
    await r.expectCompletionRefused('specialist', task, {}, ['admittedToTesting']);
    await r.expectCompletionRefused('specialist', task, { admittedToTesting: true, testDate: 'келесі жұма' }, ['testDate']);
  });

  it('the notification the head signs at step 4 names the test date and time (UTC+5), the place, the applicant, the registration number and the act, in Kazakh and Russian', async () => {
    const businessKey = `${r.key}-notification`;
    const { id } = await r.start(r.path(ISSUED), businessKey);
    await r.steps([...RECEPTION, SCHEDULED], id, businessKey);
    const task = await r.taskFor('head', 'sign-schedule-or-refusal', businessKey);
    const draft = await fetchDraft(r.t.url, task.id, r.t.userOf('head'));
    expect(draft.status).toBe(200);
    const textOf = (await pdfText(draft.bytes)).replace(/\s+/g, ' ');
    const variables = (await r.t.call('admin', 'GET', `/process-instances/${id}`)).body.variables;
    // TEST_DATE is 05:00 UTC: 10:00 the same day in Kazakhstan.
    const at = new Date(TEST_DATE);
    const local = `${String(at.getUTCDate()).padStart(2, '0')}.${String(at.getUTCMonth() + 1).padStart(2, '0')}.${at.getUTCFullYear()} 10:00 (UTC+5)`;
    for (const phrase of [
      'ХАБАРЛАМА',
      `Тест тапсыру күні мен уақыты: ${local}`,
      `Тест тапсыру орны: ${TEST_PLACE}`,
      'Ақтөбе облысы әкімдігі',
      'УВЕДОМЛЕНИЕ',
      'Акимат Актюбинской области',
      `Дата и время тестирования: ${local}`,
      `Место тестирования: ${TEST_PLACE}`,
      String(variables.applicantName),
      String(variables.applicantIinBin),
      // A portal application has no office registration number: the draft names the application by its business key.
      `Өтініштің тіркеу нөмірі: ${businessKey}`,
      `Регистрационный номер заявления: ${businessKey}`,
    ])
      expect({ phrase, found: textOf.includes(phrase) }).toEqual({ phrase, found: true });
    expect(textOf).not.toContain('МЕМЛЕКЕТТІК ҚЫЗМЕТ КӨРСЕТУДЕН ДӘЛЕЛДІ БАС ТАРТУ');
  });

  it("step 7 refuses a completion without the executor's conclusion (attestat or refusal)", async () => {
    const businessKey = `${r.key}-step-7`;
    const { id } = await r.start(r.path(ISSUED), businessKey);
    const steps = tested({ testPassed: true });
    await r.steps(steps.slice(0, -2), id, businessKey);
    const task = await r.taskFor('specialist', 'prepare-attestat-or-refusal', businessKey);
    await r.expectCompletionRefused('specialist', task, {}, ['attestatGranted']);
  });
});
