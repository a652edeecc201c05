import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// Light snapshots: each project's lights for a (year, month), as core/lights.ts judged them, so that a scope's
// counts and its red/yellow page are read from an index instead of judging every project per request.
//
// - light_snapshots: one row per project on year Y's list and month M, with its lights (packed) and the attributes
//   the common filters read (region, unit, stage, nature, category, investment type).
// - light_counts: how many projects of each region have each packed code in (year, month), kept equal to
//   light_snapshots by the code that writes it (and by the dropping triggers).
// - light_snapshot_months: a (year, month) row exists once a fill of that month has begun; filled_to is its
//   progress (fills resume there, and concurrent ones share the work); complete = 1 once every project was judged.
//   Rows of months without one are never read.
// - light_stale: (project, year) pairs whose inputs changed since they were judged; the next read re-judges them
//   (stamp tells a re-written pair from the one the reader saw).
//
// Triggers keep them right in the writer's own transaction, whichever code path writes: a change to a project's
// judged attributes, its annual plan, its 1–N月 cumulatives or its excuses marks the pair stale; a new rule set
// version, a time curve or a change of the January–February merge drops the months it rules. On PostgreSQL the
// dropping triggers take the same advisory lock as the filling reader, so a fill never outlives the rules it used.

/** Advisory lock key shared by the fill (server/modules/lights/light-snapshot.repository.ts) and the triggers. */
export const LIGHT_LOCK = 7270062;

const PROJECT_COLUMNS = ['actual_start_date', 'stats_entered', 'stats_entered_date', 'region_code', 'unit_id', 'stage', 'nature', 'category', 'investment_type', 'deleted_at'];

/** Tables whose rows belong to one (project_id, year): a write marks the pair stale. */
const PAIR_TABLES = ['annual_plans', 'indicator_ytd', 'light_excuses'];

