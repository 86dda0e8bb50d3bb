import { Request, Router } from 'express';
import { InstanceEntity } from '../../persistence/entities';
import { instanceHistory, queryInstances, userMaySeeInstance } from '../../persistence/queries';
import { assertAdmin, maySeeInstance, visibleGroups } from '../../identity/access';
import { currentUser } from '../auth';
import { HostContext } from '../context';
import { notFound } from '../errors';
import { oneOf, page, str } from '../params';
import { presentHistory, presentIncident, presentInstance } from '../presenters';

export function instanceRoutes(host: HostContext): Router {
  const router = Router();

  /** Non-admins see an instance only through a task of their groups (or one they started). */
  async function visibleInstance(req: Request) {
    const user = currentUser(req);
    const row = await host.dataSource.getRepository(InstanceEntity).findOne({ where: { id: req.params.id as string } });
    const visible = row && (await maySeeInstance(user, row, () => userMaySeeInstance(host.dataSource, row.id, user.groups)));
    if (!row || !visible) throw notFound(`No process instance with id "${req.params.id}"`);
    return row;
  }

  router.get('/process-instances', async (req, res) => {
    const user = currentUser(req);
    const result = await queryInstances(host.dataSource, {
      ...page(req.query),
      processDefinitionKey: str(req.query, 'processDefinitionKey'),
      state: oneOf(req.query, 'state', ['running', 'completed', 'failed', 'terminated', ''] as const, '') || undefined,
      businessKey: str(req.query, 'businessKey'),
      visibleGroups: visibleGroups(user),
    });
    res.json({ items: result.items.map((r) => presentInstance(r, host.clock.now())), total: result.total });
  });

  router.get('/process-instances/:id', async (req, res) => {
    const row = await visibleInstance(req);
    res.json({ ...presentInstance(row, host.clock.now()), incidents: (await host.runtime.openIncidents(row.id)).map(presentIncident) });
  });

  /** Runs the failed service task of an instance with an open incident again (admin). */
  router.post('/process-instances/:id/retry', async (req, res) => {
    const user = currentUser(req);
    assertAdmin(user);
    const result = await host.runtime.retry(req.params.id as string, user);
    const row = await host.dataSource.getRepository(InstanceEntity).findOneOrFail({ where: { id: req.params.id as string } });
    res.json({ resolved: result.resolved, incidents: result.incidents.map(presentIncident), instance: presentInstance(row, host.clock.now()) });
  });

  router.get('/incidents', async (req, res) => {
    assertAdmin(currentUser(req));
    const open = str(req.query, 'open');
    const rows = await host.runtime.listIncidents({ processInstanceId: str(req.query, 'processInstanceId'), open: open === undefined ? true : open !== 'false' });
    res.json(rows.map(presentIncident));
  });

  router.get('/process-instances/:id/history', async (req, res) => {
    const row = await visibleInstance(req);
    res.json((await instanceHistory(host.dataSource, row.id)).map(presentHistory));
  });

  return router;
}
