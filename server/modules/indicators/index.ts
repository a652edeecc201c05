// The indicators module's public face: other modules, app.ts, the CLI, bench and tests import from here only.

// The indicators view's query (the project filter, a period 1–N月, breakdowns): exports take the same query, bulletins
// the same period. First in the file, so they are evaluated before the services below: other modules extend them at
// load time, and an import cycle through this file must find them initialized.
export { BREAKDOWNS, indicatorQuerySchema, periodSchema, type Breakdown, type IndicatorQuery } from './indicator.schema.ts';

import type { Deps } from '../../platform/context.ts';
import { IndicatorService } from './indicator.service.ts';

export { IndicatorService } from './indicator.service.ts';
export { GroupDeltas } from './group-deltas.ts';
export { indicatorRoutes } from './indicator.routes.ts';
// TODO(platform): the light service still reads the indicator tables through this repository; it should ask the
// indicator service instead.
export { IndicatorRepository } from './indicator.repository.ts';

/**
 * The indicator service: its repositories over `deps.db`, its unit of work through inTransaction (which joins the
 * caller's transaction when `deps.db` is one). A caller holding only a database builds deps with createDeps.
 */
export function createIndicatorService(deps: Deps): IndicatorService {
  return new IndicatorService(deps);
}
