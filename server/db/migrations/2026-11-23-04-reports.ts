import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

// Monthly reporting workflow: the office's reporting settings, site photos of a report, and the first submission
// time (a resubmission after a return must not hide that the first one came late).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reporting_settings')
    .addColumn('key', 'text', (c) => c.primaryKey()) // deadline_day | deadline_month_offset
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();

  await withId(db, db.schema.createTable('monthly_report_photos'))
    .addColumn('report_id', 'integer', (c) => c.notNull().references('monthly_reports.id').onDelete('cascade'))
    .addColumn('mime', 'text', (c) => c.notNull()) // from the bytes: image/jpeg | image/png | image/webp
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('sha256', 'text', (c) => c.notNull())
    // Paths relative to the data directory; never derived from the client's file name.
    .addColumn('file_path', 'text', (c) => c.notNull())
    .addColumn('thumb_path', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text')
    .addColumn('uploaded_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monthly_report_photos_report').on('monthly_report_photos').column('report_id').execute();

  await db.schema.alterTable('monthly_reports').addColumn('first_submitted_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('monthly_reports').dropColumn('first_submitted_at').execute();
  for (const t of ['monthly_report_photos', 'reporting_settings']) await db.schema.dropTable(t).ifExists().execute();
}
