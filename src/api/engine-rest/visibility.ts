import type { CaseScope } from '../../identity/access';
import { User } from '../../identity/users';
import type { InstanceRow } from '../../persistence/api-store';
import { HostContext } from '../context';
import { caseScopeOf } from '../routes/cases';
import { CamundaError } from './camunda-error';
import { notFound } from './query-params';

/**
 * Which instances a user sees on /engine-rest: the same as the case page of /api (identity/access.ts
 * caseScope): admins all, heads their reglaments', everyone those they started and those of an
 * application their groups worked on. Lists leave the others out (as Camunda leaves out what the user
 * may not read); one named instance the user may not see is Camunda's 403 AuthorizationException.
 */
export function scopeOf(host: HostContext, user: User): Promise<CaseScope> {
  return caseScopeOf(host, user);
}

export async function visibleInstance(host: HostContext, user: User, id: string, what = 'process instance'): Promise<InstanceRow> {
  const row = await host.store.instance(id);
  if (!row) throw notFound(what === 'historic process instance' ? `Historic process instance with id ${id} does not exist` : `Process instance with id ${id} does not exist`);
  if (!(await host.store.camundaInstanceVisible(await scopeOf(host, user), id))) {
    throw new CamundaError(403, 'AuthorizationException', `The user with id '${user.id}' does not have 'READ' permission on resource '${id}' of type 'ProcessInstance' (it is an application of another office; the user is in ${user.groups.join(', ') || 'no group'})`);
  }
  return row;
}
