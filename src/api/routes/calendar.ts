import { z } from 'zod';
import { assertAdmin } from '../../identity/access';
import { HostContext } from '../context';
import { ApiRoute, route } from '../route-table';

const dateTime = z.string().meta({ format: 'date-time' });

const CalendarDataSchema = z
  .record(z.string(), z.unknown())
  .meta({ id: 'CalendarData', description: 'The calendar in the shape of config/calendar/kz.json: note, zone, workingHours, holidays, years (each day with date, note and, for a movable date still awaiting its act, confirmed: false)' });

const SpecialDaySchema = z.object({
  date: z.string(),
  working: z.boolean(),
  note: z.string(),
  source: z.enum(['holiday', 'transfer', 'data']),
  confirmed: z.literal(false).optional().meta({ description: 'Present (false) for a date still awaiting the act that fixes it' }),
});

const CalendarSchema = z
  .object({
    version: z.number().int().meta({ description: 'The calendar version in force (calendar_versions)' }),
    source: z.string().nullable().meta({ description: 'file (config/calendar at a start) or api (PUT /api/calendar)' }),
    deployedAt: dateTime.nullable(),
    data: CalendarDataSchema,
    unconfirmed: z.array(SpecialDaySchema).meta({ description: 'Days of this year and the next still marked confirmed: false' }),
  })
  .meta({ id: 'Calendar' });

const CalendarDeploymentSchema = z
  .object({
    version: z.number().int(),
    changed: z.boolean().meta({ description: 'false: the data equals the calendar in force; nothing was stored or moved' }),
    deployedAt: dateTime,
    moved: z
      .array(z.object({ taskId: z.string(), processInstanceId: z.string(), previousDue: dateTime, due: dateTime, timerId: z.string().nullable() }))
      .meta({ description: 'Open tasks whose due date (and pending escalation timer) the correction moved; each is in its instance history as due-date-recomputed' }),
  })
  .meta({ id: 'CalendarDeployment' });

/** The working-time calendar in force, and its corrections at run time (runtime/calendar-corrections.ts). */
export function calendarRoutes(host: HostContext): ApiRoute[] {
  return [
    route({
      method: 'get',
      path: '/calendar',
      summary: 'The working-time calendar in force, with the dates still unconfirmed',
      responses: { 200: { description: 'OK', schema: CalendarSchema } },
      handle() {
        const current = host.calendar.current();
        const year = Number(host.clock.now().toISOString().slice(0, 4));
        const unconfirmed = [year, year + 1].flatMap((y) => host.calendar.specialDays(y)).filter((d) => d.confirmed === false);
        return { ...current, data: current.data as Record<string, unknown>, unconfirmed };
      },
    }),
    route({
      method: 'put',
      path: '/calendar',
      summary: 'Deploy a corrected calendar (admin): due dates of open tasks that depend on a changed day are recomputed',
      description:
        'The body is the whole calendar, as GET /api/calendar gives it in `data` (the shape of config/calendar/kz.json). Invalid data is a 400 INVALID_CALENDAR naming the field (details.field), and nothing changes. Data equal to the calendar in force changes nothing (changed: false). Otherwise it is stored as the next version, every server takes it up at its next timer poll, and each moved due date is recorded in its instance history (due-date-recomputed, with previousDue and due).',
      access: assertAdmin,
      body: CalendarDataSchema,
      responses: {
        200: { description: 'Deployed, or unchanged', schema: CalendarDeploymentSchema },
        400: { description: 'INVALID_CALENDAR: details.field names the field, details.reason the problem; nothing was stored' },
      },
      handle: ({ body, user }) => host.calendar.deploy(body, user.id),
    }),
  ];
}
