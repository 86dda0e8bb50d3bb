import { z } from 'zod';
import { assertAdmin } from '../../identity/access';
import { HostContext } from '../context';
import { ApiRoute, route } from '../route-table';
import { text } from '../schemas/query';
import { FiredTimersSchema, TimerSchema } from '../schemas/resources';

/**
 * The host's timers (the engine arms none): list them, and fire the due ones now instead of
 * waiting for the next poll (an operator's "execute job" after an outage, and the tests' way to
 * step a controlled clock).
 */
export function timerRoutes(host: HostContext): ApiRoute[] {
  return [
    route({
      method: 'get',
      path: '/timers',
      summary: "The host's timers (admin)",
      access: assertAdmin,
      query: z.object({ processInstanceId: text('Instance id'), state: text('pending, fired or cancelled'), kind: text('event or task-due') }),
      responses: { 200: { description: 'OK', schema: z.array(TimerSchema) } },
      handle: ({ query }) => host.scheduler.listTimers(query),
    }),
    route({
      method: 'post',
      path: '/timers/fire-due',
      summary: 'Fire the due timers now (admin)',
      access: assertAdmin,
      responses: { 200: { description: 'OK', schema: FiredTimersSchema } },
      handle: () => host.scheduler.fireDueTimers(),
    }),
  ];
}
