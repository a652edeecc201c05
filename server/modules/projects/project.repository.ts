import { sql, type SelectQueryBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DB, ProjectTable } from '../../db/schema.ts';
import type { DataScope } from '../../context.ts';
import type { ProjectFilter, ProjectListQuery } from './project.schema.ts';
import type { Insertable, Updateable } from 'kysely';

type ProjectQuery<O> = SelectQueryBuilder<DB, 'projects', O>;

/** Restricts a projects query to the actor's data scope (unit subtrees and region subtrees). */
export function withinScope<O>(qb: ProjectQuery<O>, scope: DataScope): ProjectQuery<O> {
  if (scope.all) return qb;
  return qb.where((eb) => eb.or([
    ...scope.unitPaths.map((p) => eb('projects.unit_id', 'in', eb.selectFrom('units').select('units.id').where('units.path', 'like', `${p}%`))),
    ...scope.regionPaths.map((p) => eb('projects.region_code', 'in', eb.selectFrom('regions').select('regions.code').where('regions.path', 'like', `${p}%`))),
    sql<boolean>`1 = 0`,
  ]));
}

/**
 * Applies the project-list filter language (region subtree, unit subtree, stage, text search …) to a query over
 * projects. Shared by the list, totals, indicators, lights and exports so that every view means the same scope.
 */
export function applyProjectFilter<O>(qb: ProjectQuery<O>, query: ProjectFilter): ProjectQuery<O> {
  qb = qb.where('projects.deleted_at', 'is', null);
  if (query.region) {
    const region = query.region;
    qb = qb.where('projects.region_code', 'in', (eb) =>
      eb.selectFrom('regions').select('code').where('path', 'like', eb.selectFrom('regions').select(sql<string>`path || '%'`.as('p')).where('code', '=', region)));
  }
  if (query.unit) {
    const unit = query.unit;
    qb = qb.where('projects.unit_id', 'in', (eb) =>
      eb.selectFrom('units').select('id').where('path', 'like', eb.selectFrom('units').select(sql<string>`path || '%'`.as('p')).where('id', '=', unit)));
  }
  if (query.stage) qb = qb.where('projects.stage', 'in', query.stage.split(','));
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    qb = qb.where(sql<boolean>`projects.search_text like ${pattern} escape '\\'`);
  }
  return qb;
}

/** All SQL of the project library. */
export class ProjectRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** Runs fn in a transaction (or in the current one) with a repository bound to it. */
  transaction<T>(fn: (repo: ProjectRepository, trx: Executor) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this, this.db);
    return this.db.transaction().execute((trx) => fn(new ProjectRepository(trx), trx));
  }

  findById(id: number, scope: DataScope) {
    return withinScope(this.db.selectFrom('projects').selectAll(), scope)
      .where('projects.id', '=', id)
      .where('projects.deleted_at', 'is', null)
      .executeTakeFirst();
  }

  findIdByCode(code: string) {
    return this.db.selectFrom('projects').select('id').where('code', '=', code).executeTakeFirst();
  }

  async insert(row: Insertable<ProjectTable>): Promise<number> {
    const r = await this.db.insertInto('projects').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  /** Updates only when the stored version still matches; returns whether a row changed. */
  async updateIfVersion(id: number, version: number, patch: Updateable<ProjectTable>): Promise<boolean> {
    const r = await this.db.updateTable('projects').set({ ...patch, version: version + 1 })
      .where('id', '=', id).where('version', '=', version).where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** One page of the list plus totals over the whole filter. */
  async list(query: ProjectListQuery, scope: DataScope) {
    const base = applyProjectFilter(withinScope(this.db.selectFrom('projects'), scope), query);
    const [items, totals] = await Promise.all([
      base.selectAll('projects')
        .orderBy(`projects.${query.sort}`, query.order).orderBy('projects.id', query.order)
        .limit(query.page_size).offset((query.page - 1) * query.page_size)
        .execute(),
      base.select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.coalesce(eb.fn.sum<number>('projects.total_investment'), eb.lit(0)).as('total_investment')])
        .executeTakeFirstOrThrow(),
    ]);
    return { items, totals: { count: Number(totals.count), total_investment: Number(totals.total_investment) } };
  }
}
