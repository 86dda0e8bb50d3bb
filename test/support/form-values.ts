import type { FormField } from '../../src/definitions/model';
import { makeBin, makeIin } from '../../src/iin-bin';

/*
 * Values that satisfy a form, chosen from its fields. One filler, three ways of choosing: the path
 * and integrity tests want the same values every run (firstValue), the bench wants the service
 * rendered (positiveValue), the crash-safety run wants refusals and approvals both (randomValue).
 */

/** The value a filler puts into one field; undefined leaves the field out. */
export type ValueChoice = (field: FormField) => unknown;

/** A value for every field the overrides do not give, then the overrides (names outside the form included). */
export function formValues(fields: FormField[], overrides: Record<string, unknown> = {}, choose: ValueChoice = firstValue): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    if (overrides[field.id] !== undefined) continue;
    const value = choose(field);
    if (value !== undefined) values[field.id] = value;
  }
  return { ...values, ...overrides };
}

/**
 * A users-of-group field: the group's user of the test hosts (test-host.ts userOf: `<group>-user`), who
 * then completes the steps assigned to them; else the first user the server offers.
 */
function chosenUser(field: FormField): string | undefined {
  if (!field.choices) return undefined;
  const own = `${field.choices.usersOfGroup}-user`;
  return !field.values || field.values.some((v) => v.id === own) ? own : field.values[0]?.id;
}

/**
 * Values for what a completion must send and `given` leaves out: the required fields, those whose
 * requiredIf holds on the values, and a users-of-group choice; then `given`.
 */
export function requiredValues(fields: FormField[], given: Record<string, unknown> = {}, choose: ValueChoice = firstValue): Record<string, unknown> {
  const values: Record<string, unknown> = { ...given };
  const needed = (field: FormField) => field.required || field.choices !== undefined || (field.requiredIf !== undefined && String(values[field.requiredIf.field]) === field.requiredIf.value);
  for (const field of fields) {
    if (values[field.id] !== undefined || !needed(field)) continue;
    const value = choose(field);
    if (value !== undefined) values[field.id] = value;
  }
  return values;
}

/** `text` cut or padded to the field's length bounds. */
function withinLength(field: FormField, text: string, pad = 'x'): string {
  let value = text;
  if (field.minlength !== undefined && value.length < field.minlength) value = value.padEnd(field.minlength, pad);
  if (field.maxlength !== undefined && value.length > field.maxlength) value = value.slice(0, field.maxlength);
  return value;
}

const STRING_CANDIDATES = ['Тест мәні', 'Test value', 'A1', '1'];

/**
 * A valid number for an `iin-bin` field (a BIN unless the field takes only IINs): the same for the same
 * `draw` (0..1), so that a seeded run repeats; different draws seldom give the same number.
 */
export function iinBinValue(field: FormField, draw = 0): string | undefined {
  if (field.iinBin === undefined) return undefined;
  const months = Math.floor(draw * 300);
  const serial = 1 + (Math.floor(draw * 1e9) % 9999);
  return field.iinBin === 'iin'
    ? makeIin(new Date(Date.UTC(1960 + Math.floor(months / 12), months % 12, 1 + (months % 28))), 'male', serial)
    : makeBin(new Date(Date.UTC(2000 + Math.floor(months / 12), months % 12, 1)), serial);
}

/**
 * The same value every run, one the server's form check accepts: the first enum value, booleans
 * true, whole numbers at their minimum (1 when none), a fixed date, a valid IIN/BIN for an `iin-bin`
 * field, the first of a few strings that fits the field's pattern and length.
 */
export const firstValue: ValueChoice = (field) => {
  const chosen = chosenUser(field);
  if (chosen !== undefined) return chosen;
  switch (field.type) {
    case 'enum':
      return field.values?.[0]?.id;
    case 'boolean':
      return true;
    case 'long':
      return field.min ?? 1;
    case 'date':
      return '2025-03-14';
    default: {
      const number = iinBinValue(field);
      if (number !== undefined) return number;
      for (const candidate of STRING_CANDIDATES) {
        const value = withinLength(field, candidate);
        if (field.pattern === undefined || new RegExp(field.pattern).test(value)) return value;
      }
      throw new Error(`form-values: no generated string satisfies field "${field.id}" (pattern ${field.pattern}); give it in the overrides`);
    }
  }
};

