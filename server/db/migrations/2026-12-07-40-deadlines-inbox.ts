import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

// The platform pieces supervision builds first and problems, reports and attraction reuse (issue 17):
// deadlines counted in working days with escalation steps as data, the steps already taken (one row per step and
// due date, so a job on several servers never takes one twice), events with a notifications outbox (one row per
// event, recipient and channel, claimed through the database), the to-do inbox, and attachments of any entity
// (their bytes are stored_files rows).

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('deadlines'))
    .addColumn('entity_type', 'text', (c) => c.notNull()) // 'matter', 'problem' …
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // 'complete', 'feedback', 'sign' …
    .addColumn('start_on', 'text', (c) => c.notNull()) // YYYY-MM-DD
    .addColumn('due_on', 'text', (c) => c.notNull()) // YYYY-MM-DD, moved by pauses and approved extensions
    .addColumn('original_due_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | done | cancelled
    .addColumn('paused_on', 'text') // set while 挂起: the timer stands still
    .addColumn('paused_days', 'integer', (c) => c.notNull().defaultTo(0)) // working days spent paused, in total
    .addColumn('ladder', 'text', (c) => c.notNull()) // JSON: [{ key, offset, label }] escalation steps
    .addColumn('unit_id', 'integer') // the unit answerable for it (figures, inboxes)
    .addColumn('done_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('deadlines_entity_kind', ['entity_type', 'entity_id', 'kind'])
    .execute();
  await db.schema.createIndex('deadlines_open_due').on('deadlines').columns(['status', 'due_on']).execute();

  await withId(db, db.schema.createTable('deadline_steps'))
    .addColumn('deadline_id', 'integer', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull()) // the due date the step was taken for (an extension re-arms it)
    .addColumn('fire_on', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('deadline_steps_once', ['deadline_id', 'step', 'due_on'])
    .execute();

  await withId(db, db.schema.createTable('events'))
    .addColumn('name', 'text', (c) => c.notNull()) // 'matter.assigned', 'deadline.step' …
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'integer')
    .addColumn('actor_id', 'integer')
    .addColumn('payload', 'text', (c) => c.notNull()) // JSON
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_entity').on('events').columns(['entity_type', 'entity_id', 'id']).execute();

  await withId(db, db.schema.createTable('notifications'))
    .addColumn('event_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull()) // inapp | dingtalk | wecom | sms | email
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('link', 'text') // the in-app deep link every channel points to
    .addColumn('status', 'text', (c) => c.notNull()) // pending | sent | failed (in-app rows are sent when written)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('next_attempt_at', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('read_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_queue').on('notifications').columns(['channel', 'status', 'id']).execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'channel', 'id']).execute();

  await withId(db, db.schema.createTable('todos'))
    .addColumn('key', 'text', (c) => c.notNull().unique()) // 'matter:12:sign' — one open to-do per key
    .addColumn('user_id', 'integer') // exactly one of user, unit, role addresses it
    .addColumn('unit_id', 'integer')
    .addColumn('role', 'text')
    .addColumn('kind', 'text', (c) => c.notNull()) // matter.sign, matter.feedback, report.due …
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text')
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'integer')
    .execute();
  await db.schema.createIndex('todos_user').on('todos').columns(['user_id', 'done_at']).execute();
  await db.schema.createIndex('todos_unit').on('todos').columns(['unit_id', 'done_at']).execute();
  await db.schema.createIndex('todos_role').on('todos').columns(['role', 'done_at']).execute();
  await db.schema.createIndex('todos_entity').on('todos').columns(['entity_type', 'entity_id']).execute();

  await withId(db, db.schema.createTable('attachments'))
    .addColumn('owner_type', 'text', (c) => c.notNull()) // 'matter', 'matter_feedback', 'meeting' …
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('file_key', 'text', (c) => c.notNull()) // stored_files key
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer')
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('attachments_owner').on('attachments').columns(['owner_type', 'owner_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['attachments', 'todos', 'notifications', 'events', 'deadline_steps', 'deadlines']) await db.schema.dropTable(t).ifExists().execute();
}
