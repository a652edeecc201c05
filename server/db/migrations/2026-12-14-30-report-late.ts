import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// Issue 16: the 催报 list's late submitters were found by reading every report of the period first submitted on or
// after the deadline day (the whole deadline day included: in the demo all 7,794 of October's last day, none of
// them late) and probing each one's project — 180–440 ms on PostgreSQL at 100k, a nested loop of primary-key
// lookups. report_late keeps exactly the late ones: per period, the submitted or approved reports of live reporting
// projects on the year's list whose first submission came after the end of the period's deadline day in China
// time (UTC+8, no daylight saving: at or after 16:00 UTC of the deadline date; core/monthly-report.ts
// isAfterDeadline), with the project's unit and region for the scope. Triggers keep it in the transaction of every
// write, whichever path: a report's row is recomputed from the tables when the report, its project or its period's
// deadline changes. Instants are stored as ISO strings ('…T08:00:00.000Z'), which compare in time order.

const LATE = `r.status IN ('submitted', 'approved') AND r.first_submitted_at >= (per.deadline || 'T16:00:00.000Z')
    AND p.tier = 'implementation' AND p.deleted_at IS NULL AND (p.list_year IS NULL OR p.list_year <= r.year)`;

const insertLate = (where: string) => `
  INSERT INTO report_late (year, month, project_id, unit_id, region_code, first_submitted_at)
    SELECT r.year, r.month, r.project_id, p.unit_id, p.region_code, r.first_submitted_at
    FROM monthly_reports r JOIN projects p ON p.id = r.project_id JOIN reporting_periods per ON per.year = r.year AND per.month = r.month
    WHERE ${where} AND ${LATE};`;

/** One report's row, recomputed (row: the trigger's OLD or NEW report). */
const refreshReport = (row: 'OLD' | 'NEW') => `
  DELETE FROM report_late WHERE year = ${row}.year AND month = ${row}.month AND project_id = ${row}.project_id;
  ${insertLate(`r.project_id = ${row}.project_id AND r.year = ${row}.year AND r.month = ${row}.month`)}`;

/** Every row of one project, recomputed. */
const refreshProject = (row: 'OLD' | 'NEW') => `
  DELETE FROM report_late WHERE project_id = ${row}.id;
  ${row === 'NEW' ? insertLate(`r.project_id = NEW.id`) : ''}`;

/** Every row of one period, recomputed (its deadline changed). */
const refreshPeriod = (row: 'OLD' | 'NEW') => `
  DELETE FROM report_late WHERE year = ${row}.year AND month = ${row}.month;
  ${row === 'NEW' ? insertLate(`r.year = NEW.year AND r.month = NEW.month`) : ''}`;

