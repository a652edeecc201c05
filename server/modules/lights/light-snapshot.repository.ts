import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import { dialectOf } from '../../db/dialect.ts';
import type { Executor } from '../../db/database.ts';
import type { DB, LightSnapshotTable } from '../../db/schema.ts';
import type { DataScope } from '../../context.ts';
import type { Dimension, LightOrNone } from '../../../core/lights.ts';
import { LIGHT_LOCK } from '../../db/migrations/2026-11-23-08-lights.ts';
import { applyProjectFilter, withinScope, type AttributeFilter, type ProjectFilter } from '../../platform/project-filter.ts';

// The light snapshots (migration 2026-11-23-08-lights explains the tables and the triggers that keep them right).

/** A filter the snapshot's own columns answer: the same attributes as the indicators' group rollup. */
export type SnapshotFilter = AttributeFilter;

/** Which projects a read covers: the snapshot's columns (office scope, group filter), or the project filter in scope. */
export type SnapshotScope = { kind: 'columns'; filter: SnapshotFilter } | { kind: 'projects'; filter: ProjectFilter; scope: DataScope };

/** One row of counts: how many projects have this combination of lights. */
export interface LightCombination extends PackedLights {
  n: number;
}

export type SnapshotRow = LightSnapshotTable;

/** The overall light or a dimension's. */
export type LightColumn = 'overall' | Dimension;

/** A project's lights as stored in one integer. */
export interface PackedLights {
  overall: LightOrNone;
  investment: LightOrNone;
  start: LightOrNone;
  stats: LightOrNone;
  problems: LightOrNone;
  excused: boolean;
}

const LIGHT_CODES: readonly LightOrNone[] = ['none', 'green', 'yellow', 'red'];
/** Where each light sits in the packed code (its multiplier); the excuse flag sits at 1024. */
const SHIFT: Record<LightColumn, number> = { problems: 256, overall: 64, investment: 16, start: 4, stats: 1 };
const EXCUSED = 1024;

/** Packs lights into the integer stored in light_snapshots.code. */
export function encodeLights(l: PackedLights): number {
  const c = (x: LightOrNone) => LIGHT_CODES.indexOf(x);
  return (l.excused ? EXCUSED : 0) + c(l.problems) * SHIFT.problems + c(l.overall) * SHIFT.overall + c(l.investment) * SHIFT.investment + c(l.start) * SHIFT.start + c(l.stats) * SHIFT.stats;
}

/** The lights of a stored code. */
export function decodeLights(code: number): PackedLights {
  const at = (col: LightColumn) => LIGHT_CODES[Math.floor(code / SHIFT[col]) % 4]!;
  return { overall: at('overall'), investment: at('investment'), start: at('start'), stats: at('stats'), problems: at('problems'), excused: code >= EXCUSED };
}

type SnapshotQuery<O> = SelectQueryBuilder<DB, 'light_snapshots', O>;

/** Splits a list into chunks so that statements stay far below either engine's parameter limit. */
function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

// Subtrees by materialized path, as the project filter defines them: [path, path~).
function regionCodes(db: Executor, code: string) {
  const root = () => db.selectFrom('regions as root').where('root.code', '=', code);
  return db.selectFrom('regions').select('regions.code')
    .where('regions.path', '>=', root().select('root.path'))
    .where('regions.path', '<', root().select(sql<string>`root.path || '~'`.as('upper')));
}

function unitIds(eb: ExpressionBuilder<DB, 'light_snapshots'>, id: number) {
  const root = () => eb.selectFrom('units as root').where('root.id', '=', id);
  return eb.selectFrom('units').select('units.id')
    .where('units.path', '>=', root().select('root.path'))
    .where('units.path', '<', root().select(sql<string>`root.path || '~'`.as('upper')));
}

