import { sql, type Kysely } from 'kysely';

// 三员 and sign-in hardening (issue 14):
// - users.password_reset_at/by: an administrator's reset is shown to the account's holder at the forced change;
// - rate_limits: fixed-window counters (sign-ins per client address) kept in the database, so every server sees
//   the same count;
// - API tokens issued by one account for another (the system administrator could mint a business token for the
//   office account) are revoked: from now on a token is issued by its own holder only.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('password_reset_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('password_reset_by', 'text').execute();
  await db.schema.createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limits_pk', ['key', 'window_start'])
    .execute();
  await db.schema.createIndex('rate_limits_window').on('rate_limits').column('window_start').execute();
  await db.updateTable('api_tokens').set({ revoked_at: new Date().toISOString() })
    .where('revoked_at', 'is', null).where('created_by', 'is not', null).where(sql<boolean>`created_by <> user_id`).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
  await db.schema.alterTable('users').dropColumn('password_reset_by').execute();
  await db.schema.alterTable('users').dropColumn('password_reset_at').execute();
}
