import type { Kysely } from 'kysely';

// Numbering (server/platform/numbering): one counter per (series, year), e.g. bulletin issues (第N期) or letters
// (文号). Advanced with UPDATE … SET last_value = last_value + 1 RETURNING inside the caller's transaction, so two
// servers on one PostgreSQL never hand out the same number (the row lock orders them) and a rolled-back write
// gives its number back.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sequences')
    .addColumn('series', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_value', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('sequences_pk', ['series', 'year'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sequences').execute();
}
