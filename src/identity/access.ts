/**
 * Every "who may" decision of the server, as pure functions of the user and the facts the caller
 * has already read (a task's groups, an instance's starter, a diagram's starters). Nothing here
 * reads the database or knows HTTP: a refusal is a DomainError of kind forbidden (or conflict,
 * not-found where the answer must not reveal that the thing exists), the API maps it to a status.
 */
import { conflict, DomainError, forbidden, validationFailed } from '../errors';
import type { ProcessModel } from '../definitions/model';
import type { User } from './users';

export const ADMIN_GROUP = 'admin';
/** Reads the compliance report besides admins (the lane of the provider's head). */
export const HEAD_GROUP = 'head';
/** Groups that deploy diagrams through /engine-rest (Camunda Modeler); /api deploys are for admins. */
export const DEPLOY_GROUPS: readonly string[] = [ADMIN_GROUP, 'deployer'];

export function isAdmin(user: User): boolean {
  return user.groups.includes(ADMIN_GROUP);
}

function groupsOf(user: User): string {
  return user.groups.join(', ') || 'no group';
}

function inAnyGroup(user: User, groups: readonly string[]): boolean {
  return groups.some((group) => user.groups.includes(group));
}

/** The 403 of an operation reserved to `groups`, or null when the user is in one of them. */
export function groupRefusal(user: User, groups: readonly string[]): DomainError | null {
  if (inAnyGroup(user, groups)) return null;
  return forbidden(`This operation needs group ${groups.join(' or ')}; user ${user.id} is in ${groupsOf(user)}`);
}

function refuse(refusal: DomainError | null): void {
  if (refusal) throw refusal;
}

/** Admin-only operations of /api: deploying, listing and firing timers, listing incidents. */
export function assertAdmin(user: User): void {
  refuse(groupRefusal(user, [ADMIN_GROUP]));
}

/** The SLA report: the provider's heads and admins. */
export function assertMayReadReports(user: User): void {
  refuse(groupRefusal(user, [ADMIN_GROUP, HEAD_GROUP]));
}

/** Deploying through /engine-rest (Camunda Modeler): admins and deployers. */
export function mayDeployThroughModeler(user: User): boolean {
  return inAnyGroup(user, DEPLOY_GROUPS);
}

/** Groups whose accounts run external-task workers on /engine-rest: a worker's service account, or an admin. */
export const WORKER_GROUPS: readonly string[] = [ADMIN_GROUP, 'worker'];

/** Fetching, locking, completing and failing external tasks (and reading them): workers and admins. */
export function assertMayWorkExternalTasks(user: User): void {
  refuse(groupRefusal(user, WORKER_GROUPS));
}

/** Retrying an incident's failed service task: admins only. */
export function assertMayRetry(user: User): void {
  if (!isAdmin(user)) throw forbidden(`Only an admin may retry an incident; user ${user.id} is in ${groupsOf(user)}`);
}

// --- tasks -------------------------------------------------------------------------------------

/** A user may act on (read, claim, complete) a task of one of their groups; admins on every task. */
export function mayActOnTask(user: User, taskGroups: readonly string[]): boolean {
  return isAdmin(user) || inAnyGroup(user, taskGroups);
}

export function assertMayActOnTask(user: User, task: { id: string }, taskGroups: readonly string[]): void {
  if (mayActOnTask(user, taskGroups)) return;
  throw forbidden(`Task ${task.id} belongs to group(s) ${taskGroups.join(', ') || '(none)'}; user ${user.id} is in ${groupsOf(user)}`);
}

/** A claimed task is released by its assignee or an admin. */
export function assertMayUnclaim(user: User, task: { id: string; assignee: string | null }): void {
  if (task.assignee && task.assignee !== user.id && !isAdmin(user)) {
    throw conflict(`Task ${task.id} is claimed by ${task.assignee}; only they or an admin can unclaim it`);
  }
}

// --- assignment (Camunda 7: assignee, owner, delegationState) ------------------------------------

/** A task's holders as the assignment rules read them. */
export interface TaskHolders {
  id: string;
  assignee: string | null;
  owner?: string | null;
  delegationState?: string | null;
}

/**
 * Who distributes a reglament's work: admins everywhere, a head (group head) in a reglament whose user
 * tasks name one of their groups (the reglaments they answer for, as in {@link caseScope}). They may
 * assign, reassign, delegate or take back any open task of it, whoever holds it.
 */
export function mayDistributeTasks(user: User, reglamentGroups: readonly string[]): boolean {
  return isAdmin(user) || (user.groups.includes(HEAD_GROUP) && inAnyGroup(user, reglamentGroups));
}

/** The 400 for a user a task cannot go to: only a member of one of its candidate groups may hold it. */
export function candidateRefusal(task: { id: string }, taskGroups: readonly string[], target: User): DomainError | null {
  if (inAnyGroup(target, taskGroups)) return null;
  return new DomainError('invalid', 'NOT_A_CANDIDATE', `User ${target.id} (${target.name}) is not in a group of task ${task.id} (${taskGroups.join(', ') || 'none'}); they are in ${groupsOf(target)}`, {
    field: 'userId',
    userId: target.id,
    userName: target.name,
    candidateGroups: [...taskGroups],
  });
}

