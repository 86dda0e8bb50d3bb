/**
 * Every due date the runtime asks for, from one business calendar: a task's legal time limit in
 * working time, a timer event's duration in the calendar's zone, and working minutes for reports.
 */
import { loadCalendar } from './business-calendar';
import { parseTimeLimit } from './time-limit';
import { ArmedTimer, timerDueAt } from './timer-due';

export interface DueDates {
  /** When a task created at `created` with the diagram's time limit (e.g. "3 working days") is due. */
  due(created: Date, timeLimit: string): Date;
  /** When a timer event armed at `now` fires; null for a value no timer may have. */
  timerDue(timer: ArmedTimer, now: Date): Date | null;
  /** Working minutes between two instants (for the compliance report; a stand-in calendar may leave it out). */
  workingMinutes?(from: Date, to: Date): number;
  /** From when a task created at `created` and due at `due` is at risk: the last share of its working time (a stand-in calendar may leave it out). */
  riskFrom?(created: Date, due: Date): Date;
}

/** Due dates from the calendar file (default config/calendar/kz.json); a task is at risk in the last `atRiskShare` of its working time. */
export function calendarDueDates(calendarFile?: string, atRiskShare = 0.25): DueDates {
  const calendar = loadCalendar({ file: calendarFile });
  return {
    due: (created, timeLimit) => calendar.dueDate(created, parseTimeLimit(timeLimit)),
    timerDue: (timer, now) => timerDueAt(timer, now, calendar.zone),
    workingMinutes: (from, to) => calendar.workingMinutesBetween(from, to),
    riskFrom: (created, due) => calendar.addWorkingMinutes(created, Math.max(0, calendar.workingMinutesBetween(created, due)) * (1 - atRiskShare)),
  };
}
