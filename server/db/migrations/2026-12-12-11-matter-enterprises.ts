import type { Kysely } from 'kysely';

// Issue 17: a supervised matter (督办事项) names the enterprises it concerns (关联企业), as it names projects
// (matter_projects). The link goes when the matter or the enterprise row goes; enterprises are soft-deleted, so in
// practice a link outlives its enterprise's deletion and the matter page still names it. Looked up both ways: the
// matter page lists its enterprises, the enterprise page lists its matters (the index on enterprise_id).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('matter_enterprises')
    .addColumn('matter_id', 'integer', (c) => c.notNull().references('matters.id').onDelete('cascade'))
    .addColumn('enterprise_id', 'integer', (c) => c.notNull().references('enterprises.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('matter_enterprises_pk', ['matter_id', 'enterprise_id'])
    .execute();
  await db.schema.createIndex('matter_enterprises_enterprise').on('matter_enterprises').columns(['enterprise_id', 'matter_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('matter_enterprises').ifExists().execute();
}
