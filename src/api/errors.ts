import { DomainError, ErrorKind } from '../errors';

export { badRequest, conflict, DomainError, forbidden, notFound, unauthorized, validationFailed } from '../errors';

/** The HTTP status of each kind of domain failure. */
const STATUS: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unprocessable: 422,
  'rate-limited': 429,
  internal: 500,
};

export function httpStatus(error: DomainError): number {
  return STATUS[error.kind];
}
