/**
 * The legal time limit of a user task, as written in the diagram's `timeLimit` extension property
 * (grammar: processes/README.md, "Time limits"). Parsing is strict about meaning and lenient about
 * form (case, spacing), because the values are typed by hand in a modeler's properties panel.
 */

export type TimeLimitUnit = 'minutes' | 'hours' | 'workingDays' | 'calendarDays' | 'sameWorkingDay';

export interface TimeLimit {
  /** Whole number >= 1; `1` for `sameWorkingDay` (the acceptance day itself). */
  amount: number;
  unit: TimeLimitUnit;
  /** `, from next day`: the day of acceptance is not counted. */
  fromNextDay: boolean;
  /** The text as written in the diagram. */
  text: string;
}

export class TimeLimitError extends Error {
  constructor(
    readonly text: string,
    readonly reason: string,
  ) {
    super(`${reason}; expected ${EXPECTED}`);
    this.name = 'TimeLimitError';
  }
}

const EXPECTED =
  '"<amount> <unit>" with a whole amount in digits and a unit of minutes, hours, working days or calendar days, ' +
  'or "same working day", optionally followed by ", from next day" (e.g. "30 minutes", "7 working days, from next day")';

/** Generous bound that still keeps a due-date computation short; no reglament comes near it. */
const MAX_AMOUNT = 100000;

const UNITS: Record<string, TimeLimitUnit> = {
  minute: 'minutes',
  minutes: 'minutes',
  hour: 'hours',
  hours: 'hours',
  'working day': 'workingDays',
  'working days': 'workingDays',
  'calendar day': 'calendarDays',
  'calendar days': 'calendarDays',
};

const FROM_NEXT_DAY = /^(.*?)\s*,?\s*from (?:the )?next day$/;

export function parseTimeLimit(text: string): TimeLimit {
  const normalized = text.trim().replace(/\s+/g, ' ').toLowerCase();
  const quoted = JSON.stringify(text);
  if (normalized === '') throw new TimeLimitError(text, `empty time limit ${quoted}`);

  const suffix = FROM_NEXT_DAY.exec(normalized);
  const fromNextDay = suffix !== null;
  const body = suffix ? suffix[1] : normalized;

  if (body === 'same working day') {
    if (fromNextDay) {
      throw new TimeLimitError(text, `"same working day" cannot be counted from the next day in ${quoted}`);
    }
    return { amount: 1, unit: 'sameWorkingDay', fromNextDay, text };
  }

  if (body === '') throw new TimeLimitError(text, `no amount and unit before "from next day" in ${quoted}`);
  const match = /^(\d+) ?([a-z].*)$/.exec(body);
  if (!match) {
    const first = body.split(' ')[0];
    if (/^\d+$/.test(first)) throw new TimeLimitError(text, `no unit in ${quoted}`);
    throw new TimeLimitError(text, `the amount "${first}" is not a whole number written in digits in ${quoted}`);
  }
  const [, amountText, unitText] = match;
  const unit = UNITS[unitText];
  if (unit === undefined) {
    const hint = unitText === 'day' || unitText === 'days' ? ' (say "working days" or "calendar days")' : '';
    throw new TimeLimitError(text, `unknown unit "${unitText}"${hint} in ${quoted}`);
  }
  const amount = Number(amountText);
  if (amount < 1 || amount > MAX_AMOUNT) {
    throw new TimeLimitError(text, `the amount must be between 1 and ${MAX_AMOUNT} in ${quoted}`);
  }
  return { amount, unit, fromNextDay, text };
}

/**
 * Written where the reglament gives a step no duration (e.g. a signature step, or the recipient's
 * collection of the result): the task gets no due date and the diagram says so, instead of an
 * invented limit.
 */
export const UNSTATED_TIME_LIMIT = 'not stated';

export function isUnstatedTimeLimit(text: string): boolean {
  return text.trim().replace(/\s+/g, ' ').toLowerCase() === UNSTATED_TIME_LIMIT;
}

/** Canonical spelling, e.g. "1 working day", "7 working days, from next day". */
export function formatTimeLimit(limit: Pick<TimeLimit, 'amount' | 'unit' | 'fromNextDay'>): string {
  const suffix = limit.fromNextDay ? ', from next day' : '';
  if (limit.unit === 'sameWorkingDay') return `same working day${suffix}`;
  const one = limit.amount === 1;
  const words: Record<Exclude<TimeLimitUnit, 'sameWorkingDay'>, string> = {
    minutes: one ? 'minute' : 'minutes',
    hours: one ? 'hour' : 'hours',
    workingDays: one ? 'working day' : 'working days',
    calendarDays: one ? 'calendar day' : 'calendar days',
  };
  return `${limit.amount} ${words[limit.unit]}${suffix}`;
}
