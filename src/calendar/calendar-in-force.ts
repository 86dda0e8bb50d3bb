/**
 * The due dates of the calendar version in force on this server. A deployed calendar correction
 * (runtime/calendar-corrections.ts) swaps the calendar; everything that asks for a due date keeps
 * holding this one object, so the next task, timer or report uses the corrected days.
 */
import { createHash } from 'node:crypto';
import { BusinessCalendar } from './business-calendar';
import { CalendarData, validateCalendarData } from './calendar-config';
import type { DueDates } from './due-dates';
import { parseTimeLimit } from './time-limit';
import { ArmedTimer, timerDueAt } from './timer-due';

/** A calendar version: its number in the database (0 before any is stored), data and content hash. */
export interface CalendarVersion {
  version: number;
  data: CalendarData;
  hash: string;
}

/**
 * The content hash of calendar data: key order and whitespace do not count, so the same file read
 * again, or sent back by PUT /api/calendar as GET gave it, is no correction.
 */
export function calendarHash(data: unknown): string {
  return createHash('sha256').update(canonical(data)).digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export class CalendarInForce implements DueDates {
  private current: { version: CalendarVersion; calendar: BusinessCalendar };

  constructor(
    first: CalendarVersion,
    /** A task is at risk in the last `atRiskShare` of its working time. */
    private readonly atRiskShare = 0.25,
  ) {
    this.current = { version: first, calendar: new BusinessCalendar(validateCalendarData(first.data)) };
  }

  get version(): CalendarVersion {
    return this.current.version;
  }

  get calendar(): BusinessCalendar {
    return this.current.calendar;
  }

  get zone(): string {
    return this.current.calendar.zone;
  }

  /** Swaps in a validated calendar; what asks for a due date from now on gets the new days. */
  use(version: CalendarVersion, calendar: BusinessCalendar = new BusinessCalendar(validateCalendarData(version.data))): void {
    this.current = { version, calendar };
  }

  due(created: Date, timeLimit: string): Date {
    return this.calendar.dueDate(created, parseTimeLimit(timeLimit));
  }

  timerDue(timer: ArmedTimer, now: Date): Date | null {
    return timerDueAt(timer, now, this.calendar.zone);
  }

  workingMinutes(from: Date, to: Date): number {
    return this.calendar.workingMinutesBetween(from, to);
  }

  riskFrom(created: Date, due: Date): Date {
    const calendar = this.calendar;
    return calendar.addWorkingMinutes(created, Math.max(0, calendar.workingMinutesBetween(created, due)) * (1 - this.atRiskShare));
  }
}
