// The lights module's public face: other modules, app.ts, the CLI, bench and tests import from here only.

// The lights view's query (exports take the same). First in the file, so it is evaluated before the services below:
// other modules extend it at load time, and an import cycle through this file must find it initialized.
export { lightsQuerySchema, type LightsQuery } from './light.schema.ts';

import type { Deps } from '../../platform/context.ts';
import { IndicatorRepository } from '../indicators/index.ts';
import { ProjectRepository } from '../projects/index.ts';
import { LightRepository } from './light.repository.ts';
import { LightService } from './light.service.ts';

export { LightService } from './light.service.ts';
export { lightRoutes } from './light.routes.ts';
export { lightsWarmupJob, monthsToWarm, startLightsWarmup, warmLights } from './light-warmup.ts';

/**
 * The light service over `deps.db` (routes, the warm-up job, exports, bulletins, the CLI's verify); a caller holding
 * only a database builds deps with createDeps.
 */
export function createLightService(deps: Deps): LightService {
  return new LightService(deps, new LightRepository(deps.db), new IndicatorRepository(deps.db), new ProjectRepository(deps.db));
}

// The snapshots' refresh after a bulk write (imports).
export { refreshLightsAfterBulkWrite } from './light.service.ts';
