/**
 * Query-string values as zod schemas. Each reads the text the client sent once (an empty value is
 * no value: the parse helper drops it) and states its problem after the parameter's name, which the
 * parse helper puts in front: `Query parameter "maxResults" must be between 1 and 1000, got 5000`.
 */
import { z } from 'zod';

const got = (input: unknown) => (typeof input === 'string' ? `, got "${input}"` : '');

/** Text given once, at most 255 characters. */
export function text(description: string) {
  return z
    .string({ error: 'must be given once, as text' })
    .max(255, { error: 'is longer than 255 characters' })
    .optional()
    .meta({ description });
}

export function flag(description: string) {
  return z
    .enum(['true', 'false'], { error: (issue) => `must be true or false${got(issue.input)}` })
    .transform((value) => value === 'true')
    .optional()
    .meta({ description });
}

export function wholeNumber<F extends number | undefined>(min: number, max: number, fallback: F, description: string) {
  return z
    .string({ error: 'must be given once, as text' })
    .regex(/^\d+$/, { error: (issue) => `must be a whole number${got(issue.input)}` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: (issue) => `must be between ${min} and ${max}, got ${issue.input}` })
    .optional()
    .transform((n): number | F => n ?? fallback)
    .meta({ type: 'integer', minimum: min, maximum: max, ...(fallback === undefined ? {} : { default: fallback }), description });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number], description: string) {
  return z
    .enum(values, { error: (issue) => `must be one of ${values.join(', ')}${got(issue.input)}` })
    .optional()
    .transform((value): T[number] => value ?? fallback)
    .meta({ default: fallback, description });
}

/** Any date-time Date.parse reads; answered as ISO 8601 in UTC. */
export function dateTime(description: string) {
  return z
    .string({ error: 'must be given once, as text' })
    .refine((value) => !Number.isNaN(Date.parse(value)), { error: (issue) => `must be an ISO 8601 date-time${got(issue.input)}` })
    .transform((value) => new Date(Date.parse(value)).toISOString())
    .optional()
    .meta({ format: 'date-time', description });
}

export const paging = {
  firstResult: wholeNumber(0, 1_000_000_000, 0, 'Index of the first item'),
  maxResults: wholeNumber(1, 1000, 50, 'Page size'),
};
