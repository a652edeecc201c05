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

  /** One page of projects after `afterId` (optionally within one campaign group), with unit and region names. */
  listPage(filter: ProjectFilter, scope: DataScope, opts: { afterId: number; limit: number; group?: string }) {
    let q = this.base(filter, scope)
      .selectAll('projects')
      .select((eb) => [
        eb.selectFrom('units').select('units.name').whereRef('units.id', '=', 'projects.unit_id').as('unit_name'),
        eb.selectFrom('regions').select('regions.name').whereRef('regions.code', '=', 'projects.region_code').as('region_name'),
      ])
      .where('projects.id', '>', opts.afterId)
      .orderBy('projects.id')
      .limit(opts.limit);
    if (opts.group !== undefined) q = q.where(groupKey, '=', opts.group);
    return q.execute();
  }
}
