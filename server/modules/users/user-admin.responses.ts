import { z } from 'zod';
import { roleSchema } from './user.schema.ts';

// Response schemas of account administration and the security administrator's approval queue (三员) (issue 15):
// they feed the OpenAPI document and so web/api/generated.ts.

const int = z.number().int();
const text = z.string().nullable();

/** Why an account waits for the security administrator (三员). */
export const APPROVAL_REASONS = ['created', 'password_reset', 'role_change', 'reactivated'] as const;
export type ApprovalReason = (typeof APPROVAL_REASONS)[number];
const approvalReason = z.enum(APPROVAL_REASONS).meta({ id: 'ApprovalReason' });

/** An account as the system administrator sees it (never its password hash), with its data scopes. */
export const adminUserSchema = z.object({
  id: int, username: z.string(), display_name: z.string(), unit_id: int.nullable(), role: roleSchema, must_change_password: int, is_active: int,
  created_at: z.string(), updated_at: z.string(), password_changed_at: text, failed_logins: int, locked_until: text, last_login_at: text, last_login_ip: text,
  /** Set while the security administrator has not approved what the system administrator did. */
  approval_pending_since: text, approval_reason: approvalReason.nullable(),
  /** locked_until is still ahead by the server's clock. */
  is_locked: z.boolean(),
  scopes: z.object({ unit_ids: z.array(int), region_codes: z.array(z.string()) }).meta({ id: 'AccountScopes' }),
}).meta({ id: 'AdminUser' });

export const adminUserListSchema = z.object({ items: z.array(adminUserSchema), total: int, page: int, page_size: int }).meta({ id: 'AdminUserList' });
/** A new account, with the temporary password generated for it (shown once; null when the administrator set one). */
export const createdUserSchema = adminUserSchema.extend({ temporary_password: text });

/** The security administrator's approval queue. */
export const pendingAccountsSchema = z.object({
  items: z.array(z.object({
    id: int, username: z.string(), display_name: z.string(), role: roleSchema, unit_id: int.nullable(), unit_name: text, is_active: int,
    approval_pending_since: z.string(), approval_reason: approvalReason, approval_requested_by: text,
  }).meta({ id: 'PendingAccount' })),
});

/** A password reset: the temporary password to hand over (null when the administrator chose the new password). */
export const passwordResetSchema = z.object({ ok: z.boolean(), temporary_password: z.string().nullable() }).meta({ id: 'PasswordReset' });
