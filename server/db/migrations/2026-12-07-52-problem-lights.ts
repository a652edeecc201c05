import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// The problem light (issue 18): an unresolved problem past its deadline lights its project in a fourth dimension
// (问题办理). The packed snapshot code gains that dimension at ×256 and the excuse flag moves to ×1024, so the stored
// snapshots (a derived cache, refilled on the next read) are dropped; a write to a project's problems marks the
// (project, year) pairs stale as a write to the project does.

export async function up(db: Kysely<any>): Promise<void> {
  for (const t of ['light_snapshots', 'light_counts', 'light_snapshot_months', 'light_stale']) await db.deleteFrom(t).execute();
  if (isPostgres(db)) {
    await sql.raw(`CREATE FUNCTION docket_lights_stale_problem() RETURNS trigger AS $$
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.project_id IS NOT NULL THEN
          INSERT INTO light_stale (project_id, year, stamp)
            SELECT OLD.project_id, m.year, nextval('light_stale_stamp') FROM (SELECT DISTINCT year FROM light_snapshot_months) m
            ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.project_id IS NOT NULL THEN
          INSERT INTO light_stale (project_id, year, stamp)
            SELECT NEW.project_id, m.year, nextval('light_stale_stamp') FROM (SELECT DISTINCT year FROM light_snapshot_months) m
            ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp;
        END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`).execute(db);
    await sql`CREATE TRIGGER problems_lights AFTER INSERT OR UPDATE OR DELETE ON problems FOR EACH ROW EXECUTE FUNCTION docket_lights_stale_problem()`.execute(db);
    return;
  }
  const mark = (row: 'NEW' | 'OLD') => `INSERT INTO light_stale (project_id, year, stamp)
      SELECT ${row}.project_id, m.year, abs(random() % 9007199254740991) FROM (SELECT DISTINCT year FROM light_snapshot_months) m WHERE ${row}.project_id IS NOT NULL
      ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp;`;
  await sql.raw(`CREATE TRIGGER problems_lights_ai AFTER INSERT ON problems BEGIN ${mark('NEW')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER problems_lights_au AFTER UPDATE ON problems BEGIN ${mark('OLD')} ${mark('NEW')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER problems_lights_ad AFTER DELETE ON problems BEGIN ${mark('OLD')} END`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`DROP TRIGGER IF EXISTS problems_lights ON problems`.execute(db);
    await sql`DROP FUNCTION IF EXISTS docket_lights_stale_problem()`.execute(db);
  } else {
    for (const s of ['ai', 'au', 'ad']) await sql.raw(`DROP TRIGGER IF EXISTS problems_lights_${s}`).execute(db);
  }
  for (const t of ['light_snapshots', 'light_counts', 'light_snapshot_months', 'light_stale']) await db.deleteFrom(t).execute();
}
