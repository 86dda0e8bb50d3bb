/**
 * The Kazakhstan calendar as shipped (config/calendar/kz.json) plus small calendars built in code.
 * Every instant is explicit ("yyyy-MM-dd HH:mm" local time, UTC+5); nothing reads the system clock.
 */
import { DateTime } from 'luxon';
import { BusinessCalendar, createCalendar, loadCalendar } from '../../../src/calendar/business-calendar';
import { parseTimeLimit } from '../../../src/calendar/time-limit';

const calendar = loadCalendar();

/** Local time in Kazakhstan (UTC+5). */
function at(local: string): Date {
  const parsed = DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm', { zone: 'UTC+5' });
  if (!parsed.isValid) throw new Error(`bad test time ${local}`);
  return parsed.toJSDate();
}

/** "2026-03-16 09:20 Mon", so that a failure shows the weekday. */
function local(date: Date, cal: BusinessCalendar = calendar): string {
  return DateTime.fromJSDate(date, { zone: cal.zone }).toFormat('yyyy-MM-dd HH:mm ccc');
}

function due(created: string, limit: string, cal: BusinessCalendar = calendar): string {
  return local(cal.dueDate(at(created), parseTimeLimit(limit)), cal);
}

describe('the shipped calendar', () => {
  it('uses the fixed zone UTC+5', () => {
    expect(calendar.zone).toBe('UTC+5');
  });

  describe('weekends and ordinary days', () => {
    it.each([
      ['2026-04-13 12:00', true], // Monday
      ['2026-04-17 12:00', true], // Friday
      ['2026-04-18 12:00', false], // Saturday
      ['2026-04-19 12:00', false], // Sunday
      ['2026-04-19 23:59', false],
      ['2026-04-20 00:00', true], // Monday, before opening: still a working day
    ])('%s is a working day: %s', (time, working) => {
      expect(calendar.isWorkingDay(at(time))).toBe(working);
    });
  });

  describe('2026 public holidays and their statutory transfers are days off', () => {
    it.each([
      ['2026-01-01', 'New Year'],
      ['2026-01-02', 'New Year'],
      ['2026-01-07', 'Orthodox Christmas (a day off in Kazakhstan, not transferred)'],
      ['2026-03-09', "Women's Day, moved from Sunday 8 March"],
      ['2026-03-23', 'Nauryz'],
      ['2026-03-24', 'Nauryz, moved from Saturday 21 March'],
      ['2026-03-25', 'Nauryz, moved from Sunday 22 March'],
      ['2026-05-01', "People's Unity Day"],
      ['2026-05-07', 'Defender of the Fatherland Day'],
      ['2026-05-11', 'Victory Day, moved from Saturday 9 May'],
      ['2026-05-27', 'Kurban ait, first day (data file)'],
      ['2026-07-06', 'Capital Day'],
      ['2026-10-26', 'Republic Day, moved from Sunday 25 October'],
      ['2026-12-16', 'Independence Day'],
    ])('%s (%s)', (date) => {
      expect(calendar.isWorkingDay(at(`${date} 10:00`))).toBe(false);
    });

    it.each([
      ['2026-01-05', 'after the New Year weekend; no January transfer in 2026'],
      ['2026-01-08', 'after Christmas: not transferred'],
      ['2026-03-16', 'Constitution Day moves to 15 March only from 2027: no substitute day in 2026'],
      ['2026-03-26', 'after Nauryz'],
      ['2026-05-08', 'between Defender and Victory Day: no decree bridges it'],
      ['2026-08-31', 'Constitution Day 30 August lapsed with the new Constitution'],
      ['2026-12-17', 'Independence Day is one day since 2022'],
    ])('%s is a working day (%s)', (date) => {
      expect(calendar.isWorkingDay(at(`${date} 10:00`))).toBe(true);
    });

    it('lists them, sourced and noted', () => {
      const days = calendar.specialDays(2026);
      expect(days.filter((d) => !d.working).map((d) => d.date)).toEqual([
        '2026-01-01', '2026-01-02', '2026-01-07',
        '2026-03-08', '2026-03-09', '2026-03-21', '2026-03-22', '2026-03-23', '2026-03-24', '2026-03-25',
        '2026-05-01', '2026-05-07', '2026-05-09', '2026-05-11', '2026-05-27',
        '2026-07-06', '2026-10-25', '2026-10-26', '2026-12-16',
      ]);
      expect(days.find((d) => d.date === '2026-03-25')).toMatchObject({ source: 'transfer', note: expect.stringContaining('moved from 2026-03-22') });
      expect(days.find((d) => d.date === '2026-05-27')).toMatchObject({ source: 'data', note: expect.stringContaining('Kurban ait') });
      expect(days.every((d) => d.note.length > 0)).toBe(true);
    });
  });

  describe('2027: Constitution Day on 15 March, the statutory transfers, Kurban ait unconfirmed', () => {
    it.each([
      ['2027-01-01', 'New Year (Friday)'],
      ['2027-01-04', 'New Year, moved from Saturday 2 January'],
      ['2027-01-07', 'Orthodox Christmas'],
      ['2027-03-08', "Women's Day (Monday)"],
      ['2027-03-15', 'Constitution Day, first observed in 2027 (Monday)'],
      ['2027-03-22', 'Nauryz'],
      ['2027-03-23', 'Nauryz'],
      ['2027-03-24', 'Nauryz, moved from Sunday 21 March'],
      ['2027-05-03', "People's Unity Day, moved from Saturday 1 May"],
      ['2027-05-07', 'Defender of the Fatherland Day (Friday)'],
      ['2027-05-10', 'Victory Day, moved from Sunday 9 May'],
      ['2027-07-06', 'Capital Day (Tuesday)'],
      ['2027-10-25', 'Republic Day (Monday)'],
      ['2027-12-16', 'Independence Day (Thursday)'],
    ])('%s is a day off (%s)', (date) => {
      expect(calendar.isWorkingDay(at(`${date} 10:00`))).toBe(false);
    });

    it.each([
      ['2027-01-05', 'after the New Year transfer'],
      ['2027-03-16', 'after Constitution Day: it fell on a Monday, nothing to transfer'],
      ['2027-03-25', 'after Nauryz and its transfer'],
      ['2027-05-17', 'after the estimated Kurban ait (Sunday): no transfer for a religious holiday'],
      ['2027-08-30', '30 August is no longer a holiday'],
      ['2027-10-26', 'after Republic Day'],
    ])('%s is a working day (%s)', (date) => {
      expect(calendar.isWorkingDay(at(`${date} 10:00`))).toBe(true);
    });

    it('lists Kurban ait 2027 as a data day not yet confirmed, and 2026 Kurban ait as confirmed', () => {
      expect(calendar.specialDays(2027).find((d) => d.date === '2027-05-16')).toMatchObject({ source: 'data', working: false, confirmed: false, note: expect.stringContaining('Kurban ait') });
      expect(calendar.specialDays(2026).find((d) => d.date === '2026-05-27')).not.toHaveProperty('confirmed');
      expect(calendar.specialDays(2027).filter((d) => d.confirmed === false).map((d) => d.date)).toEqual(['2027-05-16']);
    });

    it('counts a task across the 2027 Nauryz week', () => {
      // Fri 19.03 + 3 working days: Mon 22, Tue 23 (Nauryz) and Wed 24 (transfer) are off.
      expect(due('2027-03-19 10:00', '3 working days')).toBe('2027-03-26 18:00 Fri');
    });
  });

  describe('transferred days from the data file', () => {
    it('Saturday 4 May 2024 is a working day, Wednesday 8 May 2024 is off', () => {
      expect(calendar.isWorkingDay(at('2024-05-04 10:00'))).toBe(true);
      expect(calendar.isWorkingTime(at('2024-05-04 10:00'))).toBe(true);
      expect(calendar.isWorkingTime(at('2024-05-04 13:30'))).toBe(false);
      expect(calendar.isWorkingDay(at('2024-05-08 10:00'))).toBe(false);
      expect(due('2024-05-03 17:50', '30 minutes')).toBe('2024-05-04 09:20 Sat');
      expect(due('2024-05-03 10:00', '2 working days')).toBe('2024-05-04 18:00 Sat');
    });

    it('Sunday 5 January 2025 is a working day, Friday 3 January 2025 is off', () => {
      expect(calendar.isWorkingDay(at('2025-01-05 10:00'))).toBe(true);
      expect(calendar.isWorkingDay(at('2025-01-03 10:00'))).toBe(false);
      expect(calendar.nextWorkingDayStart(at('2024-12-31 12:00'))).toEqual(at('2025-01-05 09:00'));
    });
  });
});

