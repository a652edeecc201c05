import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// Issue 23: a change of a project's 1–N月 cumulatives (its indicator_ytd row) changes its lights only from the first
// month whose cumulative changed: month M is judged on ytd_M and, for the consecutive rules, on earlier months, never
// on later ones. The ytd row's triggers marked the (project, year) pair stale in light_stale, which re-judges it in
// every month with snapshots — after December's import, November's 82k snapshots too, and every earlier month an
// office had opened. They now mark it in light_stale_ytd with that first month instead (the lowest one when marked
// again), and the re-judging reads only months from there on. Every other trigger keeps marking light_stale (all
// months), which a pair marked in both follows: a mark never narrows what another trigger asked for.
// On SQLite, as before, a pair is marked only when its year has snapshot months at or after that first month (one
// writer at a time: a fill that has not begun cannot run beside this write); on PostgreSQL unconditionally.

const YTD = Array.from({ length: 12 }, (_x, i) => `ytd_${String(i + 1).padStart(2, '0')}`);

/** The first month whose cumulative differs between two rows (NULL: none); a missing row reads as zeros. */
function firstChanged(a: 'OLD' | 'NEW' | null, b: 'OLD' | 'NEW', pg: boolean): string {
  const differs = (c: string) => (a ? `${a}.${c} ${pg ? 'IS DISTINCT FROM' : 'IS NOT'} ${b}.${c}` : `coalesce(${b}.${c}, 0) <> 0`);
  return `CASE ${YTD.map((c, i) => `WHEN ${differs(c)} THEN ${i + 1}`).join(' ')} END`;
}

/** SQLite: one mark of ROW's pair from month FROM (an expression), when a snapshot month at or after it exists. */
const sqliteMark = (row: 'NEW' | 'OLD', from: string) => `INSERT INTO light_stale_ytd (project_id, year, from_month, stamp)
    SELECT ${row}.project_id, ${row}.year, f.m, abs(random() % 9007199254740991) FROM (SELECT ${from} AS m) f
    WHERE f.m IS NOT NULL AND EXISTS (SELECT 1 FROM light_snapshot_months WHERE year = ${row}.year AND month >= f.m)
    ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp, from_month = min(light_stale_ytd.from_month, excluded.from_month);`;

