import type { Kysely } from 'kysely';

// A monthly report written by a project-list import (the list's 1–N月累计 column) says so: `source` holds
// 'import:<file name>'; reports filled in by units leave it NULL.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('monthly_reports').addColumn('source', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('monthly_reports').dropColumn('source').execute();
}
