import type { Kysely } from 'kysely';

// Each group row also carries Σ of every month's 1–N月 cumulative, so a scope's month-by-month trend is read from
// the same few thousand rows as its headline figures. The rows are rebuilt by the first read after this migration
// (dropping the sync watermark makes the next read rebuild the group rollup).

const MONTHS = Array.from({ length: 12 }, (_, i) => `ytd_${String(i + 1).padStart(2, '0')}`);

export async function up(db: Kysely<any>): Promise<void> {
  for (const m of MONTHS) await db.schema.alterTable('indicator_groups').addColumn(m, 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.deleteFrom('indicator_settings').where('key', '=', 'facts_synced_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const m of MONTHS) await db.schema.alterTable('indicator_groups').dropColumn(m).execute();
}
