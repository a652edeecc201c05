import type { Kysely } from 'kysely';

// Bulletins (通报) quote other modules' figures (督查督办, 会议, 问题台账, 招商引资; issues 17, 18, 21). The office can
// leave a section out of one bulletin: the left-out section keys, comma-separated ('' = every section).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bulletins').addColumn('omitted_feeds', 'text', (c) => c.notNull().defaultTo('')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bulletins').dropColumn('omitted_feeds').execute();
}
