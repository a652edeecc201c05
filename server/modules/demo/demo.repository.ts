import { sql, type Transaction } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import type { PeriodStatus } from '../../../core/monthly-report.ts';
import type { DB } from '../../db/schema.ts';
import type { ProjectBundle } from './demo.generator.ts';
import { clock } from '../../clock.ts';
import { performance } from 'node:perf_hooks';

type PgType = 'int' | 'bigint' | 'text';

// Column lists of the bulk load, with the PostgreSQL array type each is sent as.
const PROJECT_COLUMNS: [string, PgType][] = [
  ['id', 'int'], ['code', 'text'], ['stats_code', 'text'], ['name', 'text'], ['search_text', 'text'], ['list_year', 'int'],
  ['batch', 'text'], ['parent_id', 'int'], ['is_package', 'int'], ['is_key_of_key', 'int'], ['nature', 'text'], ['category', 'text'],
  ['industry_code', 'text'], ['investment_type', 'text'], ['is_attraction', 'int'], ['is_central_budget', 'int'], ['is_special_bond', 'int'],
  ['campaign_group', 'text'], ['region_code', 'text'], ['address', 'text'], ['builder_name', 'text'], ['builder_uscc', 'text'],
  ['builder_legal_person', 'text'], ['builder_contact', 'text'], ['builder_phone', 'text'], ['unit_id', 'int'], ['lead_unit_id', 'int'],
  ['leader_name', 'text'], ['leader_post', 'text'], ['scope_content', 'text'], ['start_year', 'int'], ['end_year', 'int'],
  ['planned_start_date', 'text'], ['actual_start_date', 'text'], ['planned_completion_date', 'text'], ['actual_completion_date', 'text'],
  ['planned_production_date', 'text'], ['actual_production_date', 'text'], ['total_investment', 'bigint'], ['fund_central', 'bigint'],
  ['fund_province', 'bigint'], ['fund_city', 'bigint'], ['fund_county', 'bigint'], ['fund_bank_loan', 'bigint'], ['fund_self', 'bigint'],
  ['fund_special_bond', 'bigint'], ['tier', 'text'], ['reserve_review', 'text'], ['stage', 'text'], ['stage_before_pause', 'text'],
  ['stats_entered', 'int'], ['stats_category', 'text'], ['stats_reason', 'text'], ['stats_entered_date', 'text'],
  ['withdraw_reason', 'text'], ['tier_before_withdraw', 'text'], ['version', 'int'],
  ['created_at', 'text'], ['updated_at', 'text'], ['created_by', 'int'], ['updated_by', 'int'], ['deleted_at', 'text'],
];
const LEVEL_COLUMNS: [string, PgType][] = [['project_id', 'int'], ['level', 'text']];
const PLAN_COLUMNS: [string, PgType][] = [
  ['project_id', 'int'], ['year', 'int'], ['planned_investment', 'bigint'], ['completed_before_year', 'bigint'], ['plan_new_start', 'int'],
  ['plan_start_month', 'int'], ['plan_completion', 'int'], ['plan_completion_month', 'int'], ['plan_production', 'int'],
  ['plan_production_month', 'int'], ['progress_target', 'text'], ['list_kind', 'text'], ['version', 'int'], ['created_at', 'text'], ['updated_at', 'text'],
];
const REPORT_COLUMNS: [string, PgType][] = [
  ['project_id', 'int'], ['year', 'int'], ['month', 'int'], ['amount_month', 'bigint'], ['amount_ytd', 'bigint'], ['amount_since_start', 'bigint'],
  ['negative_reason', 'text'], ['stage', 'text'], ['stage_date', 'text'], ['progress_text', 'text'], ['workers', 'int'], ['problems', 'text'],
  ['next_plan', 'text'], ['stats_entered', 'int'], ['stats_code', 'text'], ['stats_reason', 'text'], ['status', 'text'], ['return_reason', 'text'],
  ['submitted_at', 'text'], ['first_submitted_at', 'text'], ['submitted_by', 'int'], ['reviewed_at', 'text'], ['reviewed_by', 'int'], ['revision', 'int'], ['version', 'int'],
  ['created_at', 'text'], ['updated_at', 'text'],
];
const HISTORY_COLUMNS: [string, PgType][] = [
  ['project_id', 'int'], ['from_stage', 'text'], ['to_stage', 'text'], ['event_date', 'text'], ['reason', 'text'], ['user_id', 'int'], ['created_at', 'text'],
];

