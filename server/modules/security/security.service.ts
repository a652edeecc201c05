import type { Actor, Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import { SECURITY_SETTING_LABELS, SECURITY_SETTINGS, type SecuritySettings } from './security.settings.ts';

/** The security settings, edited by the security administrator (安全管理员). */
export class SecurityService {
  private readonly deps: Deps;
  constructor(deps: Deps) {
    this.deps = deps;
  }

  async getSettings(): Promise<{ settings: SecuritySettings; labels: typeof SECURITY_SETTING_LABELS }> {
    return { settings: await SECURITY_SETTINGS.get(this.deps.db), labels: SECURITY_SETTING_LABELS };
  }

  /** Stores the changed settings and records before/after in the audit trail, in one transaction. */
  async updateSettings(actor: Actor, patch: Partial<SecuritySettings>) {
    await inTransaction(this.deps.db, (trx) => SECURITY_SETTINGS.put(trx, actor, patch, this.deps));
    return this.getSettings();
  }
}
