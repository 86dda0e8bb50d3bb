/**
 * Codes the server speaks in, said in the interface language: legal time limits ("30 minutes",
 * "2 working days, from next day"), ISO durations of timers ("P1M"), instance and task states, history
 * event kinds. A text outside these grammars is shown as it is (it is already someone's words).
 */
import { lang, t, type Texts } from './i18n';

type Unit = keyof Texts['units'];

const pluralIndex: Record<string, number> = { one: 0, few: 1, many: 2, other: 3 };

/** "7 жұмыс күні", "7 рабочих дней", "7 working days": the unit's form for the number, by the language's plural rules. */
export function count(n: number, unit: Unit): string {
  const forms = t().units[unit];
  const category = new Intl.PluralRules(lang()).select(n);
  const index = category === 'other' ? forms.length - 1 : Math.min(pluralIndex[category] ?? forms.length - 1, forms.length - 1);
  return `${n} ${forms[index]}`;
}

const LIMIT_UNITS: [RegExp, Unit][] = [
  [/^minutes?$/, 'minute'],
  [/^hours?$/, 'hour'],
  [/^working days?$/, 'workingDay'],
  [/^calendar days?$/, 'calendarDay'],
];

/** A task's legal time limit (the grammar of processes/README.md, "Time limits") in words. */
export function timeLimitWords(limit: string | null | undefined): string {
  const tx = t();
  if (!limit) return tx.notStated;
  const text = limit.trim().replace(/\s+/g, ' ').toLowerCase();
  if (text === 'not stated') return tx.notStated;
  if (text === 'same working day') return tx.sameWorkingDay;
  const m = /^(\d+) ([a-z ]+?)( ?, ?from next day)?$/.exec(text);
  const unit = m ? LIMIT_UNITS.find(([pattern]) => pattern.test(m[2]))?.[1] : undefined;
  if (!m || !unit) return limit;
  const amount = count(Number(m[1]), unit);
  return m[3] ? `${amount}, ${tx.fromNextDay}` : amount;
}

/** An ISO 8601 duration of a timer (P1M, PT15M, R3/PT1H) in words. */
export function durationWords(iso: string | null | undefined): string {
  if (!iso) return '';
  const repeat = /^R(\d+)\/(.+)$/.exec(iso.trim());
  if (repeat) return t().repeatTimes(Number(repeat[1]), durationWords(repeat[2]));
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso.trim());
  if (!m || iso.trim() === 'P' || iso.trim().endsWith('T')) return iso;
  const units: Unit[] = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];
  const parts = units.flatMap((unit, i) => (m[i + 1] ? [count(Number(m[i + 1]), unit)] : []));
  return parts.join(' ');
}

/** An instance's or a task's state (running, completed, open, cancelled) in words. */
export function stateWord(state: string): string {
  return t().states[state] ?? state;
}

/** A history entry's kind in words; a kind this version of the app does not know is "other event". */
export function eventWord(type: string): string {
  const tx = t();
  return tx.events[type] ?? tx.eventOther;
}

/** A candidate group (office, head, ...) in words; an unknown group keeps its id. */
export function groupWord(group: string): string {
  return t().groups[group] ?? group;
}

export function groupsWords(groups: readonly string[]): string {
  return groups.map(groupWord).join(', ');
}
