import { z } from 'zod';
import { defineSettings } from '../../platform/settings.ts';

/**
 * Security settings (等保 2.0 level 3) with the common defaults from ../shared/domain.md. Stored as data in
 * security_settings and edited by the security administrator; a key absent from the table takes its default.
 */
export const securitySettingsSchema = z.object({
  password_min_length: z.number().int().min(8).max(64),
  password_min_classes: z.number().int().min(2).max(4),
  /** Days until a password must be changed; 0 = never. */
  password_expiry_days: z.number().int().min(0).max(365),
  /** How many previous passwords may not be reused. */
  password_history: z.number().int().min(0).max(24),
  lockout_threshold: z.number().int().min(1).max(20),
  lockout_minutes: z.number().int().min(1).max(1440),
  session_idle_minutes: z.number().int().min(5).max(480),
  /** Sessions one account may hold at once; signing in beyond it ends the oldest. */
  max_sessions: z.number().int().min(1).max(20),
  /** Audit rows are kept in the database at least this long, then archived (never below 180 days). */
  audit_retention_days: z.number().int().min(180).max(3650),
});

export type SecuritySettings = z.infer<typeof securitySettingsSchema>;

export const DEFAULT_SECURITY_SETTINGS: SecuritySettings = {
  password_min_length: 8,
  password_min_classes: 3,
  password_expiry_days: 90,
  password_history: 5,
  lockout_threshold: 5,
  lockout_minutes: 30,
  session_idle_minutes: 30,
  max_sessions: 3,
  audit_retention_days: 180,
};

export const SECURITY_SETTING_LABELS: Record<keyof SecuritySettings, string> = {
  password_min_length: '密码最小长度',
  password_min_classes: '密码须包含的字符类别数',
  password_expiry_days: '密码有效期（天，0 为不过期）',
  password_history: '不得重复使用最近几次密码',
  lockout_threshold: '连续登录失败锁定次数',
  lockout_minutes: '锁定时长（分钟）',
  session_idle_minutes: '会话空闲超时（分钟）',
  max_sessions: '同一账号最多同时在线会话数',
  audit_retention_days: '审计日志在线保留天数（不少于 180 天）',
};

/**
 * The security settings over `security_settings` (platform/settings.ts): defaults merged with the stored keys, a
 * stored value that no longer validates falls back to its default; changes are validated and audited as
 * `security.settings_update`.
 */
export const SECURITY_SETTINGS = defineSettings('security', 'security_settings', securitySettingsSchema, DEFAULT_SECURITY_SETTINGS);
