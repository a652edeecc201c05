import type { Kysely } from 'kysely';

// Issue 17: the default node template (倒排工期模板) was a code constant. Offices now maintain it as a setting (one
// key/value table like the other settings groups, versioned through system_state); the constant stays the default
// until an office saves its own.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('nodeplan_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('nodeplan_settings').execute();
}
