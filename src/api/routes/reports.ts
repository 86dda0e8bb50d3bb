import { z } from 'zod';
import { assertMayReadReports } from '../../identity/access';
import { slaReport } from '../../reports/sla-report';
import { HostContext } from '../context';
import { ApiRoute, route } from '../route-table';
import { dateTime, text } from '../schemas/query';
import { SlaReportSchema } from '../schemas/resources';

export function reportRoutes(host: HostContext): ApiRoute[] {
  return [
    route({
      method: 'get',
      path: '/reports/sla',
      summary: 'Compliance with the legal time limits per reglament and step (heads, admins): tasks completed in [from, to)',
      access: assertMayReadReports,
      query: z.object({ processDefinitionKey: text('Process key'), from: dateTime('Completed at or after'), to: dateTime('Completed before') }),
      responses: { 200: { description: 'OK', schema: SlaReportSchema } },
      async handle({ query }) {
        const tasks = await host.store.completedTasks(query);
        return { processDefinitionKey: query.processDefinitionKey ?? null, from: query.from ?? null, to: query.to ?? null, processes: slaReport(tasks, (a, b) => host.workingMinutes(a, b)) };
      },
    }),
  ];
}
