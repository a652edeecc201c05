/** Accounts, security settings and the audit trail: types and calls. */
import { api } from './client.ts';
import type { CurrentUser, Role, Schema } from './types.ts';

/** What a successful sign-in answers. */
export interface LoginResponse {
  user: CurrentUser;
  csrf_token: string;
  must_change_password: boolean;
  password_expired: boolean;
  password_expires_at: string | null;
  last_login: { at: string; ip: string | null } | null;
  /** An administrator reset this account's password; the holder is told at sign-in. */
  password_reset: { at: string; by: string | null } | null;
  sessions_ended: number;
  session_idle_minutes: number;
  password_policy: string;
}

/** The generated shapes (server/modules/users/user-admin.responses.ts). */
export type AccountScopes = Schema<'AccountScopes'>;
export type AdminUser = Schema<'AdminUser'>;
export type AdminUserList = Schema<'AdminUserList'>;

export interface AdminUserWrite {
  username?: string;
  display_name?: string;
  role?: Role;
  unit_id?: number | null;
  is_active?: boolean;
  scopes?: AccountScopes;
  password?: string;
}

export type SecuritySettings = Schema<'SecuritySettings'>;

/** One row of the audit trail (audit.responses.ts). */
export type AuditRow = Schema<'AuditEntry'>;

export interface AuditQuery {
  username?: string;
  action?: string;
  outcome?: 'success' | 'failure';
  entity_type?: string;
  entity_id?: string;
  from?: string;
  to?: string;
  page?: number;
  page_size?: number;
}

/** What a walk of the whole chain found. */
export type AuditVerify = Schema<'AuditVerify'>;

export interface UnitWrite {
  name?: string;
  short_name?: string | null;
  parent_id?: number | null;
  region_code?: string | null;
  kind?: string;
  sort?: number;
}

/** Sign-in, password change and signing out everywhere. */
export const accountApi = {
  login: (username: string, password: string) => api.post<LoginResponse>('/auth/login', { username, password }, { quiet: true }),
  changePassword: (current_password: string, new_password: string) => api.post<{ ok: boolean }>('/auth/password', { current_password, new_password }, { quiet: true }),
  passwordPolicy: () => api.get<{ min_length: number; min_classes: number; text: string }>('/auth/password-policy'),
  logoutAll: () => api.post<{ ok: boolean; sessions_ended: number }>('/auth/logout-all'),
};

/** Account, role and scope administration (系统管理员). */
export const userAdminApi = {
  list: (query: { q?: string; role?: string; page?: number; page_size?: number }) => api.get<AdminUserList>('/admin/users', query),
  create: (body: AdminUserWrite) => api.post<AdminUser & { temporary_password: string | null }>('/admin/users', body, { quiet: true }),
  update: (id: number, body: AdminUserWrite) => api.patch<AdminUser>(`/admin/users/${id}`, body, { quiet: true }),
  resetPassword: (id: number) => api.post<{ ok: boolean; temporary_password: string | null }>(`/admin/users/${id}/reset-password`, {}),
  unlock: (id: number) => api.post<{ ok: boolean }>(`/admin/users/${id}/unlock`),
  endSessions: (id: number) => api.post<{ ok: boolean; sessions_ended: number }>(`/admin/users/${id}/logout-all`),
};

/** The unit tree (单位管理). */
export const unitAdminApi = {
  create: (body: UnitWrite) => api.post<{ id: number }>('/units', body, { quiet: true }),
  update: (id: number, body: UnitWrite) => api.patch<{ id: number }>(`/units/${id}`, body, { quiet: true }),
};

/** Security settings (安全管理员). */
/** Why an account waits for the security administrator (三员). */
export type ApprovalReason = Schema<'ApprovalReason'>;

/** An account in the security administrator's approval queue. */
export type PendingAccount = Schema<'PendingAccount'>;

export const securityApi = {
  pendingAccounts: () => api.get<{ items: PendingAccount[] }>('/security/pending-accounts'),
  approve: (id: number) => api.post<{ ok: true }>(`/security/pending-accounts/${id}/approve`, {}),
  /** Voids every remembered device's cookie (a new signing key): each must sign in again as a new device. */
  rotateDeviceKey: () => api.post<{ ok: true }>('/security/device-key/rotate', {}, { quiet: true }),
  get: () => api.get<Schema<'SecuritySettingsAnswer'>>('/security/settings'),
  update: (patch: Partial<SecuritySettings>) => api.patch<Schema<'SecuritySettingsAnswer'>>('/security/settings', patch, { quiet: true }),
};

/** The audit trail (安全审计员). */
export const auditApi = {
  search: (query: AuditQuery) => api.get<Schema<'AuditPage'>>('/audit', { ...query }),
  verify: () => api.get<AuditVerify>('/audit/verify'),
};
