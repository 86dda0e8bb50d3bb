import { z } from 'zod';
import { assertAdmin, maySeeCase, visibleGroups } from '../../identity/access';
import { User } from '../../identity/users';
import type { InstanceRow } from '../../persistence/api-store';
import { HostContext } from '../context';
import { notFound } from '../errors';
import { presentHistory, presentIncident, presentInstance } from '../presenters';
import { ApiRoute, route } from '../route-table';
import { caseScopeOf } from './cases';
import { flag, oneOf, paging, text } from '../schemas/query';
import { HistoryEntrySchema, IncidentSchema, pageOf, ProcessInstanceSchema } from '../schemas/resources';

const idParam = z.object({ id: z.string().meta({ description: 'Instance id' }) });

export function instanceRoutes(host: HostContext): ApiRoute[] {
  /** An instance is seen by those who may see its application (identity/access.ts caseScope). */
  async function visibleInstance(id: string, user: User): Promise<InstanceRow> {
    const row = await host.store.instance(id);
    const visible = row && (await maySeeCase(await caseScopeOf(host, user), row, () => host.store.applicationHasTaskOfGroups(row.id, user.groups)));
    if (!row || !visible) throw notFound(`No process instance with id "${id}"`);
    return row;
  }

  return [
    route({
      method: 'get',
      path: '/process-instances',
      summary: 'Instances (admins: all; others: those with a task of their groups)',
      query: z.object({
        processDefinitionKey: text('Process key'),
        state: oneOf(['running', 'completed', ''] as const, '', 'Instance state (any when empty)'),
        businessKey: text('Business key'),
        ...paging,
      }),
      responses: { 200: { description: 'OK', schema: pageOf(ProcessInstanceSchema) } },
      async handle({ query, user }) {
        const result = await host.store.instances({ ...query, state: query.state || undefined, visibleGroups: visibleGroups(user) });
        return { items: result.items.map((r) => presentInstance(r, host.clock.now())), total: result.total };
      },
    }),
    route({
      method: 'get',
      path: '/process-instances/:id',
      summary: 'One instance, with its open incidents',
      params: idParam,
      responses: { 200: { description: 'OK', schema: ProcessInstanceSchema } },
      async handle({ params, user }) {
        const row = await visibleInstance(params.id, user);
        return { ...presentInstance(row, host.clock.now()), incidents: (await host.runtime.openIncidents(row.id)).map(presentIncident) };
      },
    }),
    route({
      method: 'post',
      path: '/process-instances/:id/retry',
      summary: 'Run the failed service task of an instance with an open incident again (admin)',
      access: assertAdmin,
      params: idParam,
      responses: {
        200: { description: 'OK', schema: z.object({ resolved: z.boolean(), incidents: z.array(IncidentSchema), instance: ProcessInstanceSchema }) },
        409: { description: 'No open incident' },
      },
      async handle({ params, user }) {
        const result = await host.runtime.retry(params.id, user);
        return { resolved: result.resolved, incidents: result.incidents.map(presentIncident), instance: presentInstance(result.instance, host.clock.now()) };
      },
    }),
    route({
      method: 'get',
      path: '/incidents',
      summary: 'Incidents (admin); open ones unless open=false',
      access: assertAdmin,
      query: z.object({ processInstanceId: text('Instance id'), open: flag('Open incidents (default true), or resolved ones') }),
      responses: { 200: { description: 'OK', schema: z.array(IncidentSchema) } },
      async handle({ query }) {
        const rows = await host.runtime.listIncidents({ processInstanceId: query.processInstanceId, open: query.open ?? true });
        return rows.map(presentIncident);
      },
    }),
    route({
      method: 'get',
      path: '/process-instances/:id/history',
      summary: 'Append-only history of an instance',
      params: idParam,
      responses: { 200: { description: 'OK', schema: z.array(HistoryEntrySchema) } },
      async handle({ params, user }) {
        const row = await visibleInstance(params.id, user);
        return (await host.store.history(row.id)).map(presentHistory);
      },
    }),
  ];
}
