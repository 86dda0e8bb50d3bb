/**
 * What a timer of a diagram may say, checked at deployment (reglament/timer) and again by the step
 * runner on the value an expression resolved to, so that no diagram and no variable makes a timer
 * that fires at once or for ever:
 *
 * - timeDuration: an ISO 8601 duration without sign (`P1M`, `P3D`, `PT2H`, `P1DT2H30M`, `PT1.5S`)
 *   of at least one second. `PT0S` would complete in the same step (bpmn-elements fires a timer
 *   whose delay is not positive at once), so a timer in a loop would never wait.
 * - timeCycle: `R<n>/<duration>` with n from 1 to MAX_TIMER_REPEATS and a duration as above.
 *   `R/PT1S` (no n) repeats for ever; cron expressions and cycles with a start date are refused.
 * - timeDate: an ISO 8601 date or date-time (`2026-03-02`, `2026-03-02T09:00:00+05:00`).
 */
import { DateTime, Duration } from 'luxon';

/** The most repetitions a timer cycle may have. */
export const MAX_TIMER_REPEATS = 100;
/** The shortest wait a duration (or a cycle's period) may have. */
export const MIN_TIMER_MS = 1000;

export type TimerType = 'timeDuration' | 'timeDate' | 'timeCycle';

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(?:[.,]\d+)?S)?)?$/;
const AT_LEAST = 'a timer waits at least one second (PT1S)';
const BOUNDED = `write R<n>/<duration> with n from 1 to ${MAX_TIMER_REPEATS} (e.g. R3/PT1H)`;

const LABEL: Record<TimerType, string> = { timeDuration: 'Timer duration', timeDate: 'Timer date', timeCycle: 'Timer cycle' };

/** Why a duration is not acceptable, or null; `what` starts the message. */
function durationProblem(text: string, what: string, notWaiting: string): string | null {
  if (/^[-+]/.test(text) || /[PT]-/.test(text)) return `${what} is negative: ${AT_LEAST}`;
  if (!ISO_DURATION.test(text)) return `${what} is not an ISO 8601 duration (e.g. PT2H, P3D, P1M)`;
  const duration = Duration.fromISO(text.replace(',', '.'));
  if (!duration.isValid) return `${what} is not an ISO 8601 duration (e.g. PT2H, P3D, P1M)`;
  if (duration.toMillis() < MIN_TIMER_MS) return `${what} ${notWaiting}: ${AT_LEAST}`;
  return null;
}

/**
 * Why the value of a timer is not acceptable (a sentence naming the value), or null. `value` is the
 * literal text of the diagram or what its expression resolved to.
 */
export function timerValueProblem(type: TimerType, value: unknown): string | null {
  const text = typeof value === 'string' ? value.trim() : value instanceof Date ? value.toISOString() : String(value);
  const what = `${LABEL[type]} "${text}"`;
  if (typeof value !== 'string' && !(type === 'timeDate' && value instanceof Date)) {
    return `${LABEL[type]} is ${value === undefined || value === null ? 'not set' : `not text (${typeof value})`}`;
  }
  switch (type) {
    case 'timeDuration':
      return durationProblem(text, what, 'does not wait');
    case 'timeCycle': {
      const match = /^R(\d+)\/(.*)$/.exec(text);
      if (!match) {
        if (/^R(-\d+)?\//.test(text)) return `${what} repeats without end: ${BOUNDED}`;
        return `${what} is not a bounded cycle: ${BOUNDED}`;
      }
      const repeats = Number(match[1]);
      if (repeats < 1 || repeats > MAX_TIMER_REPEATS) return `${what} repeats ${repeats} times: ${BOUNDED}`;
      const period = durationProblem(match[2], what, 'does not wait between repetitions');
      // A start date or an end date in the cycle (R3/2026-03-02T09:00/PT1H) is not a bare period.
      if (period && /not an ISO 8601 duration/.test(period)) return `${what} is not a bounded cycle: ${BOUNDED}`;
      return period;
    }
    case 'timeDate': {
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? `${LABEL.timeDate} is not a valid date` : null;
      if (!/^\d{4}-\d{2}-\d{2}/.test(text) || !DateTime.fromISO(text, { setZone: true }).isValid) {
        return `${what} is not an ISO 8601 date-time (e.g. 2026-03-02T09:00:00+05:00)`;
      }
      return null;
    }
  }
}
