import type { Executor } from '../../db/database.ts';
import { SecurityRepository } from './security.repository.ts';
import { settingsFromRows, type SecuritySettings } from './security.settings.ts';

/** Security settings (password rules, lockout, sessions): what other modules may read. */
export type { SecuritySettings } from './security.settings.ts';

/** The security settings in force (stored values over the defaults), read in the caller's transaction. */
export async function readSecuritySettings(db: Executor): Promise<SecuritySettings> {
  return settingsFromRows(await new SecurityRepository(db).listSettingRows());
}
