import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// The project library: withdrawal (退库) bookkeeping, list indexes, and a fast substring index over
// projects.search_text — SQLite FTS5 with the trigram tokenizer, kept in sync by triggers (so rows written by the
// demo generator or imports are indexed too), and PostgreSQL pg_trgm GIN, which LIKE '%…%' uses directly.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('projects').addColumn('withdraw_reason', 'text').execute();
  await db.schema.alterTable('projects').addColumn('tier_before_withdraw', 'text').execute();

  // Covers the list totals (count, Σ total investment) of the common region/stage filters without table reads.
  await db.schema.createIndex('projects_region_totals').on('projects').columns(['region_code', 'stage', 'deleted_at', 'total_investment']).execute();
  await db.schema.createIndex('projects_tier_stage').on('projects').columns(['tier', 'stage']).execute();
  await db.schema.createIndex('projects_category').on('projects').column('category').execute();
  await db.schema.createIndex('projects_industry').on('projects').column('industry_code').execute();
  await db.schema.createIndex('projects_list_year').on('projects').column('list_year').execute();
  await db.schema.createIndex('projects_updated').on('projects').column('updated_at').execute();

  if (isPostgres(db)) {
    // The same name as SQLite's FTS table, so one query serves both engines (LIKE over it uses the GIN index).
    await sql`CREATE VIEW projects_fts AS SELECT id AS rowid, search_text FROM projects`.execute(db);
    await createTrigramIndexes(db);
    return;
  }
  await sql`CREATE VIRTUAL TABLE projects_fts USING fts5(search_text, content='projects', content_rowid='id', tokenize='trigram')`.execute(db);
  await sql`CREATE TRIGGER projects_fts_ai AFTER INSERT ON projects BEGIN
    INSERT INTO projects_fts(rowid, search_text) VALUES (new.id, new.search_text);
  END`.execute(db);
  await sql`CREATE TRIGGER projects_fts_ad AFTER DELETE ON projects BEGIN
    INSERT INTO projects_fts(projects_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
  END`.execute(db);
  await sql`CREATE TRIGGER projects_fts_au AFTER UPDATE OF search_text ON projects BEGIN
    INSERT INTO projects_fts(projects_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO projects_fts(rowid, search_text) VALUES (new.id, new.search_text);
  END`.execute(db);
  await sql`INSERT INTO projects_fts(projects_fts) VALUES ('rebuild')`.execute(db);
}

/**
 * pg_trgm and its GIN indexes. Some PostgreSQL-derived domestic databases (or accounts without the right to create
 * extensions) lack it: search then still works, by scanning, so the migration warns instead of failing. A savepoint
 * keeps the surrounding migration transaction usable after the failed statement.
 */
async function createTrigramIndexes(db: Kysely<any>): Promise<void> {
  await sql`SAVEPOINT docket_trgm`.execute(db);
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
    await sql`CREATE INDEX projects_search_trgm ON projects USING gin (search_text gin_trgm_ops)`.execute(db);
    await sql`CREATE INDEX projects_builder_trgm ON projects USING gin (builder_name gin_trgm_ops)`.execute(db);
    await sql`RELEASE SAVEPOINT docket_trgm`.execute(db);
  } catch (err) {
    await sql`ROLLBACK TO SAVEPOINT docket_trgm`.execute(db);
    console.warn(`pg_trgm unavailable, project search will scan instead of using an index: ${(err as Error).message}`);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`DROP VIEW IF EXISTS projects_fts`.execute(db);
    await sql`DROP INDEX IF EXISTS projects_search_trgm`.execute(db);
    await sql`DROP INDEX IF EXISTS projects_builder_trgm`.execute(db);
  } else {
    for (const t of ['projects_fts_ai', 'projects_fts_ad', 'projects_fts_au']) await sql`DROP TRIGGER IF EXISTS ${sql.raw(t)}`.execute(db);
    await sql`DROP TABLE IF EXISTS projects_fts`.execute(db);
  }
  for (const i of ['projects_region_totals', 'projects_tier_stage', 'projects_category', 'projects_industry', 'projects_list_year', 'projects_updated']) {
    await db.schema.dropIndex(i).ifExists().execute();
  }
  await db.schema.alterTable('projects').dropColumn('tier_before_withdraw').execute();
  await db.schema.alterTable('projects').dropColumn('withdraw_reason').execute();
}
