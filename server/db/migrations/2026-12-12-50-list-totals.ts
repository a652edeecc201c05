import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// Issue 16: the project list's totals (count, Σ total investment, Σ annual plan of the year) were one aggregate over
// every matching project, joined to its plan of the year: a pass over the filter's rows (the city at 1M: 3 s).
// project_list_totals keeps them per (year, region, unit, stage, tier, major item or not):
// - year 0: every live project — n, Σ total_investment (planned_investment 0);
// - year Y: the live projects with an annual plan of Y — n, Σ their total_investment, Σ planned_investment of Y.
// A list whose filter is made only of those keys (region and unit subtrees, stage, tier, major_only, year) and of the
// caller's scope sums a few rows per region and unit instead. Triggers keep it exact in the transaction of every
// write, whichever path writes (a project edit, stage change, deletion, restore or hard delete, a plan saved or
// deleted, an import, the demo), on both engines, as 2026-12-09-40 keeps the 催报 counts. Rows that fall to zero stay.

const KEY = ['year', 'region_code', 'unit_id', 'stage', 'tier', 'major'];
const SUM = ['n', 'total_investment', 'planned_investment'];
const onConflict = `ON CONFLICT (${KEY.join(', ')}) DO UPDATE SET ${SUM.map((c) => `${c} = project_list_totals.${c} + excluded.${c}`).join(', ')}`;
const major = (p: string) => `CASE WHEN ${p}.parent_id IS NULL THEN 1 ELSE 0 END`;

// A project's own row (year 0) and one row per plan year it has.
const upsertProject = (row: 'OLD' | 'NEW', delta: 1 | -1) => `
  INSERT INTO project_list_totals (${KEY.join(', ')}, ${SUM.join(', ')})
    SELECT 0, ${row}.region_code, ${row}.unit_id, ${row}.stage, ${row}.tier, ${major(row)}, ${delta}, ${delta} * ${row}.total_investment, 0
    WHERE ${row}.deleted_at IS NULL
    ${onConflict};
  INSERT INTO project_list_totals (${KEY.join(', ')}, ${SUM.join(', ')})
    SELECT ap.year, ${row}.region_code, ${row}.unit_id, ${row}.stage, ${row}.tier, ${major(row)}, ${delta}, ${delta} * ${row}.total_investment, ${delta} * ap.planned_investment
    FROM annual_plans ap WHERE ap.project_id = ${row}.id AND ${row}.deleted_at IS NULL
    ${onConflict};`;

// A plan's row, placed by its project (none when the project is deleted or gone).
const upsertPlan = (row: 'OLD' | 'NEW', delta: 1 | -1) => `
  INSERT INTO project_list_totals (${KEY.join(', ')}, ${SUM.join(', ')})
    SELECT ${row}.year, p.region_code, p.unit_id, p.stage, p.tier, ${major('p')}, ${delta}, ${delta} * p.total_investment, ${delta} * ${row}.planned_investment
    FROM projects p WHERE p.id = ${row}.project_id AND p.deleted_at IS NULL
    ${onConflict};`;

// Updates that change none of these leave the totals alone.
const PROJECT_KEYS = ['region_code', 'unit_id', 'stage', 'tier', 'parent_id', 'deleted_at', 'total_investment'];
const PLAN_KEYS = ['project_id', 'year', 'planned_investment'];
const TRIGGERS = ['list_totals_project_ai', 'list_totals_project_bd', 'list_totals_project_au', 'list_totals_plan_ai', 'list_totals_plan_ad', 'list_totals_plan_au'];

