import type { Kysely } from 'kysely';

// Month-by-month plans (计划完成表): some offices plan each project's annual investment month by month and print
// completion against the plan up to month N next to completion against the whole year. A plan's twelve monthly
// amounts (NULL: no monthly plan) are copied into the indicator facts; the groups sum, per month, how many projects
// have one, their plan up to the month and their 1–N月 completion. No monthly plan exists yet, so the stored facts
// (new columns NULL) and groups (new sums 0) stay equal to a recomputation without a rebuild.

const MONTHS = Array.from({ length: 12 }, (_, i) => `plan_m${String(i + 1).padStart(2, '0')}`);
const SUMS = ['monthly_planned', 'planned_to_date', 'completed_ytd_monthly_planned'];

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['annual_plans', 'indicator_facts']) {
    for (const m of MONTHS) await db.schema.alterTable(table).addColumn(m, 'bigint').execute();
  }
  for (const s of SUMS) await db.schema.alterTable('indicator_groups').addColumn(s, 'bigint', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const s of SUMS) await db.schema.alterTable('indicator_groups').dropColumn(s).execute();
  for (const table of ['indicator_facts', 'annual_plans']) {
    for (const m of MONTHS) await db.schema.alterTable(table).dropColumn(m).execute();
  }
}
