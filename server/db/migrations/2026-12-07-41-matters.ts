import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

// Supervision (督查督办, issue 17): matters with their co-units, linked projects, feedback entries (generic per
// entity type, so problems reuse them), leaders' instructions (批示), meetings with their decisions (议定事项),
// weekly batches (周交办, 期号), escalation letters (交办函/提醒函/督办函), and the supervision settings.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('supervision_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();

  await withId(db, db.schema.createTable('matters'))
    .addColumn('number', 'text', (c) => c.notNull()) // 督办〔2026〕12号
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull()) // meeting | instruction | bulletin | weekly | problem | node | project | other
    .addColumn('source_id', 'integer') // the decision, bulletin, problem … it came from
    .addColumn('source_ref', 'text') // a description or in-app link of the source
    .addColumn('type', 'text', (c) => c.notNull()) // 项目推进, 问题协调, 要素保障 …
    .addColumn('urgency', 'text', (c) => c.notNull()) // normal | urgent | very_urgent
    .addColumn('lead_unit_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text') // the lead unit's region (office scope by jurisdiction)
    .addColumn('supervisor_id', 'integer')
    .addColumn('leader_id', 'integer') // the leader who assigned it or follows it
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assigned_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull()) // mirrors the 'complete' deadline
    .addColumn('feedback_days', 'integer', (c) => c.notNull().defaultTo(0)) // cadence in working days, 0 = none
    .addColumn('next_feedback_on', 'text')
    .addColumn('requested_due_on', 'text') // 申请延期: the date asked for, until decided
    .addColumn('signed_on', 'text')
    .addColumn('closing_on', 'text') // last 申请办结
    .addColumn('closed_on', 'text') // 已办结 (approved)
    .addColumn('written_off_on', 'text') // 已销号
    .addColumn('close_rejections', 'integer', (c) => c.notNull().defaultTo(0)) // 办结申请被退回 (one-pass rate)
    .addColumn('attention', 'integer', (c) => c.notNull().defaultTo(0)) // 需要关注 (a leader marked it)
    .addColumn('batch_id', 'integer') // the weekly batch that first carried it
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('matters_year_seq', ['year', 'seq'])
    .execute();
  await db.schema.createIndex('matters_lead_status').on('matters').columns(['lead_unit_id', 'status']).execute();
  await db.schema.createIndex('matters_status_due').on('matters').columns(['status', 'due_on']).execute();
  await db.schema.createIndex('matters_source').on('matters').columns(['source', 'source_id']).execute();

  await db.schema.createTable('matter_units') // co-units (协办单位)
    .addColumn('matter_id', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('matter_units_pk', ['matter_id', 'unit_id'])
    .execute();
  await db.schema.createIndex('matter_units_unit').on('matter_units').columns(['unit_id', 'matter_id']).execute();
  await db.schema.createTable('matter_projects')
    .addColumn('matter_id', 'integer', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('matter_projects_pk', ['matter_id', 'project_id'])
    .execute();
  await db.schema.createIndex('matter_projects_project').on('matter_projects').columns(['project_id']).execute();

  // Dated progress entries of any tracked entity (matters now, problems next).
  await withId(db, db.schema.createTable('feedback_entries'))
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer')
    .addColumn('author_id', 'integer')
    .addColumn('on_date', 'text', (c) => c.notNull()) // China day
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('next_steps', 'text')
    .addColumn('due_on', 'text') // the feedback due date it answered
    .addColumn('on_time', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('feedback_entries_entity').on('feedback_entries').columns(['entity_type', 'entity_id', 'id']).execute();

  await withId(db, db.schema.createTable('matter_instructions')) // 领导批示
    .addColumn('matter_id', 'integer', (c) => c.notNull())
    .addColumn('leader_id', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('matter_instructions_matter').on('matter_instructions').columns(['matter_id']).execute();

  await withId(db, db.schema.createTable('meetings'))
    .addColumn('kind', 'text', (c) => c.notNull()) // weekly | coordination | special | other
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('held_on', 'text', (c) => c.notNull())
    .addColumn('chair', 'text')
    .addColumn('attendees', 'text')
    .addColumn('location', 'text')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await withId(db, db.schema.createTable('meeting_decisions')) // 议定事项
    .addColumn('meeting_id', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_decisions_meeting').on('meeting_decisions').columns(['meeting_id', 'seq']).execute();

  await withId(db, db.schema.createTable('weekly_batches')) // 周交办
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull()) // 期号
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('week_of', 'text', (c) => c.notNull()) // the Monday
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('weekly_batches_year_seq', ['year', 'seq'])
    .execute();
  await db.schema.createTable('weekly_batch_items')
    .addColumn('batch_id', 'integer', (c) => c.notNull())
    .addColumn('matter_id', 'integer', (c) => c.notNull())
    .addColumn('carried', 'integer', (c) => c.notNull()) // 0 new this week, 1 overdue carried forward
    .addPrimaryKeyConstraint('weekly_batch_items_pk', ['batch_id', 'matter_id'])
    .execute();

  await withId(db, db.schema.createTable('supervision_letters')) // 交办函 / 提醒函 / 督办函 / 约谈通知
    .addColumn('matter_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // assign | remind | press | interview
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('step', 'text') // the deadline step that issued it (null: by hand)
    .addColumn('signed_by', 'integer') // who signed (null: issued by the system on the office's standing rule)
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('file_key', 'text', (c) => c.notNull()) // the .docx in stored_files
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervision_letters_matter').on('supervision_letters').columns(['matter_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'supervision_letters', 'weekly_batch_items', 'weekly_batches', 'meeting_decisions', 'meetings', 'matter_instructions', 'feedback_entries',
    'matter_projects', 'matter_units', 'matters', 'supervision_settings',
  ]) await db.schema.dropTable(t).ifExists().execute();
}