/** The kept totals recounted from the projects and plans (the migration's fill; ProjectRepository recounts the same way). */
export const RECOUNT = `
  SELECT 0 AS year, region_code, unit_id, stage, tier, ${major('projects')} AS major, count(*) AS n, sum(total_investment) AS total_investment, 0 AS planned_investment
    FROM projects WHERE deleted_at IS NULL GROUP BY region_code, unit_id, stage, tier, ${major('projects')}
  UNION ALL
  SELECT ap.year, p.region_code, p.unit_id, p.stage, p.tier, ${major('p')}, count(*), sum(p.total_investment), sum(ap.planned_investment)
    FROM annual_plans ap JOIN projects p ON p.id = ap.project_id WHERE p.deleted_at IS NULL
    GROUP BY ap.year, p.region_code, p.unit_id, p.stage, p.tier, ${major('p')}`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('project_list_totals')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('major', 'integer', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addColumn('total_investment', 'bigint', (c) => c.notNull())
    .addColumn('planned_investment', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_list_totals_pk', KEY as never)
    .execute();
  await sql.raw(`INSERT INTO project_list_totals (${KEY.join(', ')}, ${SUM.join(', ')}) ${RECOUNT}`).execute(db);
  const changed = (keys: string[], op: string) => keys.map((k) => `OLD.${k} ${op} NEW.${k}`).join(' OR ');
  if (isPostgres(db)) {
    // OLD is NULL in an INSERT trigger and NEW in a DELETE one: each branch reads only the row it has.
    await sql.raw(`CREATE FUNCTION docket_list_totals_project() RETURNS trigger AS $$ BEGIN
      IF TG_OP <> 'INSERT' THEN ${upsertProject('OLD', -1)} END IF;
      IF TG_OP <> 'DELETE' THEN ${upsertProject('NEW', 1)} END IF;
      -- It runs BEFORE DELETE, where returning NULL would cancel the delete.
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NULL; END $$ LANGUAGE plpgsql`).execute(db);
    await sql.raw(`CREATE FUNCTION docket_list_totals_plan() RETURNS trigger AS $$ BEGIN
      IF TG_OP <> 'INSERT' THEN ${upsertPlan('OLD', -1)} END IF;
      IF TG_OP <> 'DELETE' THEN ${upsertPlan('NEW', 1)} END IF;
      RETURN NULL; END $$ LANGUAGE plpgsql`).execute(db);
    await sql.raw(`CREATE TRIGGER list_totals_project_ai AFTER INSERT ON projects FOR EACH ROW EXECUTE FUNCTION docket_list_totals_project()`).execute(db);
    // Before a hard delete, while the project's plans are still there (the cascade's plan triggers then find no project).
    await sql.raw(`CREATE TRIGGER list_totals_project_bd BEFORE DELETE ON projects FOR EACH ROW EXECUTE FUNCTION docket_list_totals_project()`).execute(db);
    await sql.raw(`CREATE TRIGGER list_totals_project_au AFTER UPDATE OF ${PROJECT_KEYS.join(', ')} ON projects
      FOR EACH ROW WHEN (${changed(PROJECT_KEYS, 'IS DISTINCT FROM')}) EXECUTE FUNCTION docket_list_totals_project()`).execute(db);
    await sql.raw(`CREATE TRIGGER list_totals_plan_aid AFTER INSERT OR DELETE ON annual_plans FOR EACH ROW EXECUTE FUNCTION docket_list_totals_plan()`).execute(db);
    await sql.raw(`CREATE TRIGGER list_totals_plan_au AFTER UPDATE OF ${PLAN_KEYS.join(', ')} ON annual_plans
      FOR EACH ROW WHEN (${changed(PLAN_KEYS, 'IS DISTINCT FROM')}) EXECUTE FUNCTION docket_list_totals_plan()`).execute(db);
  } else {
    // SQLite reads `INSERT … SELECT … ON CONFLICT` right only with a WHERE in the SELECT (every one here has one).
    await sql.raw(`CREATE TRIGGER list_totals_project_ai AFTER INSERT ON projects BEGIN ${upsertProject('NEW', 1)} END`).execute(db);
    await sql.raw(`CREATE TRIGGER list_totals_project_bd BEFORE DELETE ON projects BEGIN ${upsertProject('OLD', -1)} END`).execute(db);
    await sql.raw(`CREATE TRIGGER list_totals_project_au AFTER UPDATE OF ${PROJECT_KEYS.join(', ')} ON projects
      WHEN ${changed(PROJECT_KEYS, 'IS NOT')} BEGIN ${upsertProject('OLD', -1)} ${upsertProject('NEW', 1)} END`).execute(db);
    await sql.raw(`CREATE TRIGGER list_totals_plan_ai AFTER INSERT ON annual_plans BEGIN ${upsertPlan('NEW', 1)} END`).execute(db);
    await sql.raw(`CREATE TRIGGER list_totals_plan_ad AFTER DELETE ON annual_plans BEGIN ${upsertPlan('OLD', -1)} END`).execute(db);
    await sql.raw(`CREATE TRIGGER list_totals_plan_au AFTER UPDATE OF ${PLAN_KEYS.join(', ')} ON annual_plans
      WHEN ${changed(PLAN_KEYS, 'IS NOT')} BEGIN ${upsertPlan('OLD', -1)} ${upsertPlan('NEW', 1)} END`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const [trigger, table] of [['list_totals_project_ai', 'projects'], ['list_totals_project_bd', 'projects'], ['list_totals_project_au', 'projects'],
      ['list_totals_plan_aid', 'annual_plans'], ['list_totals_plan_au', 'annual_plans']]) {
      await sql.raw(`DROP TRIGGER IF EXISTS ${trigger} ON ${table}`).execute(db);
    }
    await sql`DROP FUNCTION IF EXISTS docket_list_totals_project()`.execute(db);
    await sql`DROP FUNCTION IF EXISTS docket_list_totals_plan()`.execute(db);
  } else {
    for (const trigger of TRIGGERS) await sql.raw(`DROP TRIGGER IF EXISTS ${trigger}`).execute(db);
  }
  await db.schema.dropTable('project_list_totals').execute();
}
