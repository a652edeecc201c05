// The calendar module's public face: other modules, app.ts, the CLI and tests import from here only.
import type { Deps } from '../../platform/context.ts';
import { CalendarRepository } from './calendar.repository.ts';
import { CalendarService } from './calendar.service.ts';

export { CalendarService } from './calendar.service.ts';
export { calendarRoutes } from './calendar.routes.ts';

/** The working-day calendar service. */
export function createCalendarService(deps: Deps): CalendarService {
  return new CalendarService(deps, (db) => new CalendarRepository(db));
}
