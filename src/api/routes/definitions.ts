import { Router } from 'express';
import { currentUser } from '../auth';
import { HostContext } from '../context';
import { badRequest } from '../errors';
import { bool, int } from '../params';
import { presentDefinition, presentInstance } from '../presenters';
import { DefinitionRow } from '../../persistence/entities';
import { User } from '../../identity/users';
import { startRefusal } from '../../identity/access';

export function definitionRoutes(host: HostContext): Router {
  const router = Router();

  /** The definition plus whether the caller may start it and, if not, the refusal a start would get. */
  async function presentForCaller(row: DefinitionRow, user: User) {
    const refusal = startRefusal((await host.definitions.load(row.id)).model, user);
    return { ...presentDefinition(row), startable: refusal === null, ...(refusal ? { startRefusal: { code: refusal.code, message: refusal.message } } : {}) };
  }

  router.get('/process-definitions', async (req, res) => {
    const rows = await host.definitions.list(bool(req.query, 'all') === true);
    const user = currentUser(req);
    res.json(await Promise.all(rows.map((row) => presentForCaller(row, user))));
  });

  router.get('/process-definitions/:key', async (req, res) => {
    res.json(await presentForCaller(await host.definitions.latest(req.params.key), currentUser(req)));
  });

  /** The BPMN source of the latest (or a given) version, for viewers and modelers. */
  router.get('/process-definitions/:key/xml', async (req, res) => {
    const version = req.query.version === undefined ? undefined : int(req.query, 'version', 1, 1, 1_000_000);
    const row = version === undefined ? await host.definitions.latest(req.params.key) : await host.definitions.byId(`${req.params.key}:${version}`);
    res.type('application/xml').send(row.source);
  });

  router.post('/process-definitions/:key/start', async (req, res) => {
    const body = req.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('The body must be a JSON object { businessKey?, variables? }');
    const { businessKey, variables } = body as { businessKey?: unknown; variables?: unknown };
    if (businessKey !== undefined && businessKey !== null && (typeof businessKey !== 'string' || businessKey.length > 255)) {
      throw badRequest('"businessKey" must be a string of at most 255 characters');
    }
    const row = await host.runtime.start(req.params.key, { businessKey: (businessKey as string | undefined) ?? null, variables }, currentUser(req), { idempotencyKey: idempotencyKeyOf(req.get('idempotency-key')) });
    const presented = presentInstance(row, host.clock.now());
    // A repeated request with the same Idempotency-Key answers with the instance the first one started.
    if (row.replayed) res.set('Idempotent-Replayed', 'true');
    res.status(row.replayed ? 200 : 201).json({ id: presented.id, processDefinitionKey: presented.processDefinitionKey, version: presented.version, state: presented.state, businessKey: presented.businessKey, activeActivities: presented.activeActivities, outcome: presented.outcome });
  });

  return router;
}

/** The optional Idempotency-Key header of a start: 1-255 visible ASCII characters. */
function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(header)) throw badRequest('The Idempotency-Key header must be 1-255 visible ASCII characters (a UUID, say)', { field: 'Idempotency-Key' });
  return header;
}
