import { z } from 'zod';
import { mayReadNotification, notificationAudience } from '../../identity/access';
import { HostContext } from '../context';
import { notFound } from '../errors';
import { ApiRoute, route } from '../route-table';
import { flag, paging } from '../schemas/query';
import { NotificationSchema, pageOf } from '../schemas/resources';

/** Notifications for the signed-in user: those to one of their groups or to them (admins see all). */
export function notificationRoutes(host: HostContext): ApiRoute[] {
  return [
    route({
      method: 'get',
      path: '/notifications',
      summary: "Notifications to the caller or the caller's groups (overdue tasks escalated)",
      query: z.object({ unread: flag('Only unread ones'), ...paging }),
      responses: { 200: { description: 'OK', schema: pageOf(NotificationSchema) } },
      handle: ({ query, user }) => host.store.notifications({ ...query, audience: notificationAudience(user) }),
    }),
    route({
      method: 'post',
      path: '/notifications/:id/read',
      summary: 'Mark a notification read (the first reader is kept)',
      params: z.object({ id: z.string().meta({ description: 'Notification id' }) }),
      responses: { 200: { description: 'OK', schema: NotificationSchema } },
      async handle({ params, user }) {
        const row = await host.store.notification(params.id);
        if (!row || !mayReadNotification(user, row)) throw notFound(`No notification with id "${params.id}"`);
        return row.readAt ? row : host.store.markNotificationRead(row.id, user.id, host.clock.now().toISOString());
      },
    }),
  ];
}
