/**
 * The calendar data an administrator edits (config/calendar/kz.json) validated into a CalendarConfig.
 * The shape is calendar-schema.ts; this adds what spans entries (a date listed twice, a holiday twice
 * for the same years, a working day without hours). Every problem is reported with the file and line
 * at fault, so a broken edit is found at start-up rather than as wrong due dates weeks later.
 */
import type { $ZodIssue } from 'zod/v4/core';
import { calendarSchema, parseDateOfYear, parsePeriod, ValidCalendarData, WEEKDAY_NAMES, WeekdayName, WorkingPeriod } from './calendar-schema';
import { JsonPath, LocatedJson } from './located-json';

export type { CalendarData, WorkingPeriod } from './calendar-schema';

// ---- the validated form ----

export interface HolidayRule {
  month: number;
  day: number;
  note: string;
  substitute: boolean;
  from?: number;
  until?: number;
}

export interface DayCorrection {
  date: string;
  note: string;
  /** false: an estimate awaiting the act that fixes it (see calendar-schema.ts). */
  confirmed: boolean;
  /** Working days: the periods of that day; days off: empty. */
  periods: WorkingPeriod[];
}

export interface YearCorrections {
  daysOff: DayCorrection[];
  workingDays: DayCorrection[];
}

export interface CalendarConfig {
  zone: string;
  /** Index 0 = Monday ... 6 = Sunday (ISO weekday - 1). */
  week: WorkingPeriod[][];
  holidays: HolidayRule[];
  years: Map<number, YearCorrections>;
}

/**
 * Kazakhstan has one offset, UTC+5, since 1 March 2024 and no daylight saving time. A fixed zone is
 * right for every date the server will compute, whatever tz database the Node build carries: Node
 * builds with tz data older than 2024a (and distribution builds linked to an old system ICU) still
 * give Asia/Almaty +06:00, which would shift every due date by an hour. (The Node 20 used to write this
 * gives +05:00 for Asia/Almaty in 2026, tz 2025c; the default does not depend on it.)
 */
export const DEFAULT_ZONE = 'UTC+5';

const OFFICE_DAY = ['09:00-13:00', '14:00-18:00'];
const DEFAULT_WORKING_HOURS: Record<WeekdayName, string[]> = {
  mon: OFFICE_DAY,
  tue: OFFICE_DAY,
  wed: OFFICE_DAY,
  thu: OFFICE_DAY,
  fri: OFFICE_DAY,
  sat: [],
  sun: [],
};

export class CalendarDataError extends Error {
  constructor(
    readonly reason: string,
    readonly file?: string,
    readonly line?: number,
    readonly path?: string,
  ) {
    const where = [file ?? 'calendar configuration given in code', line !== undefined ? `line ${line}` : undefined]
      .filter((part) => part !== undefined)
      .join(', ');
    super(`Calendar data error in ${where}${path ? ` (${path})` : ''}: ${reason}`);
    this.name = 'CalendarDataError';
  }
}

/** Where the data came from: a file read by parseLocatedJson, with the top-level keys that code replaced. */
export interface CalendarOrigin {
  file?: string;
  located?: LocatedJson;
  /** Top-level keys given in code: their values have no line and the file is not to blame. */
  fromCode?: ReadonlySet<string>;
}

/** Validates the data; `origin` names the file and lines in errors (data built in code has none). */
export function validateCalendarData(data: unknown, origin: CalendarOrigin = {}): CalendarConfig {
  const result = calendarSchema.safeParse(data);
  if (!result.success) throw firstError(result.error.issues, data, origin);
  return new Checker(origin).config(result.data);
}

/** Lines and the file of a path, unless the value there was given in code. */
function locate(origin: CalendarOrigin, path: JsonPath, key = false): { file?: string; line?: number } {
  if (!origin.located || (path.length > 0 && origin.fromCode?.has(String(path[0])))) return {};
  return { file: origin.file, line: origin.located.lineOf(path, { key }) };
}

function fail(origin: CalendarOrigin, path: JsonPath, reason: string, key = false): never {
  const { file, line } = locate(origin, path, key);
  throw new CalendarDataError(reason, file, line, pathText(path));
}

/** The first issue in the file's order (zod reports in the schema's order). */
function firstError(issues: readonly $ZodIssue[], data: unknown, origin: CalendarOrigin): CalendarDataError {
  const errors = issues.map((issue) => {
    let path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    let key = false;
    if (issue.code === 'unrecognized_keys') {
      path = [...path, issue.keys[0]];
      key = true;
    } else if (issue.code === 'custom' && issue.params?.atKey) {
      key = true;
    } else if (isMissing(data, path)) {
      // A missing key is the fault of the object that lacks it.
      path = path.slice(0, -1);
    }
    const { file, line } = locate(origin, path, key);
    return new CalendarDataError(issue.message, file, line, pathText(path));
  });
  return errors.reduce((first, error) => ((error.line ?? Infinity) < (first.line ?? Infinity) ? error : first));
}

