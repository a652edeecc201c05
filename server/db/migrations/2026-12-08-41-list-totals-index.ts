import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// Issue 16: the project list's Σ annual plan joins every matching project to its plan of the year. With the
// amount in the index that lookup is index-only (100k projects, the city's started ones: 145 → 50 ms CPU on
// SQLite). It starts with the columns of annual_plans_year, which it replaces.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('annual_plans_year_cover').on('annual_plans').columns(['year', 'project_id', 'planned_investment']).execute();
  await db.schema.dropIndex('annual_plans_year').execute();
  // SQLite's planner chooses by statistics: the new indexes (this one and 2026-12-08-40's) get theirs now (sampled,
  // analysis_limit), or it keeps taking the unique (project_id, year) index and reads each plan's row after all.
  if (isPostgres(db)) return;
  for (const table of ['annual_plans', 'monthly_reports', 'projects']) await sql`ANALYZE ${sql.table(table)}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('annual_plans_year').on('annual_plans').columns(['year', 'project_id']).execute();
  await db.schema.dropIndex('annual_plans_year_cover').execute();
}
