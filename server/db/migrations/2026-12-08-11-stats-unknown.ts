import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// A project created from a list that does not say whether it is 入库纳统 (no such column, or a blank cell) has
// `stats_unknown = 1`: its statistics light is not judged, where `stats_entered = 0` alone lit it red under
// 开工24个月仍未入库纳统 (issue 12). Any later statement of the facts (the form, an approved report, a list with the
// column) writes stats_entered, stats_reason or stats_entered_date, and the trigger clears the mark and marks the
// project's light snapshots stale (as the lights triggers of 2026-11-23-08 do for stats_entered itself).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('projects').addColumn('stats_unknown', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  if (isPostgres(db)) {
    await sql.raw(`CREATE FUNCTION docket_projects_stats_stated() RETURNS trigger AS $$
      BEGIN NEW.stats_unknown := 0; RETURN NEW; END $$ LANGUAGE plpgsql`).execute(db);
    await sql`CREATE TRIGGER projects_stats_stated BEFORE UPDATE OF stats_entered, stats_reason, stats_entered_date ON projects
      FOR EACH ROW WHEN (NEW.stats_unknown = 1) EXECUTE FUNCTION docket_projects_stats_stated()`.execute(db);
    // A value set by a BEFORE trigger does not fire UPDATE OF triggers: this one compares the rows instead.
    await sql`CREATE TRIGGER projects_stats_unknown_lights AFTER UPDATE ON projects
      FOR EACH ROW WHEN (OLD.stats_unknown IS DISTINCT FROM NEW.stats_unknown) EXECUTE FUNCTION docket_lights_stale_project()`.execute(db);
  } else {
    await sql`CREATE TRIGGER projects_stats_stated AFTER UPDATE OF stats_entered, stats_reason, stats_entered_date ON projects
      WHEN NEW.stats_unknown = 1 BEGIN
        UPDATE projects SET stats_unknown = 0 WHERE id = NEW.id;
        INSERT INTO light_stale (project_id, year, stamp)
          SELECT NEW.id, m.year, abs(random() % 9007199254740991) FROM (SELECT DISTINCT year FROM light_snapshot_months) m WHERE true
          ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp;
      END`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`DROP TRIGGER IF EXISTS projects_stats_unknown_lights ON projects`.execute(db);
    await sql`DROP TRIGGER IF EXISTS projects_stats_stated ON projects`.execute(db);
    await sql`DROP FUNCTION IF EXISTS docket_projects_stats_stated()`.execute(db);
  } else {
    await sql`DROP TRIGGER IF EXISTS projects_stats_stated`.execute(db);
  }
  await db.schema.alterTable('projects').dropColumn('stats_unknown').execute();
}
