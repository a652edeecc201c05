import { CompiledQuery, sql, type Expression } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { dialectOf } from '../../db/dialect.ts';
import { executeCached } from '../../db/compiled-cache.ts';
import type { Executor } from '../../db/database.ts';
import { PLAN_MONTH_COLUMNS } from '../../db/schema.ts';
import { periodEndExclusive } from '../../../core/indicators.ts';
import { readState, writeState } from '../../platform/system-state.ts';
import type { AttributeFilter } from '../../platform/project-filter.ts';
import { clock } from '../../clock.ts';
import { GROUP_SUM_COLUMNS, GroupDeltas, MONTH_SUMS, YEAR_SUMS, monthColumn, type GroupDelta } from './group-deltas.ts';
import {
  SUM_FIELDS, YTD_COLUMNS, foldStageRows, hasMonthlyPlan, plannedToDate, sameRow, sumExpressions, type GroupSums, type YtdChange,
} from './indicator.repository.ts';

// The group rollup: indicator_facts (per project and year, a snapshot of what the indicators read) and
// indicator_groups (per year and group of projects with the same region, unit, stage, nature, category and
// investment type: the additive sums of each month of the year in one row — the sums the same in every month once,
// the others per month as `<sum>_mNN`, and Σ each month's cumulative for the trend). A large scope's figures are then
// a sum over a few thousand group rows, and a write moves one row per group it touches whatever the month (issue 23:
// with a row per month, a December figure rewrote all twelve, since every month's row carried the trend).

/** The attributes a group shares; a filter or breakdown on anything else reads the projects instead. */
export const GROUP_ATTRIBUTES = ['region_code', 'unit_id', 'stage', 'nature', 'category', 'investment_type'] as const;
export type GroupAttribute = (typeof GROUP_ATTRIBUTES)[number];

/** A filter the group rollup can answer: region subtree, unit subtree and value lists of group attributes. */
export type GroupFilter = AttributeFilter;

const FACT_COLUMNS = [
  'project_id', 'year', 'group_key', 'region_code', 'unit_id', 'stage', 'nature', 'category', 'investment_type',
  'total_investment', 'planned_investment', 'completed_before_year', 'plan_new_start', 'plan_start_month', 'plan_completion',
  'plan_completion_month', 'plan_production', 'plan_production_month', 'actual_start_date', 'actual_completion_date',
  'actual_production_date', ...YTD_COLUMNS, ...PLAN_MONTH_COLUMNS,
] as const;

const GROUP_KEY_COLUMNS = ['year', 'group_key', 'region_code', 'unit_id', 'stage', 'nature', 'category', 'investment_type'] as const;
const GROUP_COLUMNS: readonly string[] = [...GROUP_KEY_COLUMNS, ...GROUP_SUM_COLUMNS];
/** A yearly group row and its column names (the month columns are named at run time: `started_to_date_m11`). */
type GroupRow = DB['indicator_groups'];
type GroupColumn = Extract<keyof GroupRow, string>;

/** The rollup's advisory lock (bigint key) and the class of its per-project locks (two-int keys: another space). */
const ROLLUP_LOCK = 7270061;
const ROLLUP_LOCK_CLASS = 7270061;

/** The rollup epoch's key in system_state (see epoch()). */
const EPOCH = 'indicator_groups_epoch';

// Separator and null marker inside group keys: control characters no code or label contains.
const SEP = '\u001f';
const NUL = '\u0001';


