import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

// Conventions: lowercase names; money as BIGINT yuan; dates as TEXT 'YYYY-MM-DD'; timestamps as TEXT ISO-8601 UTC
// written by the application; booleans as INTEGER 0/1 (identical on both engines and on KingbaseES/openGauss);
// never rely on '' differing from NULL.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text', (c) => c.references('regions.code'))
    // 1 province, 2 city, 3 county, 4 township; custom areas (development zones) take the level they sit at.
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('is_custom', 'integer', (c) => c.notNull().defaultTo(0))
    // Materialized path '/510000/510100/510104/' so that a subtree is one prefix match.
    .addColumn('path', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('regions_parent').on('regions').column('parent_code').execute();
  await db.schema.createIndex('regions_path').on('regions').column('path').execute();

  await withId(db, db.schema.createTable('units'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text')
    .addColumn('parent_id', 'integer', (c) => c.references('units.id'))
    .addColumn('region_code', 'text', (c) => c.references('regions.code'))
    // 'office' (发改), 'township', 'park', 'department', 'company', 'other'
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('department'))
    .addColumn('path', 'text', (c) => c.notNull().defaultTo('/'))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('units_path').on('units').column('path').execute();

  await withId(db, db.schema.createTable('users'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    // One role per account: sysadmin, secadmin, auditor, office, reporter, leader, supervisor.
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey()) // sha-256 of the cookie token; the token itself is never stored
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await withId(db, db.schema.createTable('projects'))
    // identity
    .addColumn('code', 'text') // national project code (GB/T 40058), unique when present
    .addColumn('stats_code', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    // search helpers, recomputed on every write: simplified name, full pinyin, pinyin initials
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('list_year', 'integer')
    .addColumn('batch', 'text')
    .addColumn('parent_id', 'integer', (c) => c.references('projects.id'))
    .addColumn('is_package', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_key_of_key', 'integer', (c) => c.notNull().defaultTo(0)) // 重中之重
    // classification
    .addColumn('nature', 'text') // new | continued | expansion | reconstruction | tech_upgrade
    .addColumn('category', 'text')
    .addColumn('industry_code', 'text') // GB/T 4754
    .addColumn('investment_type', 'text') // government | social
    .addColumn('is_attraction', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_central_budget', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_special_bond', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('campaign_group', 'text')
    // place and people
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('address', 'text')
    .addColumn('builder_name', 'text')
    .addColumn('builder_uscc', 'text')
    .addColumn('builder_legal_person', 'text')
    .addColumn('builder_contact', 'text')
    .addColumn('builder_phone', 'text')
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('lead_unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('leader_name', 'text')
    .addColumn('leader_post', 'text')
    // scope and time
    .addColumn('scope_content', 'text')
    .addColumn('start_year', 'integer')
    .addColumn('end_year', 'integer')
    .addColumn('planned_start_date', 'text')
    .addColumn('actual_start_date', 'text')
    .addColumn('planned_completion_date', 'text')
    .addColumn('actual_completion_date', 'text')
    .addColumn('planned_production_date', 'text')
    .addColumn('actual_production_date', 'text')
    // money, integer yuan
    .addColumn('total_investment', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('fund_central', 'bigint')
    .addColumn('fund_province', 'bigint')
    .addColumn('fund_city', 'bigint')
    .addColumn('fund_county', 'bigint')
    .addColumn('fund_bank_loan', 'bigint')
    .addColumn('fund_self', 'bigint')
    .addColumn('fund_special_bond', 'bigint')
    // library and stage
    .addColumn('tier', 'text', (c) => c.notNull().defaultTo('implementation')) // idea | reserve | implementation | withdrawn
    .addColumn('reserve_review', 'text') // none | initial | final (储备库 初审/终审)
    .addColumn('stage', 'text', (c) => c.notNull().defaultTo('preliminary'))
    .addColumn('stage_before_pause', 'text')
    // statistics entry (入库纳统)
    .addColumn('stats_entered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stats_category', 'text')
    .addColumn('stats_reason', 'text')
    .addColumn('stats_entered_date', 'text')
    // bookkeeping
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('updated_by', 'integer')
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('projects_code_unique').on('projects').column('code').unique().execute();
  await db.schema.createIndex('projects_region').on('projects').columns(['region_code', 'stage']).execute();
  await db.schema.createIndex('projects_unit').on('projects').column('unit_id').execute();
  await db.schema.createIndex('projects_parent').on('projects').column('parent_id').execute();
  await db.schema.createIndex('projects_total').on('projects').column('total_investment').execute();

  // Several levels at once (national / province / city / county).
  await db.schema
    .createTable('project_levels')
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_levels_pk', ['project_id', 'level'])
    .execute();
  await db.schema.createIndex('project_levels_level').on('project_levels').columns(['level', 'project_id']).execute();

  await withId(db, db.schema.createTable('annual_plans'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('planned_investment', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('completed_before_year', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('plan_new_start', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('plan_start_month', 'integer')
    .addColumn('plan_completion', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('plan_completion_month', 'integer')
    .addColumn('plan_production', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('plan_production_month', 'integer')
    .addColumn('progress_target', 'text')
    .addColumn('list_kind', 'text', (c) => c.notNull().defaultTo('initial')) // initial (年初) | supplementary (增补)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('annual_plans_project_year', ['project_id', 'year'])
    .execute();
  await db.schema.createIndex('annual_plans_year').on('annual_plans').columns(['year', 'project_id']).execute();

  await withId(db, db.schema.createTable('project_procedures'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending')) // pending | in_progress | done | not_required
    .addColumn('doc_number', 'text')
    .addColumn('approved_date', 'text')
    .addColumn('note', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('project_procedures_kind', ['project_id', 'kind'])
    .execute();

  await withId(db, db.schema.createTable('project_stage_history'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('from_stage', 'text')
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('event_date', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('user_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('project_stage_history_project').on('project_stage_history').column('project_id').execute();

}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['project_stage_history', 'project_procedures', 'annual_plans', 'project_levels', 'projects', 'sessions', 'users', 'units', 'regions']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
