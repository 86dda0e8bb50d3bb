/**
 * Who may start an instance, as the diagram says (reglament/startable makes every diagram say it):
 * - a process with `camunda:isStartableInTasklist="false"` is a flow that only call activities start;
 *   no user starts it, an admin neither: its start variables are the decisions of the calling
 *   reglament (e.g. `decision` of egov-result-delivery), and a direct start would forge them;
 * - otherwise users of `camunda:candidateStarterGroups`, users named in `camunda:candidateStarterUsers`,
 *   and admins. A process that names no starter (deployed before the rule) is started by admins only.
 * Call activities start their called flow on the host's own path, which asks nothing of this.
 */
import { DomainError } from '../errors';
import type { ProcessModel } from '../definitions/model';
import type { User } from '../identity/users';

export type StartersModel = Pick<ProcessModel, 'key' | 'startableInTasklist' | 'candidateStarterGroups' | 'candidateStarterUsers'>;

/** The 403 a user gets for starting `model`, or null when the user may start it. */
export function startRefusal(model: StartersModel, user: User): DomainError | null {
  if (!model.startableInTasklist) {
    return new DomainError('forbidden',
      'NOT_STARTABLE',
      `Process "${model.key}" is started only by a call activity of a reglament, never directly (the diagram sets camunda:isStartableInTasklist="false")`,
    );
  }
  if (user.groups.includes('admin')) return null;
  if (model.candidateStarterUsers.includes(user.id)) return null;
  if (model.candidateStarterGroups.some((group) => user.groups.includes(group))) return null;
  const starters = [...model.candidateStarterGroups.map((group) => `group ${group}`), ...model.candidateStarterUsers.map((id) => `user ${id}`)];
  return new DomainError('forbidden',
    'NOT_A_STARTER',
    `User ${user.id} may not start "${model.key}": it is started by ${starters.length > 0 ? `${starters.join(', ')} or an admin` : 'an admin only (the diagram names no candidate starters)'}; the user is in ${user.groups.length > 0 ? `group ${user.groups.join(', ')}` : 'no group'}`,
  );
}

/** Throws {@link startRefusal}'s answer, if any. */
export function assertMayStart(model: StartersModel, user: User): void {
  const refusal = startRefusal(model, user);
  if (refusal) throw refusal;
}
