import { CompiledQuery, sql, type Expression } from 'kysely';
import { dialectOf } from '../../db/dialect.ts';
import type { Executor } from '../../db/database.ts';
import { PLAN_MONTH_COLUMNS } from '../../db/schema.ts';
import { periodEndExclusive } from '../../../core/indicators.ts';
import { readState, writeState } from '../../platform/system-state.ts';
import { clock } from '../../clock.ts';
import { DELTA_COLUMNS, GroupDeltas, type GroupDelta } from './group-deltas.ts';
import {
  SUM_FIELDS, YTD_COLUMNS, foldStageRows, hasMonthlyPlan, plannedToDate, sameRow, sumSelections, type GroupSums,
} from './indicator.repository.ts';

// The group rollup: indicator_facts (per project and year, a snapshot of what the indicators read) and
// indicator_groups (per year, month and group of projects with the same region, unit, stage, nature, category and
// investment type: the additive sums). A large scope's figures are then a sum over a few thousand group rows.

/** The attributes a group shares; a filter or breakdown on anything else reads the projects instead. */
export const GROUP_ATTRIBUTES = ['region_code', 'unit_id', 'stage', 'nature', 'category', 'investment_type'] as const;
export type GroupAttribute = (typeof GROUP_ATTRIBUTES)[number];

/** A filter the group rollup can answer: region subtree, unit subtree and value lists of group attributes. */
export interface GroupFilter {
  region?: string;
  unit?: number;
  stage?: string[];
  nature?: string[];
  category?: string[];
  investment_type?: string[];
}

const FACT_COLUMNS = [
  'project_id', 'year', 'group_key', 'region_code', 'unit_id', 'stage', 'nature', 'category', 'investment_type',
  'total_investment', 'planned_investment', 'completed_before_year', 'plan_new_start', 'plan_start_month', 'plan_completion',
  'plan_completion_month', 'plan_production', 'plan_production_month', 'actual_start_date', 'actual_completion_date',
  'actual_production_date', ...YTD_COLUMNS, ...PLAN_MONTH_COLUMNS,
] as const;

const GROUP_COLUMNS = ['year', 'month', 'group_key', 'region_code', 'unit_id', 'stage', 'nature', 'category', 'investment_type', ...SUM_FIELDS, ...YTD_COLUMNS] as const;

/** The rollup epoch's key in system_state (see epoch()). */
const EPOCH = 'indicator_groups_epoch';

// Separator and null marker inside group keys: control characters no code or label contains.
const SEP = '\u001f';
const NUL = '\u0001';

