import express, { Router } from 'express';
import { HostContext } from '../context';
import { CamundaError, invalidRequest } from './camunda-error';

/**
 * Camunda 7.24's POST /message. The reglaments wait for no message: their diagrams have no message
 * start or catch event (a state system's answer arrives through the service task that asked for it).
 * A correlation therefore matches nothing, and the answer is Camunda's own for that case, a 400
 * RestException naming the message, with the reason added. If a deployed diagram does declare a
 * message event of that name, the answer says that this server does not deliver messages to it.
 */
export function engineMessageRoutes(host: HostContext): Router {
  const router = express.Router();

  /** The process keys whose deployed versions declare a message event of this name. */
  async function keysDeclaring(messageName: string): Promise<string[]> {
    const keys = new Set<string>();
    for (const row of await host.definitions.list(true)) {
      const elements = Object.values((await host.definitions.load(row.id)).moddleContext as unknown as { elementsById: Record<string, any> }['elementsById']);
      const declares = elements.some((element) =>
        (Array.isArray(element?.eventDefinitions) ? element.eventDefinitions : []).some((d: any) => d?.$type === 'bpmn:MessageEventDefinition' && d.messageRef?.name === messageName),
      );
      if (declares) keys.add(row.key);
    }
    return [...keys].sort();
  }

  router.post('/message', async (req) => {
    const body: unknown = req.body ?? {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('The body must be a JSON object { messageName, businessKey, processInstanceId, correlationKeys, processVariables, ... }');
    const { messageName } = body as { messageName?: unknown };
    if (typeof messageName !== 'string' || messageName === '') throw invalidRequest('No message name supplied');
    const keys = await keysDeclaring(messageName);
    if (keys.length > 0) {
      throw new CamundaError(400, 'RestException', `Cannot correlate message '${messageName}': this server does not deliver messages; ${keys.join(', ')} declare${keys.length === 1 ? 's' : ''} a message event of that name, which waits for ever`);
    }
    throw new CamundaError(400, 'RestException', `Cannot correlate message '${messageName}': No process definition or execution matches the parameters (no deployed diagram has a message start or catch event; the reglaments receive the answers of state systems through their service tasks)`);
  });

  return router;
}
