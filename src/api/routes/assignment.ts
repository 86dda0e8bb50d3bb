import { z } from 'zod';
import { mayListMembers } from '../../identity/access';
import { User } from '../../identity/users';
import type { TaskRow } from '../../persistence/api-store';
import { HostContext } from '../context';
import { DomainError, forbidden } from '../errors';
import { ApiRoute, route } from '../route-table';
import { GroupMemberSchema, TaskHoldersSchema } from '../schemas/collaboration';

const idParam = z.object({ id: z.string().meta({ description: 'Task id' }) });
const expectedAssignee = z
  .string()
  .nullable()
  .optional()
  .meta({ description: 'The holder the caller saw (null: nobody); when the task is held by someone else by now, the answer is 409 naming them' });
const assigneeBody = z.object(
  { userId: z.string().min(1).nullable().meta({ description: 'The new assignee, a member of one of the task\'s candidate groups; null: nobody (back to the group)' }), expectedAssignee },
  { error: 'The body must be a JSON object { userId, expectedAssignee? }' },
);
const delegateBody = z.object({ userId: z.string().min(1).meta({ description: "The delegate, a member of one of the task's candidate groups" }), expectedAssignee }, { error: 'The body must be a JSON object { userId, expectedAssignee? }' });

const answers = {
  200: { description: "The task's holders now", schema: TaskHoldersSchema },
  409: { description: 'Held by someone else, changed meanwhile, or no longer open (details name the holder)' },
};

/**
 * Assignment in Camunda 7's terms (identity/access says who may): set the assignee (assign, reassign,
 * a head's take back), delegate (the owner stays, the delegate holds it PENDING), resolve (back to the
 * owner, RESOLVED); and the members of a group for an "assign to" chooser.
 */
export function assignmentRoutes(host: HostContext): ApiRoute[] {
  /** The user named in a body: a 400 naming the field when there is no such user. */
  function userNamed(id: string): User {
    const user = host.users.byId(id);
    if (!user) throw new DomainError('invalid', 'UNKNOWN_USER', `There is no user "${id}"`, { field: 'userId', userId: id });
    return user;
  }

  function holders(task: TaskRow) {
    const owner = task.owner ?? null;
    return { id: task.id, assignee: task.assignee, assigneeName: task.assignee ? host.users.nameOf(task.assignee) : null, owner, ownerName: owner ? host.users.nameOf(owner) : null, delegationState: task.delegationState ?? null };
  }

  /** A change that lost to another says who holds the task now (details.reason 'claimed' or 'not-open', as claim and complete do). */
  async function namingHolder(taskId: string, act: () => Promise<TaskRow>) {
    try {
      return holders(await act());
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind !== 'conflict') throw err;
      const task = await host.store.task(taskId);
      if (!task) throw err;
      if (task.state !== 'open') {
        const by = task.completedBy ?? null;
        throw new DomainError('conflict', err.code, `The task is already ${task.state}`, { reason: 'not-open', state: task.state, completedBy: by, completedByName: by ? host.users.nameOf(by) : null });
      }
      const name = task.assignee ? host.users.nameOf(task.assignee) : null;
      throw new DomainError('conflict', err.code, `${err.message}${name ? ` (held by ${name})` : ''}`, { ...holders(task), reason: task.assignee ? 'claimed' : 'changed' });
    }
  }

  return [
    route({
      method: 'get',
      path: '/users',
      summary: 'Members of a group (id, display name, groups; no credentials): the "assign to" chooser',
      query: z.object({ group: z.string().min(1).meta({ description: 'The group' }) }),
      responses: { 200: { description: 'By display name', schema: z.array(GroupMemberSchema) } },
      async handle({ query, user }) {
        if (!mayListMembers(user, query.group)) throw forbidden(`User ${user.id} may list the members of their own groups only, not of ${query.group}`);
        return host.users.members(query.group).map((u) => ({ id: u.id, name: u.name, groups: u.groups }));
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/assignee',
      summary: "Set a task's assignee (Camunda setAssignee): assign, reassign, or a head's take back; null gives it back to its groups",
      params: idParam,
      body: assigneeBody,
      responses: answers,
      async handle({ params, body, user }) {
        const { userId, expectedAssignee: seen } = body as z.output<typeof assigneeBody>;
        const target = userId === null ? null : userNamed(userId);
        return namingHolder(params.id, () => host.runtime.assign(params.id, target, user, seen));
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/delegate',
      summary: 'Delegate a task (Camunda delegateTask): the owner stays, the delegate holds it (PENDING) until they resolve it',
      params: idParam,
      body: delegateBody,
      responses: answers,
      async handle({ params, body, user }) {
        const { userId, expectedAssignee: seen } = body as z.output<typeof delegateBody>;
        return namingHolder(params.id, () => host.runtime.delegate(params.id, userNamed(userId), user, seen));
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/resolve',
      summary: 'Resolve a delegated task (Camunda resolveTask): it returns to its owner, RESOLVED',
      params: idParam,
      responses: answers,
      async handle({ params, user }) {
        return namingHolder(params.id, () => host.runtime.resolve(params.id, user));
      },
    }),
  ];
}