/** The channel preferred when the start form offers several: the provider's own office, then E-licensing, then the portal. */
export const CHANNEL_PREFERENCE = ['office', 'provider', 'portal'];
/** Values of a decision-like enum that lead to the service being rendered. */
const POSITIVE = /^(issued?|approved?|approve|positive|grant(ed)?|accept(ed)?|yes|agreed?|admitted|passed|licen[cs]e-issued|permit-issued)$/i;
/** A boolean field whose true is the negative answer (refusal grounds found, a violation, ...). */
const NEGATIVE_FLAG = /refus|reject|deny|denied|negative|violat|fail|missing|overdue|blocked|withdraw/i;

/** ISO date one minute ago: a timer event on it is due at once, in the host and in the bare engine alike. */
export function pastDate(now = new Date()): string {
  return new Date(now.getTime() - 60_000).toISOString();
}

/** The enum value a clerk rendering the service picks: the preferred channel, an issuing / approving value, else the first. */
export function positiveEnum(field: FormField): string | undefined {
  const values = (field.values ?? []).map((v) => v.id);
  if (values.length === 0) return field.defaultValue;
  if (field.id === 'channel') return CHANNEL_PREFERENCE.find((c) => values.includes(c)) ?? values[0];
  return values.find((v) => POSITIVE.test(v)) ?? values[0];
}

/**
 * What a clerk approving the application enters: booleans true (false when the name reads as a
 * refusal, e.g. refusalGroundsFound), enums as positiveEnum, whole numbers at their minimum (at
 * least 1), dates a minute ago, required strings a short text; optional strings (a refusal reason,
 * a note) stay empty.
 */
export const positiveValue: ValueChoice = (field) => {
  const chosen = chosenUser(field);
  if (chosen !== undefined) return chosen;
  switch (field.type) {
    case 'boolean':
      return !NEGATIVE_FLAG.test(field.id);
    case 'enum':
      return positiveEnum(field);
    case 'long':
      return Math.max(field.min ?? 1, 1);
    case 'date':
      return pastDate();
    default:
      if (field.iinBin !== undefined) return iinBinValue(field);
      return field.required ? withinLength(field, `bench ${field.id}`) : undefined;
  }
};

/**
 * Values drawn from `random` (a seeded generator repeats a run): booleans and issuing-like enums
 * mostly positive, so that paths reach their last steps, but refusals happen too; numbers within
 * their bounds; today's date; digits for a digits pattern, else a text within the length bounds.
 */
export function randomValue(random: () => number): ValueChoice {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  return (field) => {
    const chosen = chosenUser(field);
    if (chosen !== undefined) return chosen;
    switch (field.type) {
      case 'boolean':
        return random() < 0.75;
      case 'enum': {
        const values = (field.values ?? []).map((v) => v.id);
        if (values.length === 0) return undefined;
        const positive = values.find((v) => /^(issued|issue|yes|approved|positive|met)$/.test(v));
        return positive && random() < 0.75 ? positive : pick(values);
      }
      case 'long': {
        const min = field.min ?? 1;
        const max = field.max ?? Math.max(min, 10);
        return Math.min(max, Math.max(min, Math.floor(min + random() * (max - min + 1))));
      }
      case 'date':
        return new Date().toISOString().slice(0, 10);
      default: {
        if (field.iinBin !== undefined) return iinBinValue(field, random());
        const digits = field.pattern ? /^\^?\\d\{(\d+)\}\$?$/.exec(field.pattern) : null;
        if (digits) return Array.from({ length: Number(digits[1]) }, () => Math.floor(random() * 10)).join('');
        const text = 'Тексеру нәтижесі (fault injection)';
        const max = field.maxlength ?? text.length;
        return text.slice(0, Math.max(field.minlength ?? 1, Math.min(max, text.length))).padEnd(field.minlength ?? 0, 'x');
      }
    }
  };
}

/** mulberry32: a small seeded generator, so that a failing run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
