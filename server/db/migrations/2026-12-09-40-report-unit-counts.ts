import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// Issue 16: the 催报 list counted, per unit, every reporting project of the scope and its period's report on each
// request (a pass over every reporting project: 252 ms for a city at 100k). Two kept counts answer it instead:
// - reporting_unit_projects: live reporting projects (tier 'implementation', not deleted) per unit, region and list
//   year (0 for none): a year's expected reports are those with list year 0 or ≤ the year;
// - report_unit_counts: per period, unit and region, the reports submitted or approved of such projects on the
//   year's list.
// Triggers keep both exact in the transaction of every write, whichever path writes (one report, a batch, an
// import, submit-all, a project edit, deletion or restore, a hard delete's cascade). Rows that fall to zero stay.

const REPORTING = `'implementation'`;
const COUNTED = `('submitted', 'approved')`;

const upsertProjects = (row: 'OLD' | 'NEW', delta: 1 | -1) => `
  INSERT INTO reporting_unit_projects (unit_id, region_code, list_year, n)
    SELECT ${row}.unit_id, ${row}.region_code, coalesce(${row}.list_year, 0), ${delta} WHERE ${row}.tier = ${REPORTING} AND ${row}.deleted_at IS NULL
    ON CONFLICT (unit_id, region_code, list_year) DO UPDATE SET n = reporting_unit_projects.n + excluded.n;
  INSERT INTO report_unit_counts (year, month, unit_id, region_code, submitted)
    SELECT r.year, r.month, ${row}.unit_id, ${row}.region_code, ${delta} * count(*) FROM monthly_reports r
    WHERE r.project_id = ${row}.id AND r.status IN ${COUNTED} AND (${row}.list_year IS NULL OR ${row}.list_year <= r.year)
      AND ${row}.tier = ${REPORTING} AND ${row}.deleted_at IS NULL
    GROUP BY r.year, r.month
    ON CONFLICT (year, month, unit_id, region_code) DO UPDATE SET submitted = report_unit_counts.submitted + excluded.submitted;`;

const upsertReport = (row: 'OLD' | 'NEW', delta: 1 | -1) => `
  INSERT INTO report_unit_counts (year, month, unit_id, region_code, submitted)
    SELECT ${row}.year, ${row}.month, p.unit_id, p.region_code, ${delta} FROM projects p
    WHERE p.id = ${row}.project_id AND ${row}.status IN ${COUNTED} AND p.tier = ${REPORTING} AND p.deleted_at IS NULL
      AND (p.list_year IS NULL OR p.list_year <= ${row}.year)
    ON CONFLICT (year, month, unit_id, region_code) DO UPDATE SET submitted = report_unit_counts.submitted + excluded.submitted;`;

