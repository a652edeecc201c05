// The reference module's public face (the region tree with custom areas, the unit tree): other modules, app.ts, the
// CLI and tests import from here only.
import type { Deps } from '../../platform/context.ts';
import { ReferenceRepository } from './reference.repository.ts';
import { ReferenceService } from './reference.service.ts';

export { ReferenceService, seedRegions } from './reference.service.ts';
export { referenceRoutes } from './reference.routes.ts';
// TODO(platform): the project service validates regions and units through this repository; it should ask the
// reference service.
export { ReferenceRepository } from './reference.repository.ts';

/** The reference data service (regions, custom areas, units). */
export function createReferenceService(deps: Deps): ReferenceService {
  return new ReferenceService(deps, (db) => new ReferenceRepository(db));
}
