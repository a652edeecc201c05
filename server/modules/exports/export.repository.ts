import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DataScope } from '../../context.ts';
import { applyProjectFilter, withinScope } from '../projects/project.repository.ts';
import type { ProjectFilter } from '../projects/project.schema.ts';

const groupKey = sql<string>`coalesce(projects.campaign_group, '')`;

/** SQL of exports: the project-list filter, read in keyset pages so any size streams in little memory. */
export class ExportRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  private base(filter: ProjectFilter, scope: DataScope) {
    return applyProjectFilter(withinScope(this.db.selectFrom('projects'), scope), filter);
  }

  /** Row count per campaign group ('' for none) under the filter. */
  async countByGroup(filter: ProjectFilter, scope: DataScope): Promise<{ group: string; count: number }[]> {
    const rows = await this.base(filter, scope).select((eb) => [groupKey.as('grp'), eb.fn.countAll<number>().as('n')]).groupBy(groupKey).execute();
    return rows.map((r) => ({ group: r.grp, count: Number(r.n) }));
  }

  /** Unit id → name, for every unit (a few hundred at most). */
  async mapUnitNames(): Promise<Map<number, string>> {
    return new Map((await this.db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.id, u.name]));
  }

  /** Region code → name for the regions of the filtered projects. */
  async mapRegionNames(filter: ProjectFilter, scope: DataScope): Promise<Map<string, string>> {
    const codes = this.base(filter, scope).select('projects.region_code').distinct();
    const rows = await this.db.selectFrom('regions').select(['code', 'name']).where('code', 'in', codes).execute();
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  /** One page of projects after `afterId` (optionally within one campaign group), the exported columns only. */
  listPage(filter: ProjectFilter, scope: DataScope, opts: { afterId: number; limit: number; group?: string }) {
    let q = this.base(filter, scope)
      .select(['projects.id', 'projects.code', 'projects.name', 'projects.region_code', 'projects.unit_id', 'projects.nature', 'projects.category',
        'projects.investment_type', 'projects.campaign_group', 'projects.builder_name', 'projects.builder_uscc', 'projects.address', 'projects.scope_content',
        'projects.start_year', 'projects.end_year', 'projects.planned_start_date', 'projects.planned_completion_date', 'projects.stage',
        'projects.total_investment', 'projects.fund_central', 'projects.fund_province', 'projects.fund_city', 'projects.fund_county',
        'projects.fund_bank_loan', 'projects.fund_self', 'projects.fund_special_bond', 'projects.leader_name', 'projects.builder_contact',
        'projects.builder_phone', 'projects.stats_code', 'projects.is_attraction'])
      .where('projects.id', '>', opts.afterId)
      .orderBy('projects.id')
      .limit(opts.limit);
    if (opts.group !== undefined) q = q.where(groupKey, '=', opts.group);
    return q.execute();
  }
}