type Row = Record<string, unknown>;
interface TableLoad { table: string; columns: [string, PgType][]; rows: (b: ProjectBundle) => readonly Row[] }
const LOADS: TableLoad[] = [
  { table: 'projects', columns: PROJECT_COLUMNS, rows: (b) => [b.project] },
  { table: 'project_levels', columns: LEVEL_COLUMNS, rows: (b) => b.levels.map((level) => ({ project_id: b.project.id, level })) },
  { table: 'annual_plans', columns: PLAN_COLUMNS, rows: (b) => (b.plan ? [b.plan] : []) },
  { table: 'project_stage_history', columns: HISTORY_COLUMNS, rows: (b) => b.history },
  { table: 'monthly_reports', columns: REPORT_COLUMNS, rows: (b) => b.reports },
];

/** Rebuilds of kept tables that live in other modules' repositories, handed to afterLoad by the demo service. */
export interface KeptRebuilds {
  /** project_list_totals recounted (ProjectRepository.rebuildKeptListTotals). */
  listTotals(trx: Transaction<DB>): Promise<void>;
  /** reporting_unit_projects and report_unit_counts recounted (ReportRepository.rebuildKeptReportCounts). */
  reportCounts(trx: Transaction<DB>): Promise<void>;
}

/** Writes generated bundles in bulk. */
export interface BulkWriter {
  /**
   * Before the first batch, in the caller's transaction (SQLite): sets aside the loaded tables' secondary indexes and
   * the insert triggers afterLoad knows how to replace, so that each is built once over the whole load.
   */
  beforeLoad(trx: Transaction<DB>): Promise<void>;
  /** Writes a batch inside the caller's transaction (the demo service opens one per batch with inTransaction). */
  write(trx: Transaction<DB>, bundles: readonly ProjectBundle[]): Promise<void>;
  /**
   * After the last batch, in the caller's transaction: puts back what beforeLoad set aside, byte for byte as the
   * migrations made it, and rebuilds what those triggers keep, one pass each, to what they would have written row by row.
   */
  afterLoad(trx: Transaction<DB>, rebuilds: KeptRebuilds): Promise<void>;
  /** Brings sequences and planner statistics up to date after the load. */
  finish(): Promise<void>;
}

const LOADED_TABLES = LOADS.map((l) => l.table);

// The insert triggers on the loaded tables that the SQLite load sets aside, and what afterLoad does instead. A
// trigger not named here (one a later migration adds) stays in place and fires row by row, as before: slower, never wrong.
type Rebuild = 'search index' | 'list totals' | 'report counts' | 'indicator pending' | 'lights stale';
const SUSPENDED_TRIGGERS: Record<string, Rebuild> = {
  projects_fts_ai: 'search index',
  list_totals_project_ai: 'list totals', list_totals_plan_ai: 'list totals',
  report_counts_project_ai: 'report counts', report_counts_report_ai: 'report counts',
  indicator_pending_project_ai: 'indicator pending', indicator_pending_plan_ai: 'indicator pending',
  annual_plans_lights_ai: 'lights stale',
};

/**
 * SQLite: prepared statements on the raw better-sqlite3 handle — an order of magnitude faster than building Kysely
 * queries for millions of rows. The handle is the connection Kysely's transaction holds open (one connection per
 * SQLite database), so the statements commit or roll back with the caller's transaction.
 */