/**
 * Setting a task's assignee (to `target`, or to nobody when null):
 * - a distributor ({@link mayDistributeTasks}) may, whoever holds it: that is how a head takes a task
 *   back from an absent clerk and gives it to another;
 * - a clerk of the task's groups holding it (not as a delegate) may hand it to a colleague of those
 *   groups, or give it back (nobody): a clerk who must leave passes the work on without waiting for
 *   the head; the hand-over is in the history, and the colleague could have claimed it anyway;
 * - a clerk may take an unclaimed task only for themselves (a claim); handing unclaimed work out is
 *   the head's;
 * - the owner of a task they delegated may take it back for themselves;
 * - a delegate does not pass the task on: they resolve it (it returns to the owner).
 * A task someone else holds is a 409 naming the holder.
 */
export function assignRefusal(user: User, task: TaskHolders, taskGroups: readonly string[], distributor: boolean, target: User | null): DomainError | null {
  if (target) {
    const notCandidate = candidateRefusal(task, taskGroups, target);
    if (notCandidate) return notCandidate;
  }
  if (distributor) return null;
  if (!mayActOnTask(user, taskGroups)) return forbidden(`Task ${task.id} belongs to group(s) ${taskGroups.join(', ') || '(none)'}; user ${user.id} is in ${groupsOf(user)}`);
  const pending = task.delegationState === 'PENDING';
  if (pending && task.owner === user.id && target?.id === user.id) return null;
  if (pending && task.assignee === user.id) return conflict(`Task ${task.id} was delegated to ${user.id} by ${task.owner ?? 'nobody'}: resolve it to hand it back`);
  if (task.assignee === null) {
    if (target?.id === user.id || target === null) return null;
    return forbidden(`Only a head of the reglament or an admin hands out an unclaimed task; user ${user.id} may claim task ${task.id} for themselves`);
  }
  if (task.assignee !== user.id) return conflict(`Task ${task.id} is held by ${task.assignee}; only they, a head of the reglament or an admin can reassign it`);
  return null;
}

/**
 * Delegating (Camunda's delegateTask): the holder, or a distributor, delegates to a member of the
 * task's groups; the owner stays (or becomes the holder), the delegate holds it until they resolve it.
 */
export function delegateRefusal(user: User, task: TaskHolders, taskGroups: readonly string[], distributor: boolean, target: User): DomainError | null {
  const notCandidate = candidateRefusal(task, taskGroups, target);
  if (notCandidate) return notCandidate;
  if (target.id === task.assignee) return validationFailed(`Task ${task.id} is already held by ${target.id}`, { field: 'userId', userId: target.id, userName: target.name });
  if (distributor) return null;
  if (!mayActOnTask(user, taskGroups)) return forbidden(`Task ${task.id} belongs to group(s) ${taskGroups.join(', ') || '(none)'}; user ${user.id} is in ${groupsOf(user)}`);
  if (task.assignee !== user.id) return conflict(task.assignee ? `Task ${task.id} is held by ${task.assignee}; only they, a head of the reglament or an admin can delegate it` : `Task ${task.id} is unclaimed: claim it before delegating it`);
  return null;
}

/** Resolving (Camunda's resolveTask): the delegate hands a PENDING task back to its owner; an admin may do it for them. */
export function resolveRefusal(user: User, task: TaskHolders): DomainError | null {
  if (task.delegationState !== 'PENDING') return conflict(`Task ${task.id} is not delegated (delegation state ${task.delegationState ?? 'none'}): nothing to resolve`);
  if (task.assignee === user.id || isAdmin(user)) return null;
  return conflict(`Task ${task.id} is delegated to ${task.assignee ?? 'nobody'}; only they or an admin resolve it`);
}

/** Whose names a user may list for an "assign to" chooser: their own groups' members; a head's or admin's, any group. */
export function mayListMembers(user: User, group: string): boolean {
  return isAdmin(user) || user.groups.includes(HEAD_GROUP) || user.groups.includes(group);
}

// --- attachments -------------------------------------------------------------------------------

/**
 * Attaching a document to a task: its holder while it is open, that is the user it is assigned to
 * (a delegate included), or, while nobody holds it, a user of its groups (who could claim and
 * complete it now); admins as for completing. Anyone else would add to work that is not theirs:
 * 403 outside the task's groups, 409 naming the holder inside them.
 */
