/**
 * Which civil dates are working days, and with which hours: the weekly schedule, the statutory
 * holidays with their weekend transfer, and the per-year corrections of the data file, which win.
 * Dates here are civil dates ("YYYY-MM-DD"); the time zone only matters to BusinessCalendar.
 *
 * The holidays come from the data file alone: Kurban ait is announced each year, days off are
 * transferred by government decree, and the Constitution Day moved in 2027. A wrong holiday shifts
 * legal deadlines, so the administrator's file, checked against the decrees, is the only source.
 */
import { DateTime } from 'luxon';
import { CalendarConfig, DayCorrection, WorkingPeriod } from './calendar-config';

export interface SpecialDay {
  date: string;
  working: boolean;
  note: string;
  /** holiday: statutory date; transfer: a holiday's day off moved off a weekend; data: the year's corrections. */
  source: 'holiday' | 'transfer' | 'data';
  /** Present and false for a data day still awaiting the act that fixes it. */
  confirmed?: false;
}

interface Correction extends DayCorrection {
  working: boolean;
}

const NO_HOURS: readonly WorkingPeriod[] = [];

export class DayRules {
  private readonly corrections = new Map<string, Correction>();
  private readonly statutoryByYear = new Map<number, Map<string, SpecialDay>>();

  constructor(private readonly config: CalendarConfig) {
    for (const year of config.years.values()) {
      for (const day of year.daysOff) this.corrections.set(day.date, { ...day, working: false });
      for (const day of year.workingDays) this.corrections.set(day.date, { ...day, working: true });
    }
  }

  periods(date: string): readonly WorkingPeriod[] {
    const correction = this.corrections.get(date);
    if (correction) return correction.working ? correction.periods : NO_HOURS;
    const year = Number(date.slice(0, 4));
    if (this.statutory(year).has(date) || this.statutory(year - 1).has(date)) return NO_HOURS;
    return this.weekly(date);
  }

  /** The year's holidays, transferred days off and corrections, in date order. */
  specialDays(year: number): SpecialDay[] {
    const days = new Map<string, SpecialDay>();
    for (const source of [this.statutory(year - 1), this.statutory(year)]) {
      for (const [date, day] of source) if (date.startsWith(`${year}-`)) days.set(date, day);
    }
    const corrections = this.config.years.get(year);
    const dataDay = ({ date, note, confirmed }: DayCorrection, working: boolean): SpecialDay => ({ date, working, note, source: 'data', ...(confirmed ? {} : { confirmed: false as const }) });
    for (const day of corrections?.daysOff ?? []) days.set(day.date, dataDay(day, false));
    for (const day of corrections?.workingDays ?? []) days.set(day.date, dataDay(day, true));
    return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
  }

  private weekly(date: string): readonly WorkingPeriod[] {
    return this.config.week[civil(date).weekday - 1];
  }

  private holidayDates(year: number): (SpecialDay & { substitute: boolean })[] {
    return this.config.holidays
      .filter((rule) => (rule.from ?? year) <= year && year <= (rule.until ?? year))
      .map((rule) => ({
        date: civil({ year, month: rule.month, day: rule.day }).toISODate()!,
        working: false,
        note: rule.note,
        source: 'holiday' as const,
        substitute: rule.substitute,
      }))
      .sort((a, b) => a.date.localeCompare(b.date));
  }

  /**
   * Labour Code art. 85: when a holiday falls on a weekly day off, the next working day after it is
   * a day off. "Next working day" skips other holidays and days off, which is what makes Nauryz 2026
   * (Sat 21 - Mon 23 March) give Tuesday 24 and Wednesday 25 March. Religious holidays (Orthodox
   * Christmas) are excluded by the law; their rules say substitute: false.
   */
  private statutory(year: number): Map<string, SpecialDay> {
    const cached = this.statutoryByYear.get(year);
    if (cached) return cached;
    const holidays = this.holidayDates(year);
    const days = new Map<string, SpecialDay>(holidays.map(({ substitute: _s, ...day }) => [day.date, day]));
    const nextYear = new Set(this.holidayDates(year + 1).map((day) => day.date));
    const taken = (date: string) =>
      days.has(date) || nextYear.has(date) || this.weekly(date).length === 0 || this.corrections.get(date)?.working === false;
    for (const holiday of holidays) {
      if (!holiday.substitute || this.weekly(holiday.date).length > 0) continue;
      let date = holiday.date;
      do date = civil(date).plus({ days: 1 }).toISODate()!;
      while (taken(date));
      days.set(date, { date, working: false, note: `${holiday.note} (day off moved from ${holiday.date})`, source: 'transfer' });
    }
    this.statutoryByYear.set(year, days);
    return days;
  }
}

/** Civil-date arithmetic in UTC, where every day has 24 hours. */
function civil(date: string | { year: number; month: number; day: number }): DateTime {
  return typeof date === 'string' ? DateTime.fromISO(date, { zone: 'utc' }) : DateTime.fromObject(date, { zone: 'utc' });
}
