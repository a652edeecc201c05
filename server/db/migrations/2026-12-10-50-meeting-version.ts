import type { Kysely } from 'kysely';

// Issue 17: two clerks correcting one meeting at once lost the first one's save. A meeting now carries a version
// like a project: a correction names the version it was made on, and a stale one is refused (409) instead of
// overwriting. Existing meetings start at version 1.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meetings').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meetings').dropColumn('version').execute();
}