/** Splits a list into chunks so that IN lists stay far below either engine's parameter limit. */
function chunks<T>(xs: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** All SQL of the group rollup. */
export class IndicatorGroupRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /**
   * Serializes rollup maintenance between concurrent transactions on PostgreSQL (two writers recomputing the same
   * group would otherwise collide); SQLite has one writer at a time already. Held until the transaction ends.
   * Exclusive: what recomputes group rows from the facts, or rewrites many projects' facts (bulk writes, syncs,
   * rebuilds) runs alone.
   */
  async lock(): Promise<void> {
    if (dialectOf(this.db) === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(ROLLUP_LOCK)})`.execute(this.db);
  }

  /**
   * The lock of a write that refreshes one project's rollup (a report saved, submitted, reviewed): the rollup's lock
   * shared — such writers run side by side, and none while lock() is held — and the project's own lock exclusive, so
   * two writes of the same project recompute its ytd row and facts one after the other, the second from the first's
   * committed rows (READ COMMITTED: each later statement sees them). Their group deltas commute (an upsert adding to
   * the row as it stands), so writers of different projects need not wait for each other (issue 16: the exclusive
   * lock queued every report write of the cluster until its commit).
   */
  async lockProject(projectId: number): Promise<void> {
    if (dialectOf(this.db) !== 'postgres') return;
    await sql`select pg_advisory_xact_lock_shared(${sql.lit(ROLLUP_LOCK)}), pg_advisory_xact_lock(${sql.lit(ROLLUP_LOCK_CLASS)}, ${projectId}::int)`.execute(this.db);
  }

  /** The facts as they should be, from projects, plans and the ytd rollup (optionally for some projects only). */
  private recomputedFacts(projectIds?: number[]) {
    const key = sql<string>`${sql.join([
      sql`projects.region_code`, sql`cast(projects.unit_id as text)`, sql`projects.stage`,
      sql`coalesce(projects.nature, ${sql.lit(NUL)})`, sql`coalesce(projects.category, ${sql.lit(NUL)})`,
      sql`coalesce(projects.investment_type, ${sql.lit(NUL)})`,
    ], sql` || ${sql.lit(SEP)} || `)}`;
    let qb = this.db.selectFrom('projects')
      .innerJoin('annual_plans as ap', 'ap.project_id', 'projects.id')
      .leftJoin('indicator_ytd as y', (j) => j.onRef('y.project_id', '=', 'projects.id').onRef('y.year', '=', 'ap.year'))
      .where('projects.deleted_at', 'is', null)
      .select([
        'projects.id as project_id', 'ap.year', key.as('group_key'), 'projects.region_code', 'projects.unit_id', 'projects.stage',
        'projects.nature', 'projects.category', 'projects.investment_type', 'projects.total_investment', 'ap.planned_investment',
        'ap.completed_before_year', 'ap.plan_new_start', 'ap.plan_start_month', 'ap.plan_completion', 'ap.plan_completion_month',
        'ap.plan_production', 'ap.plan_production_month', 'projects.actual_start_date', 'projects.actual_completion_date',
        'projects.actual_production_date',
        ...YTD_COLUMNS.map((c) => sql<number>`coalesce(${sql.ref(`y.${c}`)}, 0)`.as(c)),
        ...PLAN_MONTH_COLUMNS.map((c) => `ap.${c}` as const),
      ]);
    if (projectIds) qb = qb.where('projects.id', 'in', projectIds);
    return qb;
  }

  /** The yearly group rows as they should be for a year, summed from the stored facts. */
  private recomputedGroups(year: number) {
    const byMonth = Array.from({ length: 12 }, (_, i) => sumExpressions({
      total: 'f.total_investment', planned: 'f.planned_investment', before: 'f.completed_before_year', ytd: sql.ref(`f.${YTD_COLUMNS[i]!}`),
      newStart: 'f.plan_new_start', startMonth: 'f.plan_start_month', completion: 'f.plan_completion',
      completionMonth: 'f.plan_completion_month', production: 'f.plan_production', productionMonth: 'f.plan_production_month',
      startDate: 'f.actual_start_date', completionDate: 'f.actual_completion_date', productionDate: 'f.actual_production_date',
      plannedToDate: plannedToDate('f', i + 1), hasMonthlyPlan: hasMonthlyPlan('f'),
    }, year, sql.lit(i + 1), sql.lit(periodEndExclusive(year, i + 1))));
    return this.db.selectFrom('indicator_facts as f')
      .where('f.year', '=', year)
      .select([
        sql<number>`${sql.lit(year)}`.as('year'),
        'f.group_key', 'f.region_code', 'f.unit_id', 'f.stage', 'f.nature', 'f.category', 'f.investment_type',
        ...YEAR_SUMS.map((f) => byMonth[0]![f].as(f)),
        ...byMonth.flatMap((e, i) => MONTH_SUMS.map((f) => e[f].as(monthColumn(f, i + 1)))),
        // Σ of every month's cumulative: the trend.
        ...YTD_COLUMNS.map((c) => sql<number>`sum(${sql.ref(`f.${c}`)})`.as(c)),
      ])
      .groupBy(['f.group_key', 'f.region_code', 'f.unit_id', 'f.stage', 'f.nature', 'f.category', 'f.investment_type']);
  }

  /** Recomputes all groups of a year from the stored facts. */
  private async recomputeGroups(year: number): Promise<void> {
    await this.db.deleteFrom('indicator_groups').where('year', '=', year).execute();
    await this.insertGroups(this.recomputedGroups(year));
    await this.advanceEpoch();
  }

  /** Inserts recomputed group rows (the columns named at run time: the table's types list them by month). */
  private async insertGroups(rows: ReturnType<IndicatorGroupRepository['recomputedGroups']>): Promise<void> {
    await this.db.insertInto('indicator_groups').columns(GROUP_COLUMNS as readonly GroupColumn[]).expression(rows.$castTo<GroupRow>()).execute();
  }

  /**
   * Adds (sign 1) or takes away (sign -1) the contributions of some projects' stored facts of a year to the group
   * rows: an upsert of additive deltas, so a write costs the same whatever the size of its groups.
   */
  private async applyDelta(year: number, projectIds: number[], sign: 1 | -1): Promise<void> {
    await executeCached(this.db, `indicator_groups.delta:${year}:${sign}`, projectIds, (ids) => this.deltaStatement(year, ids, sign));
  }

  /** The upsert of applyDelta. */
  private deltaStatement(year: number, projectIds: number[], sign: 1 | -1) {
    const contributions = this.recomputedGroups(year).where('f.project_id', 'in', projectIds);
    const signed = (c: string) => (sign === 1 ? sql.ref(`d.${c}`) : sql`-${sql.ref(`d.${c}`)}`);
    const delta = this.db.selectFrom(contributions.as('d'))
      .select([
        'd.year', 'd.group_key', 'd.region_code', 'd.unit_id', 'd.stage', 'd.nature', 'd.category', 'd.investment_type',
        ...GROUP_SUM_COLUMNS.map((c) => sql<number>`${signed(c)}`.as(c)),
      ])
      // SQLite needs a WHERE in INSERT … SELECT … ON CONFLICT to parse the upsert unambiguously.
      .where(sql<boolean>`1 = 1`);
    return this.db.insertInto('indicator_groups').columns(GROUP_COLUMNS as readonly GroupColumn[]).expression(delta.$castTo<GroupRow>())
      .onConflict((oc) => oc.columns(['year', 'group_key']).doUpdateSet(Object.fromEntries(
        GROUP_SUM_COLUMNS.map((c) => [c, sql`${sql.ref(`indicator_groups.${c}`)} + ${sql.ref(`excluded.${c}`)}`]),
      )));
  }

  /**
   * Some projects' facts as stored and as they should be, and the projects whose facts differ. Most writes change
   * nothing the indicators read (a draft saved, a report returned): only the projects in `changed` are moved.
   */
  private async diffFacts(ids: number[]) {
    const keyOf = (r: { project_id: number; year: number }) => `${r.project_id}:${r.year}`;
    const stored = (await executeCached(this.db, 'indicator_facts.stored', ids, (x) => this.db.selectFrom('indicator_facts').select(FACT_COLUMNS).where('project_id', 'in', x))).rows;
    const expected = (await executeCached(this.db, 'indicator_facts.expected', ids, (x) => this.recomputedFacts(x))).rows;
    const before = new Map(stored.map((r) => [keyOf(r), r]));
    const changed = new Set<number>();
    for (const r of expected) if (!sameRow(r, before.get(keyOf(r)), FACT_COLUMNS)) changed.add(r.project_id);
    const after = new Set(expected.map(keyOf));
    for (const r of stored) if (!after.has(keyOf(r))) changed.add(r.project_id);
    return { stored, expected, changed };
  }

  /**
   * Re-snapshots some projects' facts and moves their contributions between group rows by deltas: what the old
   * facts added is taken away, what the new ones add is added, and groups left empty are removed (a recomputation
   * has no empty groups). Call lock() first.
   */
  async refreshProjects(projectIds: number[]): Promise<void> {
    const emptied = new Map<number, Set<string>>();
    const yearsOf = (rows: { year: number; group_key: string }[]) => {
      const years = new Set<number>();
      for (const r of rows) {
        years.add(r.year);
        let s = emptied.get(r.year);
        if (!s) emptied.set(r.year, (s = new Set()));
        s.add(r.group_key);
      }
      return years;
    };
    for (const ids of chunks([...new Set(projectIds)])) {
      const { stored, expected, changed } = await this.diffFacts(ids);
      if (!changed.size) continue;
      const moved = [...changed];
      for (const year of yearsOf(stored.filter((r) => changed.has(r.project_id)))) await this.applyDelta(year, moved, -1);
      await this.db.deleteFrom('indicator_facts').where('project_id', 'in', moved).execute();
      // The rows just computed, not a second recomputation; a project has a row per planned year, so the rows are
      // chunked again to keep each INSERT's parameters (45 a row) below both engines' limits.
      for (const part of chunks(expected.filter((r) => changed.has(r.project_id)), 400)) {
        await this.db.insertInto('indicator_facts').values(part).execute();
      }
      for (const year of yearsOf(expected.filter((r) => changed.has(r.project_id)))) await this.applyDelta(year, moved, 1);
    }
    for (const [year, keys] of emptied) {
      for (const part of chunks([...keys])) {
        await this.deleteEmpty(year, part);
      }
    }
  }

  /**
   * Removes the named groups whose row is all zero (a recomputation has no empty groups). A row whose count is 0
   * but whose sums are not is not empty: a chunked bulk write's deltas for it are still pending (they come with
   * refreshGroupsAfterChunks), and a project refreshed alone meanwhile must not drop what they will add to.
   */
  private async deleteEmpty(year: number, groupKeys: readonly string[]): Promise<void> {
    await this.db.deleteFrom('indicator_groups').where('year', '=', year).where('group_key', 'in', groupKeys)
      .where((eb) => eb.and(GROUP_SUM_COLUMNS.map((c) => eb(sql.ref(c), '=', 0))))
      .execute();
  }

  /**
   * The bulk counterpart of refreshProjects, for writes that touch a large part of a year (an import of a month,
   * submit-all for a city): the projects' facts are re-snapshotted set-based (DELETE + INSERT … SELECT per chunk
   * of 500) and the group rows of every year they have facts in are recomputed once from the facts. Moving each
   * project's contribution by deltas upserts ~12 wide group rows per project (measured ~0.7 ms a project at 100k
   * projects, 55 s for 80k), while recomputing a year's groups costs one pass over its facts (~4.7 s CPU at
   * 100k). Call lock() first.
   */
  async refreshProjectsBulk(projectIds: readonly number[]): Promise<void> {
    await this.recomputeYears((await this.refreshFactsOnly(projectIds, { deltas: false })).touched().keys());
  }

  /**
   * The first half of refreshProjectsBulk, and what each chunk of a chunked bulk write runs: the projects' facts
   * recomputed (only the projects whose facts differ from those stored are rewritten), the groups left as they
   * were. Returns the group deltas of the change (each changed fact's old contributions taken away, its new ones
   * added), with the rollup epoch seen under lock() — applyDeltas or a recomputation of the touched groups brings
   * the groups up to date afterwards. Call lock() first.
   */
  async refreshFactsOnly(projectIds: readonly number[], opts: { deltas?: boolean } = {}): Promise<GroupDeltas> {
    const sign = opts.deltas === false ? 0 : 1;
    const deltas = new GroupDeltas();
    deltas.epochs.add(await this.epoch());
    for (const ids of chunks([...new Set(projectIds)])) {
      const { stored, expected, changed } = await this.diffFacts(ids);
      if (!changed.size) continue;
      const moved = [...changed];
      for (const r of stored) if (changed.has(r.project_id)) deltas.add(r, -sign as -1 | 0);
      for (const r of expected) if (changed.has(r.project_id)) deltas.add(r, sign);
      await this.db.deleteFrom('indicator_facts').where('project_id', 'in', moved).execute();
      // Set-based from the same recomputation: cheaper than sending the rows back as 45 parameters each.
      await this.db.insertInto('indicator_facts').columns(FACT_COLUMNS).expression(this.recomputedFacts(moved)).execute();
    }
    return deltas;
  }

  /**
   * What a chunk of a report-only bulk write (an import, submit-all) runs after refreshProjectYearsChanged: the
   * projects whose ytd row of `year` changed take the new cumulatives into their facts row of that year by an UPDATE
   * of the twelve ytd columns — the rest of a fact reads projects and plans, which a report write leaves alone (a
   * change of those is noted in indicator_pending and taken by the next sync). Re-snapshotting whole rows instead
   * (DELETE and INSERT … SELECT of 45 columns, and their index) was the bulk writes' costliest statement (issue 23).
   * Returns the group deltas of the change, like refreshFactsOnly. Call lock() first.
   */
  async refreshFactsYtd(year: number, changes: readonly YtdChange[]): Promise<GroupDeltas> {
    const deltas = new GroupDeltas();
    deltas.epochs.add(await this.epoch());
    for (const part of chunks(changes)) {
      const monthsOf = new Map(part.map((c) => [c.project_id, c.months]));
      const stored = await this.db.selectFrom('indicator_facts').select(FACT_COLUMNS)
        .where('year', '=', year).where('project_id', 'in', [...monthsOf.keys()]).execute();
      const updated: number[] = [];
      const cleared: number[] = [];
      for (const r of stored) {
        const months = monthsOf.get(r.project_id) ?? null;
        const next = { ...r };
        YTD_COLUMNS.forEach((c, i) => (next[c] = months ? months[i]! : 0));
        if (sameRow(r, next, YTD_COLUMNS)) continue;
        deltas.add(r, -1);
        deltas.add(next, 1);
        (months ? updated : cleared).push(r.project_id);
      }
      if (updated.length) {
        await this.db.updateTable('indicator_facts').from('indicator_ytd as y')
          .set(Object.fromEntries(YTD_COLUMNS.map((c) => [c, sql.ref(`y.${c}`)])))
          .whereRef('y.project_id', '=', 'indicator_facts.project_id').whereRef('y.year', '=', 'indicator_facts.year')
          .where('indicator_facts.year', '=', year).where('indicator_facts.project_id', 'in', updated)
          .execute();
      }
      if (cleared.length) {
        await this.db.updateTable('indicator_facts').set(Object.fromEntries(YTD_COLUMNS.map((c) => [c, 0])))
          .where('year', '=', year).where('project_id', 'in', cleared).execute();
      }
    }
    return deltas;
  }

  /**
   * The rollup epoch: a counter every recomputation of group rows from the facts advances. Deltas accumulated over
   * several transactions are valid only while it stays what their first transaction saw.
   */
  async epoch(): Promise<number> {
    const v = await readState(this.db, EPOCH);
    return typeof v === 'number' ? v : 0;
  }

  /** Advances the rollup epoch (in the recomputing transaction). */
  private async advanceEpoch(): Promise<void> {
    await writeState(this.db, EPOCH, (await this.epoch()) + 1, clock.now().toISOString());
  }

  /**
   * Adds yearly group row deltas to indicator_groups: an upsert of the sums in parts of 100 rows (209 parameters
   * each), then the rows left without a project removed (a recomputation has no empty groups). Call lock() first.
   */
  async applyDeltas(deltas: readonly GroupDelta[]): Promise<void> {
    // One statement text per part size (the statement cache keeps it prepared), built here rather than by the query
    // builder: 100 rows of 209 parameters each cost more to build and compile than to run.
    const postgres = dialectOf(this.db) === 'postgres';
    const quoted = GROUP_COLUMNS.map((c) => `"${c}"`);
    const statement = (rows: number) => {
      let k = 0;
      const tuple = () => `(${quoted.map(() => (postgres ? `$${++k}` : '?')).join(', ')})`;
      return `insert into "indicator_groups" (${quoted.join(', ')}) values ${Array.from({ length: rows }, tuple).join(', ')}`
        + ` on conflict ("year", "group_key") do update set ${GROUP_SUM_COLUMNS.map((c) => `"${c}" = "indicator_groups"."${c}" + excluded."${c}"`).join(', ')}`;
    };
    for (const part of chunks(deltas, 100)) {
      const params: unknown[] = [];
      for (const d of part) {
        params.push(d.year, d.group_key, d.region_code, d.unit_id, d.stage, d.nature, d.category, d.investment_type);
        for (const v of d.values) params.push(v);
      }
      await this.db.executeQuery(CompiledQuery.raw(statement(part.length), params));
    }
    // values[0] is the count (YEAR_SUMS' first): only a group that lost projects can be left empty.
    const emptied = new Map<number, string[]>();
    for (const d of deltas) {
      if (d.values[0]! >= 0) continue;
      let keys = emptied.get(d.year);
      if (!keys) emptied.set(d.year, (keys = []));
      keys.push(d.group_key);
    }
    for (const [year, keys] of emptied) {
      for (const part of chunks(keys)) {
        await this.deleteEmpty(year, part);
      }
    }
  }

  /**
   * Recomputes some groups' yearly rows from the stored facts: what a bulk write's stale groups need, a few hundred
   * groups per call so that each is a short transaction. Call lock() first.
   */
  async recomputeGroupsOf(year: number, keys: readonly string[]): Promise<void> {
    if (!keys.length) return;
    await this.db.deleteFrom('indicator_groups').where('year', '=', year).where('group_key', 'in', keys).execute();
    await this.insertGroups(this.recomputedGroups(year).where('f.group_key', 'in', keys));
    await this.advanceEpoch();
  }

  /** Recomputes the groups of each year from the stored facts (after refreshFactsOnly). Call lock() first. */
  async recomputeYears(years: Iterable<number>): Promise<void> {
    for (const year of years) await this.recomputeGroups(year);
  }

  /** How many projects have facts for a year (the size a bulk refresh is weighed against). */
  async countFacts(year: number): Promise<number> {
    const r = await this.db.selectFrom('indicator_facts').select((eb) => eb.fn.countAll<number>().as('n')).where('year', '=', year).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Rebuilds all facts and groups from projects, plans and the ytd rollup. Call lock() first. */
  async rebuild(): Promise<void> {
    await this.db.deleteFrom('indicator_groups').execute();
    await this.db.deleteFrom('indicator_facts').execute();
    await this.advanceEpoch();
    await this.db.insertInto('indicator_facts').columns(FACT_COLUMNS).expression(this.recomputedFacts()).execute();
    const years = await this.db.selectFrom('indicator_facts').select('year').distinct().execute();
    for (const { year } of years) await this.recomputeGroups(year);
  }

  /** True when a write has noted a project for the next sync (indicator_pending, kept by triggers). */
  async hasPending(): Promise<boolean> {
    return (await this.db.selectFrom('indicator_pending').select('project_id').limit(1).executeTakeFirst()) !== undefined;
  }

  /**
   * Takes the projects noted for a sync: deleted here, in the caller's transaction, so that a rollback gives them
   * back and a write committing later notes its project again. Call lock() first. On PostgreSQL a row still locked
   * by an unfinished write is skipped, not waited for: that write's values are not visible yet (it will be taken by
   * a later sync), and a writer may itself be waiting for this rollup's lock.
   */
  async takePending(): Promise<number[]> {
    const rows = dialectOf(this.db) === 'postgres'
      ? (await sql<{ project_id: number }>`DELETE FROM indicator_pending WHERE project_id IN
          (SELECT project_id FROM indicator_pending FOR UPDATE SKIP LOCKED) RETURNING project_id`.execute(this.db)).rows
      : await this.db.deleteFrom('indicator_pending').returning('project_id').execute();
    return rows.map((r) => r.project_id);
  }

  /**
   * Additive sums for (year, month) over the groups matching the filter, keyed by a group attribute and stage,
   * with Σ each month's 1–N月 cumulative (the trend), so one read answers the total, a breakdown and the trend.
   */
  async sumsBy(filter: GroupFilter, year: number, month: number, by: GroupAttribute | 'none'): Promise<GroupSums[]> {
    const keyExpr: Expression<unknown> = by === 'none' ? sql`null` : sql.ref(`g.${by}`);
    const rows = await this.filtered(filter, year)
      .select([
        sql<string | number | null>`${keyExpr}`.as('k'), 'g.stage as stage',
        ...SUM_FIELDS.map((f) => sql<number>`sum(${sql.ref(`g.${monthColumn(f, month)}`)})`.as(f)),
        ...YTD_COLUMNS.map((f) => sql<number>`sum(${sql.ref(`g.${f}`)})`.as(f)),
      ])
      .groupBy(by === 'none' ? ['g.stage'] : [sql`${keyExpr}`, 'g.stage'])
      .execute();
    return foldStageRows(rows);
  }

  private filtered(filter: GroupFilter, year: number) {
    let qb = this.db.selectFrom('indicator_groups as g').where('g.year', '=', year);
    // Subtrees by materialized path, as the project filter defines them: [path, path~).
    if (filter.region) {
      const code = filter.region;
      qb = qb.where('g.region_code', 'in', (eb) => eb.selectFrom('regions').select('regions.code')
        .where('regions.path', '>=', eb.selectFrom('regions as root').select('root.path').where('root.code', '=', code))
        .where('regions.path', '<', eb.selectFrom('regions as root').select(sql<string>`root.path || '~'`.as('upper')).where('root.code', '=', code)));
    }
    if (filter.unit) {
      const id = filter.unit;
      qb = qb.where('g.unit_id', 'in', (eb) => eb.selectFrom('units').select('units.id')
        .where('units.path', '>=', eb.selectFrom('units as root').select('root.path').where('root.id', '=', id))
        .where('units.path', '<', eb.selectFrom('units as root').select(sql<string>`root.path || '~'`.as('upper')).where('root.id', '=', id)));
    }
    for (const attr of ['stage', 'nature', 'category', 'investment_type'] as const) {
      const values = filter[attr];
      if (values?.length) qb = qb.where(`g.${attr}`, 'in', values);
    }
    return qb;
  }

  /** Row counts where stored facts or groups differ from a recomputation (EXCEPT both ways). */
  async diff(): Promise<{ facts: number; groups: number }> {
    const count = async (qb: Expression<unknown>) => Number((await sql<{ n: number }>`select count(*) as n from (${qb}) d`.execute(this.db)).rows[0]!.n);
    const storedFacts = this.db.selectFrom('indicator_facts').select(FACT_COLUMNS);
    const expectedFacts = this.recomputedFacts();
    const facts = await count(expectedFacts.except(storedFacts)) + await count(storedFacts.except(expectedFacts));
    let groups = 0;
    const years = await this.db.selectFrom('indicator_facts').select('year').distinct()
      .union(this.db.selectFrom('indicator_groups').select('year').distinct()).execute();
    for (const { year } of years) {
      // Both sides as rows of named numbers: the yearly row's month columns are named at run time.
      const storedGroups = this.db.selectFrom('indicator_groups').select(GROUP_COLUMNS.map((c) => sql.ref(c).as(c))).where('year', '=', year)
        .$castTo<Record<string, unknown>>();
      const expectedGroups = this.recomputedGroups(year).$castTo<Record<string, unknown>>();
      groups += await count(expectedGroups.except(storedGroups)) + await count(storedGroups.except(expectedGroups));
    }
    return { facts, groups };
  }
}
