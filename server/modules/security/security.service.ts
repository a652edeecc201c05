import type { Actor } from '../../context.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { SecurityRepository } from './security.repository.ts';
import { SECURITY_SETTING_LABELS, settingsFromRows, type SecuritySettings } from './security.settings.ts';
import { clock } from '../../clock.ts';

/** The security settings, edited by the security administrator (安全管理员). */
export class SecurityService {
  private readonly security: SecurityRepository;
  private readonly audit: AuditService;
  constructor(security: SecurityRepository, audit: AuditService) {
    this.security = security;
    this.audit = audit;
  }

  async getSettings(): Promise<{ settings: SecuritySettings; labels: typeof SECURITY_SETTING_LABELS }> {
    return { settings: settingsFromRows(await this.security.listSettingRows()), labels: SECURITY_SETTING_LABELS };
  }

  /** Stores the changed settings and records before/after in the audit trail, in one transaction. */
  async updateSettings(actor: Actor, patch: Partial<SecuritySettings>) {
    const before = settingsFromRows(await this.security.listSettingRows());
    const changed = (Object.keys(patch) as (keyof SecuritySettings)[]).filter((k) => patch[k] !== undefined && patch[k] !== before[k]);
    if (changed.length > 0) {
      await this.security.transaction(async (repo, trx) => {
        const now = clock.now().toISOString();
        for (const key of changed) await repo.upsertSetting(key, JSON.stringify(patch[key]), actor.userId, now);
        await this.audit.record(trx, actor, {
          action: 'security.settings_update', entityType: 'security_settings',
          before: Object.fromEntries(changed.map((k) => [k, before[k]])), after: Object.fromEntries(changed.map((k) => [k, patch[k]])),
        });
      });
    }
    return this.getSettings();
  }
}
