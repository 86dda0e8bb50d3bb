/**
 * The calendar data an administrator edits (config/calendar/kz.json) and its validation into a
 * CalendarConfig. Every problem is reported with the file and line at fault, so a broken edit is
 * found at start-up rather than as wrong due dates weeks later.
 */
import { DateTime } from 'luxon';
import { JsonEntry, JsonNode } from './json-lines';

// ---- the file's shape (also accepted, partially, from code by loadCalendar) ----

export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

export interface CalendarData {
  note?: string;
  /** A luxon zone: fixed offset ("UTC+5") or IANA name ("Asia/Almaty"). */
  zone?: string;
  /** Every weekday, each a list of "HH:MM-HH:MM" periods; [] = day off. */
  workingHours?: { note?: string } & { [day in WeekdayName]?: string[] };
  /** Statutory holidays that recur every year on the same date. */
  holidays?: HolidayData[];
  /** Per-year corrections, keyed by the year ("2026"). */
  years?: Record<string, YearData>;
}

export interface HolidayData {
  /** "MM-DD" */
  date: string;
  note: string;
  /** When it falls on a weekly day off, the next working day is off instead (default true). */
  substitute?: boolean;
  /** First and last year the holiday exists (inclusive; open when omitted). */
  from?: number;
  until?: number;
}

export interface YearData {
  note?: string;
  daysOff?: DayData[];
  workingDays?: DayData[];
}

export interface DayData {
  /** "YYYY-MM-DD" within the year it is listed under. */
  date: string;
  note: string;
  /** Working days only: the hours of that day (default: the first weekday's hours that are not empty). */
  hours?: string[];
}

// ---- the validated form ----

