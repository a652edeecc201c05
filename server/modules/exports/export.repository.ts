import type { ExpressionBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { DataScope } from '../../context.ts';
import { applyProjectFilter, resolveSearch, withinScope, type ProjectFilter } from '../../platform/project-filter.ts';

/** What an export can group its rows by (heading rows with subtotals). */
export const GROUP_BYS = ['campaign_group', 'category', 'region', 'unit'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

const GROUP_COLUMN = {
  campaign_group: 'projects.campaign_group', category: 'projects.category', region: 'projects.region_code', unit: 'projects.unit_id',
} as const satisfies Record<GroupBy, string>;

/** One group of an export: its key (null for none: NULL and '' alike) and how many rows it holds. */
export interface GroupCount {
  key: string | number | null;
  count: number;
}

/**
 * A keyset page: ids in (afterId, upTo], at most `limit` rows. The upper bound matters: with it both engines walk the
 * primary key; with a lower bound alone SQLite (whose statistics are sampled) preferred an index of the filter, e.g.
 * tier, and sorted every matching row for every page — 9 s instead of 0.8 s for 86k rows.
 */
export interface PageWindow {
  afterId: number;
  upTo: number;
  limit: number;
  group?: GroupSelector;
}

/** Restricts a page to one group; the empty group holds NULL and '' (never rely on '' ≠ NULL). */
export interface GroupSelector {
  by: GroupBy;
  key: string | number | null;
  /** For a region group that rolls several regions up (a district with its towns): every region code it holds. */
  regionCodes?: readonly string[];
}

function groupWhere(group: GroupSelector) {
  const column = GROUP_COLUMN[group.by];
  const codes = group.regionCodes;
  if (codes) return (eb: ExpressionBuilder<DB, 'projects'>) => eb('projects.region_code', 'in', codes);
  return (eb: ExpressionBuilder<DB, 'projects'>) => (group.key === null
    ? eb.or([eb(column, 'is', null), eb(column, '=', '')])
    : eb(column, '=', group.key));
}

/** SQL of exports: the project-list filter, read in keyset pages so any size streams in little memory. */
export class ExportRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** The filter with its search terms' region and unit names resolved once (a name search then asks one index). */
  resolveSearch<F extends ProjectFilter>(filter: F) {
    return resolveSearch(this.db, filter);
  }

  private base(filter: ProjectFilter, scope: DataScope) {
    return applyProjectFilter(withinScope(this.db.selectFrom('projects'), scope), filter);
  }

  /** Row count under the filter, per group when `by` is given (else one group, key null). */
  async countByGroup(filter: ProjectFilter, scope: DataScope, by?: GroupBy): Promise<GroupCount[]> {
    if (!by) {
      const row = await this.base(filter, scope).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return [{ key: null, count: Number(row.n) }];
    }
    const column = GROUP_COLUMN[by];
    const rows = await this.base(filter, scope).select((eb) => [eb.ref(column).as('grp'), eb.fn.countAll<number>().as('n')]).groupBy(column).execute();
    const merged = new Map<string | number | null, number>();
    for (const r of rows) {
      const key = r.grp === '' || r.grp === null ? null : r.grp;
      merged.set(key, (merged.get(key) ?? 0) + Number(r.n));
    }
    return [...merged].map(([key, count]) => ({ key, count }));
  }

  /** Every unit: id → name and tree path (a few hundred at most). */
  async mapUnits(): Promise<Map<number, { name: string; path: string }>> {
    const rows = await this.db.selectFrom('units').select(['id', 'name', 'path']).execute();
    return new Map(rows.map((u) => [u.id, { name: u.name, path: u.path }]));
  }

  /** Region code → name for the regions of the filtered projects. */
  async mapRegionNames(filter: ProjectFilter, scope: DataScope): Promise<Map<string, string>> {
    const codes = this.base(filter, scope).select('projects.region_code').distinct();
    const rows = await this.db.selectFrom('regions').select(['code', 'name']).where('code', 'in', codes).execute();
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  /** Code, name and tree path of the given regions (to roll towns up into their district). */
  listRegions(codes: readonly string[]) {
    if (!codes.length) return Promise.resolve([]);
    return this.db.selectFrom('regions').select(['code', 'name', 'path']).where('code', 'in', codes).execute();
  }

  /** A region's path, if it exists. */
  async findRegionPath(code: string): Promise<string | undefined> {
    return (await this.db.selectFrom('regions').select('path').where('code', '=', code).executeTakeFirst())?.path;
  }

  /** The highest project id (0 when there is none): where keyset windows end. */
  async findMaxId(): Promise<number> {
    const row = await this.db.selectFrom('projects').select((eb) => eb.fn.max('projects.id').as('m')).executeTakeFirst();
    return Number(row?.m ?? 0);
  }

  /** One page of projects in a keyset window (optionally within one group), the exported columns only. */
  listPage(filter: ProjectFilter, scope: DataScope, opts: PageWindow) {
    let q = this.base(filter, scope)
      .select(['projects.id', 'projects.code', 'projects.name', 'projects.region_code', 'projects.unit_id', 'projects.nature', 'projects.category',
        'projects.investment_type', 'projects.campaign_group', 'projects.builder_name', 'projects.builder_uscc', 'projects.address', 'projects.scope_content',
        'projects.start_year', 'projects.end_year', 'projects.planned_start_date', 'projects.planned_completion_date', 'projects.stage',
        'projects.total_investment', 'projects.fund_central', 'projects.fund_province', 'projects.fund_city', 'projects.fund_county',
        'projects.fund_bank_loan', 'projects.fund_self', 'projects.fund_special_bond', 'projects.leader_name', 'projects.builder_contact',
        'projects.builder_phone', 'projects.stats_code', 'projects.is_attraction', 'projects.lead_unit_id', 'projects.parent_id', 'projects.is_key_of_key'])
      .where('projects.id', '>', opts.afterId)
      .where('projects.id', '<=', opts.upTo)
      .orderBy('projects.id')
      .limit(opts.limit);
    if (opts.group) q = q.where(groupWhere(opts.group));
    return q.execute();
  }

  /** For a page of projects: their levels (项目级别) and the name of each one's package (所属打包项目). */
  async pageExtras(projectIds: number[], parentIds: number[]): Promise<{ levels: Map<number, string[]>; parents: Map<number, string> }> {
    const levels = new Map<number, string[]>();
    const parents = new Map<number, string>();
    if (projectIds.length) {
      for (const r of await this.db.selectFrom('project_levels').select(['project_id', 'level']).where('project_id', 'in', projectIds).execute()) {
        levels.set(r.project_id, [...(levels.get(r.project_id) ?? []), r.level]);
      }
    }
    if (parentIds.length) {
      for (const r of await this.db.selectFrom('projects').select(['id', 'name']).where('id', 'in', [...new Set(parentIds)]).execute()) parents.set(r.id, r.name);
    }
    return { levels, parents };
  }

  /**
   * One page of the monthly progress table: projects in a keyset window (optionally within one group) with the year's
   * plan and the month's report.
   */
  listProgressPage(filter: ProjectFilter, scope: DataScope, year: number, month: number, opts: PageWindow) {
    // The joined tables repeat the keyset bound: PostgreSQL merge-joins them through their (year[, month], project_id)
    // indexes, and without it each page scanned the period's reports from the first project (0.36 s a page at 100k).
    let q = this.base(filter, scope)
      .leftJoin('annual_plans', (j) => j.onRef('annual_plans.project_id', '=', 'projects.id').on('annual_plans.year', '=', year)
        .on('annual_plans.project_id', '>', opts.afterId))
      .leftJoin('monthly_reports', (j) => j.onRef('monthly_reports.project_id', '=', 'projects.id')
        .on('monthly_reports.year', '=', year).on('monthly_reports.month', '=', month).on('monthly_reports.project_id', '>', opts.afterId))
      .select(['projects.id', 'projects.name', 'projects.region_code', 'projects.unit_id', 'projects.stage', 'projects.total_investment',
        'annual_plans.planned_investment', 'monthly_reports.id as report_id', 'monthly_reports.amount_month', 'monthly_reports.amount_ytd',
        'monthly_reports.amount_since_start', 'monthly_reports.stage as report_stage', 'monthly_reports.progress_text', 'monthly_reports.problems',
        'monthly_reports.status'])
      .where('projects.id', '>', opts.afterId)
      .where('projects.id', '<=', opts.upTo)
      .orderBy('projects.id')
      .limit(opts.limit);
    if (opts.group) q = q.where(groupWhere(opts.group));
    return q.execute();
  }
}
