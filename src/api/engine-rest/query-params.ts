import { Request } from 'express';
import { CamundaError, invalidRequest } from './camunda-error';

/**
 * Camunda 7's query conventions, read from a query string or a JSON body alike: `true`/`false` flags,
 * comma-separated lists (arrays in a body), dates in `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, one
 * `sortBy`/`sortOrder` pair or a body's `sorting` array, and `firstResult`/`maxResults` paging.
 * A bad value is Camunda's 400 InvalidRequestException naming the parameter; an unknown parameter
 * is ignored, as Camunda ignores it.
 */
export type Params = Record<string, unknown>;

/** The query string, or for a POST query its JSON body (paging stays in the query string). */
export function queryOf(req: Request): Params {
  if (req.method === 'POST') {
    const body: unknown = req.body ?? {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('The body must be a JSON object with query properties');
    return body as Params;
  }
  return req.query as Params;
}

export function str(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalidRequest(`Cannot set query parameter '${name}' to value '${JSON.stringify(value)}': a string is expected`);
  return value;
}

export function flag(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw invalidRequest(`Cannot set query parameter '${name}' to value '${String(value)}': true or false is expected`);
}

export function list(params: Params, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value.split(',').filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw invalidRequest(`Cannot set query parameter '${name}' to value '${JSON.stringify(value)}': a comma-separated list (an array of strings in a body) is expected`);
}

/** A Camunda date to the ISO instant the tables hold. */
export function date(params: Params, name: string): string | undefined {
  const value = str(params, name);
  if (value === undefined) return undefined;
  const parsed = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(parsed)) throw invalidRequest(`Cannot set query parameter '${name}' to value '${value}': not a date yyyy-MM-dd'T'HH:mm:ss.SSSZ`);
  return new Date(parsed).toISOString();
}

/** Camunda's default date format, e.g. 2013-01-23T14:42:45.000+0000. */
export function camundaInstant(iso: string | null | undefined): string | null {
  return iso ? iso.replace(/Z$/, '+0000') : null;
}

/**
 * The first sorting of a query: `sortBy`/`sortOrder` (both or neither) or a body's `sorting` array,
 * mapped through `keys` (Camunda's name → ours); `fallback` when none is given.
 */
export function sortingOf<K extends string>(params: Params, keys: Record<string, K>, fallback: { by: K; order: 'asc' | 'desc' }): { by: K; order: 'asc' | 'desc' } {
  const sorting = params.sorting;
  let sortBy: unknown = params.sortBy;
  let sortOrder: unknown = params.sortOrder;
  if (sorting !== undefined && sorting !== null) {
    if (!Array.isArray(sorting) || sorting.some((s) => typeof s !== 'object' || s === null)) throw invalidRequest('sorting must be an array of { sortBy, sortOrder }');
    if (sorting.length === 0) return fallback;
    ({ sortBy, sortOrder } = sorting[0] as { sortBy?: unknown; sortOrder?: unknown });
  }
  if ((sortBy === undefined || sortBy === '') && (sortOrder === undefined || sortOrder === '')) return fallback;
  if (sortBy === undefined || sortBy === '' || sortOrder === undefined || sortOrder === '') throw invalidRequest('Only a single sorting parameter specified. sortBy and sortOrder required');
  if (typeof sortBy !== 'string' || !Object.hasOwn(keys, sortBy)) throw invalidRequest(`Cannot set query parameter 'sortBy' to value '${String(sortBy)}': supported are ${Object.keys(keys).join(', ')}`);
  if (sortOrder !== 'asc' && sortOrder !== 'desc') throw invalidRequest(`Cannot set query parameter 'sortOrder' to value '${String(sortOrder)}': asc or desc`);
  return { by: keys[sortBy], order: sortOrder };
}

/** A page is at most this long (a larger maxResults is cut, as on /api). */
export const MAX_PAGE = 1000;

/** firstResult/maxResults from the query string (also for POST queries, as Camunda reads them). */
export function pageOf(req: Request): { firstResult: number; maxResults: number } {
  const read = (name: string, fallback: number): number => {
    const value = req.query[name];
    if (value === undefined || value === '') return fallback;
    if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) throw invalidRequest(`Cannot set query parameter '${name}' to value '${String(value)}': a whole number is expected`);
    return Number(value);
  };
  return { firstResult: read('firstResult', 0), maxResults: Math.min(read('maxResults', MAX_PAGE), MAX_PAGE) };
}

/** Camunda's answer to a query property this server cannot filter by: a 400 naming it and why, never a silently wrong list. */
export function refuseParams(params: Params, names: Record<string, string>): void {
  for (const [name, why] of Object.entries(names)) {
    const value = params[name];
    if (value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)) throw invalidRequest(`Query parameter '${name}' is not supported by this server: ${why}`);
  }
}

export function notFound(message: string): CamundaError {
  return new CamundaError(404, 'InvalidRequestException', message);
}
