/**
 * The kinds of failure the domain reports. Lower layers (definitions, runtime, persistence,
 * identity) throw DomainError with a kind and a stable machine code; they know nothing of HTTP.
 * The API maps each kind to a status (src/api/errors.ts), /engine-rest to Camunda's exception types.
 */
export type ErrorKind =
  /** The input is wrong: a field, a body, a query value. */
  | 'invalid'
  /** No valid credentials. */
  | 'unauthenticated'
  /** Known user, not allowed. */
  | 'forbidden'
  | 'not-found'
  /** The state moved on: already completed, claimed by someone else, a concurrent change. */
  | 'conflict'
  /** Well-formed input the procedure cannot run: an invalid diagram, a runaway step, a refused script. */
  | 'unprocessable'
  /** Too many failed attempts from one client. */
  | 'rate-limited'
  /** Our fault; nothing was applied. */
  | 'internal';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badRequest = (message: string, details?: unknown) => new DomainError('invalid', 'BAD_REQUEST', message, details);
export const validationFailed = (message: string, details?: unknown) => new DomainError('invalid', 'VALIDATION_FAILED', message, details);
export const unauthorized = (message = 'A valid bearer token is required') => new DomainError('unauthenticated', 'UNAUTHORIZED', message);
export const forbidden = (message: string) => new DomainError('forbidden', 'FORBIDDEN', message);
export const notFound = (message: string) => new DomainError('not-found', 'NOT_FOUND', message);
export const conflict = (message: string, details?: unknown) => new DomainError('conflict', 'CONFLICT', message, details);
