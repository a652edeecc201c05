import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../plugins/auth.ts';
import type { CalendarService } from './calendar.service.ts';
import { calendarYearBody, calendarYearParams, calendarYearSchema } from './calendar.schema.ts';

/** The working-day calendar: everyone signed in reads it, the office (period.admin) edits it. */
export function calendarRoutes(app: FastifyInstance, service: () => CalendarService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/calendar/:year', { config: { permission: 'reference.read' }, schema: { tags: ['calendar'], params: calendarYearParams, response: { 200: calendarYearSchema } } },
    async (request) => service().getYear(request.params.year));
  r.put('/api/v1/calendar/:year', {
    config: { permission: 'period.admin' },
    schema: { tags: ['calendar'], params: calendarYearParams, body: calendarYearBody, response: { 200: calendarYearSchema } },
  }, async (request) => service().putYear(actorOf(request), request.params.year, request.body.days));
}
