import { DomainError } from '../errors';

/** Camunda 7 error body: `{ type, message }` (plus `details` for parse errors). */
export class CamundaError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function invalidRequest(message: string): CamundaError {
  return new CamundaError(400, 'InvalidRequestException', message);
}

/**
 * A refusal of the runtime in Camunda's terms for the task and filter resources: Camunda has no 409;
 * a task claimed by someone else or no longer in the state asked for is a ProcessEngineException (500)
 * there, and so it is here, with the server's message saying why.
 */
export function camundaRefusal(err: unknown, conflictType = 'ProcessEngineException'): unknown {
  if (!(err instanceof DomainError)) return err;
  const fields = (err.details as { fields?: { field: string; message: string }[] } | undefined)?.fields;
  const message = fields && fields.length > 0 ? `${err.message}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}` : err.message;
  switch (err.kind) {
    case 'conflict':
      return new CamundaError(500, conflictType, message);
    case 'forbidden':
      return new CamundaError(403, 'AuthorizationException', message);
    case 'not-found':
      return new CamundaError(404, 'InvalidRequestException', message);
    case 'invalid':
    case 'unprocessable':
      return new CamundaError(400, 'InvalidRequestException', message);
    default:
      return err;
  }
}
