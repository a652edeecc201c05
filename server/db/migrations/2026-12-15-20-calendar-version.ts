import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// Issue 16: every report submit re-derived the unit's "report due" with the deadline counted on the working-day
// calendar, and read the whole calendar to do it. The calendar changes a few times a year, so servers keep the last
// calendar they read keyed by a stamp that changes with every change of calendar_days: the stamp is one short read,
// the days are read again only when it moved. The stamp is random (not a counter), so that two databases (two
// offices, two test databases in one process) never share one while their calendars differ; triggers set a fresh
// one on any insert, update or delete of calendar_days, whoever writes it.

const SQLITE_STAMP = 'lower(hex(randomblob(16)))';
const PG_STAMP = 'md5(random()::text || clock_timestamp()::text)';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('calendar_version')
    .addColumn('id', 'integer', (c) => c.primaryKey()) // always 1: one row
    .addColumn('stamp', 'text', (c) => c.notNull())
    .execute();
  if (isPostgres(db)) {
    await sql.raw(`INSERT INTO calendar_version (id, stamp) VALUES (1, ${PG_STAMP})`).execute(db);
    await sql.raw(`CREATE OR REPLACE FUNCTION docket_calendar_version_bump() RETURNS trigger AS $$
      BEGIN
        UPDATE calendar_version SET stamp = ${PG_STAMP} WHERE id = 1;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`).execute(db);
    await sql.raw(`CREATE TRIGGER calendar_days_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_days
      FOR EACH STATEMENT EXECUTE FUNCTION docket_calendar_version_bump()`).execute(db);
    return;
  }
  await sql.raw(`INSERT INTO calendar_version (id, stamp) VALUES (1, ${SQLITE_STAMP})`).execute(db);
  for (const [name, event] of [['ai', 'INSERT'], ['au', 'UPDATE'], ['ad', 'DELETE']] as const) {
    await sql.raw(`CREATE TRIGGER calendar_days_version_${name} AFTER ${event} ON calendar_days
      BEGIN UPDATE calendar_version SET stamp = ${SQLITE_STAMP} WHERE id = 1; END`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql.raw('DROP TRIGGER IF EXISTS calendar_days_version ON calendar_days').execute(db);
    await sql.raw('DROP FUNCTION IF EXISTS docket_calendar_version_bump()').execute(db);
  } else {
    for (const name of ['ai', 'au', 'ad']) await sql.raw(`DROP TRIGGER IF EXISTS calendar_days_version_${name}`).execute(db);
  }
  await db.schema.dropTable('calendar_version').execute();
}