const PG_FUNCTION = `CREATE OR REPLACE FUNCTION docket_lights_stale_ytd() RETURNS trigger AS $$
    DECLARE f integer;
    BEGIN
      IF TG_OP = 'UPDATE' AND (OLD.project_id, OLD.year) IS NOT DISTINCT FROM (NEW.project_id, NEW.year) THEN
        f := ${firstChanged('OLD', 'NEW', true)};
        IF f IS NOT NULL THEN
          INSERT INTO light_stale_ytd (project_id, year, from_month, stamp) VALUES (NEW.project_id, NEW.year, f, nextval('light_stale_stamp'))
          ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp, from_month = least(light_stale_ytd.from_month, excluded.from_month);
        END IF;
        RETURN NULL;
      END IF;
      IF TG_OP <> 'INSERT' THEN
        f := ${firstChanged(null, 'OLD', true)};
        IF f IS NOT NULL THEN
          INSERT INTO light_stale_ytd (project_id, year, from_month, stamp) VALUES (OLD.project_id, OLD.year, f, nextval('light_stale_stamp'))
          ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp, from_month = least(light_stale_ytd.from_month, excluded.from_month);
        END IF;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        f := ${firstChanged(null, 'NEW', true)};
        IF f IS NOT NULL THEN
          INSERT INTO light_stale_ytd (project_id, year, from_month, stamp) VALUES (NEW.project_id, NEW.year, f, nextval('light_stale_stamp'))
          ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp, from_month = least(light_stale_ytd.from_month, excluded.from_month);
        END IF;
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('light_stale_ytd')
    .addColumn('project_id', 'integer', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('from_month', 'integer', (c) => c.notNull())
    .addColumn('stamp', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('light_stale_ytd_pk', ['year', 'project_id'])
    .execute();
  // Marks the old triggers left stay in light_stale (every month): nothing to carry over.
  if (isPostgres(db)) {
    await sql.raw(PG_FUNCTION).execute(db);
    await sql`DROP TRIGGER indicator_ytd_lights ON indicator_ytd`.execute(db);
    await sql`CREATE TRIGGER indicator_ytd_lights AFTER INSERT OR UPDATE OR DELETE ON indicator_ytd FOR EACH ROW EXECUTE FUNCTION docket_lights_stale_ytd()`.execute(db);
    return;
  }
  for (const t of ['ai', 'au', 'au_moved', 'ad']) await sql.raw(`DROP TRIGGER IF EXISTS indicator_ytd_lights_${t}`).execute(db);
  await sql.raw(`CREATE TRIGGER indicator_ytd_lights_ai AFTER INSERT ON indicator_ytd BEGIN ${sqliteMark('NEW', firstChanged(null, 'NEW', false))} END`).execute(db);
  await sql.raw(`CREATE TRIGGER indicator_ytd_lights_au AFTER UPDATE ON indicator_ytd
    WHEN OLD.project_id IS NEW.project_id AND OLD.year IS NEW.year BEGIN ${sqliteMark('NEW', firstChanged('OLD', 'NEW', false))} END`).execute(db);
  await sql.raw(`CREATE TRIGGER indicator_ytd_lights_au_moved AFTER UPDATE ON indicator_ytd
    WHEN OLD.project_id IS NOT NEW.project_id OR OLD.year IS NOT NEW.year BEGIN ${sqliteMark('OLD', firstChanged(null, 'OLD', false))} ${sqliteMark('NEW', firstChanged(null, 'NEW', false))} END`).execute(db);
  await sql.raw(`CREATE TRIGGER indicator_ytd_lights_ad AFTER DELETE ON indicator_ytd BEGIN ${sqliteMark('OLD', firstChanged(null, 'OLD', false))} END`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The ytd marks still pending become whole-year marks, so that nothing waits unjudged.
  await sql`INSERT INTO light_stale (project_id, year, stamp) SELECT project_id, year, stamp FROM light_stale_ytd WHERE true
    ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp`.execute(db);
  if (isPostgres(db)) {
    await sql`DROP TRIGGER indicator_ytd_lights ON indicator_ytd`.execute(db);
    await sql`CREATE TRIGGER indicator_ytd_lights AFTER INSERT OR UPDATE OR DELETE ON indicator_ytd FOR EACH ROW EXECUTE FUNCTION docket_lights_stale_pair()`.execute(db);
    await sql`DROP FUNCTION IF EXISTS docket_lights_stale_ytd()`.execute(db);
  } else {
    for (const t of ['ai', 'au', 'au_moved', 'ad']) await sql.raw(`DROP TRIGGER IF EXISTS indicator_ytd_lights_${t}`).execute(db);
    const markStale = (row: 'NEW' | 'OLD') => `INSERT INTO light_stale (project_id, year, stamp)
    SELECT ${row}.project_id, ${row}.year, abs(random() % 9007199254740991) WHERE EXISTS (SELECT 1 FROM light_snapshot_months WHERE year = ${row}.year)
    ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp;`;
    await sql.raw(`CREATE TRIGGER indicator_ytd_lights_ai AFTER INSERT ON indicator_ytd BEGIN ${markStale('NEW')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER indicator_ytd_lights_au AFTER UPDATE ON indicator_ytd BEGIN ${markStale('NEW')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER indicator_ytd_lights_au_moved AFTER UPDATE ON indicator_ytd
      WHEN OLD.project_id IS NOT NEW.project_id OR OLD.year IS NOT NEW.year BEGIN ${markStale('OLD')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER indicator_ytd_lights_ad AFTER DELETE ON indicator_ytd BEGIN ${markStale('OLD')} END`).execute(db);
  }
  await db.schema.dropTable('light_stale_ytd').execute();
}