// A project update that changes none of these leaves the counts alone.
const PROJECT_KEYS = ['tier', 'deleted_at', 'unit_id', 'region_code', 'list_year'];
const REPORT_KEYS = ['status', 'project_id', 'year', 'month'];
const changed = (keys: string[]) => keys.map((k) => `OLD.${k} IS DISTINCT FROM NEW.${k}`).join(' OR ');

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('reporting_unit_projects')
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('list_year', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('reporting_unit_projects_pk', ['unit_id', 'region_code', 'list_year'])
    .execute();
  await db.schema.createTable('report_unit_counts')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('submitted', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_unit_counts_pk', ['year', 'month', 'unit_id', 'region_code'])
    .execute();
  await sql.raw(`INSERT INTO reporting_unit_projects (unit_id, region_code, list_year, n)
    SELECT unit_id, region_code, coalesce(list_year, 0), count(*) FROM projects
    WHERE tier = ${REPORTING} AND deleted_at IS NULL GROUP BY unit_id, region_code, coalesce(list_year, 0)`).execute(db);
  await sql.raw(`INSERT INTO report_unit_counts (year, month, unit_id, region_code, submitted)
    SELECT r.year, r.month, p.unit_id, p.region_code, count(*) FROM monthly_reports r JOIN projects p ON p.id = r.project_id
    WHERE r.status IN ${COUNTED} AND p.tier = ${REPORTING} AND p.deleted_at IS NULL AND (p.list_year IS NULL OR p.list_year <= r.year)
    GROUP BY r.year, r.month, p.unit_id, p.region_code`).execute(db);
  if (isPostgres(db)) {
    // OLD is NULL in an INSERT trigger and NEW in a DELETE one (PostgreSQL 11+): the guards read nothing then.
    await sql.raw(`CREATE FUNCTION docket_report_counts_project() RETURNS trigger AS $$ BEGIN
      IF TG_OP <> 'INSERT' THEN ${upsertProjects('OLD', -1)} END IF;
      IF TG_OP <> 'DELETE' THEN ${upsertProjects('NEW', 1)} END IF;
      -- It runs BEFORE DELETE, where returning NULL would cancel the delete.
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NULL; END $$ LANGUAGE plpgsql`).execute(db);
    await sql.raw(`CREATE FUNCTION docket_report_counts_report() RETURNS trigger AS $$ BEGIN
      IF TG_OP <> 'INSERT' THEN ${upsertReport('OLD', -1)} END IF;
      IF TG_OP <> 'DELETE' THEN ${upsertReport('NEW', 1)} END IF;
      RETURN NULL; END $$ LANGUAGE plpgsql`).execute(db);
    await sql.raw(`CREATE TRIGGER report_counts_project_ai AFTER INSERT ON projects FOR EACH ROW EXECUTE FUNCTION docket_report_counts_project()`).execute(db);
    // Before a hard delete, while the project's reports are still there (the cascade's report triggers then find no project).
    await sql.raw(`CREATE TRIGGER report_counts_project_bd BEFORE DELETE ON projects FOR EACH ROW EXECUTE FUNCTION docket_report_counts_project()`).execute(db);
    await sql.raw(`CREATE TRIGGER report_counts_project_au AFTER UPDATE OF ${PROJECT_KEYS.join(', ')} ON projects
      FOR EACH ROW WHEN (${changed(PROJECT_KEYS)}) EXECUTE FUNCTION docket_report_counts_project()`).execute(db);
    await sql.raw(`CREATE TRIGGER report_counts_report_aid AFTER INSERT OR DELETE ON monthly_reports FOR EACH ROW EXECUTE FUNCTION docket_report_counts_report()`).execute(db);
    await sql.raw(`CREATE TRIGGER report_counts_report_au AFTER UPDATE OF ${REPORT_KEYS.join(', ')} ON monthly_reports
      FOR EACH ROW WHEN (${changed(REPORT_KEYS)}) EXECUTE FUNCTION docket_report_counts_report()`).execute(db);
  } else {
    // SQLite reads `INSERT … SELECT … ON CONFLICT` right only with a WHERE in the SELECT (every one here has one).
    const isNot = (keys: string[]) => keys.map((k) => `OLD.${k} IS NOT NEW.${k}`).join(' OR ');
    await sql.raw(`CREATE TRIGGER report_counts_project_ai AFTER INSERT ON projects BEGIN ${upsertProjects('NEW', 1)} END`).execute(db);
    await sql.raw(`CREATE TRIGGER report_counts_project_bd BEFORE DELETE ON projects BEGIN ${upsertProjects('OLD', -1)} END`).execute(db);
    await sql.raw(`CREATE TRIGGER report_counts_project_au AFTER UPDATE OF ${PROJECT_KEYS.join(', ')} ON projects
      WHEN ${isNot(PROJECT_KEYS)} BEGIN ${upsertProjects('OLD', -1)} ${upsertProjects('NEW', 1)} END`).execute(db);
    await sql.raw(`CREATE TRIGGER report_counts_report_ai AFTER INSERT ON monthly_reports BEGIN ${upsertReport('NEW', 1)} END`).execute(db);
    await sql.raw(`CREATE TRIGGER report_counts_report_ad AFTER DELETE ON monthly_reports BEGIN ${upsertReport('OLD', -1)} END`).execute(db);
    await sql.raw(`CREATE TRIGGER report_counts_report_au AFTER UPDATE OF ${REPORT_KEYS.join(', ')} ON monthly_reports
      WHEN ${isNot(REPORT_KEYS)} BEGIN ${upsertReport('OLD', -1)} ${upsertReport('NEW', 1)} END`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const [trigger, table] of [['report_counts_project_ai', 'projects'], ['report_counts_project_bd', 'projects'], ['report_counts_project_au', 'projects'],
      ['report_counts_report_aid', 'monthly_reports'], ['report_counts_report_au', 'monthly_reports']]) {
      await sql.raw(`DROP TRIGGER IF EXISTS ${trigger} ON ${table}`).execute(db);
    }
    await sql`DROP FUNCTION IF EXISTS docket_report_counts_project()`.execute(db);
    await sql`DROP FUNCTION IF EXISTS docket_report_counts_report()`.execute(db);
  } else {
    for (const trigger of ['report_counts_project_ai', 'report_counts_project_bd', 'report_counts_project_au', 'report_counts_report_ai', 'report_counts_report_ad', 'report_counts_report_au']) {
      await sql.raw(`DROP TRIGGER IF EXISTS ${trigger}`).execute(db);
    }
  }
  await db.schema.dropTable('report_unit_counts').execute();
  await db.schema.dropTable('reporting_unit_projects').execute();
}
