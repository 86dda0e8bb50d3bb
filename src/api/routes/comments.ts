import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { maySeeCase } from '../../identity/access';
import { User } from '../../identity/users';
import type { CommentRow, InstanceRow } from '../../persistence/api-store';
import { historyRow } from '../../runtime/history';
import { HostContext } from '../context';
import { notFound } from '../errors';
import { ApiRoute, route } from '../route-table';
import { CommentSchema, NewCommentBody } from '../schemas/collaboration';
import { caseScopeOf } from './cases';

const instanceParam = z.object({ id: z.string().meta({ description: 'Instance id' }) });
const taskParam = z.object({ id: z.string().meta({ description: 'Task id' }) });

/** A task whose case the user may see (any state: a comment may follow the work), or a 404 (also /engine-rest's comments). */
export async function commentableTask(host: HostContext, id: string, user: User) {
  const task = await host.store.task(id);
  if (!task) throw notFound(`No task with id "${id}"`);
  const instance = await host.store.instance(task.processInstanceId);
  const visible = instance && (await maySeeCase(await caseScopeOf(host, user), instance, () => host.store.applicationHasTaskOfGroups(instance.id, user.groups)));
  if (!instance || !visible) throw notFound(`No task with id "${id}"`);
  return { task, instance };
}

/** Stores a comment with its history row in one transaction; never a process variable. */
export async function storeComment(host: HostContext, instance: InstanceRow, task: { id: string; taskDefinitionKey: string; name: string | null } | null, text: string, user: User): Promise<CommentRow> {
  const now = host.clock.now();
  const comment: CommentRow = { id: randomUUID(), processInstanceId: instance.id, rootInstanceId: instance.rootInstanceId ?? instance.id, taskId: task?.id ?? null, userId: user.id, at: now.toISOString(), text };
  const history = historyRow(now, instance.id, 'comment-added', task?.taskDefinitionKey ?? null, user.id, { commentId: comment.id, taskId: comment.taskId, text });
  await host.store.addComment(comment, history);
  return comment;
}

/**
 * Comments on a case and on its tasks: who, when, what. Only those who may see the case read or
 * write them (identity/access caseScope); a case they may not see is a 404, as on the case page.
 * A comment is stored with a history row of its instance in one transaction, and never becomes a
 * process variable.
 */
export function commentRoutes(host: HostContext): ApiRoute[] {
  async function visibleInstance(id: string, user: User): Promise<InstanceRow> {
    const row = await host.store.instance(id);
    const visible = row && (await maySeeCase(await caseScopeOf(host, user), row, () => host.store.applicationHasTaskOfGroups(row.id, user.groups)));
    if (!row || !visible) throw notFound(`No process instance with id "${id}"`);
    return row;
  }

  const visibleTask = (id: string, user: User) => commentableTask(host, id, user);

  async function present(rows: CommentRow[]) {
    const taskNames = new Map<string, string | null>();
    for (const id of new Set(rows.flatMap((r) => (r.taskId ? [r.taskId] : [])))) taskNames.set(id, (await host.store.task(id))?.name ?? null);
    return rows.map((r) => ({ id: r.id, processInstanceId: r.processInstanceId, taskId: r.taskId, taskName: r.taskId ? (taskNames.get(r.taskId) ?? null) : null, user: r.userId, userName: host.users.nameOf(r.userId), at: r.at, text: r.text }));
  }

  async function add(instance: InstanceRow, task: { id: string; taskDefinitionKey: string; name: string | null } | null, text: string, user: User) {
    return (await present([await storeComment(host, instance, task, text, user)]))[0];
  }

  const created = { 201: { description: 'Stored', schema: CommentSchema } };
  return [
    route({
      method: 'get',
      path: '/process-instances/:id/comments',
      summary: 'Comments on a case (an application and its tasks, its called flows included), oldest first',
      params: instanceParam,
      responses: { 200: { description: 'OK', schema: z.array(CommentSchema) } },
      async handle({ params, user }) {
        return present(await host.store.comments((await visibleInstance(params.id, user)).id));
      },
    }),
    route({
      method: 'post',
      path: '/process-instances/:id/comments',
      summary: 'Comment on a case (1 to 4000 characters); not a variable: the case does not change',
      params: instanceParam,
      body: NewCommentBody,
      responses: created,
      async handle({ params, body, user, res }) {
        const instance = await visibleInstance(params.id, user);
        res.status(201);
        return add(instance, null, (body as z.output<typeof NewCommentBody>).text, user);
      },
    }),
    route({
      method: 'get',
      path: '/tasks/:id/comments',
      summary: 'Comments on a task, oldest first',
      params: taskParam,
      responses: { 200: { description: 'OK', schema: z.array(CommentSchema) } },
      async handle({ params, user }) {
        return present(await host.store.taskComments((await visibleTask(params.id, user)).task.id));
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/comments',
      summary: 'Comment on a task (1 to 4000 characters), by those who may see its case',
      params: taskParam,
      body: NewCommentBody,
      responses: created,
      async handle({ params, body, user, res }) {
        const { task, instance } = await visibleTask(params.id, user);
        res.status(201);
        return add(instance, task, (body as z.output<typeof NewCommentBody>).text, user);
      },
    }),
  ];
}
