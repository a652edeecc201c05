import { type Kysely } from 'kysely';

// 三员 separation of duties (issue 14): a business account that the system administrator (系统管理员) created,
// reset the password of, gave a business role or re-enabled cannot sign in until the security administrator
// (安全保密管理员) approves it. users.approval_pending_since is set while it waits (null: approved or never needed);
// approval_reason says why ('created', 'password_reset', 'role_change', 'reactivated') and approval_requested_by who.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('approval_pending_since', 'text').execute();
  await db.schema.alterTable('users').addColumn('approval_reason', 'text').execute();
  await db.schema.alterTable('users').addColumn('approval_requested_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('approval_requested_by').execute();
  await db.schema.alterTable('users').dropColumn('approval_reason').execute();
  await db.schema.alterTable('users').dropColumn('approval_pending_since').execute();
}