/** All SQL of the light snapshots: their months, stale pairs, writes, counts and pages. */
export class LightSnapshotRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /**
   * Serializes fills, stale re-judging and the triggers that drop months on PostgreSQL (held until the transaction
   * ends); SQLite has one writer at a time already.
   */
  async lock(): Promise<void> {
    if (dialectOf(this.db) === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(LIGHT_LOCK)})`.execute(this.db);
  }

  findMonth(year: number, month: number) {
    return this.db.selectFrom('light_snapshot_months').selectAll().where('year', '=', year).where('month', '=', month).executeTakeFirst();
  }

  /** The months of a year whose snapshots exist (being filled or complete), ascending. */
  /** The years that have snapshot months. */
  async listYears(): Promise<number[]> {
    const rows = await this.db.selectFrom('light_snapshot_months').select('year').distinct().orderBy('year').execute();
    return rows.map((r) => r.year);
  }

  async listMonths(year: number): Promise<number[]> {
    const rows = await this.db.selectFrom('light_snapshot_months').select('month').where('year', '=', year).orderBy('month').execute();
    return rows.map((r) => r.month);
  }

  async listAllMonths() {
    return this.db.selectFrom('light_snapshot_months').selectAll().orderBy('year').orderBy('month').execute();
  }

  /** Marks a month as being filled (no-op when it already is, or is complete). */
  async startMonth(year: number, month: number): Promise<void> {
    await this.db.insertInto('light_snapshot_months').values({ year, month, complete: 0 }).onConflict((oc) => oc.doNothing()).execute();
  }

  async completeMonth(year: number, month: number): Promise<void> {
    await this.db.updateTable('light_snapshot_months').set({ complete: 1 }).where('year', '=', year).where('month', '=', month).execute();
  }

  /**
   * Refreshes the planner's statistics after a fill on PostgreSQL: a table that just grew by a month of rows is
   * otherwise estimated at a few rows and counted through the heap instead of the index. light_counts too: its
   * per-region rows, all added by the fill, were estimated at one and probed region by region (10 ms against 0.6
   * at 100k; issue 16).
   */
  async analyze(): Promise<void> {
    if (dialectOf(this.db) === 'postgres') await sql`analyze light_snapshots, light_counts`.execute(this.db);
  }

  /** Records a fill's progress: every project up to this id has its row. */
  async setFilledTo(year: number, month: number, projectId: number): Promise<void> {
    await this.db.updateTable('light_snapshot_months').set({ filled_to: projectId }).where('year', '=', year).where('month', '=', month).execute();
  }

  /** Drops a year's snapshots (every month, or from a month on) and their month rows. */
  async dropYear(year: number, fromMonth = 1): Promise<void> {
    await this.db.deleteFrom('light_snapshots').where('year', '=', year).where('month', '>=', fromMonth).execute();
    await this.db.deleteFrom('light_counts').where('year', '=', year).where('month', '>=', fromMonth).execute();
    await this.db.deleteFrom('light_snapshot_months').where('year', '=', year).where('month', '>=', fromMonth).execute();
  }

  /** Adds (or with sign −1 subtracts) snapshot rows to the counts of their (month, region, code). */
  private async addCounts(year: number, rows: readonly { month: number; region_code: string; code: number }[], sign: 1 | -1): Promise<void> {
    const tally = new Map<string, { month: number; region_code: string; code: number; n: number }>();
    for (const r of rows) {
      const key = `${r.month}|${r.region_code}|${r.code}`;
      const t = tally.get(key);
      if (t) t.n += sign;
      else tally.set(key, { month: Number(r.month), region_code: r.region_code, code: Number(r.code), n: sign });
    }
    for (const part of chunks([...tally.values()], 1000)) {
      await this.db.insertInto('light_counts').values(part.map((t) => ({ year, ...t })))
        .onConflict((oc) => oc.columns(['year', 'month', 'region_code', 'code']).doUpdateSet({ n: sql<number>`light_counts.n + excluded.n` }))
        .execute();
    }
  }

  /** Ids of the projects on year Y's list after `afterId`, ascending: the next chunk of a fill. */
  async listPlannedIds(year: number, afterId: number, limit: number): Promise<number[]> {
    const rows = await this.db.selectFrom('annual_plans').select('project_id')
      .where('year', '=', year).where('project_id', '>', afterId)
      .orderBy('project_id').limit(limit).execute();
    return rows.map((r) => r.project_id);
  }

  /** How many projects have an annual plan for the year (what a fill judges). */
  async countPlanned(year: number): Promise<number> {
    const row = await this.db.selectFrom('annual_plans').select((eb) => eb.fn.countAll<number>().as('n')).where('year', '=', year).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Pairs of a year marked stale, with the stamp that tells a later re-marking apart. */
  listStale(year: number, limit: number) {
    return this.db.selectFrom('light_stale').select(['project_id', 'stamp']).where('year', '=', year).orderBy('project_id').limit(limit).execute();
  }

  /**
   * Pairs of a year whose 1–N月 cumulatives changed, with the first month that changed: their lights are re-judged
   * from that month on only (migration 2026-12-15-40).
   */
  listStaleYtd(year: number, limit: number) {
    return this.db.selectFrom('light_stale_ytd').select(['project_id', 'stamp', 'from_month']).where('year', '=', year).orderBy('project_id').limit(limit).execute();
  }

  /** The cumulative marks of some projects (a whole-year re-judging of them covers these too). */
  async listStaleYtdOf(year: number, projectIds: readonly number[]) {
    const out: { project_id: number; stamp: number; from_month: number }[] = [];
    for (const part of chunks(projectIds, 500)) {
      out.push(...await this.db.selectFrom('light_stale_ytd').select(['project_id', 'stamp', 'from_month']).where('year', '=', year).where('project_id', 'in', part).execute());
    }
    return out;
  }

  /** Pairs of a year marked stale, whole-year and cumulative marks together (a pair in both counts twice). */
  async countStale(year: number): Promise<number> {
    // One statement, not one per table: every lights read asks this first (issue 16: round trips on PostgreSQL).
    const row = await this.db.selectNoFrom((eb) => [
      eb.selectFrom('light_stale').select(eb.fn.countAll<number>().as('n')).where('year', '=', year).as('whole'),
      eb.selectFrom('light_stale_ytd').select(eb.fn.countAll<number>().as('n')).where('year', '=', year).as('ytd'),
    ]).executeTakeFirstOrThrow();
    return Number(row.whole ?? 0) + Number(row.ytd ?? 0);
  }

  /**
   * Removes the stale marks that were read (a mark re-written since keeps its new stamp and stays). The project ids
   * as an IN list let both engines find the chunk's marks by the key: with only the OR of (project, stamp) pairs,
   * SQLite scanned every mark of the year per statement, which made a bulk write's refresh quadratic (issue 23).
   * The stamps are a second IN list, not an OR of pairs (400 pairs tested against each row: 7 ms a statement at
   * 100k): a stamp is never given twice (PostgreSQL's sequence; on SQLite a random 53-bit number, and the marks are
   * read and removed in one transaction with no other writer), so a re-written mark's new stamp is not in the list.
   */
  async deleteStale(year: number, marks: readonly { project_id: number; stamp: number }[], table: 'light_stale' | 'light_stale_ytd' = 'light_stale'): Promise<void> {
    for (const part of chunks(marks, 400)) {
      await this.db.deleteFrom(table).where('year', '=', year).where('project_id', 'in', part.map((m) => m.project_id))
        .where('stamp', 'in', part.map((m) => m.stamp))
        .execute();
    }
  }

  /** Drops every mark of a year, whole-year and cumulative. */
  async deleteAllStale(year: number): Promise<void> {
    await this.db.deleteFrom('light_stale').where('year', '=', year).execute();
    await this.db.deleteFrom('light_stale_ytd').where('year', '=', year).execute();
  }

  /** Deletes some projects' rows of the given months (every month with rows: the key has no index by project). */
  async deleteProjects(year: number, months: readonly number[], projectIds: readonly number[]): Promise<void> {
    if (!months.length) return;
    for (const part of chunks(projectIds, 500)) {
      const gone = await this.db.deleteFrom('light_snapshots').where('year', '=', year).where('month', 'in', [...months]).where('project_id', 'in', part)
        .returning(['month', 'region_code', 'code']).execute();
      await this.addCounts(year, gone, -1);
    }
  }

  /**
   * Writes snapshot rows; a row already there stays (judging is deterministic, so it is the same row). The rows
   * travel as one JSON parameter per chunk: a short statement each engine parses once, instead of thousands of
   * bound values (a fill writes every project of the year).
   */
  async insert(rows: readonly SnapshotRow[]): Promise<void> {
    const pg = dialectOf(this.db) === 'postgres';
    for (const part of chunks(rows, 5000)) {
      const json = JSON.stringify(part.map((r) => [r.year, r.month, r.project_id, r.region_code, r.unit_id, r.stage, r.nature, r.category, r.investment_type, r.code]));
      const columns = sql`insert into light_snapshots (year, month, project_id, region_code, unit_id, stage, nature, category, investment_type, code)`;
      // Only the rows actually inserted come back, and only they are counted.
      const returned = sql`returning month, region_code, code`;
      type Added = { month: number; region_code: string; code: number };
      const added = pg
        ? await sql<Added>`${columns}
          select (e->>0)::int, (e->>1)::int, (e->>2)::int, e->>3, (e->>4)::int, e->>5, e->>6, e->>7, e->>8, (e->>9)::int
          from jsonb_array_elements(${json}::jsonb) e
          on conflict do nothing ${returned}`.execute(this.db)
        // "where true" keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
        : await sql<Added>`${columns}
          select value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, value->>9
          from json_each(${json}) where true
          on conflict do nothing ${returned}`.execute(this.db);
      await this.addCounts(part[0]!.year, added.rows, 1);
    }
  }

  /** Stored counts of a month that differ from a count of its snapshot rows (both directions; zero counts ignored). */
  async countDifferences(year: number, month: number): Promise<number> {
    const stored = await this.db.selectFrom('light_counts').select(['region_code', 'code', 'n']).where('year', '=', year).where('month', '=', month).execute();
    const actual = await this.db.selectFrom('light_snapshots').select(['region_code', 'code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('year', '=', year).where('month', '=', month).groupBy(['region_code', 'code']).execute();
    const key = (r: { region_code: string; code: number }) => `${r.region_code}|${Number(r.code)}`;
    const a = new Map(actual.map((r) => [key(r), Number(r.n)]));
    const b = new Map(stored.filter((r) => Number(r.n) !== 0).map((r) => [key(r), Number(r.n)]));
    let differing = 0;
    for (const k of new Set([...a.keys(), ...b.keys()])) if (a.get(k) !== b.get(k)) differing++;
    return differing;
  }

  /** The stored rows of some projects in some months of a year (what a re-judging compares with). */
  async listRowsOf(year: number, months: readonly number[], projectIds: readonly number[]): Promise<SnapshotRow[]> {
    if (!months.length) return [];
    const out: SnapshotRow[] = [];
    for (const part of chunks(projectIds, 500)) {
      out.push(...await this.db.selectFrom('light_snapshots').selectAll().where('year', '=', year).where('month', 'in', [...months])
        .where('project_id', 'in', part).execute());
    }
    return out;
  }

  /** The stored rows of a month for projects with ids in [fromId, toId] (for the check against a recomputation). */
  listRows(year: number, month: number, range: { fromId: number; toId: number }) {
    return this.db.selectFrom('light_snapshots').selectAll().where('year', '=', year).where('month', '=', month)
      .where('project_id', '>=', range.fromId).where('project_id', '<=', range.toId)
      .orderBy('project_id').execute();
  }

  private scoped<O>(qb: SnapshotQuery<O>, scope: SnapshotScope): SnapshotQuery<O> {
    if (scope.kind === 'projects') {
      const { filter, scope: dataScope } = scope;
      return qb.where('light_snapshots.project_id', 'in', () => applyProjectFilter(withinScope(this.db.selectFrom('projects'), dataScope), filter).select('projects.id'));
    }
    const f = scope.filter;
    if (f.region) {
      const code = f.region;
      qb = qb.where('light_snapshots.region_code', 'in', regionCodes(this.db, code));
    }
    if (f.unit) {
      const id = f.unit;
      qb = qb.where('light_snapshots.unit_id', 'in', (eb) => unitIds(eb, id));
    }
    for (const attr of ['stage', 'nature', 'category', 'investment_type'] as const) {
      const values = f[attr];
      if (values?.length) qb = qb.where(`light_snapshots.${attr}`, 'in', values);
    }
    return qb;
  }

  /** How many projects of the scope have each combination of lights in (year, month). */
  async countCombinations(year: number, month: number, scope: SnapshotScope): Promise<LightCombination[]> {
    const f = scope.kind === 'columns' ? scope.filter : undefined;
    if (f && !f.unit && !f.stage?.length && !f.nature?.length && !f.category?.length && !f.investment_type?.length) {
      // Everything or a region subtree: a sum over the counts per region.
      let qb = this.db.selectFrom('light_counts').where('light_counts.year', '=', year).where('light_counts.month', '=', month);
      if (f.region) {
        const code = f.region;
        qb = qb.where('light_counts.region_code', 'in', regionCodes(this.db, code));
      }
      const rows = await qb.select(['light_counts.code', (eb) => eb.fn.sum<number>('light_counts.n').as('n')]).groupBy('light_counts.code').execute();
      return rows.filter((r) => Number(r.n) > 0).map((r) => ({ ...decodeLights(Number(r.code)), n: Number(r.n) }));
    }
    const rows = await this.scoped(this.db.selectFrom('light_snapshots').where('year', '=', year).where('month', '=', month), scope)
      .select(['light_snapshots.code', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('light_snapshots.code')
      .execute();
    return rows.map((r) => ({ ...decodeLights(Number(r.code)), n: Number(r.n) }));
  }

  /** Project ids of the scope whose light in `column` is `light`, by id, one slice. */
  async listProjectIds(year: number, month: number, scope: SnapshotScope, column: LightColumn, light: LightOrNone, offset: number, limit: number): Promise<number[]> {
    const rows = await this.scoped(this.db.selectFrom('light_snapshots').where('year', '=', year).where('month', '=', month), scope)
      // Integer division on both engines (the code is a non-negative integer).
      .where(sql`(light_snapshots.code / ${sql.lit(SHIFT[column])}) % 4`, '=', LIGHT_CODES.indexOf(light))
      .select('light_snapshots.project_id')
      .orderBy('light_snapshots.project_id')
      .limit(limit).offset(offset)
      .execute();
    return rows.map((r) => r.project_id);
  }
}
