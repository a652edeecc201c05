import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// Issue 16: the indicator group rollup learnt which projects to re-snapshot from a timestamp watermark: the projects
// and plans whose updated_at was at or after the last sync. That missed writes in two ways:
// - servers whose clocks disagree: a sync on a server running ahead stamps a watermark later than another server's
//   next write;
// - a long write (a project import stamps every row with the moment it began) that commits after a sync which began
//   later: its rows lie before the watermark when they become visible.
// indicator_pending replaces the comparison: triggers note each project whose facts' source columns change, in the
// writer's transaction, whatever path writes; a sync takes the noted projects (DELETE … RETURNING, under the
// rollup's lock) and re-snapshots them. No clock takes part, and a project is only taken once its write has
// committed (see the PostgreSQL trigger below).

// The columns of projects and annual_plans the facts are made of (IndicatorGroupsRepository.recomputedFacts), and
// updated_at, which every edit through the services moves.
const PROJECT_COLUMNS = ['region_code', 'unit_id', 'stage', 'nature', 'category', 'investment_type', 'total_investment',
  'actual_start_date', 'actual_completion_date', 'actual_production_date', 'deleted_at', 'updated_at'];
const PLAN_COLUMNS = ['project_id', 'year', 'planned_investment', 'completed_before_year', 'plan_new_start', 'plan_start_month',
  'plan_completion', 'plan_completion_month', 'plan_production', 'plan_production_month', 'updated_at',
  ...Array.from({ length: 12 }, (_, i) => `plan_m${String(i + 1).padStart(2, '0')}`)];

const TRIGGERS: [string, string][] = [
  ['indicator_pending_project_ai', 'projects'], ['indicator_pending_project_au', 'projects'], ['indicator_pending_project_ad', 'projects'],
  ['indicator_pending_plan_ai', 'annual_plans'], ['indicator_pending_plan_au', 'annual_plans'], ['indicator_pending_plan_ad', 'annual_plans'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('indicator_pending')
    .addColumn('project_id', 'integer', (c) => c.primaryKey())
    .execute();
  // What the watermark had not yet covered when this ran is noted now, so the switch loses nothing.
  const watermark = await db.selectFrom('system_state').select('value').where('key', '=', 'facts_synced_at').executeTakeFirst();
  if (watermark) {
    const since = JSON.parse(watermark.value as string) as string;
    await sql`INSERT INTO indicator_pending (project_id)
      SELECT id FROM projects WHERE updated_at >= ${since}
      UNION SELECT project_id FROM annual_plans WHERE updated_at >= ${since}`.execute(db);
  }
  const changed = (columns: string[], op: string) => columns.map((c) => `OLD.${c} ${op} NEW.${c}`).join(' OR ');
  if (isPostgres(db)) {
    // DO UPDATE (a no-op) rather than DO NOTHING: the writer then holds the row locked until it commits, and a sync
    // skips locked rows (FOR UPDATE SKIP LOCKED), so it never takes a project whose new values it cannot see yet, and
    // never waits on a writer while it holds the rollup's lock. A writer meeting a row a sync is taking waits for that
    // sync to commit, then notes its project anew.
    for (const [table, columns, prefix, id] of [['projects', PROJECT_COLUMNS, 'project', 'id'], ['annual_plans', PLAN_COLUMNS, 'plan', 'project_id']] as const) {
      const note = (row: 'OLD' | 'NEW') => `INSERT INTO indicator_pending (project_id) VALUES (${row}.${id})
        ON CONFLICT (project_id) DO UPDATE SET project_id = excluded.project_id;`;
      await sql.raw(`CREATE FUNCTION docket_indicator_pending_${prefix}() RETURNS trigger AS $$ BEGIN
        IF TG_OP <> 'INSERT' THEN ${note('OLD')} END IF;
        IF TG_OP <> 'DELETE' THEN ${note('NEW')} END IF;
        RETURN NULL; END $$ LANGUAGE plpgsql`).execute(db);
      const run = `FOR EACH ROW EXECUTE FUNCTION docket_indicator_pending_${prefix}()`;
      await sql.raw(`CREATE TRIGGER indicator_pending_${prefix}_ai AFTER INSERT ON ${table} ${run}`).execute(db);
      await sql.raw(`CREATE TRIGGER indicator_pending_${prefix}_ad AFTER DELETE ON ${table} ${run}`).execute(db);
      await sql.raw(`CREATE TRIGGER indicator_pending_${prefix}_au AFTER UPDATE OF ${columns.join(', ')} ON ${table}
        FOR EACH ROW WHEN (${changed(columns, 'IS DISTINCT FROM')}) EXECUTE FUNCTION docket_indicator_pending_${prefix}()`).execute(db);
    }
  } else {
    for (const [table, columns, prefix, id] of [['projects', PROJECT_COLUMNS, 'project', 'id'], ['annual_plans', PLAN_COLUMNS, 'plan', 'project_id']] as const) {
      // Not INSERT OR IGNORE: SQLite applies the outer statement's conflict policy to a trigger's statements, so
      // under an upsert into annual_plans the IGNORE became ABORT (one writer at a time: the check cannot race).
      const note = (row: 'OLD' | 'NEW') => `INSERT INTO indicator_pending (project_id) SELECT ${row}.${id}
        WHERE NOT EXISTS (SELECT 1 FROM indicator_pending WHERE project_id = ${row}.${id});`;
      await sql.raw(`CREATE TRIGGER indicator_pending_${prefix}_ai AFTER INSERT ON ${table} BEGIN ${note('NEW')} END`).execute(db);
      await sql.raw(`CREATE TRIGGER indicator_pending_${prefix}_ad AFTER DELETE ON ${table} BEGIN ${note('OLD')} END`).execute(db);
      await sql.raw(`CREATE TRIGGER indicator_pending_${prefix}_au AFTER UPDATE OF ${columns.join(', ')} ON ${table}
        WHEN ${changed(columns, 'IS NOT')} BEGIN ${note('OLD')} ${note('NEW')} END`).execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [trigger, table] of TRIGGERS) {
    await sql.raw(isPostgres(db) ? `DROP TRIGGER IF EXISTS ${trigger} ON ${table}` : `DROP TRIGGER IF EXISTS ${trigger}`).execute(db);
  }
  if (isPostgres(db)) {
    await sql`DROP FUNCTION IF EXISTS docket_indicator_pending_project()`.execute(db);
    await sql`DROP FUNCTION IF EXISTS docket_indicator_pending_plan()`.execute(db);
  }
  await db.schema.dropTable('indicator_pending').execute();
}