const PROJECT_KEYS = ['tier', 'deleted_at', 'unit_id', 'region_code', 'list_year'];
const REPORT_KEYS = ['status', 'first_submitted_at', 'project_id', 'year', 'month'];
const PERIOD_KEYS = ['deadline', 'year', 'month'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('report_late')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('first_submitted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_late_pk', ['year', 'month', 'project_id'])
    .execute();
  // The list reads a period's rows by unit; a project's change finds its rows by project.
  await db.schema.createIndex('report_late_unit').on('report_late').columns(['year', 'month', 'unit_id', 'region_code', 'project_id']).execute();
  await db.schema.createIndex('report_late_project').on('report_late').column('project_id').execute();
  await sql.raw(insertLate('1 = 1')).execute(db);
  if (isPostgres(db)) {
    const changed = (keys: string[]) => keys.map((k) => `OLD.${k} IS DISTINCT FROM NEW.${k}`).join(' OR ');
    await sql.raw(`CREATE FUNCTION docket_report_late_report() RETURNS trigger AS $$ BEGIN
      IF TG_OP <> 'INSERT' THEN ${refreshReport('OLD')} END IF;
      IF TG_OP <> 'DELETE' THEN ${refreshReport('NEW')} END IF;
      RETURN NULL; END $$ LANGUAGE plpgsql`).execute(db);
    await sql.raw(`CREATE FUNCTION docket_report_late_project() RETURNS trigger AS $$ BEGIN
      IF TG_OP = 'DELETE' THEN ${refreshProject('OLD')} RETURN OLD; END IF;
      ${refreshProject('NEW')}
      RETURN NULL; END $$ LANGUAGE plpgsql`).execute(db);
    await sql.raw(`CREATE FUNCTION docket_report_late_period() RETURNS trigger AS $$ BEGIN
      IF TG_OP <> 'INSERT' THEN ${refreshPeriod('OLD')} END IF;
      IF TG_OP <> 'DELETE' THEN ${refreshPeriod('NEW')} END IF;
      RETURN NULL; END $$ LANGUAGE plpgsql`).execute(db);
    await sql.raw(`CREATE TRIGGER report_late_report_aid AFTER INSERT OR DELETE ON monthly_reports FOR EACH ROW EXECUTE FUNCTION docket_report_late_report()`).execute(db);
    await sql.raw(`CREATE TRIGGER report_late_report_au AFTER UPDATE OF ${REPORT_KEYS.join(', ')} ON monthly_reports
      FOR EACH ROW WHEN (${changed(REPORT_KEYS)}) EXECUTE FUNCTION docket_report_late_report()`).execute(db);
    // A new project has no reports yet; a hard delete takes its rows before the cascade removes the reports.
    await sql.raw(`CREATE TRIGGER report_late_project_bd BEFORE DELETE ON projects FOR EACH ROW EXECUTE FUNCTION docket_report_late_project()`).execute(db);
    await sql.raw(`CREATE TRIGGER report_late_project_au AFTER UPDATE OF ${PROJECT_KEYS.join(', ')} ON projects
      FOR EACH ROW WHEN (${changed(PROJECT_KEYS)}) EXECUTE FUNCTION docket_report_late_project()`).execute(db);
    await sql.raw(`CREATE TRIGGER report_late_period_aid AFTER INSERT OR DELETE ON reporting_periods FOR EACH ROW EXECUTE FUNCTION docket_report_late_period()`).execute(db);
    await sql.raw(`CREATE TRIGGER report_late_period_au AFTER UPDATE OF ${PERIOD_KEYS.join(', ')} ON reporting_periods
      FOR EACH ROW WHEN (${changed(PERIOD_KEYS)}) EXECUTE FUNCTION docket_report_late_period()`).execute(db);
  } else {
    const changed = (keys: string[]) => keys.map((k) => `OLD.${k} IS NOT NEW.${k}`).join(' OR ');
    await sql.raw(`CREATE TRIGGER report_late_report_ai AFTER INSERT ON monthly_reports BEGIN ${refreshReport('NEW')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER report_late_report_ad AFTER DELETE ON monthly_reports BEGIN ${refreshReport('OLD')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER report_late_report_au AFTER UPDATE OF ${REPORT_KEYS.join(', ')} ON monthly_reports
      WHEN ${changed(REPORT_KEYS)} BEGIN ${refreshReport('OLD')} ${refreshReport('NEW')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER report_late_project_bd BEFORE DELETE ON projects BEGIN ${refreshProject('OLD')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER report_late_project_au AFTER UPDATE OF ${PROJECT_KEYS.join(', ')} ON projects
      WHEN ${changed(PROJECT_KEYS)} BEGIN ${refreshProject('OLD')} ${refreshProject('NEW')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER report_late_period_ai AFTER INSERT ON reporting_periods BEGIN ${refreshPeriod('NEW')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER report_late_period_ad AFTER DELETE ON reporting_periods BEGIN ${refreshPeriod('OLD')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER report_late_period_au AFTER UPDATE OF ${PERIOD_KEYS.join(', ')} ON reporting_periods
      WHEN ${changed(PERIOD_KEYS)} BEGIN ${refreshPeriod('OLD')} ${refreshPeriod('NEW')} END`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const [trigger, table] of [['report_late_report_aid', 'monthly_reports'], ['report_late_report_au', 'monthly_reports'],
      ['report_late_project_bd', 'projects'], ['report_late_project_au', 'projects'], ['report_late_period_aid', 'reporting_periods'], ['report_late_period_au', 'reporting_periods']]) {
      await sql.raw(`DROP TRIGGER IF EXISTS ${trigger} ON ${table}`).execute(db);
    }
    for (const fn of ['docket_report_late_report', 'docket_report_late_project', 'docket_report_late_period']) await sql.raw(`DROP FUNCTION IF EXISTS ${fn}()`).execute(db);
  } else {
    for (const trigger of ['report_late_report_ai', 'report_late_report_ad', 'report_late_report_au', 'report_late_project_bd', 'report_late_project_au',
      'report_late_period_ai', 'report_late_period_ad', 'report_late_period_au']) {
      await sql.raw(`DROP TRIGGER IF EXISTS ${trigger}`).execute(db);
    }
  }
  await db.schema.dropTable('report_late').execute();
}
