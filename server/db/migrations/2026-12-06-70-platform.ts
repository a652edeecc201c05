import type { Kysely } from 'kysely';
import { CHINA_2025, CHINA_2026 } from '../../../core/calendar.ts';
import { withId } from './helpers.ts';
import { clock } from '../../clock.ts';

// The platform's shared tables (server/platform): the working-day calendar the office maintains (seeded with the
// official 2025 and 2026 schedules; those constants are frozen: a correction is a row edit, not a code edit), the
// one status-log shape every workflow entity reuses, internal state (watermarks) apart from the settings the office
// edits, and the background jobs' leases (one server runs a job at a time).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('calendar_days')
    .addColumn('day', 'text', (c) => c.primaryKey()) // 'YYYY-MM-DD'
    .addColumn('kind', 'text', (c) => c.notNull()) // holiday | workday (调休上班)
    .addColumn('name', 'text', (c) => c.notNull()) // 春节, 国庆节 …
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();
  const now = clock.now().toISOString();
  await db.insertInto('calendar_days')
    .values([...CHINA_2025, ...CHINA_2026].map((d) => ({ day: d.day, kind: d.kind, name: d.name, updated_at: now, updated_by: null })))
    .execute();

  await withId(db, db.schema.createTable('status_log'))
    .addColumn('entity_type', 'text', (c) => c.notNull()) // 'matter', 'problem' …
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor_id', 'integer')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_log_entity').on('status_log').columns(['entity_type', 'entity_id', 'id']).execute();

  await db.schema.createTable('system_state')
    .addColumn('key', 'text', (c) => c.primaryKey()) // facts_synced_at …
    .addColumn('value', 'text', (c) => c.notNull()) // JSON
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The indicator rollup's watermark moves out of the office's settings.
  const watermark = await db.selectFrom('indicator_settings').select(['value', 'updated_at']).where('key', '=', 'facts_synced_at').executeTakeFirst();
  if (watermark) {
    await db.insertInto('system_state').values({ key: 'facts_synced_at', value: watermark.value, updated_at: watermark.updated_at }).execute();
    await db.deleteFrom('indicator_settings').where('key', '=', 'facts_synced_at').execute();
  }

  await db.schema.createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text') // the process holding the lease, null when free
    .addColumn('lease_until', 'text') // ISO instant; an expired lease (a crashed server) can be taken
    .addColumn('last_run_at', 'text')
    .addColumn('last_error', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const watermark = await db.selectFrom('system_state').select(['value', 'updated_at']).where('key', '=', 'facts_synced_at').executeTakeFirst();
  if (watermark) await db.insertInto('indicator_settings').values({ key: 'facts_synced_at', value: watermark.value, updated_at: watermark.updated_at, updated_by: null }).execute();
  for (const t of ['job_leases', 'system_state', 'status_log', 'calendar_days']) await db.schema.dropTable(t).ifExists().execute();
}
