/**
 * Due times of diagram timer events: durations count in the calendar's zone from the moment the event
 * starts waiting, dates are absolute, and a value no timer may have gives none (the step is refused).
 */
import { calendarDueDates } from '../../../src/calendar/due-dates';
import { timerDueAt } from '../../../src/calendar/timer-due';

const now = new Date('2026-03-02T04:00:00Z');

describe('timerDueAt', () => {
  it.each([['PT0S'], ['P0D'], ['-PT1S'], ['PT0.2S'], ['soon']])('computes none from %s (the step is refused instead)', (timeDuration) => {
    expect(timerDueAt({ timeDuration }, now, 'UTC+5')).toBeNull();
  });

  it.each<[string, string, string, string]>([
    ['PT2H', '2026-03-02T04:00:00Z', 'UTC+5', '2026-03-02T06:00:00Z'],
    ['P3D', '2026-03-02T04:00:00Z', 'UTC+5', '2026-03-05T04:00:00Z'],
    // A month from 31 January is the last day of February in the zone: 2026-01-31 01:00 local is still 30 January in UTC.
    ['P1M', '2026-01-30T20:00:00Z', 'UTC+5', '2026-02-27T20:00:00Z'],
    ['P1M', '2026-01-30T20:00:00Z', 'UTC', '2026-02-28T20:00:00Z'],
    ['P1Y', '2026-03-02T04:00:00Z', 'UTC+5', '2027-03-02T04:00:00Z'],
  ])('%s from %s in %s is due at %s', (timeDuration, from, zone, due) => {
    expect(timerDueAt({ timeDuration }, new Date(from), zone)).toEqual(new Date(due));
  });

  it('takes a date as it is, and gives none without a value', () => {
    const at = new Date('2026-04-01T09:00:00+05:00');
    expect(timerDueAt({ expireAt: at }, now, 'UTC+5')).toBe(at);
    expect(timerDueAt({}, now, 'UTC+5')).toBeNull();
  });
});

describe('the calendar due dates', () => {
  const dueDates = calendarDueDates();

  it('count timer events in the zone of the calendar file (UTC+5)', () => {
    expect(dueDates.timerDue({ timeDuration: 'P1M' }, new Date('2026-01-30T20:00:00Z'))).toEqual(new Date('2026-02-27T20:00:00Z'));
  });

  it('count task time limits in working time', () => {
    // Monday 2 March 2026, 09:00 local: three working days end on Wednesday at 18:00 local.
    expect(dueDates.due(now, '3 working days')).toEqual(new Date('2026-03-04T13:00:00Z'));
    expect(dueDates.workingMinutes?.(now, new Date('2026-03-02T06:00:00Z'))).toBe(120);
  });
});
