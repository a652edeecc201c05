import type { Kysely } from 'kysely';

// `GET /regions/resolve` (a region name typed in a form) looks names up through this index instead of reading the
// ~44k regions of the national tree on every call (issue 12): the typed name and its suffixed forms (城关 → 城关镇,
// 城关街道 …) are matched on `regions.name`.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('regions_name').on('regions').column('name').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('regions_name').execute();
}
