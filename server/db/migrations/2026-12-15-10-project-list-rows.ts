import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// Issue 16, SQLite only: a narrow copy of the projects' list keys — id, deleted_at, region, unit, stage, tier,
// parent, total investment — and of each project's latest annual plan (its year and planned investment), ~50 bytes
// a row where a projects row is ~1 KB, kept by triggers in the transaction of every write, whichever path. A text
// search reads one row per trigram match (22k for 新能源 at 1M projects) to filter by scope, region and stage, count,
// sum and sort; from the wide projects rows and a plan look-up each, that cost ~100 ms CPU at 1M. The latest plan
// answers the list's plan sum for its year without a look-up (a latest plan of an earlier year: no plan that year;
// only a later one sends the list back to annual_plans). No secondary index: the search reaches the rows by id from
// the trigram index, and a write touches one small b-tree. PostgreSQL keeps its own path (pg_trgm over projects).

/** The columns copied from projects, in the table's order. */
export const LIST_ROW_COLUMNS = ['id', 'deleted_at', 'region_code', 'unit_id', 'stage', 'tier', 'parent_id', 'total_investment'] as const;

const COLUMNS = LIST_ROW_COLUMNS.join(', ');
const NEW_VALUES = LIST_ROW_COLUMNS.map((c) => `new.${c}`).join(', ');
/** The rows project_list_rows must hold, from projects and their plans (the backfill, and the drift check's recount). */
export const LIST_ROWS_RECOUNT = `SELECT ${LIST_ROW_COLUMNS.map((c) => `p.${c}`).join(', ')}, a.year AS plan_year, a.planned_investment AS planned FROM projects p
    LEFT JOIN annual_plans a ON a.project_id = p.id AND a.year = (SELECT max(b.year) FROM annual_plans b WHERE b.project_id = p.id)`;

// The latest plan of the project whose id is `of` (NULLs without one): the unique (project_id, year) index answers it.
const latestPlan = (of: string) => `(SELECT a.year, a.planned_investment FROM annual_plans a WHERE a.project_id = ${of} ORDER BY a.year DESC LIMIT 1)`;

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  await sql`CREATE TABLE project_list_rows (
    id INTEGER PRIMARY KEY, deleted_at TEXT, region_code TEXT NOT NULL, unit_id INTEGER NOT NULL, stage TEXT NOT NULL,
    tier TEXT NOT NULL, parent_id INTEGER, total_investment INTEGER NOT NULL, plan_year INTEGER, planned INTEGER)`.execute(db);
  await sql.raw(`INSERT INTO project_list_rows (${COLUMNS}, plan_year, planned) ${LIST_ROWS_RECOUNT} ORDER BY p.id`).execute(db);
  await sql.raw(`CREATE TRIGGER project_list_rows_ai AFTER INSERT ON projects BEGIN
    INSERT OR REPLACE INTO project_list_rows (${COLUMNS}) VALUES (${NEW_VALUES});
    UPDATE project_list_rows SET (plan_year, planned) = ${latestPlan('new.id')} WHERE id = new.id;
  END`).execute(db);
  // Only when a copied column is set (search_text, version, updated_at … change without touching the copy).
  await sql.raw(`CREATE TRIGGER project_list_rows_au AFTER UPDATE OF ${COLUMNS} ON projects BEGIN
    UPDATE project_list_rows SET ${LIST_ROW_COLUMNS.map((c) => `${c} = new.${c}`).join(', ')} WHERE id = old.id;
  END`).execute(db);
  await sql.raw(`CREATE TRIGGER project_list_rows_ad AFTER DELETE ON projects BEGIN
    DELETE FROM project_list_rows WHERE id = old.id;
  END`).execute(db);
  await sql.raw(`CREATE TRIGGER project_list_rows_plan_ai AFTER INSERT ON annual_plans BEGIN
    UPDATE project_list_rows SET (plan_year, planned) = ${latestPlan('new.project_id')} WHERE id = new.project_id;
  END`).execute(db);
  await sql.raw(`CREATE TRIGGER project_list_rows_plan_au AFTER UPDATE OF project_id, year, planned_investment ON annual_plans BEGIN
    UPDATE project_list_rows SET (plan_year, planned) = ${latestPlan('project_list_rows.id')} WHERE id IN (old.project_id, new.project_id);
  END`).execute(db);
  await sql.raw(`CREATE TRIGGER project_list_rows_plan_ad AFTER DELETE ON annual_plans BEGIN
    UPDATE project_list_rows SET (plan_year, planned) = ${latestPlan('old.project_id')} WHERE id = old.project_id;
  END`).execute(db);
}

/** Every trigger this migration adds (down, and the drift check's rebuild). */
export const LIST_ROW_TRIGGERS = ['project_list_rows_ai', 'project_list_rows_au', 'project_list_rows_ad', 'project_list_rows_plan_ai', 'project_list_rows_plan_au', 'project_list_rows_plan_ad'] as const;

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  for (const t of LIST_ROW_TRIGGERS) await sql`DROP TRIGGER IF EXISTS ${sql.raw(t)}`.execute(db);
  await sql`DROP TABLE IF EXISTS project_list_rows`.execute(db);
}
