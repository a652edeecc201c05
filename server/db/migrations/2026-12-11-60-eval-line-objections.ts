import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

// Issue 20: an objection (异议) names one indicator line of a unit's month (leaf_key; null = the unit's total, as
// before). When the office accepts it, it sets the line's corrected value (corrected_value, decimal text); the month
// is recomputed with it and the value on screen before is kept (value_before) for the record.
// A weak line turned into a 督办事项 is remembered once (eval_matter_links.line_key unique: 'upper:<id>' for an
// upper-level ranking, 'line:<snapshot>:<unit>:<leaf>' for a unit's line of a month), so a second click is refused
// and the screen links to the matter instead.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('eval_objections').addColumn('leaf_key', 'text').execute();
  await db.schema.alterTable('eval_objections').addColumn('corrected_value', 'text').execute();
  await db.schema.alterTable('eval_objections').addColumn('value_before', 'text').execute();
  await withId(db, db.schema.createTable('eval_matter_links'))
    .addColumn('line_key', 'text', (c) => c.notNull())
    .addColumn('matter_id', 'integer', (c) => c.notNull().references('matters.id'))
    .addColumn('matter_number', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('eval_matter_links_line').unique().on('eval_matter_links').column('line_key').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('eval_matter_links').execute();
  await db.schema.alterTable('eval_objections').dropColumn('value_before').execute();
  await db.schema.alterTable('eval_objections').dropColumn('corrected_value').execute();
  await db.schema.alterTable('eval_objections').dropColumn('leaf_key').execute();
}
