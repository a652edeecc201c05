import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

// Investment attraction (招商引资, issue #21): one row per attraction record (招商项目) from lead to production,
// its follow-up log (跟进记录) and its evidence per stage (files in stored_files). Money is integer yuan (BIGINT),
// contracted foreign investment integer US dollars, dates 'YYYY-MM-DD'. The stage reached is `stage`; a move to a
// later stage or to 终止 waits in the pending_* columns until reviewed (review_status), each move in status_log.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('attraction_leads'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('team_id', 'integer', (c) => c.notNull().references('units.id')) // 招商小分队 / the responsible unit
    .addColumn('region_code', 'text', (c) => c.notNull())
    // 在谈
    .addColumn('investor', 'text')
    .addColumn('intended_amount', 'bigint')
    .addColumn('industry', 'text')
    .addColumn('site', 'text')
    .addColumn('land_need', 'text')
    .addColumn('contacts', 'text')
    .addColumn('negotiator', 'text')
    // 签约 (the contract date is signed_on)
    .addColumn('signed_amount', 'bigint')
    .addColumn('foreign_usd', 'bigint')
    // 过审 (the review date is approved_on)
    .addColumn('review_body', 'text')
    // 落地
    .addColumn('company_name', 'text')
    .addColumn('company_uscc', 'text')
    .addColumn('land_info', 'text')
    // 开工 onwards: the library project and the money
    .addColumn('planned_total', 'bigint')
    .addColumn('funds_in_place', 'bigint') // 到资
    .addColumn('project_id', 'integer')
    .addColumn('stage', 'text', (c) => c.notNull().defaultTo('lead'))
    .addColumn('lead_on', 'text', (c) => c.notNull())
    .addColumn('negotiating_on', 'text')
    .addColumn('signed_on', 'text')
    .addColumn('approved_on', 'text')
    .addColumn('landed_on', 'text')
    .addColumn('started_on', 'text')
    .addColumn('producing_on', 'text')
    .addColumn('review_status', 'text', (c) => c.notNull().defaultTo('settled')) // settled | submitted | returned
    .addColumn('pending_to', 'text') // a stage or 'terminated'
    .addColumn('pending_on', 'text')
    .addColumn('pending_reason', 'text')
    .addColumn('pending_kind', 'text') // termination kind
    .addColumn('pending_project_id', 'integer') // link to an existing library project at 开工
    .addColumn('submitted_by', 'integer')
    .addColumn('submitted_at', 'text')
    .addColumn('return_reason', 'text')
    .addColumn('terminated_on', 'text')
    .addColumn('termination_kind', 'text')
    .addColumn('termination_reason', 'text')
    .addColumn('last_followup_on', 'text')
    .addColumn('notes', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('updated_by', 'integer')
    .execute();
  await db.schema.createIndex('attraction_leads_team').on('attraction_leads').column('team_id').execute();
  await db.schema.createIndex('attraction_leads_region').on('attraction_leads').column('region_code').execute();
  await db.schema.createIndex('attraction_leads_stage').on('attraction_leads').columns(['stage', 'id']).execute();

  await withId(db, db.schema.createTable('attraction_followups'))
    .addColumn('lead_id', 'integer', (c) => c.notNull().references('attraction_leads.id'))
    .addColumn('on_date', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attraction_followups_lead').on('attraction_followups').columns(['lead_id', 'on_date']).execute();

  await withId(db, db.schema.createTable('attraction_files'))
    .addColumn('lead_id', 'integer', (c) => c.notNull().references('attraction_leads.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('file_key', 'text', (c) => c.notNull()) // stored_files key
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attraction_files_lead').on('attraction_files').columns(['lead_id', 'stage']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['attraction_files', 'attraction_followups', 'attraction_leads']) await db.schema.dropTable(t).ifExists().execute();
}
