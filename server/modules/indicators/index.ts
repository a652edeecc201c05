// The indicators module's public face: other modules, app.ts, the CLI, bench and tests import from here only.
import type { Deps } from '../../platform/context.ts';
import { createDeps } from '../../deps.ts';
import { IndicatorService } from './indicator.service.ts';

export { IndicatorService } from './indicator.service.ts';
export { indicatorRoutes } from './indicator.routes.ts';
// TODO(platform): the light service still reads the indicator tables through this repository; it should ask the
// indicator service instead.
export { IndicatorRepository } from './indicator.repository.ts';

/**
 * The indicator service: its repositories over `deps.db`, its unit of work through inTransaction (which joins the
 * caller's transaction when `deps.db` is one). An open `Database` passes as deps too (it has `db`): it gets the
 * process clock and the audit recorder (createDeps).
 */
export function createIndicatorService(deps: Pick<Deps, 'db'> & Partial<Deps>): IndicatorService {
  return new IndicatorService(deps.clock && deps.audit ? { db: deps.db, clock: deps.clock, audit: deps.audit } : createDeps(deps.db));
}
