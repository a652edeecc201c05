import type { Kysely } from 'kysely';

// Rollups that make a large scope's indicators a read of a few thousand rows: per project and year, the facts the
// indicators read (a snapshot of the project, its plan and its 1–N月 cumulatives); per group of projects sharing
// region, unit, stage, nature, category and investment type, and per month, the additive sums.

const MONTHS = Array.from({ length: 12 }, (_, i) => `ytd_${String(i + 1).padStart(2, '0')}`);
const SUMS = [
  'count', 'total_investment', 'planned_investment', 'completed_before_year', 'completed_ytd', 'planned_starts', 'planned_starts_to_date',
  'started', 'started_to_date', 'early_starts', 'overdue_starts', 'late_starts', 'planned_completions', 'planned_completions_to_date',
  'completed', 'completed_to_date', 'planned_productions', 'planned_productions_to_date', 'producing', 'producing_to_date',
];

export async function up(db: Kysely<any>): Promise<void> {
  let facts = db.schema.createTable('indicator_facts')
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('nature', 'text')
    .addColumn('category', 'text')
    .addColumn('investment_type', 'text')
    .addColumn('total_investment', 'bigint', (c) => c.notNull())
    .addColumn('planned_investment', 'bigint', (c) => c.notNull())
    .addColumn('completed_before_year', 'bigint', (c) => c.notNull())
    .addColumn('plan_new_start', 'integer', (c) => c.notNull())
    .addColumn('plan_start_month', 'integer')
    .addColumn('plan_completion', 'integer', (c) => c.notNull())
    .addColumn('plan_completion_month', 'integer')
    .addColumn('plan_production', 'integer', (c) => c.notNull())
    .addColumn('plan_production_month', 'integer')
    .addColumn('actual_start_date', 'text')
    .addColumn('actual_completion_date', 'text')
    .addColumn('actual_production_date', 'text');
  for (const m of MONTHS) facts = facts.addColumn(m, 'bigint', (c) => c.notNull());
  await facts.addPrimaryKeyConstraint('indicator_facts_pk', ['project_id', 'year']).execute();
  await db.schema.createIndex('indicator_facts_group').on('indicator_facts').columns(['year', 'group_key']).execute();

  let groups = db.schema.createTable('indicator_groups')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('nature', 'text')
    .addColumn('category', 'text')
    .addColumn('investment_type', 'text');
  for (const s of SUMS) groups = groups.addColumn(s, 'bigint', (c) => c.notNull());
  await groups.addPrimaryKeyConstraint('indicator_groups_pk', ['year', 'month', 'group_key']).execute();

  // What changed since the last sync of the facts: projects and plans carry updated_at on every write (projects
  // already have an index on it).
  await db.schema.createIndex('annual_plans_updated_at').on('annual_plans').column('updated_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('annual_plans_updated_at').ifExists().execute();
  for (const t of ['indicator_groups', 'indicator_facts']) await db.schema.dropTable(t).ifExists().execute();
}
