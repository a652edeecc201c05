import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

// Issue 17: a matter assigned from a place in the app (a unit ranked low in 月讲评, a unit in the 催报 list, a
// report's 需协调问题) keeps the in-app path back to that place (matters.source_link, e.g.
// '/bulletins?tab=ranking&year=2026&month=11'), shown as a link on the matter page.
// A report's 需协调问题 becomes one matter only (report_matter_links.report_id unique, as eval_matter_links does for
// evaluation lines): a second 转督办 is refused 409 and the report shows "已转督办：督办〔2026〕N号" instead.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('matters').addColumn('source_link', 'text').execute();
  await withId(db, db.schema.createTable('report_matter_links'))
    .addColumn('report_id', 'integer', (c) => c.notNull().references('monthly_reports.id').onDelete('cascade'))
    .addColumn('matter_id', 'integer', (c) => c.notNull().references('matters.id'))
    .addColumn('matter_number', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_matter_links_report').unique().on('report_matter_links').column('report_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_matter_links').execute();
  await db.schema.alterTable('matters').dropColumn('source_link').execute();
}
