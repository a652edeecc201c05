// The bulletins module's public face for other modules (evaluation's 讲评 sheet reuses the ranking and the GB/T 9704
// .docx layout). Its own routes and the CLI still import its files directly (LEGACY_CROSS_MODULE in eslint.config.js).
import type { Deps } from '../../platform/context.ts';
import { createIndicatorService } from '../indicators/index.ts';
import { createLightService } from '../lights/index.ts';
import { BulletinService } from './bulletin.service.ts';

export { BulletinService } from './bulletin.service.ts';
export { renderBulletinDocx } from './bulletin.docx.ts';

/** The bulletin service over `deps` (its ranking gives the 十快/十慢 projects of a period). */
export function createBulletinService(deps: Pick<Deps, 'db' | 'clock'>): BulletinService {
  return new BulletinService({ db: deps.db, indicators: () => createIndicatorService(deps), lights: () => createLightService(deps), clock: deps.clock });
}
