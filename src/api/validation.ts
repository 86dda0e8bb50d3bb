/**
 * Request input parsed by the route's zod schemas. A problem is a 400 BAD_REQUEST whose message
 * names the place: the query parameter, the body field, the path parameter.
 */
import { z } from 'zod';
import { badRequest, DomainError } from './errors';

export type InputPart = 'query' | 'body' | 'params' | 'headers';

/** `resources[0].source` */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`)).join('');
}

/** The message of one issue: `{path}` in a schema's message stands for the field's path. */
export function issueMessage(part: InputPart, issue: z.core.$ZodIssue): string {
  const path = issuePath(issue.path);
  if (issue.message.includes('{path}')) return issue.message.replaceAll('{path}', path);
  if (part === 'query' && path) return `Query parameter "${path}" ${issue.message}`;
  if (part === 'headers' && path) return `The ${path} header ${issue.message}`;
  if (part === 'params' && path) return `Path parameter "${path}" ${issue.message}`;
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** An empty query value is no value, as if the parameter were not sent. */
function withoutEmptyValues(query: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([, value]) => value !== ''));
}

/** Parses one part of a request; throws the 400 of its first problem. */
export function parseInput<S extends z.ZodType>(part: InputPart, schema: S, value: unknown, toError: (message: string, issue: z.core.$ZodIssue) => Error = (message, issue) => inputError(part, message, issue)): z.output<S> {
  const result = schema.safeParse(part === 'query' ? withoutEmptyValues(value) : value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw toError(issueMessage(part, issue), issue);
}

function inputError(part: InputPart, message: string, issue: z.core.$ZodIssue): DomainError {
  const field = issuePath(issue.path);
  return badRequest(message, field ? { field } : undefined);
}
