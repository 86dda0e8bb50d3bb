/**
 * When a timer event of a diagram fires. A duration counts from the moment the event starts waiting in
 * the calendar's zone (P1M from 31 January local time is the end of February there); a date is
 * absolute. Task time limits are the other due dates (business-calendar.ts dueDate).
 */
import { DateTime, Duration } from 'luxon';
import { timerValueProblem } from './timer-values';

/** What the engine tells of a timer it armed: bpmn-elements resolves a timeDate to `expireAt`. */
export interface ArmedTimer {
  timeDuration?: string;
  expireAt?: Date;
}

/**
 * Due time of a timer the engine just armed, or null for a value no timer may have (the step runner
 * refuses those already: a timer due at once, in a loop, never waits).
 */
export function timerDueAt(timer: ArmedTimer, now: Date, zone: string): Date | null {
  if (timer.timeDuration) {
    const duration = Duration.fromISO(timer.timeDuration);
    if (!duration.isValid || timerValueProblem('timeDuration', timer.timeDuration) !== null) return null;
    return DateTime.fromJSDate(now, { zone }).plus(duration).toJSDate();
  }
  return timer.expireAt ?? null;
}
