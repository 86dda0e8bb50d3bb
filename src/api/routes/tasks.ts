import { z } from 'zod';
import { signedKindOf } from '../../definitions/model';
import { assertMayActOnTask, mayActOnTask, mayDistributeTasks, visibleGroups } from '../../identity/access';
import { formJsonSchema, withChoices } from '../../runtime/form-schema';
import { User } from '../../identity/users';
import { HostContext } from '../context';
import { DomainError, notFound } from '../errors';
import { presentTask } from '../presenters';
import { ApiRoute, route } from '../route-table';
import { dateTime, flag, oneOf, paging, text } from '../schemas/query';
import { CompletedTaskSchema, pageOf, TaskAssignmentSchema, TaskDetailSchema, TaskSchema } from '../schemas/resources';

const idParam = z.object({ id: z.string().meta({ description: 'Task id' }) });

const completeBody = z.object(
  { variables: z.unknown().optional().meta({ type: 'object', additionalProperties: true, description: "Values of the task form's fields, checked against its JSON Schema (formSchema); only declared fields" }) },
  { error: 'The body must be a JSON object { variables? }' },
);

const stillOpen = { 409: { description: 'Claimed by someone else or no longer open' } };

export function taskRoutes(host: HostContext): ApiRoute[] {
  return [
    route({
      method: 'get',
      path: '/tasks',
      summary: "Tasks of the caller's groups (admins: all), open ones unless state says otherwise",
      query: z.object({
        candidateGroup: text('Tasks of this group'),
        assignee: text('Claimed by this user'),
        unassigned: flag('Only unclaimed (true) or only claimed (false) tasks'),
        processDefinitionKey: text('Process key'),
        processInstanceId: text('Instance id'),
        businessKey: text('Business key'),
        dueBefore: dateTime('Due before this instant'),
        overdue: flag('Only overdue (true) or only not overdue (false) tasks'),
        state: oneOf(['open', 'completed', 'cancelled', 'all'] as const, 'open', 'Task state'),
        sortBy: oneOf(['due', 'created', 'priority', 'name'] as const, 'created', 'Sort key'),
        sortOrder: oneOf(['asc', 'desc'] as const, 'asc', 'Sort direction'),
        ...paging,
      }),
      responses: { 200: { description: 'OK', schema: pageOf(TaskSchema) } },
      async handle({ query, user }) {
        const now = host.clock.now();
        // A head lists an application's tasks of every group when they hand out its work (the case page's current steps).
        const distributes = query.processInstanceId ? await distributesInstance(host, user, query.processInstanceId) : false;
        const result = await host.store.tasks({ ...query, visibleGroups: distributes ? undefined : visibleGroups(user), now: now.toISOString() });
        return { items: result.items.map((t) => ({ ...presentTask(t, now), ...holderNames(host, t) })), total: result.total };
      },
    }),
    route({
      method: 'get',
      path: '/tasks/:id',
      summary: 'One task with the variables it may see, its form fields and their JSON Schema',
      params: idParam,
      responses: { 200: { description: 'OK', schema: TaskDetailSchema } },
      async handle({ params, user }) {
        const task = await host.store.task(params.id);
        if (!task) throw notFound(`No task with id "${params.id}"`);
        const groups = await host.store.taskGroups(task.id);
        const definition = (await host.definitions.load(task.definitionId)).model;
        // Those who hand out the reglament's work (a head of it, an admin) see its tasks to assign them.
        if (!mayActOnTask(user, groups) && !mayDistributeTasks(user, reglamentGroupsOf(definition))) assertMayActOnTask(user, task, groups);
        const instance = await host.store.instance(task.processInstanceId);
        const model = definition.userTasks.get(task.taskDefinitionKey);
        // A users-of-group field offers the group's users as they are now.
        const formFields = withChoices(model?.formFields ?? [], (group) => host.users.members(group));
        return {
          ...presentTask({ ...task, candidateGroups: groups }, host.clock.now()),
          ...holderNames(host, task),
          completedByName: task.completedBy ? host.users.nameOf(task.completedBy) : undefined,
          documentation: model?.documentation,
          variables: instance ? JSON.parse(instance.variables) : {},
          formFields,
          formSchema: formJsonSchema(formFields),
          // The kind this case's step signs: the refusal where grantedIf does not hold.
          signs: model?.signs ? signedKindOf(model, instance ? (JSON.parse(instance.variables) as Record<string, unknown>) : {}) : undefined,
          ncalayerUrl: model?.signs ? host.ncalayerUrl : undefined,
        };
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/claim',
      summary: 'Claim a task',
      params: idParam,
      responses: { 200: { description: 'OK', schema: TaskAssignmentSchema }, ...stillOpen },
      async handle({ params, user }) {
        const task = await whoHoldsIt(host, params.id, user.id, () => host.runtime.claim(params.id, user));
        return { id: task.id, assignee: task.assignee };
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/unclaim',
      summary: 'Give a claimed task back',
      params: idParam,
      responses: { 200: { description: 'OK', schema: TaskAssignmentSchema }, ...stillOpen },
      async handle({ params, user }) {
        const task = await host.runtime.unclaim(params.id, user);
        return { id: task.id, assignee: task.assignee };
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/complete',
      summary: 'Complete a task with variables (checked against its form)',
      params: idParam,
      body: completeBody,
      responses: {
        200: { description: 'OK', schema: CompletedTaskSchema },
        409: { description: 'Already completed, or claimed by someone else' },
        502: { description: 'A service handler failed; nothing was stored' },
      },
      async handle({ params, body, user }) {
        const task = await whoHoldsIt(host, params.id, user.id, () => host.runtime.completeTask(params.id, (body as z.output<typeof completeBody>).variables, user));
        return { id: task.id, state: task.state, processInstanceId: task.processInstanceId, processInstanceState: task.processInstanceState, outcome: task.outcome ?? undefined };
      },
    }),
  ];
}

/** The groups a reglament's user tasks name (a head of one of them hands out its work). */
function reglamentGroupsOf(model: { userTasks: Map<string, { candidateGroups: string[] }> }): string[] {
  return [...model.userTasks.values()].flatMap((t) => t.candidateGroups);
}

async function distributesInstance(host: HostContext, user: User, instanceId: string): Promise<boolean> {
  if (!user.groups.includes('head')) return false;
  const instance = await host.store.instance(instanceId);
  return !!instance && mayDistributeTasks(user, reglamentGroupsOf((await host.definitions.load(instance.definitionId)).model));
}

/** The display names of a task's assignee and owner (the lists and the task page show names, not ids). */
function holderNames(host: HostContext, task: { assignee: string | null; owner?: string | null }) {
  return { assigneeName: task.assignee ? host.users.nameOf(task.assignee) : null, ownerName: task.owner ? host.users.nameOf(task.owner) : null };
}

/**
 * A claim or completion that lost to someone else says who: the 409 (code CONFLICT as before) gets
 * `details.reason` "claimed" with the holder's id and display name, or "not-open" with the task's state
 * and who completed it, so that the web app can say it in the user's language instead of showing an id.
 */
async function whoHoldsIt<T>(host: HostContext, taskId: string, userId: string, act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (err) {
    if (!(err instanceof DomainError) || err.kind !== 'conflict') throw err;
    const task = await host.store.task(taskId);
    if (!task) throw err;
    if (task.state !== 'open') {
      const by = task.completedBy ?? null;
      throw new DomainError('conflict', err.code, `The task is already ${task.state}${by ? ` (by ${host.users.nameOf(by)})` : ''}`, { reason: 'not-open', state: task.state, completedBy: by, completedByName: by ? host.users.nameOf(by) : null });
    }
    if (task.assignee && task.assignee !== userId) {
      const name = host.users.nameOf(task.assignee);
      throw new DomainError('conflict', err.code, `The task is claimed by ${name}`, { reason: 'claimed', assignee: task.assignee, assigneeName: name });
    }
    throw err;
  }
}
