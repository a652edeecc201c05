import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

// Monthly reporting (月度填报): one report per project per period, and every earlier revision of it.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('reporting_periods'))
    .addColumn('year', 'integer', (c) => c.notNull())
    // The period's last month: 1..12. A merged January–February period (1–2月) is month 2 with first_month 1.
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('first_month', 'integer', (c) => c.notNull())
    .addColumn('deadline', 'text') // 'YYYY-MM-DD'
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending')) // pending | open | closed
    .addColumn('opened_at', 'text')
    .addColumn('closed_at', 'text')
    .addUniqueConstraint('reporting_periods_year_month', ['year', 'month'])
    .execute();

  await withId(db, db.schema.createTable('monthly_reports'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    // Money in integer yuan. amount_month may be negative (a statistical correction, with negative_reason).
    .addColumn('amount_month', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('amount_ytd', 'bigint', (c) => c.notNull().defaultTo(0)) // 1–N月 cumulative
    .addColumn('amount_since_start', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('negative_reason', 'text')
    .addColumn('stage', 'text')
    .addColumn('stage_date', 'text')
    .addColumn('progress_text', 'text') // 形象进度
    .addColumn('workers', 'integer')
    .addColumn('problems', 'text')
    .addColumn('next_plan', 'text')
    .addColumn('stats_entered', 'integer')
    .addColumn('stats_code', 'text')
    .addColumn('stats_reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft')) // draft | submitted | approved | returned
    .addColumn('return_reason', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('submitted_by', 'integer')
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'integer')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('monthly_reports_project_period', ['project_id', 'year', 'month'])
    .execute();
  await db.schema.createIndex('monthly_reports_period').on('monthly_reports').columns(['year', 'month', 'project_id']).execute();

  await withId(db, db.schema.createTable('monthly_report_revisions'))
    .addColumn('report_id', 'integer', (c) => c.notNull().references('monthly_reports.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull()) // JSON of the report as it stood
    .addColumn('reason', 'text')
    .addColumn('user_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monthly_report_revisions_report').on('monthly_report_revisions').column('report_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['monthly_report_revisions', 'monthly_reports', 'reporting_periods']) await db.schema.dropTable(t).ifExists().execute();
}
