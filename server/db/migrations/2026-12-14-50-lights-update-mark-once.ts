import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// Issue 23: an UPDATE of a row belonging to one (project_id, year) — an annual plan, a ytd row, a light excuse —
// marked the pair stale twice, once as OLD and once as NEW, with two upserts into light_stale of the same key when
// the row keeps its pair (every ytd refresh: a bulk write updates ~80k of them, and the two trigger statements were
// about half of the ytd upsert's time). The OLD pair is now marked only when the update moves the row to another
// pair; the marks left are the same (the second upsert of the same key only replaced the first's stamp).

const PAIR_TABLES = ['annual_plans', 'indicator_ytd', 'light_excuses'];

const markStale = (row: 'NEW' | 'OLD') => `INSERT INTO light_stale (project_id, year, stamp)
    SELECT ${row}.project_id, ${row}.year, abs(random() % 9007199254740991) WHERE EXISTS (SELECT 1 FROM light_snapshot_months WHERE year = ${row}.year)
    ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp;`;

/** The PostgreSQL trigger function marking a row's pair stale; `oldOnMove` skips OLD when an update keeps the pair. */
const pairFunction = (oldOnMove: boolean) => `CREATE OR REPLACE FUNCTION docket_lights_stale_pair() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE'${oldOnMove ? ' AND (OLD.project_id, OLD.year) IS DISTINCT FROM (NEW.project_id, NEW.year)' : ''}) THEN
        INSERT INTO light_stale (project_id, year, stamp) VALUES (OLD.project_id, OLD.year, nextval('light_stale_stamp'))
        ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        INSERT INTO light_stale (project_id, year, stamp) VALUES (NEW.project_id, NEW.year, nextval('light_stale_stamp'))
        ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp;
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`;

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql.raw(pairFunction(true)).execute(db);
    return;
  }
  for (const table of PAIR_TABLES) {
    await sql.raw(`DROP TRIGGER ${table}_lights_au`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_lights_au AFTER UPDATE ON ${table} BEGIN ${markStale('NEW')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_lights_au_moved AFTER UPDATE ON ${table}
      WHEN OLD.project_id IS NOT NEW.project_id OR OLD.year IS NOT NEW.year BEGIN ${markStale('OLD')} END`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql.raw(pairFunction(false)).execute(db);
    return;
  }
  for (const table of PAIR_TABLES) {
    await sql.raw(`DROP TRIGGER ${table}_lights_au_moved`).execute(db);
    await sql.raw(`DROP TRIGGER ${table}_lights_au`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_lights_au AFTER UPDATE ON ${table} BEGIN ${markStale('OLD')} ${markStale('NEW')} END`).execute(db);
  }
}