/** The twelve months as a derived table (one row each), written the same on both engines. */
const MONTHS_TABLE = sql<{ m: number }>`(${sql.raw(Array.from({ length: 12 }, (_, i) => `select ${i + 1} as m`).join(' union all '))})`;

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
   */
  async lock(): Promise<void> {
    if (dialectOf(this.db) === 'postgres') await sql`select pg_advisory_xact_lock(7270061)`.execute(this.db);
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

  /** The groups as they should be for a year (or one month of it), summed from the stored facts. */
  private recomputedGroups(year: number, month?: number) {
    const ytdOfMonth = sql`case mm.m ${sql.join(YTD_COLUMNS.map((c, i) => sql`when ${sql.lit(i + 1)} then ${sql.ref(`f.${c}`)}`), sql` `)} end`;
    const endOfMonth = sql`case mm.m ${sql.join(YTD_COLUMNS.map((_, i) => sql`when ${sql.lit(i + 1)} then ${sql.lit(periodEndExclusive(year, i + 1))}`), sql` `)} end`;
    const qb = this.db.selectFrom('indicator_facts as f')
      .innerJoin(MONTHS_TABLE.as('mm'), (j) => j.onTrue())
      .where('f.year', '=', year)
      .select([
        sql<number>`${sql.lit(year)}`.as('year'), sql<number>`mm.m`.as('month'),
        'f.group_key', 'f.region_code', 'f.unit_id', 'f.stage', 'f.nature', 'f.category', 'f.investment_type',
        ...sumSelections({
          total: 'f.total_investment', planned: 'f.planned_investment', before: 'f.completed_before_year', ytd: ytdOfMonth,
          newStart: 'f.plan_new_start', startMonth: 'f.plan_start_month', completion: 'f.plan_completion',
          completionMonth: 'f.plan_completion_month', production: 'f.plan_production', productionMonth: 'f.plan_production_month',
          startDate: 'f.actual_start_date', completionDate: 'f.actual_completion_date', productionDate: 'f.actual_production_date',
          plannedToDate: plannedToDate('f', sql`mm.m`), hasMonthlyPlan: hasMonthlyPlan('f'),
        }, year, sql`mm.m`, endOfMonth),
        // Σ of every month's cumulative (the same in each month's row): the trend reads one month's rows.
        ...YTD_COLUMNS.map((c) => sql<number>`sum(${sql.ref(`f.${c}`)})`.as(c)),
      ])
      .groupBy([sql`mm.m`, 'f.group_key', 'f.region_code', 'f.unit_id', 'f.stage', 'f.nature', 'f.category', 'f.investment_type']);
    return month === undefined ? qb : qb.where(sql`mm.m`, '=', month);
  }

  /** Recomputes all groups of a year from the stored facts. */
  private async recomputeGroups(year: number): Promise<void> {
    await this.db.deleteFrom('indicator_groups').where('year', '=', year).execute();
    await this.db.insertInto('indicator_groups').columns(GROUP_COLUMNS).expression(this.recomputedGroups(year)).execute();
    await this.advanceEpoch();
  }

  /**
   * Adds (sign 1) or takes away (sign -1) the contributions of some projects' stored facts of a year to the group
   * rows: an upsert of additive deltas, so a write costs the same whatever the size of its groups.
   */
  private async applyDelta(year: number, projectIds: number[], sign: 1 | -1): Promise<void> {
    const contributions = this.recomputedGroups(year).where('f.project_id', 'in', projectIds);
    const signed = (c: string) => (sign === 1 ? sql.ref(`d.${c}`) : sql`-${sql.ref(`d.${c}`)}`);
    const delta = this.db.selectFrom(contributions.as('d'))
      .select([
        'd.year', 'd.month', 'd.group_key', 'd.region_code', 'd.unit_id', 'd.stage', 'd.nature', 'd.category', 'd.investment_type',
        ...[...SUM_FIELDS, ...YTD_COLUMNS].map((c) => sql<number>`${signed(c)}`.as(c)),
      ])
      // SQLite needs a WHERE in INSERT … SELECT … ON CONFLICT to parse the upsert unambiguously.
      .where(sql<boolean>`1 = 1`);
    await this.db.insertInto('indicator_groups').columns(GROUP_COLUMNS).expression(delta)
      .onConflict((oc) => oc.columns(['year', 'month', 'group_key']).doUpdateSet(Object.fromEntries(
        [...SUM_FIELDS, ...YTD_COLUMNS].map((c) => [c, sql`${sql.ref(`indicator_groups.${c}`)} + ${sql.ref(`excluded.${c}`)}`]),
      )))
      .execute();
  }

  /**
   * Some projects' facts as stored and as they should be, and the projects whose facts differ. Most writes change
   * nothing the indicators read (a draft saved, a report returned): only the projects in `changed` are moved.
   */
  private async diffFacts(ids: number[]) {
    const keyOf = (r: { project_id: number; year: number }) => `${r.project_id}:${r.year}`;
    const stored = await this.db.selectFrom('indicator_facts').select(FACT_COLUMNS).where('project_id', 'in', ids).execute();
    const expected = await this.recomputedFacts(ids).execute();
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
        await this.db.deleteFrom('indicator_groups').where('year', '=', year).where('group_key', 'in', part).where('count', '=', 0).execute();
      }
    }
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
   * Adds group row deltas (of one or more months) to indicator_groups: an upsert of the sums in parts of 500 rows,
   * then the rows left without a project removed (a recomputation has no empty groups). Call lock() first.
   */
  async applyDeltas(deltas: readonly GroupDelta[]): Promise<void> {
    // One statement text per part size (the statement cache keeps it prepared), built here rather than by the query
    // builder: 500 rows of 44 parameters each cost more to build and compile than to run.
    const postgres = dialectOf(this.db) === 'postgres';
    const quoted = GROUP_COLUMNS.map((c) => `"${c}"`);
    const statement = (rows: number) => {
      let k = 0;
      const tuple = () => `(${quoted.map(() => (postgres ? `$${++k}` : '?')).join(', ')})`;
      return `insert into "indicator_groups" (${quoted.join(', ')}) values ${Array.from({ length: rows }, tuple).join(', ')}`
        + ` on conflict ("year", "month", "group_key") do update set ${DELTA_COLUMNS.map((c) => `"${c}" = "indicator_groups"."${c}" + excluded."${c}"`).join(', ')}`;
    };
    for (const part of chunks(deltas, 500)) {
      const params: unknown[] = [];
      for (const d of part) {
        params.push(d.year, d.month, d.group_key, d.region_code, d.unit_id, d.stage, d.nature, d.category, d.investment_type);
        for (const v of d.values) params.push(v);
      }
      await this.db.executeQuery(CompiledQuery.raw(statement(part.length), params));
    }
    const emptied = new Map<string, { year: number; month: number; keys: string[] }>();
    for (const d of deltas) {
      if (d.values[0]! >= 0) continue;
      const id = `${d.year}-${d.month}`;
      let e = emptied.get(id);
      if (!e) emptied.set(id, (e = { year: d.year, month: d.month, keys: [] }));
      e.keys.push(d.group_key);
    }
    for (const { year, month, keys } of emptied.values()) {
      for (const part of chunks(keys)) {
        await this.db.deleteFrom('indicator_groups').where('year', '=', year).where('month', '=', month).where('group_key', 'in', part).where('count', '=', 0).execute();
      }
    }
  }

  /**
   * Recomputes one month's rows of some groups of a year (every group when `keys` is undefined) from the stored
   * facts: what a bulk write's stale groups need, in steps small enough to be short transactions (a month of a
   * 100k portfolio's groups is a twelfth of the year's recomputation). Call lock() first.
   */
  async recomputeGroupsOf(year: number, month: number, keys?: readonly string[]): Promise<void> {
    let del = this.db.deleteFrom('indicator_groups').where('year', '=', year).where('month', '=', month);
    let ins = this.recomputedGroups(year, month);
    if (keys) {
      if (!keys.length) return;
      del = del.where('group_key', 'in', keys);
      ins = ins.where('f.group_key', 'in', keys);
    }
    await del.execute();
    await this.db.insertInto('indicator_groups').columns(GROUP_COLUMNS).expression(ins).execute();
    await this.advanceEpoch();
  }

  /** How many group rows a month of a year has (what a set of stale keys is weighed against). */
  async countGroups(year: number, month: number): Promise<number> {
    const r = await this.db.selectFrom('indicator_groups').select((eb) => eb.fn.countAll<number>().as('n')).where('year', '=', year).where('month', '=', month).executeTakeFirstOrThrow();
    return Number(r.n);
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

  /** Projects whose row or annual plans were written at or after `since` (an ISO timestamp). */
  async listChangedProjectIds(since: string): Promise<number[]> {
    // max() reads one end of the updated_at indexes: the usual answer, "nothing changed", costs no scan (the
    // planner may not use those indexes for a range when its statistics see few distinct timestamps).
    const latest = await this.db.selectFrom('projects').select((eb) => eb.fn.max('updated_at').as('t'))
      .union(this.db.selectFrom('annual_plans').select((eb) => eb.fn.max('updated_at').as('t')))
      .execute();
    if (!latest.some((r) => r.t !== null && r.t >= since)) return [];
    const rows = await this.db.selectFrom('projects').select('id').where('updated_at', '>=', since)
      .union(this.db.selectFrom('annual_plans').select('project_id as id').where('updated_at', '>=', since))
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Additive sums for (year, month) over the groups matching the filter, keyed by a group attribute and stage,
   * with Σ each month's 1–N月 cumulative (the trend), so one read answers the total, a breakdown and the trend.
   */
  async sumsBy(filter: GroupFilter, year: number, month: number, by: GroupAttribute | 'none'): Promise<GroupSums[]> {
    const keyExpr: Expression<unknown> = by === 'none' ? sql`null` : sql.ref(`g.${by}`);
    const rows = await this.filtered(filter, year)
      .where('g.month', '=', month)
      .select([
        sql<string | number | null>`${keyExpr}`.as('k'), 'g.stage as stage',
        ...[...SUM_FIELDS, ...YTD_COLUMNS].map((f) => sql<number>`sum(${sql.ref(`g.${f}`)})`.as(f)),
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
      const storedGroups = this.db.selectFrom('indicator_groups').select(GROUP_COLUMNS).where('year', '=', year);
      const expectedGroups = this.recomputedGroups(year);
      groups += await count(expectedGroups.except(storedGroups)) + await count(storedGroups.except(expectedGroups));
    }
    return { facts, groups };
  }
}
