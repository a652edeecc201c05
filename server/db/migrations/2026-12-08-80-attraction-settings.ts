import type { Kysely } from 'kysely';

// Attraction (招商引资, issue #21), second part: the office's settings (跟进超期 days, 开工期限 months) in their own
// key/value table like the other settings groups, and a record's link to an enterprise of the problems module's
// register (enterprises.id, matched by 统一社会信用代码 or chosen).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('attraction_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();
  await db.schema.alterTable('attraction_leads').addColumn('enterprise_id', 'integer').execute();
  await db.schema.createIndex('attraction_leads_enterprise').on('attraction_leads').column('enterprise_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('attraction_leads_enterprise').ifExists().execute();
  await db.schema.alterTable('attraction_leads').dropColumn('enterprise_id').execute();
  await db.schema.dropTable('attraction_settings').ifExists().execute();
}
