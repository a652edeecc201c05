// The security module's public face (the security administrator's settings): other modules, app.ts, the CLI and
// tests import from here only.
import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../platform/context.ts';
import { SecurityService } from './security.service.ts';
import { SECURITY_SETTINGS, type SecuritySettings } from './security.settings.ts';

export { SecurityService } from './security.service.ts';
export { securityRoutes } from './security.routes.ts';
export { DEFAULT_SECURITY_SETTINGS, SECURITY_SETTINGS, type SecuritySettings } from './security.settings.ts';

/** The security settings service. */
export function createSecurityService(deps: Deps): SecurityService {
  return new SecurityService(deps);
}

/** The security settings in force (defaults merged with the stored keys), for sign-in, sessions and archiving. */
export function readSecuritySettings(db: Executor): Promise<SecuritySettings> {
  return SECURITY_SETTINGS.get(db);
}
