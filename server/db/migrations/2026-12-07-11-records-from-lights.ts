import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// `records_from:<year>` in indicator_settings (the first month of the year whose progress Docket holds, set when an
// office's first list is imported with 1–N月累计 only) changes how the year's earlier months are judged, as a time
// curve does: the year's light snapshots are dropped when it changes, in the writer's transaction.

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql.raw(`CREATE FUNCTION docket_lights_drop_records_from() RETURNS trigger AS $$
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.key LIKE 'records_from:%' THEN PERFORM docket_lights_drop(substr(OLD.key, 14)::integer, 1); END IF;
        IF TG_OP <> 'DELETE' AND NEW.key LIKE 'records_from:%' THEN PERFORM docket_lights_drop(substr(NEW.key, 14)::integer, 1); END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`).execute(db);
    await sql`CREATE TRIGGER indicator_settings_records_from AFTER INSERT OR UPDATE OR DELETE ON indicator_settings FOR EACH ROW EXECUTE FUNCTION docket_lights_drop_records_from()`.execute(db);
    return;
  }
  const drop = (year: string) => `DELETE FROM light_snapshots WHERE year = ${year};
    DELETE FROM light_counts WHERE year = ${year};
    DELETE FROM light_snapshot_months WHERE year = ${year};`;
  const yearOf = (row: 'NEW' | 'OLD') => `CAST(substr(${row}.key, 14) AS INTEGER)`;
  await sql.raw(`CREATE TRIGGER indicator_settings_records_ai AFTER INSERT ON indicator_settings WHEN NEW.key LIKE 'records_from:%' BEGIN ${drop(yearOf('NEW'))} END`).execute(db);
  await sql.raw(`CREATE TRIGGER indicator_settings_records_au AFTER UPDATE ON indicator_settings WHEN NEW.key LIKE 'records_from:%' OR OLD.key LIKE 'records_from:%' BEGIN ${drop(yearOf('OLD'))} ${drop(yearOf('NEW'))} END`).execute(db);
  await sql.raw(`CREATE TRIGGER indicator_settings_records_ad AFTER DELETE ON indicator_settings WHEN OLD.key LIKE 'records_from:%' BEGIN ${drop(yearOf('OLD'))} END`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`DROP TRIGGER IF EXISTS indicator_settings_records_from ON indicator_settings`.execute(db);
    await sql`DROP FUNCTION IF EXISTS docket_lights_drop_records_from()`.execute(db);
    return;
  }
  for (const t of ['indicator_settings_records_ai', 'indicator_settings_records_au', 'indicator_settings_records_ad']) await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db);
}