function sqliteWriter(database: Database, phases: Record<string, number>): BulkWriter {
  const handle = database.sqlite;
  if (!handle) throw new Error('raw SQLite handle unavailable');
  // Several rows per statement: fewer statement executions and JS↔C crossings per row.
  const ROWS_PER_STATEMENT = 50;
  const tables = LOADS.map((load) => {
    const names = load.columns.map(([c]) => c);
    const tuple = `(${names.map(() => '?').join(', ')})`;
    const head = `insert into ${load.table} (${names.join(', ')}) values `;
    return {
      load, names,
      one: handle.prepare(head + tuple),
      many: handle.prepare(head + Array.from({ length: ROWS_PER_STATEMENT }, () => tuple).join(', ')),
    };
  });
  // A large page cache for the load and the index sorts after it (the default 64 MB spills them to temporary files).
  const cacheSize = handle.pragma('cache_size', { simple: true }) as number;
  handle.pragma('cache_size = -1048576');
  const run = (bundles: readonly ProjectBundle[]) => {
    for (const { load, names, one, many } of tables) {
      const t0 = performance.now();
      const rows = bundles.flatMap(load.rows);
      let i = 0;
      for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
        const params: unknown[] = [];
        for (let r = i; r < i + ROWS_PER_STATEMENT; r++) for (const c of names) params.push(rows[r]![c] ?? null);
        many.run(params);
      }
      for (; i < rows.length; i++) one.run(names.map((c) => rows[i]![c] ?? null));
      phases[`insert ${load.table}`] = (phases[`insert ${load.table}`] ?? 0) + (performance.now() - t0) / 1000;
    }
  };
  // What beforeLoad set aside: the schema SQL to run again, and the rebuilds the triggers' absence calls for.
  let setAside: { indexes: { name: string; sql: string }[]; triggers: { name: string; sql: string }[] } | undefined;
  let firstLoadedId: number | undefined;
  const timed = (phase: string, fn: () => void) => {
    const t0 = performance.now();
    fn();
    phases[phase] = (phases[phase] ?? 0) + (performance.now() - t0) / 1000;
  };
  const inTransactionOnly = () => {
    // Only inside the caller's open transaction: outside one, each statement would commit on its own.
    if (!handle.inTransaction) throw new Error('demo bulk write outside a transaction');
  };
  return {
    beforeLoad: async () => {
      inTransactionOnly();
      const inList = LOADED_TABLES.map(() => '?').join(', ');
      // Secondary indexes only: the primary keys and UNIQUE constraints' own indexes (sqlite_autoindex_*, sql NULL)
      // cannot be dropped, and the rows arrive in their order anyway.
      const indexes = handle.prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${inList}) order by name`).all(...LOADED_TABLES) as { name: string; sql: string }[];
      const triggers = (handle.prepare(`select name, sql from sqlite_master where type = 'trigger' and tbl_name in (${inList}) order by name`).all(...LOADED_TABLES) as { name: string; sql: string }[])
        .filter((t) => t.name in SUSPENDED_TRIGGERS);
      for (const t of triggers) handle.exec(`drop trigger ${t.name}`);
      for (const i of indexes) handle.exec(`drop index ${i.name}`);
      setAside = { indexes, triggers };
    },
    write: async (_trx, bundles) => {
      inTransactionOnly();
      firstLoadedId ??= bundles[0]?.project.id;
      run(bundles);
    },
    afterLoad: async (trx, rebuilds) => {
      inTransactionOnly();
      if (!setAside) return;
      const { indexes, triggers } = setAside;
      setAside = undefined;
      // One sort per index over the loaded rows instead of millions of random-order inserts into each.
      timed('rebuild: secondary indexes', () => {
        for (const i of indexes) handle.exec(i.sql);
      });
      const needed = new Set(triggers.map((t) => SUSPENDED_TRIGGERS[t.name]!));
      if (needed.has('search index')) timed('rebuild: search index (trigram)', () => handle.exec(`insert into projects_fts(projects_fts) values ('rebuild')`));
      const from = firstLoadedId ?? Number.MAX_SAFE_INTEGER;
      // What the indicator_pending triggers would have noted: every loaded project (its plan's project is one of them).
      if (needed.has('indicator pending')) {
        timed('rebuild: indicator pending', () => handle.prepare(`insert into indicator_pending (project_id)
          select id from projects where id >= ? and not exists (select 1 from indicator_pending ip where ip.project_id = projects.id)`).run(from));
      }
      // The plans' lights trigger marks a (project, year) stale when that year has snapshots (none in a new demo).
      if (needed.has('lights stale')) {
        timed('rebuild: lights stale', () => handle.prepare(`insert into light_stale (project_id, year, stamp)
          select project_id, year, abs(random() % 9007199254740991) from annual_plans
          where project_id >= ? and exists (select 1 from light_snapshot_months m where m.year = annual_plans.year)
          on conflict (year, project_id) do update set stamp = excluded.stamp`).run(from));
      }
      // The kept counts are recounts of their sources: exact whatever the triggers would have added row by row.
      const t0 = performance.now();
      if (needed.has('list totals')) await rebuilds.listTotals(trx);
      phases['rebuild: list totals'] = (performance.now() - t0) / 1000;
      const t1 = performance.now();
      if (needed.has('report counts')) await rebuilds.reportCounts(trx);
      phases['rebuild: report counts'] = (performance.now() - t1) / 1000;
      // The triggers last, from the SQL the migrations stored: the schema ends as it began.
      for (const t of triggers) handle.exec(t.sql);
    },
    finish: async () => {
      handle.pragma(`cache_size = ${cacheSize}`);
      // A sampled analyze: exact statistics over millions of rows would take minutes and plan no better.
      handle.pragma('analysis_limit = 2000');
      handle.exec('analyze');
    },
  };
}

/**
 * PostgreSQL: one `insert … select * from unnest($1::int[], $2::text[] …)` per table and call, so a batch of
 * thousands of rows is one round trip with one parameter per column (no 65,535-parameter limit).
 */
function postgresWriter(database: Database): BulkWriter {
  const insertAll = async (trx: Executor, load: TableLoad, rows: readonly Row[]) => {
    if (rows.length === 0) return;
    const arrays = load.columns.map(([c, type]) => sql`${rows.map((r) => r[c] ?? null)}::${sql.raw(type)}[]`);
    await sql`insert into ${sql.raw(load.table)} (${sql.raw(load.columns.map(([c]) => c).join(', '))}) select * from unnest(${sql.join(arrays)})`.execute(trx);
  };
  return {
    // PostgreSQL keeps its indexes and triggers during the load (not measured at 1M yet).
    beforeLoad: async () => {},
    write: async (trx, bundles) => {
      for (const load of LOADS) await insertAll(trx, load, bundles.flatMap(load.rows));
    },
    afterLoad: async () => {},
    finish: async () => {
      // Projects were inserted with explicit ids: move the identity sequence past them.
      await sql`select setval(pg_get_serial_sequence('projects', 'id'), (select coalesce(max(id), 1) from projects))`.execute(database.db);
      await sql`analyze`.execute(database.db);
    },
  };
}

/** The bulk writer for the database's engine. */
export function createBulkWriter(database: Database, phases: Record<string, number> = {}): BulkWriter {
  return database.dialect === 'sqlite' ? sqliteWriter(database, phases) : postgresWriter(database);
}

/** The small, ordinary SQL of the demo: regions to hang units on, units, accounts, reporting periods. */
export class DemoRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  async countProjects(): Promise<number> {
    const r = await this.db.selectFrom('projects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** The first project of a unit, if any (the demo links an enterprise to it). */
  async firstProjectOfUnit(unitId: number): Promise<number | null> {
    const r = await this.db.selectFrom('projects').select('id').where('unit_id', '=', unitId).where('deleted_at', 'is', null).orderBy('id').limit(1).executeTakeFirst();
    return r?.id ?? null;
  }

  async nextProjectId(): Promise<number> {
    const r = await this.db.selectFrom('projects').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
    return Number(r?.m ?? 0) + 1;
  }

  listChildRegions(parentCode: string) {
    return this.db.selectFrom('regions').select(['code', 'name']).where('parent_code', '=', parentCode).orderBy('code').execute();
  }

  findRegion(code: string) {
    return this.db.selectFrom('regions').select(['code', 'name']).where('code', '=', code).executeTakeFirst();
  }

  /** Inserts a unit under its parent and sets its materialized path; returns the id. */
  async insertUnit(unit: { name: string; shortName: string | null; parentId: number | null; kind: string; regionCode: string; sort: number }, now: string): Promise<number> {
    const parentPath = unit.parentId === null ? '/'
      : (await this.db.selectFrom('units').select('path').where('id', '=', unit.parentId).executeTakeFirstOrThrow()).path;
    const { id } = await this.db.insertInto('units').values({
      name: unit.name, short_name: unit.shortName, parent_id: unit.parentId, kind: unit.kind, region_code: unit.regionCode,
      path: '/', sort: unit.sort, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await this.db.updateTable('units').set({ path: `${parentPath}${id}/` }).where('id', '=', id).execute();
    return id;
  }

  async insertUser(user: { username: string; displayName: string; unitId: number | null; role: string; passwordHash: string }, now: string): Promise<number> {
    const { id } = await this.db.insertInto('users').values({
      username: user.username, display_name: user.displayName, unit_id: user.unitId, role: user.role, password_hash: user.passwordHash,
      // The demo's clock (asOf) may lie months back: the password age starts today so demo logins do not expire.
      must_change_password: 0, is_active: 1, created_at: now, updated_at: now, password_changed_at: clock.now().toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    return id;
  }

  /** Units with the most projects on the year's list (the benchmark's month-end surge signs in their reporters). */
  listBusiestUnits(year: number, limit: number) {
    return this.db.selectFrom('annual_plans as ap').innerJoin('projects as p', 'p.id', 'ap.project_id')
      .select(['p.unit_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('ap.year', '=', year).where('p.deleted_at', 'is', null).where('p.tier', '=', 'implementation')
      .groupBy('p.unit_id').orderBy('n', 'desc').orderBy('p.unit_id').limit(limit).execute();
  }

  /** Ids of a unit's projects on the year's list. */
  async listPlannedProjectIds(year: number, unitId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('annual_plans as ap').innerJoin('projects as p', 'p.id', 'ap.project_id').select('p.id')
      .where('ap.year', '=', year).where('p.unit_id', '=', unitId).where('p.deleted_at', 'is', null).where('p.tier', '=', 'implementation')
      .orderBy('p.id').execute();
    return rows.map((r) => r.id);
  }

  /** Ids of the reports of a period that stand submitted. */
  async listSubmittedReportIds(year: number, month: number): Promise<number[]> {
    const rows = await this.db.selectFrom('monthly_reports').select('id').where('year', '=', year).where('month', '=', month).where('status', '=', 'submitted').execute();
    return rows.map((r) => r.id);
  }

  /** Creates the year's twelve reporting periods unless they exist: closed up to lastClosed, the next one open. */
  async ensurePeriods(year: number, lastClosed: number, now: string): Promise<void> {
    const existing = await this.db.selectFrom('reporting_periods').select('month').where('year', '=', year).execute();
    const have = new Set(existing.map((p) => p.month));
    const rows = [];
    for (let month = 1; month <= 12; month++) {
      if (have.has(month)) continue;
      const status: PeriodStatus = month <= lastClosed ? 'closed' : month === lastClosed + 1 ? 'open' : 'pending';
      rows.push({
        year, month, first_month: month, deadline: `${year}-${String(month).padStart(2, '0')}-25`, status,
        opened_at: status === 'pending' ? null : now, closed_at: status === 'closed' ? now : null,
      });
    }
    if (rows.length) await this.db.insertInto('reporting_periods').values(rows).execute();
  }
}
