/** The office's profile (name and jurisdiction): the module's public face. */
import type { Deps } from '../../platform/context.ts';
import { SystemService } from './system.service.ts';

export { systemRoutes } from './system.routes.ts';
export { SystemService, findJurisdiction, findOfficeRegionCode, type Jurisdiction, type SystemProfile } from './system.service.ts';

/** The office's profile service over `deps` (app.ts, `docket init`, the demo and the benchmarks). */
export function createSystemService(deps: Deps): SystemService {
  return new SystemService(deps);
}
