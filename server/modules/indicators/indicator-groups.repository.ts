import { sql, type Expression } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { periodEndExclusive } from '../../../core/indicators.ts';
import { SUM_FIELDS, YTD_COLUMNS, foldStageRows, sumSelections, type GroupSums } from './indicator.repository.ts';

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
  'actual_production_date', ...YTD_COLUMNS,
] as const;

const GROUP_COLUMNS = ['year', 'month', 'group_key', 'region_code', 'unit_id', 'stage', 'nature', 'category', 'investment_type', ...SUM_FIELDS] as const;

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

function isPostgres(db: Executor): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
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
    if (isPostgres(this.db)) await sql`select pg_advisory_xact_lock(7270061)`.execute(this.db);
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
      ]);
    if (projectIds) qb = qb.where('projects.id', 'in', projectIds);
    return qb;
  }

  /** The groups as they should be for a year, summed from the stored facts (optionally for some group keys). */
  private recomputedGroups(year: number, keys?: string[]) {
    const ytdOfMonth = sql`case mm.m ${sql.join(YTD_COLUMNS.map((c, i) => sql`when ${sql.lit(i + 1)} then ${sql.ref(`f.${c}`)}`), sql` `)} end`;
    const endOfMonth = sql`case mm.m ${sql.join(YTD_COLUMNS.map((_, i) => sql`when ${sql.lit(i + 1)} then ${sql.lit(periodEndExclusive(year, i + 1))}`), sql` `)} end`;
    let qb = this.db.selectFrom('indicator_facts as f')
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
        }, year, sql`mm.m`, endOfMonth),
      ])
      .groupBy([sql`mm.m`, 'f.group_key', 'f.region_code', 'f.unit_id', 'f.stage', 'f.nature', 'f.category', 'f.investment_type']);
    if (keys) qb = qb.where('f.group_key', 'in', keys);
    return qb;
  }

  /** Recomputes the groups of a year (all, or those with the given keys) from the stored facts. */
  private async recomputeGroups(year: number, keys?: string[]): Promise<void> {
    for (const part of keys ? chunks(keys) : [undefined]) {
      let del = this.db.deleteFrom('indicator_groups').where('year', '=', year);
      if (part) del = del.where('group_key', 'in', part);
      await del.execute();
      await this.db.insertInto('indicator_groups').columns(GROUP_COLUMNS).expression(this.recomputedGroups(year, part)).execute();
    }
  }

  /** Re-snapshots some projects' facts and recomputes every group they left or joined. Call lock() first. */
  async refreshProjects(projectIds: number[]): Promise<void> {
    const touched = new Map<number, Set<string>>();
    const note = (rows: { year: number; group_key: string }[]) => {
      for (const r of rows) {
        let s = touched.get(r.year);
        if (!s) touched.set(r.year, (s = new Set()));
        s.add(r.group_key);
      }
    };
    for (const ids of chunks([...new Set(projectIds)])) {
      note(await this.db.selectFrom('indicator_facts').select(['year', 'group_key']).where('project_id', 'in', ids).execute());
      await this.db.deleteFrom('indicator_facts').where('project_id', 'in', ids).execute();
      await this.db.insertInto('indicator_facts').columns(FACT_COLUMNS).expression(this.recomputedFacts(ids)).execute();
      note(await this.db.selectFrom('indicator_facts').select(['year', 'group_key']).where('project_id', 'in', ids).execute());
    }
    for (const [year, keys] of touched) await this.recomputeGroups(year, [...keys]);
  }

  /** Rebuilds all facts and groups from projects, plans and the ytd rollup. Call lock() first. */
  async rebuild(): Promise<void> {
    await this.db.deleteFrom('indicator_groups').execute();
    await this.db.deleteFrom('indicator_facts').execute();
    await this.db.insertInto('indicator_facts').columns(FACT_COLUMNS).expression(this.recomputedFacts()).execute();
    const years = await this.db.selectFrom('indicator_facts').select('year').distinct().execute();
    for (const { year } of years) await this.recomputeGroups(year);
  }

  /** Projects whose row or annual plans were written at or after `since` (an ISO timestamp). */
  async listChangedProjectIds(since: string): Promise<number[]> {
    const rows = await this.db.selectFrom('projects').select('id').where('updated_at', '>=', since)
      .union(this.db.selectFrom('annual_plans').select('project_id as id').where('updated_at', '>=', since))
      .execute();
    return rows.map((r) => r.id);
  }

  /** Additive sums for (year, month) over the groups matching the filter, keyed by a group attribute and stage. */
  async sumsBy(filter: GroupFilter, year: number, month: number, by: GroupAttribute | 'none'): Promise<GroupSums[]> {
    const keyExpr: Expression<unknown> = by === 'none' ? sql`null` : sql.ref(`g.${by}`);
    const rows = await this.filtered(filter, year)
      .where('g.month', '=', month)
      .select([
        sql<string | number | null>`${keyExpr}`.as('k'), 'g.stage as stage',
        ...SUM_FIELDS.map((f) => sql<number>`sum(${sql.ref(`g.${f}`)})`.as(f)),
      ])
      .groupBy(by === 'none' ? ['g.stage'] : [sql`${keyExpr}`, 'g.stage'])
      .execute();
    return foldStageRows(rows);
  }

  /** Σ annual plan and Σ each month's 1–N月 cumulative over the groups matching the filter. */
  async trend(filter: GroupFilter, year: number): Promise<{ planned_investment: number; months: number[] }> {
    const rows = await this.filtered(filter, year)
      .select(['g.month', sql<number>`sum(g.planned_investment)`.as('planned'), sql<number>`sum(g.completed_ytd)`.as('completed')])
      .groupBy('g.month')
      .execute();
    const months = Array.from({ length: 12 }, () => 0);
    let planned = 0;
    for (const r of rows) {
      months[r.month - 1] = Number(r.completed);
      planned = Number(r.planned); // the same in every month: plans do not depend on the month
    }
    return { planned_investment: planned, months };
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
