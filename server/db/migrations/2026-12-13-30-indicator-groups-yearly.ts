import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

// Issue 23: one indicator_groups row per (year, group) holding all twelve months, instead of a row per month. Every
// month's row carried Σ of each month's cumulative (the trend), so a December figure rewrote all twelve rows of its
// group; a change in month m also moves the 1–N月 sums of every month N ≥ m. The sums the same in every month (count,
// money, plan flags) are stored once; the others once per month as `<sum>_mNN`. The existing rows are pivoted in
// place (no recomputation needed: `docket verify` compares them with one, and `--fix` rebuilds).

const MONTHS = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));
const YEAR_SUMS = ['count', 'total_investment', 'planned_investment', 'completed_before_year', 'planned_starts', 'planned_completions', 'planned_productions', 'monthly_planned'];
const MONTH_SUMS = [
  'completed_ytd', 'planned_starts_to_date', 'started', 'started_to_date', 'early_starts', 'overdue_starts', 'late_starts',
  'planned_completions_to_date', 'completed', 'completed_to_date', 'planned_productions_to_date', 'producing', 'producing_to_date',
  'planned_to_date', 'completed_ytd_monthly_planned',
];
const TREND = MONTHS.map((m) => `ytd_${m}`);
const ATTRIBUTES = ['region_code', 'unit_id', 'stage', 'nature', 'category', 'investment_type'];

/** The group table's key and attribute columns (the same in both shapes but for `month`). */
function withAttributes(tb: CreateTableBuilder<any, any>): CreateTableBuilder<any, any> {
  return tb.addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('nature', 'text')
    .addColumn('category', 'text')
    .addColumn('investment_type', 'text');
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('indicator_groups').renameTo('indicator_groups_monthly').execute();
  let t = withAttributes(db.schema.createTable('indicator_groups'));
  const sums = [...YEAR_SUMS, ...MONTHS.flatMap((m) => MONTH_SUMS.map((s) => `${s}_m${m}`)), ...TREND];
  for (const s of sums) t = t.addColumn(s, 'bigint', (c) => c.notNull().defaultTo(0));
  await t.addPrimaryKeyConstraint('indicator_groups_year_pk', ['year', 'group_key']).execute();
  // A group has a row for every month or none (its count is the same in each): the year's sums and the trend are
  // read from December's, each month's sums from that month's.
  const at = (col: string, m: string) => `coalesce(max(case when month = ${Number(m)} then ${col} end), 0)`;
  const selected = [...YEAR_SUMS.map((s) => at(s, '12')), ...MONTHS.flatMap((m) => MONTH_SUMS.map((s) => at(s, m))), ...TREND.map((s) => at(s, '12'))];
  const keys = ['year', 'group_key', ...ATTRIBUTES];
  await sql.raw(`insert into indicator_groups (${[...keys, ...sums].join(', ')})
    select ${[...keys, ...selected].join(', ')} from indicator_groups_monthly group by ${keys.join(', ')}`).execute(db);
  await db.schema.dropTable('indicator_groups_monthly').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('indicator_groups').renameTo('indicator_groups_yearly').execute();
  let t = withAttributes(db.schema.createTable('indicator_groups')).addColumn('month', 'integer', (c) => c.notNull());
  const sums = [...YEAR_SUMS, ...MONTH_SUMS, ...TREND];
  for (const s of sums) t = t.addColumn(s, 'bigint', (c) => c.notNull().defaultTo(0));
  await t.addPrimaryKeyConstraint('indicator_groups_pk', ['year', 'month', 'group_key']).execute();
  const keys = ['year', 'group_key', ...ATTRIBUTES];
  for (const m of MONTHS) {
    const selected = [...YEAR_SUMS, ...MONTH_SUMS.map((s) => `${s}_m${m}`), ...TREND];
    await sql.raw(`insert into indicator_groups (${[...keys, 'month', ...sums].join(', ')})
      select ${[...keys, String(Number(m)), ...selected].join(', ')} from indicator_groups_yearly`).execute(db);
  }
  await db.schema.dropTable('indicator_groups_yearly').execute();
}
