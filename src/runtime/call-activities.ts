import type { CallInput } from '../definitions/model';
import { DomainError } from '../errors';
import { createExpressions } from '../expressions';
import { Variables } from '../handlers/registry';

/**
 * How deep call activities may nest in one application: the reglaments call one shared flow (depth 1).
 * Processes that call each other start children in the same step without end otherwise.
 */
export const MAX_CALL_DEPTH = 8;

const expressions = createExpressions();

/** Camunda input mappings of a call activity, evaluated over the caller's variables. */
export function callInputs(inputs: readonly CallInput[], variables: Variables, activityId: string): Variables {
  const result: Variables = {};
  for (const input of inputs) {
    if (input.sourceExpression !== undefined) {
      try {
        result[input.target] = expressions.resolveExpression(input.sourceExpression, { environment: { variables } });
      } catch (error) {
        throw new DomainError('unprocessable', 'CALL_INPUT_FAILED', `Input "${input.target}" of call activity "${activityId}" could not be evaluated: ${error instanceof Error ? error.message : String(error)}`);
      }
    } else if (input.source !== undefined) {
      result[input.target] = variables[input.source];
    }
  }
  return result;
}