/** Minutes after local midnight, start inclusive, end exclusive; end may be 1440. */
export interface WorkingPeriod {
  start: number;
  end: number;
}

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
export const DEFAULT_WORKING_HOURS: Record<WeekdayName, string[]> = {
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

/** Validates the parsed data; `file` names the source in errors (nodes without a line came from code). */
export function validateCalendarData(root: JsonNode, file?: string): CalendarConfig {
  return new Validator(file).calendar(root);
}

type Kind = JsonNode['kind'];
type NodeOf<K extends Kind> = Extract<JsonNode, { kind: K }>;

const FOUND: Record<Kind, string> = { object: 'an object', array: 'a list', string: 'a string', number: 'a number', boolean: 'true/false', null: 'null' };
const DATE_OF_YEAR = /^(\d{2})-(\d{2})$/;
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

class Validator {
  constructor(private readonly file?: string) {}

  calendar(root: JsonNode): CalendarConfig {
    const fields = this.fields(root, '', ['note', 'zone', 'workingHours', 'holidays', 'years']);
    if (fields.note) this.string(fields.note.value, 'note');
    const zone = fields.zone ? this.zone(fields.zone.value) : DEFAULT_ZONE;
    const week = fields.workingHours ? this.week(fields.workingHours.value) : this.defaultWeek();
    const holidays = fields.holidays ? this.holidays(fields.holidays.value) : [];
    const fallbackHours = week.find((periods) => periods.length > 0) ?? [];
    const years = fields.years ? this.years(fields.years.value, fallbackHours) : new Map<number, YearCorrections>();
    return { zone, week, holidays, years };
  }

  /** A node without a line was given in code (loadCalendar's `config`), so the file is not named. */
  private fail(node: { line?: number } | undefined, path: string, reason: string): never {
    const line = node?.line;
    throw new CalendarDataError(reason, line === undefined ? undefined : this.file, line, path || undefined);
  }

  private expect<K extends Kind>(node: JsonNode, kind: K, path: string, what: string): NodeOf<K> {
    if (node.kind !== kind) this.fail(node, path, `expected ${what}, found ${FOUND[node.kind]}`);
    return node as NodeOf<K>;
  }

  /** An object's entries by key, refusing keys outside `allowed` (a typo would otherwise be ignored). */
  private fields(node: JsonNode, path: string, allowed: readonly string[]): Record<string, JsonEntry | undefined> {
    const object = this.expect(node, 'object', path, 'an object');
    const result: Record<string, JsonEntry | undefined> = {};
    for (const entry of object.entries) {
      if (!allowed.includes(entry.key)) {
        this.fail(entry, join(path, entry.key), `unknown key "${entry.key}"; allowed here: ${allowed.join(', ')}`);
      }
      result[entry.key] = entry;
    }
    return result;
  }

  private string(node: JsonNode, path: string): string {
    return this.expect(node, 'string', path, 'a string').value;
  }

  private note(entry: JsonEntry | undefined, owner: JsonNode, path: string): string {
    if (!entry) this.fail(owner, path, 'missing "note" (say where the entry comes from, e.g. the decree)');
    const note = this.string(entry.value, join(path, 'note')).trim();
    if (note === '') this.fail(entry.value, join(path, 'note'), 'the note is empty');
    return note;
  }

  private zone(node: JsonNode): string {
    const zone = this.string(node, 'zone');
    if (!DateTime.fromMillis(0, { zone }).isValid) {
      this.fail(node, 'zone', `unknown time zone "${zone}"; use a fixed offset like "UTC+5" or an IANA name like "Asia/Almaty"`);
    }
    return zone;
  }

  private defaultWeek(): WorkingPeriod[][] {
    return WEEKDAY_NAMES.map((day) => DEFAULT_WORKING_HOURS[day].map((text) => parsePeriod(text)!));
  }

  private week(node: JsonNode): WorkingPeriod[][] {
    const fields = this.fields(node, 'workingHours', ['note', ...WEEKDAY_NAMES]);
    if (fields.note) this.string(fields.note.value, 'workingHours.note');
    const week = WEEKDAY_NAMES.map((day) => {
      const entry = fields[day];
      if (!entry) this.fail(node, 'workingHours', `missing "${day}"; list all seven days (use [] for a day off)`);
      return this.periods(entry.value, `workingHours.${day}`);
    });
    if (week.every((periods) => periods.length === 0)) this.fail(node, 'workingHours', 'no day of the week has working hours');
    return week;
  }

  private periods(node: JsonNode, path: string): WorkingPeriod[] {
    const list = this.expect(node, 'array', path, 'a list of "HH:MM-HH:MM" periods');
    const periods: WorkingPeriod[] = [];
    list.items.forEach((item, i) => {
      const text = this.string(item, `${path}[${i}]`);
      const period = parsePeriod(text);
      if (!period) {
        const expected = 'expected "HH:MM-HH:MM" with the start before the end, e.g. "09:00-13:00"';
        this.fail(item, `${path}[${i}]`, `"${text}" is not a period; ${expected}`);
      }
      const previous = periods[periods.length - 1];
      if (previous && period.start < previous.end) {
        this.fail(item, `${path}[${i}]`, `"${text}" overlaps or precedes the previous period; list periods in order, without overlaps`);
      }
      periods.push(period);
    });
    return periods;
  }

  private holidays(node: JsonNode): HolidayRule[] {
    const list = this.expect(node, 'array', 'holidays', 'a list of holidays');
    const rules: (HolidayRule & { line?: number })[] = [];
    list.items.forEach((item, i) => {
      const path = `holidays[${i}]`;
      const fields = this.fields(item, path, ['date', 'note', 'substitute', 'from', 'until']);
      if (!fields.date) this.fail(item, path, 'missing "date" ("MM-DD")');
      const dateText = this.string(fields.date.value, `${path}.date`);
      const match = DATE_OF_YEAR.exec(dateText);
      const month = match ? Number(match[1]) : 0;
      const day = match ? Number(match[2]) : 0;
      // 29 February would silently vanish in three years out of four.
      if (!match || (month === 2 && day === 29) || !DateTime.fromObject({ year: 2001, month, day }).isValid) {
        this.fail(fields.date.value, `${path}.date`, `"${dateText}" is not a recurring date; expected "MM-DD" (not 02-29)`);
      }
      const note = this.note(fields.note, item, path);
      const substitute = fields.substitute
        ? this.expect(fields.substitute.value, 'boolean', `${path}.substitute`, 'true or false').value
        : true;
      const from = fields.from ? this.year(fields.from.value, `${path}.from`) : undefined;
      const until = fields.until ? this.year(fields.until.value, `${path}.until`) : undefined;
      if (from !== undefined && until !== undefined && from > until) {
        this.fail(fields.until?.value, `${path}.until`, `"until" (${until}) is before "from" (${from})`);
      }
      const twin = rules.find((r) => r.month === month && r.day === day && overlaps(r, { from, until }));
      if (twin) this.fail(item, path, `holiday ${dateText} is listed twice for the same years${lineNote(twin.line)}`);
      rules.push({ month, day, note, substitute, from, until, line: item.line });
    });
    return rules.map(({ line: _line, ...rule }) => rule);
  }

  private year(node: JsonNode, path: string): number {
    const value = this.expect(node, 'number', path, 'a year').value;
    if (!Number.isInteger(value) || value < 1900 || value > 2999) this.fail(node, path, `${value} is not a year`);
    return value;
  }

  private years(node: JsonNode, fallbackHours: WorkingPeriod[]): Map<number, YearCorrections> {
    const object = this.expect(node, 'object', 'years', 'an object keyed by year');
    const years = new Map<number, YearCorrections>();
    for (const entry of object.entries) {
      const path = join('years', entry.key);
      if (!/^\d{4}$/.test(entry.key)) this.fail(entry, path, `"${entry.key}" is not a year; keys of "years" are years like "2026"`);
      const year = Number(entry.key);
      const fields = this.fields(entry.value, path, ['note', 'daysOff', 'workingDays']);
      if (fields.note) this.string(fields.note.value, join(path, 'note'));
      const seen: Seen = new Map();
      const daysOff = fields.daysOff ? this.days(fields.daysOff.value, year, join(path, 'daysOff'), seen, null) : [];
      const workingDays = fields.workingDays
        ? this.days(fields.workingDays.value, year, join(path, 'workingDays'), seen, fallbackHours)
        : [];
      years.set(year, { daysOff, workingDays });
    }
    return years;
  }

  /** `hours` null: a list of days off (no hours allowed); otherwise the default hours of a working day. */
  private days(node: JsonNode, year: number, path: string, seen: Seen, hours: WorkingPeriod[] | null): DayCorrection[] {
    const list = this.expect(node, 'array', path, 'a list of days');
    const listName = path.slice(path.lastIndexOf('.') + 1);
    return list.items.map((item, i) => {
      const itemPath = `${path}[${i}]`;
      const fields = this.fields(item, itemPath, hours ? ['date', 'note', 'hours'] : ['date', 'note']);
      if (!fields.date) this.fail(item, itemPath, 'missing "date" ("YYYY-MM-DD")');
      const date = this.string(fields.date.value, `${itemPath}.date`);
      const match = FULL_DATE.exec(date);
      if (!match || !DateTime.fromISO(date).isValid) {
        this.fail(fields.date.value, `${itemPath}.date`, `"${date}" is not a valid date; expected "YYYY-MM-DD"`);
      }
      if (Number(match[1]) !== year) this.fail(fields.date.value, `${itemPath}.date`, `${date} is listed under year ${year}`);
      const earlier = seen.get(date);
      if (earlier) {
        const where = earlier.line !== undefined ? ` (line ${earlier.line})` : '';
        const problem =
          earlier.list === listName
            ? `${date} is listed twice in ${listName}${where}`
            : `${date} is listed both in ${earlier.list}${where} and in ${listName}`;
        this.fail(fields.date.value, `${itemPath}.date`, problem);
      }
      seen.set(date, { list: listName, line: fields.date.value.line });
      const note = this.note(fields.note, item, itemPath);
      const periods = fields.hours ? this.periods(fields.hours.value, `${itemPath}.hours`) : (hours ?? []);
      if (hours && periods.length === 0) {
        this.fail(fields.hours?.value ?? item, `${itemPath}.hours`, 'a working day needs working hours');
      }
      return { date, note, periods };
    });
  }
}

/** Which list (daysOff / workingDays) and line a date of the year was first seen in. */
type Seen = Map<string, { list: string; line?: number }>;

function lineNote(line: number | undefined): string {
  return line === undefined ? '' : ` (first at line ${line})`;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function overlaps(a: { from?: number; until?: number }, b: { from?: number; until?: number }): boolean {
  return (a.from ?? -Infinity) <= (b.until ?? Infinity) && (b.from ?? -Infinity) <= (a.until ?? Infinity);
}

function parsePeriod(text: string): WorkingPeriod | undefined {
  const match = PERIOD.exec(text);
  if (!match) return undefined;
  const [h1, m1, h2, m2] = match.slice(1).map(Number);
  if (h1 > 23 || m1 > 59 || m2 > 59 || h2 > 24 || (h2 === 24 && m2 !== 0)) return undefined;
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  return start < end ? { start, end } : undefined;
}
