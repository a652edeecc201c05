import type { Kysely } from 'kysely';

// Supervision (issue 17): a co-unit (协办单位) signs for its part of a matter (签收), recorded on its matter_units row.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('matter_units').addColumn('signed_on', 'text').execute();
  await db.schema.alterTable('matter_units').addColumn('signed_by', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('matter_units').dropColumn('signed_by').execute();
  await db.schema.alterTable('matter_units').dropColumn('signed_on').execute();
}