export async function up(db: Kysely<any>): Promise<void> {
  // Clustered on (year, month, project_id) on SQLite (WITHOUT ROWID): a fill appends, a page reads in id order.
  // No foreign key: a project's hard delete cascades to its annual plans, whose trigger marks the pair stale.
  const snapshots = db.schema.createTable('light_snapshots')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('nature', 'text')
    .addColumn('category', 'text')
    .addColumn('investment_type', 'text')
    // The lights packed in one integer (light-snapshot.repository.ts: encodeLights): one small column to count by.
    .addColumn('code', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('light_snapshots_pk', ['year', 'month', 'project_id']);
  await (isPostgres(db) ? snapshots : snapshots.modifyEnd(sql`without rowid`)).execute();
  // A region subtree's counts read only this index.
  await db.schema.createIndex('light_snapshots_region').on('light_snapshots').columns(['year', 'month', 'region_code', 'code']).execute();

  // Counts per (year, month, region, packed lights), kept equal to light_snapshots by every write to it: a region
  // subtree's (or the whole portfolio's) counts are a sum over a few thousand rows.
  await db.schema.createTable('light_counts')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('code', 'integer', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('light_counts_pk', ['year', 'month', 'region_code', 'code'])
    .execute();

  await db.schema.createTable('light_snapshot_months')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('complete', 'integer', (c) => c.notNull())
    // The fill's progress: every project on the year's list with an id up to here has its row.
    .addColumn('filled_to', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('light_snapshot_months_pk', ['year', 'month'])
    .execute();

  await db.schema.createTable('light_stale')
    .addColumn('project_id', 'integer', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('stamp', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('light_stale_pk', ['year', 'project_id'])
    .execute();

  if (isPostgres(db)) await postgresTriggers(db);
  else await sqliteTriggers(db);
}

const changed = (row: 'OLD' | 'NEW', other: 'OLD' | 'NEW', op: string) => PROJECT_COLUMNS.map((c) => `${row}.${c} ${op} ${other}.${c}`).join(' OR ');

async function sqliteTriggers(db: Kysely<any>): Promise<void> {
  // SQLite has one writer at a time: a fill that has not put its month row yet cannot run beside this write, so
  // years nobody has looked at (a bulk load) need no stale rows.
  const markStale = (row: 'NEW' | 'OLD') => `INSERT INTO light_stale (project_id, year, stamp)
    SELECT ${row}.project_id, ${row}.year, abs(random() % 9007199254740991) WHERE EXISTS (SELECT 1 FROM light_snapshot_months WHERE year = ${row}.year)
    ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp;`;
  for (const table of PAIR_TABLES) {
    await sql.raw(`CREATE TRIGGER ${table}_lights_ai AFTER INSERT ON ${table} BEGIN ${markStale('NEW')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_lights_au AFTER UPDATE ON ${table} BEGIN ${markStale('OLD')} ${markStale('NEW')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_lights_ad AFTER DELETE ON ${table} BEGIN ${markStale('OLD')} END`).execute(db);
  }
  await sql.raw(`CREATE TRIGGER projects_lights_au AFTER UPDATE OF ${PROJECT_COLUMNS.join(', ')} ON projects
    WHEN ${changed('OLD', 'NEW', 'IS NOT')}
    BEGIN
      INSERT INTO light_stale (project_id, year, stamp)
        SELECT NEW.id, m.year, abs(random() % 9007199254740991) FROM (SELECT DISTINCT year FROM light_snapshot_months) m WHERE true
        ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp;
    END`).execute(db);
  const drop = (year: string, fromMonth: string) => `DELETE FROM light_snapshots WHERE year = ${year} AND month >= ${fromMonth};
    DELETE FROM light_counts WHERE year = ${year} AND month >= ${fromMonth};
    DELETE FROM light_snapshot_months WHERE year = ${year} AND month >= ${fromMonth};`;
  await sql.raw(`CREATE TRIGGER light_rule_sets_lights_ai AFTER INSERT ON light_rule_sets BEGIN ${drop('NEW.year', 'NEW.effective_month')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER light_rule_sets_lights_au AFTER UPDATE ON light_rule_sets BEGIN ${drop('OLD.year', '1')} ${drop('NEW.year', '1')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER light_rule_sets_lights_ad AFTER DELETE ON light_rule_sets BEGIN ${drop('OLD.year', 'OLD.effective_month')} END`).execute(db);
  const curveYear = (row: 'NEW' | 'OLD') => `CAST(substr(${row}.key, 12) AS INTEGER)`;
  await sql.raw(`CREATE TRIGGER indicator_settings_lights_ai AFTER INSERT ON indicator_settings WHEN NEW.key LIKE 'time_curve:%' BEGIN ${drop(curveYear('NEW'), '1')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER indicator_settings_lights_au AFTER UPDATE ON indicator_settings WHEN NEW.key LIKE 'time_curve:%' OR OLD.key LIKE 'time_curve:%' BEGIN ${drop(curveYear('OLD'), '1')} ${drop(curveYear('NEW'), '1')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER indicator_settings_lights_ad AFTER DELETE ON indicator_settings WHEN OLD.key LIKE 'time_curve:%' BEGIN ${drop(curveYear('OLD'), '1')} END`).execute(db);
  // Whether January and February are one period (1–2月) decides which months a consecutive rule looks back on.
  await sql.raw(`CREATE TRIGGER reporting_periods_lights_ai AFTER INSERT ON reporting_periods WHEN NEW.month = 2 AND NEW.first_month = 1 BEGIN ${drop('NEW.year', '1')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER reporting_periods_lights_au AFTER UPDATE ON reporting_periods WHEN (OLD.month = 2 OR NEW.month = 2) AND (OLD.first_month IS NOT NEW.first_month OR OLD.month IS NOT NEW.month OR OLD.year IS NOT NEW.year) BEGIN ${drop('OLD.year', '1')} ${drop('NEW.year', '1')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER reporting_periods_lights_ad AFTER DELETE ON reporting_periods WHEN OLD.month = 2 AND OLD.first_month = 1 BEGIN ${drop('OLD.year', '1')} END`).execute(db);
}

async function postgresTriggers(db: Kysely<any>): Promise<void> {
  // Unconditional here: with concurrent transactions a fill may begin while this write is still uncommitted.
  await sql.raw(`CREATE FUNCTION docket_lights_stale_pair() RETURNS trigger AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        INSERT INTO light_stale (project_id, year, stamp) VALUES (OLD.project_id, OLD.year, nextval('light_stale_stamp'))
        ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        INSERT INTO light_stale (project_id, year, stamp) VALUES (NEW.project_id, NEW.year, nextval('light_stale_stamp'))
        ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp;
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`).execute(db);
  await sql`CREATE SEQUENCE light_stale_stamp`.execute(db);
  for (const table of PAIR_TABLES) {
    await sql.raw(`CREATE TRIGGER ${table}_lights AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION docket_lights_stale_pair()`).execute(db);
  }
  await sql.raw(`CREATE FUNCTION docket_lights_stale_project() RETURNS trigger AS $$
    BEGIN
      INSERT INTO light_stale (project_id, year, stamp)
        SELECT NEW.id, ap.year, nextval('light_stale_stamp') FROM annual_plans ap WHERE ap.project_id = NEW.id
        ON CONFLICT (year, project_id) DO UPDATE SET stamp = excluded.stamp;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`).execute(db);
  await sql.raw(`CREATE TRIGGER projects_lights AFTER UPDATE OF ${PROJECT_COLUMNS.join(', ')} ON projects FOR EACH ROW
    WHEN (${changed('OLD', 'NEW', 'IS DISTINCT FROM')}) EXECUTE FUNCTION docket_lights_stale_project()`).execute(db);
  // Dropping months: under the fill's advisory lock, so no fill chunk judged by the old rules commits afterwards.
  await sql.raw(`CREATE FUNCTION docket_lights_drop(y integer, from_month integer) RETURNS void AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(${LIGHT_LOCK});
      DELETE FROM light_snapshots WHERE year = y AND month >= from_month;
      DELETE FROM light_counts WHERE year = y AND month >= from_month;
      DELETE FROM light_snapshot_months WHERE year = y AND month >= from_month;
    END $$ LANGUAGE plpgsql`).execute(db);
  await sql.raw(`CREATE FUNCTION docket_lights_drop_rules() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN PERFORM docket_lights_drop(NEW.year, NEW.effective_month);
      ELSIF TG_OP = 'DELETE' THEN PERFORM docket_lights_drop(OLD.year, OLD.effective_month);
      ELSE PERFORM docket_lights_drop(OLD.year, 1); PERFORM docket_lights_drop(NEW.year, 1);
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`).execute(db);
  await sql`CREATE TRIGGER light_rule_sets_lights AFTER INSERT OR UPDATE OR DELETE ON light_rule_sets FOR EACH ROW EXECUTE FUNCTION docket_lights_drop_rules()`.execute(db);
  await sql.raw(`CREATE FUNCTION docket_lights_drop_curve() RETURNS trigger AS $$
    BEGIN
      IF TG_OP <> 'INSERT' AND OLD.key LIKE 'time_curve:%' THEN PERFORM docket_lights_drop(substr(OLD.key, 12)::integer, 1); END IF;
      IF TG_OP <> 'DELETE' AND NEW.key LIKE 'time_curve:%' THEN PERFORM docket_lights_drop(substr(NEW.key, 12)::integer, 1); END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`).execute(db);
  await sql`CREATE TRIGGER indicator_settings_lights AFTER INSERT OR UPDATE OR DELETE ON indicator_settings FOR EACH ROW EXECUTE FUNCTION docket_lights_drop_curve()`.execute(db);
  await sql.raw(`CREATE FUNCTION docket_lights_drop_periods() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        IF NEW.month = 2 AND NEW.first_month = 1 THEN PERFORM docket_lights_drop(NEW.year, 1); END IF;
      ELSIF TG_OP = 'DELETE' THEN
        IF OLD.month = 2 AND OLD.first_month = 1 THEN PERFORM docket_lights_drop(OLD.year, 1); END IF;
      ELSIF (OLD.month = 2 OR NEW.month = 2) AND (OLD.first_month, OLD.month, OLD.year) IS DISTINCT FROM (NEW.first_month, NEW.month, NEW.year) THEN
        PERFORM docket_lights_drop(OLD.year, 1); PERFORM docket_lights_drop(NEW.year, 1);
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`).execute(db);
  await sql`CREATE TRIGGER reporting_periods_lights AFTER INSERT OR UPDATE OR DELETE ON reporting_periods FOR EACH ROW EXECUTE FUNCTION docket_lights_drop_periods()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const t of [...PAIR_TABLES, 'projects', 'light_rule_sets', 'indicator_settings', 'reporting_periods']) await sql.raw(`DROP TRIGGER IF EXISTS ${t}_lights ON ${t}`).execute(db);
    for (const f of ['docket_lights_stale_pair()', 'docket_lights_stale_project()', 'docket_lights_drop_rules()', 'docket_lights_drop_curve()', 'docket_lights_drop_periods()', 'docket_lights_drop(integer, integer)']) {
      await sql.raw(`DROP FUNCTION IF EXISTS ${f}`).execute(db);
    }
    await sql`DROP SEQUENCE IF EXISTS light_stale_stamp`.execute(db);
  } else {
    const names = [...PAIR_TABLES.flatMap((t) => [`${t}_lights_ai`, `${t}_lights_au`, `${t}_lights_ad`]), 'projects_lights_au',
      ...['light_rule_sets', 'indicator_settings', 'reporting_periods'].flatMap((t) => [`${t}_lights_ai`, `${t}_lights_au`, `${t}_lights_ad`])];
    for (const n of names) await sql.raw(`DROP TRIGGER IF EXISTS ${n}`).execute(db);
  }
  for (const t of ['light_stale', 'light_snapshot_months', 'light_counts', 'light_snapshots']) await db.schema.dropTable(t).ifExists().execute();
}
