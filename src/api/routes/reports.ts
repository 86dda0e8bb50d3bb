import { z } from 'zod';
import { userTaskOrder } from '../../definitions/flow-order';
import { assertMayReadReports } from '../../identity/access';
import { latenessEntry } from '../../reports/lateness';
import { slaReport } from '../../reports/sla-report';
import { HostContext } from '../context';
import { ApiRoute, route } from '../route-table';
import { dateTime, paging, text } from '../schemas/query';
import { LatenessSchema, SlaReportSchema } from '../schemas/resources';

/** The user tasks of each reglament's latest version in process order; a key no longer deployed has none. */
async function stepOrders(host: HostContext, keys: string[]): Promise<Map<string, string[]>> {
  const orders = new Map<string, string[]>();
  for (const key of keys) {
    try {
      const loaded = await host.definitions.load((await host.definitions.latest(key)).id);
      orders.set(key, loaded.moddleContext.rootElement ? userTaskOrder(loaded.moddleContext.rootElement) : []);
    } catch {
      orders.set(key, []);
    }
  }
  return orders;
}

export function reportRoutes(host: HostContext): ApiRoute[] {
  return [
    route({
      method: 'get',
      path: '/reports/sla',
      summary:
        'Compliance with the legal time limits per reglament and step (heads, admins): tasks completed in [from, to) and the open ones now; a step is late by the share of its tasks over the limit; steps in process order',
      access: assertMayReadReports,
      query: z.object({ processDefinitionKey: text('Process key'), from: dateTime('Completed at or after'), to: dateTime('Completed before') }),
      responses: { 200: { description: 'OK', schema: SlaReportSchema } },
      async handle({ query }) {
        const [completed, open] = await Promise.all([host.store.completedTasks(query), host.store.openTasks(query.processDefinitionKey)]);
        const orders = await stepOrders(host, [...new Set([...completed, ...open].map((t) => t.processDefinitionKey))]);
        const processes = slaReport({
          completed,
          open,
          now: host.clock.now().toISOString(),
          workingMinutes: (a, b) => host.workingMinutes(a, b),
          stepOrder: (key) => orders.get(key) ?? [],
        });
        return { processDefinitionKey: query.processDefinitionKey ?? null, from: query.from ?? null, to: query.to ?? null, processes };
      },
    }),
    route({
      method: 'get',
      path: '/reports/lateness',
      summary:
        'Open applications overdue or at risk (in the last AT_RISK_SHARE of a step\'s limit), for one reglament or all (heads, admins): case number, applicant, step, holder, working minutes over or left; most overdue first',
      access: assertMayReadReports,
      query: z.object({ processDefinitionKey: text('Reglament (also its shared flows\' steps)'), ...paging }),
      responses: { 200: { description: 'OK', schema: LatenessSchema } },
      async handle({ query }) {
        const now = host.clock.now();
        const page = await host.store.lateTasks({ ...query, now: now.toISOString() });
        return { total: page.total, overdue: page.overdue, items: page.items.map((row) => latenessEntry(row, now, (a, b) => host.workingMinutes(a, b))) };
      },
    }),
  ];
}