export function attachRefusal(user: User, task: { id: string; state: string; assignee: string | null }, taskGroups: readonly string[]): DomainError | null {
  if (!mayActOnTask(user, taskGroups)) return forbidden(`Task ${task.id} belongs to group(s) ${taskGroups.join(', ') || '(none)'}; user ${user.id} is in ${groupsOf(user)}`);
  if (task.state !== 'open') return conflict(`Task ${task.id} is already ${task.state}: documents are attached while it is open`);
  if (task.assignee && task.assignee !== user.id) return conflict(`Task ${task.id} is held by ${task.assignee}; only they attach documents to it`, { reason: 'claimed', assignee: task.assignee });
  return null;
}

/** The groups whose tasks and instances a user's lists show; undefined = all of them (admin). */
export function visibleGroups(user: User): string[] | undefined {
  return isAdmin(user) ? undefined : user.groups;
}

// --- cases (applications) ---------------------------------------------------------------------

/** A reglament as the case list needs it: its key and the groups its user tasks name. */
export interface ReglamentGroups {
  key: string;
  groups: readonly string[];
}

/**
 * Which applications a user's case list (and the case page) shows:
 * - admins: every application;
 * - heads (group head): every application of a reglament whose user tasks name one of their groups
 *   (the reglaments they answer for), late or not, whoever worked on it;
 * - everyone: the applications they started, and those in which one of their groups has or had a task,
 *   in the application itself or in a flow it called (a clerk finds a case again after completing
 *   their step).
 */
export type CaseScope = { all: true } | { all: false; userId: string; groups: string[]; processKeys: string[] };

export function caseScope(user: User, reglaments: readonly ReglamentGroups[]): CaseScope {
  if (isAdmin(user)) return { all: true };
  const processKeys = user.groups.includes(HEAD_GROUP) ? reglaments.filter((r) => inAnyGroup(user, r.groups)).map((r) => r.key) : [];
  return { all: false, userId: user.id, groups: [...user.groups], processKeys };
}

/** {@link caseScope} for one instance: `hasTaskOfUserGroups` (a query) is asked only when the cheaper facts do not decide. */
export async function maySeeCase(scope: CaseScope, instance: { startedBy: string | null; processDefinitionKey: string; rootProcessDefinitionKey?: string | null }, hasTaskOfUserGroups: () => Promise<boolean>): Promise<boolean> {
  if (scope.all || instance.startedBy === scope.userId) return true;
  if (scope.processKeys.includes(instance.rootProcessDefinitionKey ?? instance.processDefinitionKey)) return true;
  if (scope.groups.length === 0) return false;
  return hasTaskOfUserGroups();
}

// --- notifications -----------------------------------------------------------------------------

/** Whose notifications a user reads: to them or to one of their groups; undefined = all (admin). */
export function notificationAudience(user: User): { userId: string; groups: string[] } | undefined {
  return isAdmin(user) ? undefined : { userId: user.id, groups: user.groups };
}

export function mayReadNotification(user: User, notification: { userId: string | null; groupId: string | null }): boolean {
  return isAdmin(user) || notification.userId === user.id || (notification.groupId !== null && user.groups.includes(notification.groupId));
}

// --- starting instances ------------------------------------------------------------------------

/**
 * Who may start an instance, as the diagram says (reglament/startable makes every diagram say it):
 * - a process with `camunda:isStartableInTasklist="false"` is a flow that only call activities start;
 *   no user starts it, an admin neither: its start variables are the decisions of the calling
 *   reglament (e.g. `decision` of egov-result-delivery), and a direct start would forge them;
 * - otherwise users of `camunda:candidateStarterGroups`, users named in `camunda:candidateStarterUsers`,
 *   and admins. A process that names no starter (deployed before the rule) is started by admins only.
 * Call activities start their called flow on the host's own path, which asks nothing of this.
 */
export type StartersModel = Pick<ProcessModel, 'key' | 'startableInTasklist' | 'candidateStarterGroups' | 'candidateStarterUsers'>;

/** The 403 a user gets for starting `model`, or null when the user may start it. */
export function startRefusal(model: StartersModel, user: User): DomainError | null {
  if (!model.startableInTasklist) {
    return new DomainError(
      'forbidden',
      'NOT_STARTABLE',
      `Process "${model.key}" is started only by a call activity of a reglament, never directly (the diagram sets camunda:isStartableInTasklist="false")`,
    );
  }
  if (isAdmin(user)) return null;
  if (model.candidateStarterUsers.includes(user.id)) return null;
  if (inAnyGroup(user, model.candidateStarterGroups)) return null;
  const starters = [...model.candidateStarterGroups.map((group) => `group ${group}`), ...model.candidateStarterUsers.map((id) => `user ${id}`)];
  return new DomainError(
    'forbidden',
    'NOT_A_STARTER',
    `User ${user.id} may not start "${model.key}": it is started by ${starters.length > 0 ? `${starters.join(', ')} or an admin` : 'an admin only (the diagram names no candidate starters)'}; the user is in ${user.groups.length > 0 ? `group ${user.groups.join(', ')}` : 'no group'}`,
  );
}

/** Throws {@link startRefusal}'s answer, if any. */
export function assertMayStart(model: StartersModel, user: User): void {
  refuse(startRefusal(model, user));
}
