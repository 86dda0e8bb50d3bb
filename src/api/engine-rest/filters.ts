import { randomUUID } from 'node:crypto';
import express, { Request, Router } from 'express';
import { z } from 'zod';
import type { TaskFilterRow } from '../../persistence/api-store';
import { HostContext } from '../context';
import { parseInput } from '../validation';
import { CamundaError, invalidRequest } from './camunda-error';
import { CamundaTaskQuery, pagingOf, parseTaskQueryBody, runTaskQuery } from './tasks';

/**
 * Camunda 7.24's filter resource, resource type Task only, each filter its owner's (a tasklist's
 * sidebar lists): create, list, get, update, delete, and run it (`list`, `count`) with the stored
 * query extended by the request's body (the body's properties win).
 */
const filterBody = z.object(
  {
    resourceType: z.string({ error: 'resourceType is required' }),
    name: z.string({ error: 'name is required' }).min(1, { error: 'name must not be empty' }),
    owner: z.string().nullable().optional(),
    query: z.unknown().optional(),
    properties: z.record(z.string(), z.unknown(), { error: 'properties must be a JSON object' }).nullable().optional(),
  },
  { error: 'The body must be a JSON object { resourceType, name, owner, query, properties }' },
);

export function engineFilterRoutes(host: HostContext): Router {
  const router = express.Router();

  /** The filter as the body describes it; its query is checked now, so that running it later cannot fail on it. */
  function parsedFilter(req: Request) {
    const input = parseInput('body', filterBody, req.body ?? {}, (message) => invalidRequest(message));
    if (input.resourceType !== 'Task') throw invalidRequest(`This server has filters of resource type Task only, not '${input.resourceType}'`);
    if (input.owner && input.owner !== req.user!.id) throw new CamundaError(403, 'AuthorizationException', `A filter is its owner's: user '${req.user!.id}' cannot create or change one owned by '${input.owner}'`);
    const query = parseTaskQueryBody(input.query ?? {});
    return { name: input.name, query: JSON.stringify(query), properties: JSON.stringify(input.properties ?? {}) };
  }

  async function ownFilter(req: Request): Promise<TaskFilterRow> {
    const row = await host.store.taskFilter(req.user!.id, req.params.id as string);
    if (!row) throw new CamundaError(404, 'InvalidRequestException', `Filter with id '${req.params.id}' does not exist.`);
    return row;
  }

  function present(req: Request, row: TaskFilterRow, itemCount?: number) {
    return {
      id: row.id,
      resourceType: row.resourceType,
      name: row.name,
      owner: row.ownerId,
      query: JSON.parse(row.query) as CamundaTaskQuery,
      properties: JSON.parse(row.properties) as Record<string, unknown>,
      ...(itemCount === undefined ? {} : { itemCount }),
    };
  }

  /** The stored query, extended by the body of a list or count request. */
  async function extended(req: Request): Promise<CamundaTaskQuery> {
    const row = await ownFilter(req);
    return { ...(JSON.parse(row.query) as CamundaTaskQuery), ...parseTaskQueryBody(req.body ?? {}) };
  }

  router.post('/filter/create', async (req, res) => {
    const filter = parsedFilter(req);
    const row: TaskFilterRow = { id: randomUUID(), ownerId: req.user!.id, resourceType: 'Task', createdAt: host.clock.now().toISOString(), ...filter };
    await host.store.createTaskFilter(row);
    res.json(present(req, row));
  });

  router.get('/filter', async (req, res) => {
    if (req.query.resourceType !== undefined && req.query.resourceType !== 'Task') return res.json([]);
    const rows = await host.store.taskFilters(req.user!.id, pagingOf(req.query));
    const withCount = req.query.itemCount === 'true';
    res.json(await Promise.all(rows.map(async (r) => present(req, r, withCount ? (await runTaskQuery(host, req.user!, JSON.parse(r.query) as CamundaTaskQuery, { firstResult: 0, maxResults: 0 })).total : undefined))));
  });

  router.get('/filter/count', async (req, res) => {
    res.json({ count: req.query.resourceType !== undefined && req.query.resourceType !== 'Task' ? 0 : await host.store.taskFilterCount(req.user!.id) });
  });

  router.get('/filter/:id', async (req, res) => {
    const row = await ownFilter(req);
    const count = req.query.itemCount === 'true' ? (await runTaskQuery(host, req.user!, JSON.parse(row.query) as CamundaTaskQuery, { firstResult: 0, maxResults: 0 })).total : undefined;
    res.json(present(req, row, count));
  });

  router.put('/filter/:id', async (req, res) => {
    await ownFilter(req);
    const filter = parsedFilter(req);
    await host.store.updateTaskFilter(req.user!.id, req.params.id as string, filter);
    res.status(204).end();
  });

  router.delete('/filter/:id', async (req, res) => {
    await ownFilter(req);
    await host.store.deleteTaskFilter(req.user!.id, req.params.id as string);
    res.status(204).end();
  });

  router.get('/filter/:id/list', async (req, res) => {
    res.json((await runTaskQuery(host, req.user!, await extended(req), pagingOf(req.query))).items);
  });
  router.post('/filter/:id/list', async (req, res) => {
    res.json((await runTaskQuery(host, req.user!, await extended(req), pagingOf(req.query))).items);
  });
  router.get('/filter/:id/count', async (req, res) => {
    res.json({ count: (await runTaskQuery(host, req.user!, await extended(req), { firstResult: 0, maxResults: 0 })).total });
  });
  router.post('/filter/:id/count', async (req, res) => {
    res.json({ count: (await runTaskQuery(host, req.user!, await extended(req), { firstResult: 0, maxResults: 0 })).total });
  });

  return router;
}