describe('dueDate', () => {
  describe('minutes and hours count only working time', () => {
    it.each([
      ['Friday 17:50 + 30 min = Monday 09:20', '2026-03-13 17:50', '30 minutes', '2026-03-16 09:20 Mon'],
      ['... = Tuesday when Monday is a holiday', '2026-03-06 17:50', '30 minutes', '2026-03-10 09:20 Tue'],
      ['within the morning', '2026-04-14 10:00', '30 minutes', '2026-04-14 10:30 Tue'],
      ['lunch is skipped', '2026-04-14 12:50', '30 minutes', '2026-04-14 14:20 Tue'],
      ['created during lunch', '2026-04-14 13:30', '30 minutes', '2026-04-14 14:30 Tue'],
      ['hours across lunch', '2026-04-14 12:00', '2 hours', '2026-04-14 15:00 Tue'],
      ['ends exactly at closing', '2026-04-14 17:30', '30 minutes', '2026-04-14 18:00 Tue'],
      ['created before opening', '2026-04-14 07:15', '30 minutes', '2026-04-14 09:30 Tue'],
      ['created after closing', '2026-04-14 19:00', '1 hour', '2026-04-15 10:00 Wed'],
      ['created on Saturday', '2026-04-18 11:00', '30 minutes', '2026-04-20 09:30 Mon'],
      ['hours over the night', '2026-04-16 17:00', '2 hours', '2026-04-17 10:00 Fri'],
      ['a full working day of minutes', '2026-04-14 09:00', '480 minutes', '2026-04-14 18:00 Tue'],
      ['over the Nauryz break', '2026-03-20 16:00', '4 hours', '2026-03-26 11:00 Thu'],
      ['from next day: starts at the next opening', '2026-04-14 10:00', '30 minutes, from next day', '2026-04-15 09:30 Wed'],
    ])('%s', (_name, created, limit, expected) => {
      expect(due(created, limit)).toBe(expected);
    });
  });

  describe('working days: day 1 is the acceptance day', () => {
    it.each([
      ['created in the morning: today counts', '2026-04-14 10:00', '1 working day', '2026-04-14 18:00 Tue'],
      ['created before opening: today counts', '2026-04-14 08:00', '1 working day', '2026-04-14 18:00 Tue'],
      ['created a minute before closing: today counts', '2026-04-14 17:59', '1 working day', '2026-04-14 18:00 Tue'],
      ['created at closing: accepted tomorrow', '2026-04-14 18:00', '1 working day', '2026-04-15 18:00 Wed'],
      ['created after hours: accepted tomorrow', '2026-04-14 18:30', '1 working day', '2026-04-15 18:00 Wed'],
      ['created on Saturday: accepted Monday', '2026-04-18 10:00', '2 working days', '2026-04-21 18:00 Tue'],
      ['over a weekend', '2026-04-16 10:00', '3 working days', '2026-04-20 18:00 Mon'],
      ['7 working days', '2026-04-14 10:00', '7 working days', '2026-04-22 18:00 Wed'],
      // Holiday eves: Friday 20 March 2026 is the last working day before Nauryz (21-25 March).
      ['1 working day on the holiday eve', '2026-03-20 10:00', '1 working day', '2026-03-20 18:00 Fri'],
      ['1 working day on the holiday eve, after hours', '2026-03-20 18:30', '1 working day', '2026-03-26 18:00 Thu'],
      ['2 working days over Nauryz', '2026-03-20 10:00', '2 working days', '2026-03-26 18:00 Thu'],
      ['2 working days on the eve of Kurban ait', '2026-05-26 11:00', '2 working days', '2026-05-28 18:00 Thu'],
      ['created on a holiday: accepted the next working day', '2026-01-07 10:00', '1 working day', '2026-01-08 18:00 Thu'],
    ])('%s', (_name, created, limit, expected) => {
      expect(due(created, limit)).toBe(expected);
    });
  });

  describe('the day of acceptance is not counted (", from next day")', () => {
    it.each([
      ['day 1 is tomorrow', '2026-04-13 10:00', '3 working days, from next day', '2026-04-16 18:00 Thu'],
      ['the same limit without the suffix', '2026-04-13 10:00', '3 working days', '2026-04-15 18:00 Wed'],
      ['after hours: accepted Tuesday, counted from Wednesday', '2026-04-13 18:30', '3 working days, from next day', '2026-04-17 18:00 Fri'],
      ['on Saturday: accepted Monday, counted from Tuesday', '2026-04-18 10:00', '1 working day, from next day', '2026-04-21 18:00 Tue'],
      ['on the eve of Nauryz: counted from Thursday 26 March', '2026-03-20 10:00', '1 working day, from next day', '2026-03-26 18:00 Thu'],
      ['calendar days from the next calendar day', '2026-04-16 10:00', '3 calendar days, from next day', '2026-04-20 18:00 Mon'],
    ])('%s', (_name, created, limit, expected) => {
      expect(due(created, limit)).toBe(expected);
    });
  });

  describe('same working day', () => {
    it.each([
      ['during hours', '2026-04-14 10:00', '2026-04-14 18:00 Tue'],
      ['before opening', '2026-04-14 08:30', '2026-04-14 18:00 Tue'],
      ['during lunch', '2026-04-14 13:15', '2026-04-14 18:00 Tue'],
      ['after hours: the next working day', '2026-04-14 18:30', '2026-04-15 18:00 Wed'],
      ['after hours on Friday: Monday', '2026-04-17 19:00', '2026-04-20 18:00 Mon'],
      ['after hours on the eve of Nauryz', '2026-03-20 18:01', '2026-03-26 18:00 Thu'],
      ['on Sunday', '2026-04-19 10:00', '2026-04-20 18:00 Mon'],
    ])('%s', (_name, created, expected) => {
      expect(due(created, 'same working day')).toBe(expected);
    });
  });

  describe('calendar days end at closing time, moved off days off', () => {
    it.each([
      ['ends on a working day', '2026-04-13 10:00', '10 calendar days', '2026-04-22 18:00 Wed'],
      ['ends on a Saturday: moved to Monday', '2026-04-14 10:00', '5 calendar days', '2026-04-20 18:00 Mon'],
      ['ends on Nauryz: moved past the holidays', '2026-03-17 10:00', '5 calendar days', '2026-03-26 18:00 Thu'],
      ['1 calendar day = the acceptance day', '2026-04-14 10:00', '1 calendar day', '2026-04-14 18:00 Tue'],
      ['created on Saturday: accepted Monday', '2026-04-18 10:00', '2 calendar days', '2026-04-21 18:00 Tue'],
      ['over the year end', '2026-12-28 10:00', '5 calendar days', '2027-01-05 18:00 Tue'],
    ])('%s', (_name, created, limit, expected) => {
      expect(due(created, limit)).toBe(expected);
    });
  });

  it('is independent of the host time zone: the same instant gives the same due date', () => {
    const created = new Date('2026-04-14T05:00:00Z'); // 10:00 in Kazakhstan
    expect(calendar.dueDate(created, parseTimeLimit('1 working day'))).toEqual(new Date('2026-04-14T13:00:00Z'));
  });
});

