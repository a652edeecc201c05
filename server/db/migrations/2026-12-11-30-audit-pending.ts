import { sql, type Kysely } from 'kysely';
import { isPostgres, withId } from './helpers.ts';

// Issue 16: every audited write updated the single audit_chain_head row inside its own transaction, so on
// PostgreSQL all writers across every server queued on that row lock until commit. A business transaction now only
// inserts its events here (no shared row); a short step after commit (and the audit.chain job, for a crash between
// the two) moves pending rows into audit_log in id order under the head lock, hashing each onto the chain.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('audit_pending'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('username', 'text')
    .addColumn('role', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('method', 'text')
    .addColumn('route', 'text')
    .addColumn('status', 'integer')
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('details_json', 'text')
    .execute();
  // A pending event is never changed: it is chained as written (and then deleted here by the chaining step).
  if (isPostgres(db)) {
    await sql`CREATE FUNCTION docket_audit_pending_guard() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'audit_pending is append-only'; END $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER audit_pending_guard BEFORE UPDATE ON audit_pending FOR EACH ROW EXECUTE FUNCTION docket_audit_pending_guard()`.execute(db);
  } else {
    await sql`CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending BEGIN SELECT RAISE(ABORT, 'audit_pending is append-only'); END`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`DROP TRIGGER IF EXISTS audit_pending_guard ON audit_pending`.execute(db);
    await sql`DROP FUNCTION IF EXISTS docket_audit_pending_guard()`.execute(db);
  }
  await db.schema.dropTable('audit_pending').ifExists().execute();
}
