import type { Kysely } from 'kysely';

// Issue 16: a page of the 催报 list reads a unit's first few missing projects by id. projects_reporting (tier,
// unit_id, deleted_at, list_year, region_code) finds the unit's projects but not in id order, so each unit's were
// all read and sorted (~30 ms CPU for a page of 50 units at 100k, at month end). In this index they come in id
// order and the read stops at the page's few.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('projects_unit_live').on('projects').columns(['tier', 'unit_id', 'deleted_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('projects_unit_live').execute();
}
