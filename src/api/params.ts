import { badRequest } from './errors';

type Query = Record<string, unknown>;

/** Query-string readers that reject malformed values with the parameter's name. */
export function str(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw badRequest(`Query parameter "${name}" must be given once, as text`);
  if (value.length > 255) throw badRequest(`Query parameter "${name}" is longer than 255 characters`);
  return value;
}

export function bool(query: Query, name: string): boolean | undefined {
  const value = str(query, name);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest(`Query parameter "${name}" must be true or false, got "${value}"`);
}

export function int(query: Query, name: string, fallback: number, min: number, max: number): number {
  const value = str(query, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw badRequest(`Query parameter "${name}" must be a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw badRequest(`Query parameter "${name}" must be between ${min} and ${max}, got ${value}`);
  return n;
}

export function oneOf<T extends string>(query: Query, name: string, allowed: readonly T[], fallback: T): T {
  const value = str(query, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw badRequest(`Query parameter "${name}" must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

export function isoDate(query: Query, name: string): string | undefined {
  const value = str(query, name);
  if (value === undefined) return undefined;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw badRequest(`Query parameter "${name}" must be an ISO 8601 date-time, got "${value}"`);
  return new Date(parsed).toISOString();
}

export function page(query: Query): { firstResult: number; maxResults: number } {
  return { firstResult: int(query, 'firstResult', 0, 0, 1_000_000_000), maxResults: int(query, 'maxResults', 50, 1, 1000) };
}
