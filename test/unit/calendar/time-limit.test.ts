import { formatTimeLimit, parseTimeLimit, TimeLimit, TimeLimitError } from '../../../src/calendar/time-limit';

type Parsed = Omit<TimeLimit, 'text'>;

describe('parseTimeLimit accepts the grammar', () => {
  const cases: [text: string, expected: Parsed, canonical: string][] = [
    ['30 minutes', { amount: 30, unit: 'minutes', fromNextDay: false }, '30 minutes'],
    ['1 minute', { amount: 1, unit: 'minutes', fromNextDay: false }, '1 minute'],
    ['1 hour', { amount: 1, unit: 'hours', fromNextDay: false }, '1 hour'],
    ['2 hours', { amount: 2, unit: 'hours', fromNextDay: false }, '2 hours'],
    ['1 working day', { amount: 1, unit: 'workingDays', fromNextDay: false }, '1 working day'],
    ['7 working days', { amount: 7, unit: 'workingDays', fromNextDay: false }, '7 working days'],
    ['10 calendar days', { amount: 10, unit: 'calendarDays', fromNextDay: false }, '10 calendar days'],
    ['1 calendar day', { amount: 1, unit: 'calendarDays', fromNextDay: false }, '1 calendar day'],
    ['same working day', { amount: 1, unit: 'sameWorkingDay', fromNextDay: false }, 'same working day'],
    ['5 working days, from next day', { amount: 5, unit: 'workingDays', fromNextDay: true }, '5 working days, from next day'],
    ['30 minutes, from next day', { amount: 30, unit: 'minutes', fromNextDay: true }, '30 minutes, from next day'],
    // Tolerated forms: case, spacing, a missing comma or space, "the", singular/plural mismatch.
    ['  7   Working  Days ', { amount: 7, unit: 'workingDays', fromNextDay: false }, '7 working days'],
    ['SAME WORKING DAY', { amount: 1, unit: 'sameWorkingDay', fromNextDay: false }, 'same working day'],
    ['3 calendar days ,  From Next Day', { amount: 3, unit: 'calendarDays', fromNextDay: true }, '3 calendar days, from next day'],
    ['3 working days,from next day', { amount: 3, unit: 'workingDays', fromNextDay: true }, '3 working days, from next day'],
    ['3 working days from the next day', { amount: 3, unit: 'workingDays', fromNextDay: true }, '3 working days, from next day'],
    ['30minutes', { amount: 30, unit: 'minutes', fromNextDay: false }, '30 minutes'],
    ['2 working day', { amount: 2, unit: 'workingDays', fromNextDay: false }, '2 working days'],
    ['030 minutes', { amount: 30, unit: 'minutes', fromNextDay: false }, '30 minutes'],
    ['7\u00a0working\tdays', { amount: 7, unit: 'workingDays', fromNextDay: false }, '7 working days'],
  ];

  it.each(cases)('%j', (text, expected, canonical) => {
    const limit = parseTimeLimit(text);
    expect(limit).toEqual({ ...expected, text });
    expect(formatTimeLimit(limit)).toBe(canonical);
    expect(parseTimeLimit(canonical)).toEqual({ ...expected, text: canonical });
  });
});

describe('parseTimeLimit rejects anything else, quoting the text and saying what is expected', () => {
  const cases: [text: string, reason: string][] = [
    ['', 'empty time limit ""'],
    ['   ', 'empty time limit "   "'],
    ['3 weeks', 'unknown unit "weeks" in "3 weeks"'],
    ['5 days', 'unknown unit "days" (say "working days" or "calendar days") in "5 days"'],
    ['thirty minutes', 'the amount "thirty" is not a whole number written in digits in "thirty minutes"'],
    ['1.5 hours', 'the amount "1.5" is not a whole number written in digits in "1.5 hours"'],
    ['-1 hours', 'the amount "-1" is not a whole number written in digits in "-1 hours"'],
    ['0 minutes', 'the amount must be between 1 and 100000 in "0 minutes"'],
    ['100001 minutes', 'the amount must be between 1 and 100000 in "100001 minutes"'],
    ['30', 'no unit in "30"'],
    ['same working day, from next day', '"same working day" cannot be counted from the next day in "same working day, from next day"'],
    ['from next day', 'no amount and unit before "from next day" in "from next day"'],
    ['5 working days, from tomorrow', 'unknown unit "working days, from tomorrow" in "5 working days, from tomorrow"'],
    ['same day', 'the amount "same" is not a whole number written in digits in "same day"'],
  ];

  it.each(cases)('%j', (text, reason) => {
    let error: unknown;
    try {
      parseTimeLimit(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TimeLimitError);
    const { message, reason: actualReason, text: actualText } = error as TimeLimitError;
    expect(actualReason).toBe(reason);
    expect(actualText).toBe(text);
    expect(message).toContain(JSON.stringify(text));
    expect(message).toContain('expected "<amount> <unit>"');
    expect(message).toContain('"same working day"');
    expect(message).toContain('", from next day"');
  });
});
