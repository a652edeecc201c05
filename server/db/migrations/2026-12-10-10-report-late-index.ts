import type { Kysely } from 'kysely';

// Issue 16: the 催报 list's late rows (reports first submitted on or after the deadline day) joined every reporting
// project of the scope to its period's report to keep the few late ones. With the submission time third in the
// index, the period's late reports are one range scan (with status and project in the index, no table read), each
// probing its project by key.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('monthly_reports_period_late').on('monthly_reports').columns(['year', 'month', 'first_submitted_at', 'status', 'project_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('monthly_reports_period_late').execute();
}
