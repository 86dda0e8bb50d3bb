import { Router } from 'express';
import { TaskEntity } from '../../persistence/entities';
import { slaReport } from '../../reports/sla-report';
import { assertMayReadReports } from '../../identity/access';
import { currentUser } from '../auth';
import { HostContext } from '../context';
import { isoDate, str } from '../params';

/** GET /reports/sla?processDefinitionKey=&from=&to= : completed tasks whose completion falls in [from, to). Heads and admins. */
export function reportRoutes(host: HostContext): Router {
  const router = Router();
  router.get('/reports/sla', async (req, res) => {
    assertMayReadReports(currentUser(req));
    const key = str(req.query, 'processDefinitionKey');
    const from = isoDate(req.query, 'from');
    const to = isoDate(req.query, 'to');
    const qb = host.dataSource.getRepository(TaskEntity).createQueryBuilder('t').where("t.state = 'completed'");
    if (key) qb.andWhere('t.processDefinitionKey = :key', { key });
    if (from) qb.andWhere('t.completedAt >= :from', { from });
    if (to) qb.andWhere('t.completedAt < :to', { to });
    const rows = await qb.getMany();
    const tasks = rows.map((r) => ({ ...r, completedAt: r.completedAt! }));
    res.json({ processDefinitionKey: key ?? null, from: from ?? null, to: to ?? null, processes: slaReport(tasks, (a, b) => host.workingMinutes(a, b)) });
  });
  return router;
}
