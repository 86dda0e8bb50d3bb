/**
 * Working time of a Kazakhstan state body: which moments are inside office hours, and when a task
 * with a legal time limit is due. Instants are JS Dates; days are local days of the calendar's zone.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { CalendarConfig, CalendarData, CalendarDataError, validateCalendarData } from './calendar-config';
import { DayRules, SpecialDay } from './day-rules';
import { JsonSyntaxError, LocatedJson, parseLocatedJson } from './located-json';
import { TimeLimit } from './time-limit';

export { CalendarDataError } from './calendar-config';
export type { CalendarConfig, CalendarData } from './calendar-config';
export type { SpecialDay } from './day-rules';

/** A run of days without working time this long means broken data, not a long holiday. */
const MAX_DAYS_WITHOUT_WORK = 366;
const MINUTE = 60_000;

type Span = [start: number, end: number];

export class BusinessCalendar {
  readonly zone: string;
  private readonly days: DayRules;

  constructor(readonly config: CalendarConfig) {
    this.zone = config.zone;
    this.days = new DayRules(config);
  }

  /** Whether the local day of `date` has working hours. */
  isWorkingDay(date: Date): boolean {
    return this.spans(this.dayOf(date)).length > 0;
  }

  /** Whether `date` is inside a working period (lunch and nights are not). */
  isWorkingTime(date: Date): boolean {
    const t = date.getTime();
    return this.spans(this.dayOf(date)).some(([start, end]) => start <= t && t < end);
  }

  /** Closing time of the local day of `date`; for a day off, of the next working day. */
  endOfWorkingDay(date: Date): Date {
    const day = this.dayOf(date);
    return this.closing(this.spans(day).length > 0 ? day : this.nextWorkingDay(day));
  }

  /** Opening time of the first working day after the local day of `date`. */
  nextWorkingDayStart(date: Date): Date {
    return this.opening(this.nextWorkingDay(this.dayOf(date)));
  }

  /**
   * The moment `minutes` of working time after `from`. Time outside working periods does not count,
   * so a start outside them begins at the next period. A result that lands exactly on a closing time
   * stays there (Friday 17:30 + 30 min = Friday 18:00, not Monday 09:00).
   */
  addWorkingMinutes(from: Date, minutes: number): Date {
    if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`working minutes must be a number >= 0, got ${minutes}`);
    const t = from.getTime();
    let remaining = minutes * MINUTE;
    let day = this.dayOf(from);
    for (let idle = 0; idle <= MAX_DAYS_WITHOUT_WORK; day = day.plus({ days: 1 })) {
      const spans = this.spans(day);
      idle = spans.length > 0 ? 0 : idle + 1;
      for (const [spanStart, end] of spans) {
        if (end <= t) continue;
        const start = Math.max(spanStart, t);
        if (remaining <= end - start) return new Date(start + remaining);
        remaining -= end - start;
      }
    }
    throw this.noWorkingDay(day);
  }

  /** Working minutes in [a, b]; negative when b is before a (e.g. how late a task was finished). */
  workingMinutesBetween(a: Date, b: Date): number {
    if (b.getTime() < a.getTime()) return -this.workingMinutesBetween(b, a);
    const from = a.getTime();
    const to = b.getTime();
    let total = 0;
    for (let day = this.dayOf(a); day.toMillis() < to; day = day.plus({ days: 1 })) {
      for (const [start, end] of this.spans(day)) total += Math.max(0, Math.min(end, to) - Math.max(start, from));
    }
    return total / MINUTE;
  }

  /**
   * When a task created at `createdAt` with the legal `limit` is due.
   *
   * The counting starts on the acceptance day: the day of creation if it is a working day and the
   * task was created before its closing time, otherwise the next working day. That follows the
   * clause every state-service standard carries: what arrives after hours, on a weekend or a holiday
   * is accepted the next working day. The acceptance day is day 1; with ", from next day" (the
   * reglament's "the day of acceptance is not counted") day 1 is the day after it (the next working
   * day, or the next calendar day for calendar days). A day-based limit is due at the closing time of
   * its last day, so "1 working day" and "same working day" both end with the acceptance day.
   */
  dueDate(createdAt: Date, limit: TimeLimit): Date {
    if (!Number.isInteger(limit.amount) || limit.amount < 1) {
      throw new RangeError(`time limit amount must be a whole number >= 1, got ${limit.amount}`);
    }
    const accepted = this.acceptanceDay(createdAt);
    switch (limit.unit) {
      case 'minutes':
      case 'hours': {
        const start = limit.fromNextDay ? this.opening(this.nextWorkingDay(accepted)) : createdAt;
        return this.addWorkingMinutes(start, limit.unit === 'hours' ? limit.amount * 60 : limit.amount);
      }
      case 'sameWorkingDay':
      case 'workingDays': {
        let day = limit.fromNextDay ? this.nextWorkingDay(accepted) : accepted;
        for (let n = 1; n < limit.amount; n++) day = this.nextWorkingDay(day);
        return this.closing(day);
      }
      case 'calendarDays': {
        const first = limit.fromNextDay ? accepted.plus({ days: 1 }) : accepted;
        const last = first.plus({ days: limit.amount - 1 });
        return this.closing(this.spans(last).length > 0 ? last : this.nextWorkingDay(last));
      }
    }
  }

  /** The year's holidays, transferred days off and corrected days, for display and checks. */
  specialDays(year: number): SpecialDay[] {
    return this.days.specialDays(year);
  }

  private dayOf(date: Date): DateTime {
    if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
    return DateTime.fromJSDate(date, { zone: this.zone }).startOf('day');
  }

  private spans(day: DateTime): Span[] {
    return this.days.periods(day.toISODate()!).map(({ start, end }) => [atMinute(day, start), atMinute(day, end)]);
  }

  private acceptanceDay(createdAt: Date): DateTime {
    const day = this.dayOf(createdAt);
    const spans = this.spans(day);
    return spans.length > 0 && createdAt.getTime() < spans[spans.length - 1][1] ? day : this.nextWorkingDay(day);
  }

  private nextWorkingDay(day: DateTime): DateTime {
    let next = day;
    for (let i = 0; i < MAX_DAYS_WITHOUT_WORK; i++) {
      next = next.plus({ days: 1 });
      if (this.spans(next).length > 0) return next;
    }
    throw this.noWorkingDay(day);
  }

  /** `day` must be a working day. */
  private opening(day: DateTime): Date {
    return new Date(this.spans(day)[0][0]);
  }

  /** `day` must be a working day. */
  private closing(day: DateTime): Date {
    const spans = this.spans(day);
    return new Date(spans[spans.length - 1][1]);
  }

  private noWorkingDay(after: DateTime): Error {
    return new Error(`No working day within ${MAX_DAYS_WITHOUT_WORK} days after ${after.toISODate()}; check the calendar data`);
  }
}

