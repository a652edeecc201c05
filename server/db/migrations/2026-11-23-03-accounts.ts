import { sql, type Kysely } from 'kysely';
import { isPostgres, withId } from './helpers.ts';

// Accounts and login security (等保 2.0 level 3), data scope, API tokens and the hash-chained audit trail.

export async function up(db: Kysely<any>): Promise<void> {
  // Security settings as data: one row per setting, value as JSON text. Absent keys fall back to the defaults in
  // server/modules/security/security.settings.ts, so a new setting needs no data migration.
  await db.schema
    .createTable('security_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();

  await db.schema.alterTable('users').addColumn('password_changed_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('locked_until', 'text').execute();
  await db.schema.alterTable('users').addColumn('last_login_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('last_login_ip', 'text').execute();

  // The CSRF token bound to the session (double-submit cookie checked against this hash).
  await db.schema.alterTable('sessions').addColumn('csrf_hash', 'text').execute();

  await withId(db, db.schema.createTable('password_history'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_history_user').on('password_history').columns(['user_id', 'id']).execute();

  // Data scope: a user sees the union of these unit subtrees and region subtrees. Exactly one of unit_id and
  // region_code is set per row. Without rows, a reporter sees its own unit's subtree and other business roles all.
  await withId(db, db.schema.createTable('user_scopes'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('region_code', 'text', (c) => c.references('regions.code'))
    .execute();
  await db.schema.createIndex('user_scopes_user').on('user_scopes').column('user_id').execute();

  await withId(db, db.schema.createTable('api_tokens'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique()) // sha-256 of the secret; the secret is shown once
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id')) // the account the token acts as
    .addColumn('permissions', 'text', (c) => c.notNull()) // JSON array of permission names
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .execute();

  // The audit trail. seq is the chain position (contiguous, taken from audit_chain_head inside the appending
  // transaction); hash = sha256(prev_hash + canonical JSON of the row).
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('username', 'text')
    .addColumn('role', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull()) // success | failure
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('method', 'text')
    .addColumn('route', 'text')
    .addColumn('status', 'integer')
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('details_json', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_user').on('audit_log').columns(['user_id', 'seq']).execute();
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'seq']).execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity_type', 'entity_id']).execute();

  // The single-row chain head: every append updates it first, in the same transaction, which serializes appends
  // across connections and processes on both engines.
  await db.schema
    .createTable('audit_chain_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.insertInto('audit_chain_head').values({ id: 1, seq: 0, hash: '0'.repeat(64) }).execute();

  // Archived ranges: rows older than the retention period move to a file under the data dir; the chain in the
  // table then starts after to_seq with prev_hash = last_hash.
  await withId(db, db.schema.createTable('audit_archives'))
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('from_seq', 'bigint', (c) => c.notNull())
    .addColumn('to_seq', 'bigint', (c) => c.notNull())
    .addColumn('first_prev_hash', 'text', (c) => c.notNull())
    .addColumn('last_hash', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // The database itself refuses to change audit rows, and deletes only rows already archived.
  if (isPostgres(db)) {
    await sql`CREATE FUNCTION docket_audit_guard() RETURNS trigger AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'audit_log is append-only'; END IF;
        IF OLD.seq > COALESCE((SELECT max(to_seq) FROM audit_archives), 0) THEN
          RAISE EXCEPTION 'audit_log rows can only be removed after archiving';
        END IF;
        RETURN OLD;
      END $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION docket_audit_guard()`.execute(db);
  } else {
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      WHEN OLD.seq > COALESCE((SELECT max(to_seq) FROM audit_archives), 0)
      BEGIN SELECT RAISE(ABORT, 'audit_log rows can only be removed after archiving'); END`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`DROP TRIGGER IF EXISTS audit_log_guard ON audit_log`.execute(db);
    await sql`DROP FUNCTION IF EXISTS docket_audit_guard()`.execute(db);
  }
  for (const t of ['audit_archives', 'audit_chain_head', 'audit_log', 'api_tokens', 'user_scopes', 'password_history', 'security_settings']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await db.schema.alterTable('sessions').dropColumn('csrf_hash').execute();
  for (const c of ['last_login_ip', 'last_login_at', 'locked_until', 'failed_logins', 'password_changed_at']) {
    await db.schema.alterTable('users').dropColumn(c).execute();
  }
}
