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
      summary: "Notifications to the caller or the caller's groups (tasks at risk, overdue tasks escalated), newest first, each with its task as it is now; total counts them all (unread=true: the unread count)",
      query: z.object({ unread: flag('Only unread ones'), ...paging }),
      responses: { 200: { description: 'OK', schema: pageOf(NotificationSchema) } },
      async handle({ query, user }) {
        const page = await host.store.notifications({ ...query, audience: notificationAudience(user) });
        const tasks = await host.store.notificationTasks([...new Set(page.items.flatMap((n) => (n.taskId ? [n.taskId] : [])))]);
        return {
          total: page.total,
          items: page.items.map((n) => {
            const task = n.taskId ? tasks.get(n.taskId) : undefined;
            return { ...n, task: task ? { name: task.name, taskDefinitionKey: task.taskDefinitionKey, processDefinitionKey: task.processDefinitionKey, businessKey: task.businessKey, due: task.due, state: task.state, assignee: task.assignee } : null };
          }),
        };
      },
    }),
    route({
      method: 'post',
      path: '/notifications/read-all',
      summary: "Mark every unread notification of the caller (and the caller's groups) read",
      responses: { 200: { description: 'OK', schema: z.object({ marked: z.number().int() }).meta({ id: 'NotificationsMarked' }) } },
      async handle({ user }) {
        return { marked: await host.store.markAllNotificationsRead(notificationAudience(user), user.id, host.clock.now().toISOString()) };
      },
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