/** Local wall-clock time; `set` rather than adding minutes keeps it right across DST in IANA zones. */
function atMinute(day: DateTime, minute: number): number {
  const at = minute === 1440 ? day.plus({ days: 1 }) : day.set({ hour: Math.floor(minute / 60), minute: minute % 60 });
  return at.toMillis();
}

// ---- loading ----

export interface LoadCalendarOptions {
  /** The data file; default config/calendar/kz.json of this package. */
  file?: string;
  /** Top-level keys that replace the file's (same shape as the file, validated the same way). */
  config?: Partial<CalendarData>;
}

export const DEFAULT_CALENDAR_FILE = path.join(packageRoot(), 'config', 'calendar', 'kz.json');

export function loadCalendar(options: LoadCalendarOptions = {}): BusinessCalendar {
  return new BusinessCalendar(readCalendarConfig(options));
}

/** A calendar from data built in code, without a file (tests, tools). */
export function createCalendar(data: CalendarData): BusinessCalendar {
  return new BusinessCalendar(validateCalendarData(data));
}

export function readCalendarConfig({ file = DEFAULT_CALENDAR_FILE, config }: LoadCalendarOptions = {}): CalendarConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CalendarDataError(`cannot read the file: ${(error as Error).message}`, file);
  }
  let located: LocatedJson;
  try {
    located = parseLocatedJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new CalendarDataError(`invalid JSON: ${error.reason}`, file, error.line);
    throw error;
  }
  const overrides = Object.entries(config ?? {}).filter(([, value]) => value !== undefined);
  const root = located.value;
  if (overrides.length === 0 || root === null || typeof root !== 'object' || Array.isArray(root)) return validateCalendarData(root, { file, located });
  return validateCalendarData({ ...root, ...Object.fromEntries(overrides) }, { file, located, fromCode: new Set(overrides.map(([key]) => key)) });
}

/**
 * The calendar file's data as written (for storing it as a calendar version), after the same checks
 * as readCalendarConfig: an error names the file and the line.
 */
export function readCalendarData(file: string = DEFAULT_CALENDAR_FILE): CalendarData {
  readCalendarConfig({ file });
  const text = readFileSync(file, 'utf8');
  return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text) as CalendarData;
}

/** The folder with package.json, from src/calendar under ts-jest as from dist/src/calendar after a build. */
function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}