function isMissing(data: unknown, path: JsonPath): boolean {
  if (path.length === 0) return false;
  let parent: unknown = data;
  for (const segment of path.slice(0, -1)) parent = parent === null || typeof parent !== 'object' ? undefined : (parent as Record<string | number, unknown>)[segment];
  return parent !== null && typeof parent === 'object' && !Array.isArray(parent) && !Object.prototype.hasOwnProperty.call(parent, path[path.length - 1]);
}

function pathText(path: JsonPath): string | undefined {
  const text = path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
  return text || undefined;
}

/** Which list (daysOff / workingDays) and line a date of the year was first seen in. */
type Seen = Map<string, { list: string; line?: number }>;

/** From the valid shape to the config, refusing what spans entries. */
class Checker {
  constructor(private readonly origin: CalendarOrigin) {}

  config(data: ValidCalendarData): CalendarConfig {
    const week = WEEKDAY_NAMES.map((day) => (data.workingHours?.[day] ?? DEFAULT_WORKING_HOURS[day]).map((text) => parsePeriod(text)!));
    const fallbackHours = week.find((periods) => periods.length > 0) ?? [];
    const years = new Map<number, YearCorrections>();
    for (const [key, corrections] of Object.entries(data.years ?? {})) years.set(Number(key), this.year(key, corrections, fallbackHours));
    return { zone: data.zone ?? DEFAULT_ZONE, week, holidays: this.holidays(data.holidays ?? []), years };
  }

  private holidays(list: NonNullable<ValidCalendarData['holidays']>): HolidayRule[] {
    const rules: (HolidayRule & { index: number })[] = [];
    list.forEach((holiday, index) => {
      const { month, day } = parseDateOfYear(holiday.date)!;
      const twin = rules.find((r) => r.month === month && r.day === day && overlaps(r, holiday));
      if (twin) fail(this.origin, ['holidays', index], `holiday ${holiday.date} is listed twice for the same years${lineNote(locate(this.origin, ['holidays', twin.index]).line)}`);
      rules.push({ month, day, note: holiday.note.trim(), substitute: holiday.substitute ?? true, from: holiday.from, until: holiday.until, index });
    });
    return rules.map(({ index: _index, ...rule }) => rule);
  }

  private year(key: string, corrections: NonNullable<ValidCalendarData['years']>[string], fallbackHours: WorkingPeriod[]): YearCorrections {
    const seen: Seen = new Map();
    const daysOff = (corrections.daysOff ?? []).map((day, i) => this.day(['years', key, 'daysOff', i], day, seen, null));
    const workingDays = (corrections.workingDays ?? []).map((day, i) => this.day(['years', key, 'workingDays', i], day, seen, fallbackHours));
    return { daysOff, workingDays };
  }

  /** `hours` null: a day off; otherwise the default hours of a working day. */
  private day(path: JsonPath, day: { date: string; note: string; hours?: string[]; confirmed?: boolean }, seen: Seen, hours: WorkingPeriod[] | null): DayCorrection {
    const listName = String(path[path.length - 2]);
    const datePath = [...path, 'date'];
    const earlier = seen.get(day.date);
    if (earlier) {
      const where = earlier.line !== undefined ? ` (line ${earlier.line})` : '';
      const problem = earlier.list === listName ? `${day.date} is listed twice in ${listName}${where}` : `${day.date} is listed both in ${earlier.list}${where} and in ${listName}`;
      fail(this.origin, datePath, problem);
    }
    seen.set(day.date, { list: listName, line: locate(this.origin, datePath).line });
    const periods = day.hours ? day.hours.map((text) => parsePeriod(text)!) : (hours ?? []);
    if (hours && periods.length === 0) fail(this.origin, [...path, 'hours'], 'a working day needs working hours');
    return { date: day.date, note: day.note.trim(), periods, confirmed: day.confirmed ?? true };
  }
}

function lineNote(line: number | undefined): string {
  return line === undefined ? '' : ` (first at line ${line})`;
}

function overlaps(a: { from?: number; until?: number }, b: { from?: number; until?: number }): boolean {
  return (a.from ?? -Infinity) <= (b.until ?? Infinity) && (b.from ?? -Infinity) <= (a.until ?? Infinity);
}
