import { Router } from 'express';
import { Brackets } from 'typeorm';
import { NotificationEntity } from '../../persistence/entities';
import { writeTransaction } from '../../persistence/write-lock';
import { mayReadNotification, notificationAudience } from '../../identity/access';
import { currentUser } from '../auth';
import { HostContext } from '../context';
import { notFound } from '../errors';
import { bool, page } from '../params';

/** Notifications for the signed-in user: those to one of their groups or to them (admins see all). */
export function notificationRoutes(host: HostContext): Router {
  const router = Router();
  router.get('/notifications', async (req, res) => {
    const user = currentUser(req);
    const { firstResult, maxResults } = page(req.query);
    const qb = host.dataSource.getRepository(NotificationEntity).createQueryBuilder('n');
    const audience = notificationAudience(user);
    if (audience) {
      qb.where(
        new Brackets((w) => {
          w.where('n.userId = :user', { user: audience.userId });
          if (audience.groups.length > 0) w.orWhere('n.groupId IN (:...groups)', { groups: audience.groups });
        }),
      );
    }
    if (bool(req.query, 'unread') === true) qb.andWhere('n.readAt IS NULL');
    const [items, total] = await qb.orderBy('n.createdAt', 'DESC').addOrderBy('n.id', 'ASC').skip(firstResult).take(maxResults).getManyAndCount();
    res.json({ items, total });
  });
  router.post('/notifications/:id/read', async (req, res) => {
    const user = currentUser(req);
    const repo = host.dataSource.getRepository(NotificationEntity);
    const row = await repo.findOne({ where: { id: req.params.id as string } });
    const mine = row && mayReadNotification(user, row);
    if (!row || !mine) throw notFound(`No notification with id "${req.params.id}"`);
    // The first reader is kept: the update applies only while the notification is unread.
    if (!row.readAt) {
      await writeTransaction(host.dataSource, (manager) =>
        manager.createQueryBuilder().update(NotificationEntity).set({ readAt: host.clock.now().toISOString(), readBy: user.id }).where('id = :id AND readAt IS NULL', { id: row.id }).execute(),
      );
    }
    res.json(await repo.findOneOrFail({ where: { id: row.id } }));
  });
  return router;
}
