import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// Issue 16: a page of the 催报 list reads each unit's first few missing projects in id order (on PostgreSQL in one
// LATERAL statement over the page's units). projects_unit_live (tier, unit_id, deleted_at, id) yields them in id
// order on SQLite, but PostgreSQL does not take `deleted_at IS NULL` as an equality for ordering: it read every
// project of the unit and sorted them (780 a unit, 50 units: 430 ms at 100k), or walked the primary key over all
// projects. Without deleted_at among the columns (the live rows only), the unit's projects come in id order and the
// read stops at the page's few (2 ms at month end).

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`CREATE INDEX IF NOT EXISTS projects_unit_live_ids ON projects (tier, unit_id, id) WHERE deleted_at IS NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`DROP INDEX IF EXISTS projects_unit_live_ids`.execute(db);
}
