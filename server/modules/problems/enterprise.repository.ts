import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { EnterpriseCadreTable, EnterpriseTable, EnterpriseVisitTable } from '../../db/schema.ts';
import type { Actor, DataScope } from '../../platform/context.ts';
import { inScope } from '../../platform/scope.ts';
import { enterpriseVisible } from './scope.ts';

export type EnterpriseRow = Selectable<EnterpriseTable>;
export type CadreRow = Selectable<EnterpriseCadreTable>;
export type VisitRow = Selectable<EnterpriseVisitTable>;

export interface EnterpriseFilter {
  q?: string;
  region_code?: string;
  unit_id?: number;
  /** Only enterprises the actor is linked to as a cadre. */
  mine?: boolean;
}

/** All SQL of enterprises, their cadres, visits, photos and project links. */
export class EnterpriseRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** True when the enterprise exists and lies in the data scope (the platform scope registry's resolver). */
  async isWithinScope(id: number, scope: DataScope): Promise<boolean> {
    let q = this.db.selectFrom('enterprises').select('id').where('id', '=', id).where('deleted_at', 'is', null);
    if (!scope.all) q = q.where(inScope(scope, { unit: 'enterprises.unit_id', region: 'enterprises.region_code' }));
    return (await q.executeTakeFirst()) !== undefined;
  }

  /** Those of these live enterprises the actor may see (unit, region or linked cadre): id, name, credit code. */
  async visibleAmong(actor: Actor, ids: readonly number[]): Promise<{ id: number; name: string; uscc: string | null }[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('enterprises').select(['id', 'name', 'uscc']).where('id', 'in', ids).where('deleted_at', 'is', null)
      .where(enterpriseVisible(actor)).orderBy('id').execute();
  }

  async findVisible(actor: Actor, id: number): Promise<EnterpriseRow | undefined> {
    return this.db.selectFrom('enterprises').selectAll().where('id', '=', id).where('deleted_at', 'is', null)
      .where(enterpriseVisible(actor)).executeTakeFirst();
  }

  async findByUscc(uscc: string): Promise<EnterpriseRow | undefined> {
    return this.db.selectFrom('enterprises').selectAll().where('uscc', '=', uscc).executeTakeFirst();
  }

  /** Enterprises by name or code, visible to the actor, with their open problems and last visit. */
  async list(actor: Actor, f: EnterpriseFilter, limit: number, offset: number) {
    let q = this.db.selectFrom('enterprises').where('enterprises.deleted_at', 'is', null).where(enterpriseVisible(actor));
    if (f.q) {
      const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb('enterprises.name', 'like', like), eb('enterprises.uscc', 'like', like)]));
    }
    if (f.region_code) q = q.where('enterprises.region_code', '=', f.region_code);
    if (f.unit_id) q = q.where('enterprises.unit_id', '=', f.unit_id);
    if (f.mine) q = q.where('enterprises.id', 'in', (eb) => eb.selectFrom('enterprise_cadres').select('enterprise_id').where('user_id', '=', actor.userId).where('unlinked_on', 'is', null));
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await q
      .leftJoin('regions', 'regions.code', 'enterprises.region_code')
      .leftJoin('units', 'units.id', 'enterprises.unit_id')
      .selectAll('enterprises')
      .select(['regions.name as region_name', 'units.name as unit_name'])
      .select((eb) => [
        eb.selectFrom('problems').select((e) => e.fn.countAll<number>().as('n')).whereRef('problems.enterprise_id', '=', 'enterprises.id')
          .where('problems.status', 'not in', ['closed', 'rejected']).as('open_problems'),
        eb.selectFrom('enterprise_visits').select((e) => e.fn.max('visited_on').as('d')).whereRef('enterprise_visits.enterprise_id', '=', 'enterprises.id').as('last_visit_on'),
      ])
      .orderBy('enterprises.name').orderBy('enterprises.id').limit(limit).offset(offset).execute();
    return { total, rows: rows.map((r) => ({ ...r, open_problems: Number(r.open_problems ?? 0) })) };
  }

  async insert(values: Insertable<EnterpriseTable>): Promise<number> {
    return (await this.db.insertInto('enterprises').values(values).returning('id').executeTakeFirstOrThrow()).id;
  }

  /** Updates when the version matches; false when it moved (409). */
  async updateIfVersion(id: number, version: number, values: Updateable<EnterpriseTable>): Promise<boolean> {
    const r = await this.db.updateTable('enterprises').set({ ...values, version: sql`version + 1` }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async listCadres(enterpriseIds: readonly number[]): Promise<Array<CadreRow & { last_visit_on: string | null }>> {
    if (enterpriseIds.length === 0) return [];
    return this.db.selectFrom('enterprise_cadres').selectAll('enterprise_cadres')
      .select((eb) => eb.selectFrom('enterprise_visits').select((e) => e.fn.max('visited_on').as('d')).whereRef('enterprise_visits.cadre_id', '=', 'enterprise_cadres.id').as('last_visit_on'))
      .where('enterprise_id', 'in', enterpriseIds).orderBy('enterprise_id').orderBy('id').execute();
  }

  /** Current cadre links whose visit plan is set, with each one's enterprise and last visit (the overdue list). */
  async listPlannedLinks(actor: Actor, onlyMine: boolean) {
    let q = this.db.selectFrom('enterprise_cadres').innerJoin('enterprises', 'enterprises.id', 'enterprise_cadres.enterprise_id')
      .selectAll('enterprise_cadres').select(['enterprises.name as enterprise_name'])
      .select((eb) => eb.selectFrom('enterprise_visits').select((e) => e.fn.max('visited_on').as('d')).whereRef('enterprise_visits.cadre_id', '=', 'enterprise_cadres.id').as('last_visit_on'))
      .where('enterprise_cadres.unlinked_on', 'is', null).where('enterprise_cadres.visit_every_months', 'is not', null)
      .where('enterprises.deleted_at', 'is', null).where(enterpriseVisible(actor));
    if (onlyMine) q = q.where('enterprise_cadres.user_id', '=', actor.userId);
    return q.orderBy('enterprise_cadres.id').execute();
  }

  async findCadre(id: number): Promise<CadreRow | undefined> {
    return this.db.selectFrom('enterprise_cadres').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertCadre(values: Insertable<EnterpriseCadreTable>): Promise<number> {
    return (await this.db.insertInto('enterprise_cadres').values(values).returning('id').executeTakeFirstOrThrow()).id;
  }

  async updateCadre(id: number, values: Updateable<EnterpriseCadreTable>): Promise<void> {
    await this.db.updateTable('enterprise_cadres').set(values).where('id', '=', id).execute();
  }

  async listVisits(enterpriseId: number): Promise<VisitRow[]> {
    return this.db.selectFrom('enterprise_visits').selectAll().where('enterprise_id', '=', enterpriseId).orderBy('visited_on', 'desc').orderBy('id', 'desc').execute();
  }

  async findVisit(id: number): Promise<VisitRow | undefined> {
    return this.db.selectFrom('enterprise_visits').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertVisit(values: Insertable<EnterpriseVisitTable>): Promise<number> {
    return (await this.db.insertInto('enterprise_visits').values(values).returning('id').executeTakeFirstOrThrow()).id;
  }

  /** The enterprise a visit belongs to (a visit photo's scope). */
  async visitEnterprise(visitId: number) {
    return (await this.db.selectFrom('enterprise_visits').select('enterprise_id').where('id', '=', visitId).executeTakeFirst())?.enterprise_id;
  }

  async listProjects(enterpriseId: number) {
    return this.db.selectFrom('enterprise_projects').innerJoin('projects', 'projects.id', 'enterprise_projects.project_id')
      .select(['projects.id', 'projects.name', 'projects.code', 'projects.stage', 'projects.total_investment'])
      .where('enterprise_projects.enterprise_id', '=', enterpriseId).where('projects.deleted_at', 'is', null).orderBy('projects.id').execute();
  }

  async existingProjectIds(ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    return (await this.db.selectFrom('projects').select('id').where('id', 'in', ids).where('deleted_at', 'is', null).execute()).map((r) => r.id);
  }

  async replaceProjects(enterpriseId: number, projectIds: readonly number[], at: string): Promise<void> {
    await this.db.deleteFrom('enterprise_projects').where('enterprise_id', '=', enterpriseId).execute();
    if (projectIds.length > 0) await this.db.insertInto('enterprise_projects').values(projectIds.map((project_id) => ({ enterprise_id: enterpriseId, project_id, created_at: at }))).execute();
  }

  /** The enterprises of a project (the project page and the light rule). */
  async listEnterprisesOfProject(projectId: number) {
    return this.db.selectFrom('enterprise_projects').innerJoin('enterprises', 'enterprises.id', 'enterprise_projects.enterprise_id')
      .select(['enterprises.id', 'enterprises.name', 'enterprises.uscc']).where('enterprise_projects.project_id', '=', projectId).execute();
  }

  /** Name lookups by id (attraction links, imports). */
  async listByIds(ids: readonly number[]) {
    if (ids.length === 0) return [];
    return this.db.selectFrom('enterprises').select(['id', 'name', 'uscc', 'region_code', 'unit_id']).where('id', 'in', ids).execute();
  }

  async listByNames(names: readonly string[]) {
    if (names.length === 0) return [];
    return this.db.selectFrom('enterprises').select(['id', 'name', 'uscc', 'region_code', 'unit_id']).where('name', 'in', names).where('deleted_at', 'is', null).execute();
  }
}
