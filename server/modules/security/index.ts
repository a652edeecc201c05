// The security module's public face (the security administrator's settings): other modules, app.ts, the CLI and
// tests import from here only.
import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../platform/context.ts';
import { SecurityService } from './security.service.ts';
import { DEFAULT_SECURITY_SETTINGS, SECURITY_SETTINGS, securitySettingsSchema, type SecuritySettings } from './security.settings.ts';

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

/**
 * One security setting from its stored JSON value (null: not stored), decoded as SECURITY_SETTINGS.get decodes it: a
 * value that is not JSON or no longer validates takes the default. For readers that fetch the value inside a wider
 * statement (the session lookup).
 */
export function decodeSecuritySetting<K extends keyof SecuritySettings>(key: K, raw: string | null | undefined): SecuritySettings[K] {
  if (raw === null || raw === undefined) return DEFAULT_SECURITY_SETTINGS[key];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return DEFAULT_SECURITY_SETTINGS[key];
  }
  const parsed = securitySettingsSchema.shape[key].safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_SECURITY_SETTINGS[key];
}
