/**
 * The shape of the calendar file (config/calendar/kz.json) as a zod schema: every key, type and
 * format, each refusal worded for the administrator who edits the file. What needs more than one
 * value at a time and the line of another entry (a date listed twice, a holiday twice for the same
 * years) is checked in calendar-config.ts.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';

export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

/** Minutes after local midnight, start inclusive, end exclusive; end may be 1440. */
export interface WorkingPeriod {
  start: number;
  end: number;
}

const PERIOD = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;
const DATE_OF_YEAR = /^(\d{2})-(\d{2})$/;
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parsePeriod(text: string): WorkingPeriod | undefined {
  const match = PERIOD.exec(text);
  if (!match) return undefined;
  const [h1, m1, h2, m2] = match.slice(1).map(Number);
  if (h1 > 23 || m1 > 59 || m2 > 59 || h2 > 24 || (h2 === 24 && m2 !== 0)) return undefined;
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  return start < end ? { start, end } : undefined;
}

/** Month and day of a recurring "MM-DD" date; not 02-29, which would silently vanish in three years out of four. */
export function parseDateOfYear(text: string): { month: number; day: number } | undefined {
  const match = DATE_OF_YEAR.exec(text);
  if (!match) return undefined;
  const month = Number(match[1]);
  const day = Number(match[2]);
  if ((month === 2 && day === 29) || !DateTime.fromObject({ year: 2001, month, day }).isValid) return undefined;
  return { month, day };
}

function found(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  switch (typeof input) {
    case 'object':
      return 'an object';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true/false';
    default:
      return typeof input;
  }
}

/** The error of a value of the wrong type, or of a missing required key (`missing`). */
function typeError(what: string, missing?: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined && missing ? missing : `expected ${what}, found ${found(issue.input)}`);
}

/** An object that refuses keys it does not know: a typo would otherwise be ignored. */
function strict<Shape extends z.ZodRawShape>(shape: Shape, missing?: string) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key "${issue.keys[0]}"; allowed here: ${allowed}` : typeError('an object', missing)(issue)),
  });
}

const text = z.string({ error: typeError('a string') });

const note = (missing: string) =>
  z.string({ error: typeError('a string', missing) }).refine((value) => value.trim() !== '', { error: 'the note is empty' });

const ENTRY_NOTE = 'missing "note" (say where the entry comes from, e.g. the decree)';

/** A list of "HH:MM-HH:MM" periods in order, without overlaps. */
const periods = (missing?: string) =>
  z.array(text, { error: typeError('a list of "HH:MM-HH:MM" periods', missing) }).superRefine((list, ctx) => {
    let previous: WorkingPeriod | undefined;
    list.forEach((item, i) => {
      const period = parsePeriod(item);
      if (!period) {
        ctx.addIssue({ code: 'custom', path: [i], message: `"${item}" is not a period; expected "HH:MM-HH:MM" with the start before the end, e.g. "09:00-13:00"` });
      } else if (previous && period.start < previous.end) {
        ctx.addIssue({ code: 'custom', path: [i], message: `"${item}" overlaps or precedes the previous period; list periods in order, without overlaps` });
      }
      previous = period ?? previous;
    });
  });

const weekdays = Object.fromEntries(WEEKDAY_NAMES.map((day) => [day, periods(`missing "${day}"; list all seven days (use [] for a day off)`)])) as Record<WeekdayName, ReturnType<typeof periods>>;

const workingHours = strict({ note: text.optional(), ...weekdays }).superRefine((week, ctx) => {
  if (WEEKDAY_NAMES.every((day) => week[day].length === 0)) ctx.addIssue({ code: 'custom', message: 'no day of the week has working hours' });
});

const year = z.number({ error: typeError('a year') }).refine((value) => Number.isInteger(value) && value >= 1900 && value <= 2999, { error: (issue) => `${String(issue.input)} is not a year` });

const holiday = strict({
  date: z.string({ error: typeError('a string', 'missing "date" ("MM-DD")') }).refine((value) => parseDateOfYear(value) !== undefined, {
    error: (issue) => `"${String(issue.input)}" is not a recurring date; expected "MM-DD" (not 02-29)`,
  }),
  note: note(ENTRY_NOTE),
  substitute: z.boolean({ error: typeError('true or false') }).optional(),
  from: year.optional(),
  until: year.optional(),
}).superRefine((entry, ctx) => {
  if (entry.from !== undefined && entry.until !== undefined && entry.from > entry.until) {
    ctx.addIssue({ code: 'custom', path: ['until'], message: `"until" (${entry.until}) is before "from" (${entry.from})` });
  }
});

const fullDate = z.string({ error: typeError('a string', 'missing "date" ("YYYY-MM-DD")') }).refine((value) => FULL_DATE.test(value) && DateTime.fromISO(value).isValid, {
  error: (issue) => `"${String(issue.input)}" is not a valid date; expected "YYYY-MM-DD"`,
});

/**
 * A movable date (Kurban ait, a transfer not yet decreed) is entered as soon as it is announced or
 * estimated; `confirmed: false` says the act fixing it is still awaited, so that the administrator
 * and the catalog see which due dates may move when it comes (default true).
 */
const confirmed = z.boolean({ error: typeError('true or false') }).optional();
const dayOff = strict({ date: fullDate, note: note(ENTRY_NOTE), confirmed });
const workingDay = strict({ date: fullDate, note: note(ENTRY_NOTE), hours: periods().optional(), confirmed });

const yearCorrections = strict({
  note: text.optional(),
  daysOff: z.array(dayOff, { error: typeError('a list of days') }).optional(),
  workingDays: z.array(workingDay, { error: typeError('a list of days') }).optional(),
});

const years = z.record(z.string(), yearCorrections, { error: typeError('an object keyed by year') }).superRefine((record, ctx) => {
  for (const [key, corrections] of Object.entries(record)) {
    if (!/^\d{4}$/.test(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is not a year; keys of "years" are years like "2026"`, params: { atKey: true } });
      continue;
    }
    for (const list of ['daysOff', 'workingDays'] as const) {
      corrections[list]?.forEach((day, i) => {
        if (Number(day.date.slice(0, 4)) !== Number(key)) ctx.addIssue({ code: 'custom', path: [key, list, i, 'date'], message: `${day.date} is listed under year ${key}` });
      });
    }
  }
});

export const calendarSchema = strict({
  note: text.optional(),
  /** A luxon zone: fixed offset ("UTC+5") or IANA name ("Asia/Almaty"). */
  zone: text
    .refine((zone) => DateTime.fromMillis(0, { zone }).isValid, {
      error: (issue) => `unknown time zone "${String(issue.input)}"; use a fixed offset like "UTC+5" or an IANA name like "Asia/Almaty"`,
    })
    .optional(),
  /** Every weekday, each a list of "HH:MM-HH:MM" periods; [] = day off. */
  workingHours: workingHours.optional(),
  /** Statutory holidays that recur every year on the same date. */
  holidays: z.array(holiday, { error: typeError('a list of holidays') }).optional(),
  /** Per-year corrections, keyed by the year ("2026"). */
  years: years.optional(),
});

/** The file's content (also accepted, partially, from code by loadCalendar). */
export type CalendarData = z.input<typeof calendarSchema>;
export type ValidCalendarData = z.output<typeof calendarSchema>;
