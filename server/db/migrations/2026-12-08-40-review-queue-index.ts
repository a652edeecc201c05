import type { Kysely } from 'kysely';

// Issue 16: the review queue with nothing in it took 947 ms on SQLite and 2,291 ms on PostgreSQL at 100k, the 催报
// list 482 / 766 ms. The queue asks for a period's reports in one status: with the status in the index an empty
// queue is one probe and a full one reads just its rows. The 催报 list counts, per unit, the reporting projects and
// their period's reports: projects_reporting holds every column that pass filters on (scope, list year, deleted)
// and monthly_reports_period_cover what it reads of each report, so neither table's rows are read. The cover index
// starts with the columns of monthly_reports_period, which it replaces (one index more per report write, not two).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('monthly_reports_period_status').on('monthly_reports').columns(['year', 'month', 'status', 'project_id']).execute();
  await db.schema.createIndex('monthly_reports_period_cover').on('monthly_reports').columns(['year', 'month', 'project_id', 'status', 'first_submitted_at']).execute();
  await db.schema.dropIndex('monthly_reports_period').execute();
  await db.schema.createIndex('projects_reporting').on('projects').columns(['tier', 'unit_id', 'deleted_at', 'list_year', 'region_code']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('projects_reporting').execute();
  await db.schema.createIndex('monthly_reports_period').on('monthly_reports').columns(['year', 'month', 'project_id']).execute();
  await db.schema.dropIndex('monthly_reports_period_cover').execute();
  await db.schema.dropIndex('monthly_reports_period_status').execute();
}
