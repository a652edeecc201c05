import type { Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// Files every server must reach (site photos and their thumbnails, audit archives) are kept in the database, in
// parts of at most a few MB, instead of each server's own data directory (issue 14, item 11).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('stored_files')
    .addColumn('key', 'text', (c) => c.notNull()) // e.g. 'uploads/reports/12/<uuid>.jpg', 'audit-archive/audit-…jsonl'
    .addColumn('part', 'integer', (c) => c.notNull())
    .addColumn('content', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stored_files_pk', ['key', 'part'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stored_files').execute();
}
