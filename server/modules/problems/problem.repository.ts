import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { ProblemTable, ProblemRoundTable } from '../../db/schema.ts';
import type { TimeLimit } from '../../../core/problems/time-limits.ts';
import type { Actor, DataScope } from '../../platform/context.ts';
import { inScope } from '../../platform/scope.ts';
import { problemVisible } from './scope.ts';

export type ProblemRow = Selectable<ProblemTable>;
export type RoundRow = Selectable<ProblemRoundTable>;

export interface ProblemFilter {
  status?: string[];
  category_code?: string;
  owner_unit_id?: number;
  raised_unit_id?: number;
  level?: string;
  source?: string;
  enterprise_id?: number;
  project_id?: number;
  q?: string;
  received_from?: string;
  received_to?: string;
  /** Only problems past their current deadline on this day. */
  overdue_on?: string;
}

const OPEN = ['pending', 'assigned', 'signed', 'in_progress', 'replied', 'visited'];

/** All SQL of problems, their categories, time limits, co-departments and rounds. */
export class ProblemRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** True when the problem lies in the data scope (the platform scope registry's resolver). */
  async isWithinScope(id: number, scope: DataScope): Promise<boolean> {
    let q = this.db.selectFrom('problems').select('id').where('id', '=', id);
    if (!scope.all) {
      q = q.where((eb) => eb.or([
        inScope(scope, { unit: 'problems.owner_unit_id', region: 'problems.region_code' }),
        inScope(scope, { unit: 'problems.raised_unit_id' }),
      ]));
    }
    return (await q.executeTakeFirst()) !== undefined;
  }

  async findVisible(actor: Actor, id: number): Promise<ProblemRow | undefined> {
    return this.db.selectFrom('problems').selectAll().where('id', '=', id).where(problemVisible(actor)).executeTakeFirst();
  }

  private filtered(actor: Actor, f: ProblemFilter) {
    let q = this.db.selectFrom('problems').where(problemVisible(actor));
    if (f.status && f.status.length > 0) q = q.where('problems.status', 'in', f.status);
    if (f.category_code) {
      const c = f.category_code;
      q = q.where((eb) => eb.or([eb('problems.category_code', '=', c),
        eb('problems.category_code', 'in', eb.selectFrom('problem_categories').select('code').where('parent_code', '=', c))]));
    }
    if (f.owner_unit_id) q = q.where('problems.owner_unit_id', '=', f.owner_unit_id);
    if (f.raised_unit_id) q = q.where('problems.raised_unit_id', '=', f.raised_unit_id);
    if (f.level) q = q.where('problems.level', '=', f.level);
    if (f.source) q = q.where('problems.source', '=', f.source);
    if (f.enterprise_id) q = q.where('problems.enterprise_id', '=', f.enterprise_id);
    if (f.project_id) q = q.where('problems.project_id', '=', f.project_id);
    if (f.received_from) q = q.where('problems.received_on', '>=', f.received_from);
    if (f.received_to) q = q.where('problems.received_on', '<=', f.received_to);
    if (f.q) {
      const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb('problems.title', 'like', like), eb('problems.description', 'like', like)]));
    }
    if (f.overdue_on) {
      const d = f.overdue_on;
      q = q.where((eb) => eb.or([
        eb.and([eb('problems.status', '=', 'pending'), eb('problems.route_due', '<', d)]),
        eb.and([eb('problems.status', '=', 'assigned'), eb('problems.feedback_due', '<', d)]),
        eb.and([eb('problems.status', 'in', ['signed', 'in_progress']), eb('problems.solve_due', '<', d)]),
      ]));
    }
    return q;
  }

  /** The ledger: one page of problems with names of their category, departments, enterprise and project. */
  async list(actor: Actor, f: ProblemFilter, limit: number, offset: number) {
    const base = this.filtered(actor, f);
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await this.named(actor, f).orderBy('problems.received_on', 'desc').orderBy('problems.id', 'desc').limit(limit).offset(offset).execute();
    return { total, rows };
  }

  /** Every matching problem in id order, in pages (exports). */
  async *iterate(actor: Actor, f: ProblemFilter, pageSize = 2000) {
    let after = 0;
    for (;;) {
      const rows = await this.named(actor, f).where('problems.id', '>', after).orderBy('problems.id').limit(pageSize).execute();
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]!.id;
    }
  }

  /** The filtered problems with the names of their category, departments, enterprise and project. */
  private named(actor: Actor, f: ProblemFilter) {
    return this.filtered(actor, f)
      .leftJoin('problem_categories as cat', 'cat.code', 'problems.category_code')
      .leftJoin('problem_categories as parent', 'parent.code', 'cat.parent_code')
      .leftJoin('units as owner', 'owner.id', 'problems.owner_unit_id')
      .leftJoin('units as raised', 'raised.id', 'problems.raised_unit_id')
      .leftJoin('enterprises as ent', 'ent.id', 'problems.enterprise_id')
      .leftJoin('projects as prj', 'prj.id', 'problems.project_id')
      .selectAll('problems')
      .select(['cat.name as category_name', 'parent.name as parent_category_name', sql<string>`coalesce(cat.parent_code, cat.code)`.as('top_category_code'),
        'owner.name as owner_unit_name', 'raised.name as raised_unit_name', 'ent.name as enterprise_name', 'prj.name as project_name']);
  }

  /** One visible problem with the names the ledger shows. */
  async findNamed(actor: Actor, id: number) {
    return this.named(actor, {}).where('problems.id', '=', id).executeTakeFirst();
  }

  async insert(values: Insertable<ProblemTable>): Promise<number> {
    return (await this.db.insertInto('problems').values(values).returning('id').executeTakeFirstOrThrow()).id;
  }

  /** What a ledger import matches names against: enterprises, categories and units. */
  async importLookups() {
    const [enterprises, categories, units] = await Promise.all([
      this.db.selectFrom('enterprises').select(['id', 'name', 'uscc']).where('deleted_at', 'is', null).execute(),
      this.db.selectFrom('problem_categories').select(['code', 'name', 'owner_unit_id']).execute(),
      this.db.selectFrom('units').select(['id', 'name', 'region_code']).execute(),
    ]);
    return { enterprises, categories, units };
  }

  /** True when a problem with this title, enterprise and received day exists (a ledger imported twice). */
  async existsImported(title: string, enterpriseId: number | null, day: string): Promise<boolean> {
    let q = this.db.selectFrom('problems').select('id').where('title', '=', title).where('received_on', '=', day);
    q = enterpriseId === null ? q.where('enterprise_id', 'is', null) : q.where('enterprise_id', '=', enterpriseId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  /** Updates when the version matches; false when it moved (409). */
  async updateIfVersion(id: number, version: number, values: Updateable<ProblemTable>): Promise<boolean> {
    const r = await this.db.updateTable('problems').set({ ...values, version: sql`version + 1` }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async listCoUnits(problemId: number) {
    return this.db.selectFrom('problem_co_units').innerJoin('units', 'units.id', 'problem_co_units.unit_id')
      .select(['units.id', 'units.name']).where('problem_id', '=', problemId).orderBy('units.id').execute();
  }

  async replaceCoUnits(problemId: number, unitIds: readonly number[]): Promise<void> {
    await this.db.deleteFrom('problem_co_units').where('problem_id', '=', problemId).execute();
    if (unitIds.length > 0) await this.db.insertInto('problem_co_units').values(unitIds.map((unit_id) => ({ problem_id: problemId, unit_id }))).execute();
  }

  async listRounds(problemId: number): Promise<RoundRow[]> {
    return this.db.selectFrom('problem_rounds').selectAll().where('problem_id', '=', problemId).orderBy('round').execute();
  }

  async insertRound(values: Insertable<ProblemRoundTable>): Promise<void> {
    await this.db.insertInto('problem_rounds').values(values).execute();
  }

  async updateRound(problemId: number, round: number, values: Updateable<ProblemRoundTable>): Promise<void> {
    await this.db.updateTable('problem_rounds').set(values).where('problem_id', '=', problemId).where('round', '=', round).execute();
  }

  /** Units by id (checks that departments exist). */
  async existingUnitIds(ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    return (await this.db.selectFrom('units').select('id').where('id', 'in', ids).where('deleted_at', 'is', null).execute()).map((r) => r.id);
  }

  async regionExists(code: string): Promise<boolean> {
    return (await this.db.selectFrom('regions').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
  }

  async unitRegion(unitId: number): Promise<string | null> {
    return (await this.db.selectFrom('units').select('region_code').where('id', '=', unitId).executeTakeFirst())?.region_code ?? null;
  }

  async isProjectOfEnterprise(projectId: number, enterpriseId: number): Promise<boolean> {
    return (await this.db.selectFrom('enterprise_projects').select('project_id').where('project_id', '=', projectId).where('enterprise_id', '=', enterpriseId).executeTakeFirst()) !== undefined;
  }

  async projectRegion(projectId: number): Promise<{ region_code: string; unit_id: number } | undefined> {
    return this.db.selectFrom('projects').select(['region_code', 'unit_id']).where('id', '=', projectId).where('deleted_at', 'is', null).executeTakeFirst();
  }

  // ---- categories and time limits

  async listCategories() {
    return this.db.selectFrom('problem_categories').leftJoin('units', 'units.id', 'problem_categories.owner_unit_id')
      .select(['problem_categories.code', 'problem_categories.name', 'problem_categories.parent_code', 'problem_categories.owner_unit_id', 'problem_categories.sort', 'units.name as owner_unit_name'])
      .orderBy('problem_categories.sort').orderBy('problem_categories.code').execute();
  }

  async findCategory(code: string) {
    return this.db.selectFrom('problem_categories').selectAll().where('code', '=', code).executeTakeFirst();
  }

  async upsertCategory(values: { code: string; name: string; parent_code: string | null; owner_unit_id: number | null; sort: number; updated_at: string }): Promise<void> {
    await this.db.insertInto('problem_categories').values(values)
      .onConflict((oc) => oc.column('code').doUpdateSet({ name: values.name, parent_code: values.parent_code, owner_unit_id: values.owner_unit_id, sort: values.sort, updated_at: values.updated_at }))
      .execute();
  }

  async listTimeLimits(): Promise<TimeLimit[]> {
    return this.db.selectFrom('problem_time_limits').select(['category_code', 'level', 'route_days', 'feedback_days', 'ordinary_days', 'major_days'])
      .orderBy('category_code').orderBy('level').execute();
  }

  async replaceTimeLimits(rows: readonly TimeLimit[], at: string): Promise<void> {
    await this.db.deleteFrom('problem_time_limits').execute();
    if (rows.length > 0) await this.db.insertInto('problem_time_limits').values(rows.map((r) => ({ ...r, updated_at: at }))).execute();
  }

  // ---- figures and lights

  /** What the figures need of each visible problem received in a period (and the keys they group by). */
  async listFacts(actor: Actor, from: string, to: string) {
    return this.db.selectFrom('problems').where(problemVisible(actor))
      .leftJoin('problem_categories as cat', 'cat.code', 'problems.category_code')
      .select(['problems.id', 'problems.status', 'problems.received_on', 'problems.assigned_on', 'problems.replied_on', 'problems.closed_on', 'problems.solve_due',
        'problems.route_due', 'problems.feedback_due', 'problems.redo_count', 'problems.visit_result', 'problems.owner_unit_id', 'problems.raised_unit_id', 'problems.source', 'problems.level', sql<string>`coalesce(cat.parent_code, problems.category_code)`.as('top_category')])
      .select((eb) => eb.selectFrom('problem_rounds').select((e) => e.fn.countAll<number>().as('n')).whereRef('problem_rounds.problem_id', '=', 'problems.id').where('problem_rounds.visit_result', 'is not', null).as('visits'))
      .where('problems.received_on', '>=', from).where('problems.received_on', '<=', to)
      .execute();
  }

  /** Problems closed in a period (the "N problems solved this year" figure). */
  async countClosed(actor: Actor, from: string, to: string): Promise<number> {
    const r = await this.db.selectFrom('problems').where(problemVisible(actor)).where('status', '=', 'closed')
      .where('closed_on', '>=', from).where('closed_on', '<=', to).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Unresolved problems of projects: each project's open problems and the oldest overdue deadline (the light rule). */
  async openProblemsOfProjects(projectIds: readonly number[]) {
    if (projectIds.length === 0) return [];
    return this.db.selectFrom('problems').select(['id', 'project_id', 'status', 'is_major', 'route_due', 'feedback_due', 'solve_due', 'received_on', 'title'])
      .where('project_id', 'in', projectIds).where('status', 'in', OPEN).execute();
  }

  async unitNames(ids: readonly number[]) {
    if (ids.length === 0) return [];
    return this.db.selectFrom('units').select(['id', 'name']).where('id', 'in', ids).execute();
  }

  async userNames(ids: readonly number[]) {
    if (ids.length === 0) return [];
    return this.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
  }
}
