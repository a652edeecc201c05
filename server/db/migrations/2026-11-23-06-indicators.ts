import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

// Indicator rollups, indicator settings, light rule sets (versioned per year) and accepted excuses (正当理由).

const MONTHS = Array.from({ length: 12 }, (_, i) => `ytd_${String(i + 1).padStart(2, '0')}`);

export async function up(db: Kysely<any>): Promise<void> {
  // Per project and year: the 1–N月 cumulative of the latest counted report at or before each month N. Derived
  // from monthly_reports only (never typed); `docket verify` recomputes it and reports any difference.
  let ytd = db.schema.createTable('indicator_ytd')
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull());
  for (const m of MONTHS) ytd = ytd.addColumn(m, 'bigint', (c) => c.notNull().defaultTo(0));
  await ytd.addPrimaryKeyConstraint('indicator_ytd_pk', ['project_id', 'year']).execute();
  await db.schema.createIndex('indicator_ytd_year').on('indicator_ytd').columns(['year', 'project_id']).execute();

  // Settings of the indicator engine as JSON values: 'counted_statuses', 'time_curve:<year>'.
  await db.schema.createTable('indicator_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();

  // Light rules are data: one JSON rule set per version; a version rules its year from effective_month on.
  await withId(db, db.schema.createTable('light_rule_sets'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('effective_month', 'integer', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addUniqueConstraint('light_rule_sets_year_version', ['year', 'version'])
    .execute();

  // An accepted excuse suppresses a project's light (one dimension or all) for a range of months of a year.
  await withId(db, db.schema.createTable('light_excuses'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month_from', 'integer', (c) => c.notNull())
    .addColumn('month_to', 'integer') // null: to the end of the year
    .addColumn('dimension', 'text') // null: every dimension
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('accepted_by', 'integer', (c) => c.notNull())
    .addColumn('accepted_by_name', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'integer')
    .execute();
  await db.schema.createIndex('light_excuses_project').on('light_excuses').columns(['project_id', 'year']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['light_excuses', 'light_rule_sets', 'indicator_settings', 'indicator_ytd']) await db.schema.dropTable(t).ifExists().execute();
}