describe('working-time helpers', () => {
  it.each([
    ['2026-04-14 10:00', '2026-04-14 18:00 Tue'],
    ['2026-04-14 20:00', '2026-04-14 18:00 Tue'], // the day's closing, even when already past
    ['2026-04-18 10:00', '2026-04-20 18:00 Mon'], // a day off: the next working day's
    ['2026-03-21 10:00', '2026-03-26 18:00 Thu'],
  ])('endOfWorkingDay(%s) = %s', (time, expected) => {
    expect(local(calendar.endOfWorkingDay(at(time)))).toBe(expected);
  });

  it.each([
    ['2026-04-14 08:00', '2026-04-15 09:00 Wed'],
    ['2026-04-17 10:00', '2026-04-20 09:00 Mon'],
    ['2026-03-20 10:00', '2026-03-26 09:00 Thu'],
    ['2026-12-31 10:00', '2027-01-05 09:00 Tue'],
  ])('nextWorkingDayStart(%s) = %s', (time, expected) => {
    expect(local(calendar.nextWorkingDayStart(at(time)))).toBe(expected);
  });

  it.each([
    ['2026-04-14 09:00', '2026-04-14 18:00', 480],
    ['2026-04-14 12:30', '2026-04-14 14:30', 60], // lunch excluded
    ['2026-04-17 17:00', '2026-04-20 10:00', 120], // weekend excluded
    ['2026-03-20 17:00', '2026-03-26 10:00', 120], // Nauryz excluded
    ['2026-04-18 10:00', '2026-04-19 10:00', 0],
    ['2026-04-14 10:00', '2026-04-14 10:00', 0],
    ['2026-04-20 10:00', '2026-04-17 17:00', -120], // reversed: negative
  ])('workingMinutesBetween(%s, %s) = %d', (a, b, minutes) => {
    expect(calendar.workingMinutesBetween(at(a), at(b))).toBe(minutes);
  });

  it('addWorkingMinutes and workingMinutesBetween agree', () => {
    const from = at('2026-03-19 15:10');
    for (const minutes of [0, 1, 50, 170, 171, 480, 1000, 5000]) {
      const to = calendar.addWorkingMinutes(from, minutes);
      expect(calendar.workingMinutesBetween(from, to)).toBe(minutes);
    }
  });

  it('addWorkingMinutes(0) outside working time is the next opening', () => {
    expect(local(calendar.addWorkingMinutes(at('2026-04-17 18:00'), 0))).toBe('2026-04-20 09:00 Mon');
  });

  it('refuses negative minutes and invalid dates', () => {
    expect(() => calendar.addWorkingMinutes(at('2026-04-14 10:00'), -1)).toThrow(RangeError);
    expect(() => calendar.isWorkingDay(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('calendars built from other data', () => {
  const sixDays = createCalendar({
    workingHours: {
      mon: ['09:00-13:00', '14:30-18:30'],
      tue: ['09:00-13:00', '14:30-18:30'],
      wed: ['09:00-13:00', '14:30-18:30'],
      thu: ['09:00-13:00', '14:30-18:30'],
      fri: ['09:00-13:00', '14:30-18:30'],
      sat: ['10:00-14:00'],
      sun: [],
    },
    holidays: [{ date: '05-09', note: 'Victory Day' }],
  });

  it('follows the configured hours per weekday', () => {
    expect(due('2026-04-17 18:20', '30 minutes', sixDays)).toBe('2026-04-18 10:20 Sat');
    expect(due('2026-04-18 13:50', '30 minutes', sixDays)).toBe('2026-04-20 09:20 Mon');
    expect(due('2026-04-14 12:50', '30 minutes', sixDays)).toBe('2026-04-14 14:50 Tue');
    expect(due('2026-04-18 10:00', 'same working day', sixDays)).toBe('2026-04-18 14:00 Sat');
  });

  it('transfers a holiday only off weekly days off: Saturday 9 May 2026 is simply off', () => {
    expect(sixDays.isWorkingDay(at('2026-05-09 10:00'))).toBe(false);
    expect(sixDays.isWorkingDay(at('2026-05-11 10:00'))).toBe(true);
  });

  it('takes another zone: the same instant in UTC+6 is an hour later on the wall clock', () => {
    const utc6 = loadCalendar({ config: { zone: 'UTC+6' } });
    const created = at('2026-04-14 17:30'); // 18:30 in UTC+6: after closing there
    expect(utc6.isWorkingTime(created)).toBe(false);
    expect(local(utc6.dueDate(created, parseTimeLimit('1 working day')), utc6)).toBe('2026-04-15 18:00 Wed');
  });

  it('lets data days win over holidays and weekends', () => {
    const corrected = createCalendar({
      holidays: [{ date: '03-16', note: 'a wrong substitute' }],
      years: {
        '2026': {
          workingDays: [
            { date: '2026-03-16', note: 'the holiday does not apply' },
            { date: '2026-03-14', note: 'short working Saturday', hours: ['10:00-12:00'] },
          ],
          daysOff: [{ date: '2026-03-17', note: 'extra day off' }],
        },
      },
    });
    expect(corrected.isWorkingDay(at('2026-03-16 10:00'))).toBe(true);
    expect(corrected.isWorkingDay(at('2026-03-17 10:00'))).toBe(false);
    expect(due('2026-03-13 17:50', '30 minutes', corrected)).toBe('2026-03-14 10:20 Sat');
    expect(due('2026-03-14 11:00', 'same working day', corrected)).toBe('2026-03-14 12:00 Sat');
  });
});
