import { sql, type ExpressionBuilder, type Insertable, type OrderByItemBuilder, type Selectable, type SelectQueryBuilder, type Updateable } from 'kysely';
import { foldText } from '../../../core/search.ts';
import type { Executor } from '../../db/database.ts';
import type { AnnualPlanTable, DB, ProjectTable } from '../../db/schema.ts';
import type { DataScope } from '../../context.ts';
import type { ListField, ProjectFilter, ProjectListQuery } from './project.schema.ts';
import { FUND_COLUMNS, LIST_FIELDS } from './project.schema.ts';
import { clock } from '../../clock.ts';
import { PROJECT_SCOPE, regionSubtree, unitSubtree, whereInScope } from '../../platform/scope.ts';

type ProjectQuery<O> = SelectQueryBuilder<DB, 'projects', O>;

/** Restricts a projects query to the actor's data scope (unit subtrees and region subtrees): platform/scope.ts. */
export function withinScope<O>(qb: ProjectQuery<O>, scope: DataScope): ProjectQuery<O> {
  return whereInScope(qb, scope, PROJECT_SCOPE);
}

/** Splits a comma-separated filter value; empty parts are dropped. */
function listOf(value: string | undefined): string[] {
  return value ? value.split(',').map((v) => v.trim()).filter(Boolean) : [];
}

/** Escapes LIKE wildcards for a pattern used with ESCAPE '\'. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** Shortest query the trigram indexes can answer; shorter ones fall back to a LIKE scan. */
export const TRIGRAM_MIN_LENGTH = 3;

/** The folded terms of a search: whitespace separates terms ('轨道交通 吴中' → two), each must match. */
export function searchTerms(q: string | undefined): string[] {
  return q ? q.trim().split(/[\s\u3000]+/).map(foldText).filter(Boolean).slice(0, 5) : [];
}

/**
 * One search term: the project's name (folded, full pinyin or initials), the name of its region or of a region
 * above it ('吴中' finds the projects of 吴中区 and of its towns), or the short name (else the name) of its
 * responsible unit ('住建' finds those of 市住建局; not of the units below it: an office's own name holds its
 * region's). The region and unit name lists are uncorrelated sub-queries, evaluated once (a scan of the region
 * names: constant, whatever the portfolio).
 */
function termMatch(eb: ExpressionBuilder<DB, 'projects'>, term: string) {
  const pattern = `%${likeEscape(term)}%`;
  // The trigram index answers LIKE only without an ESCAPE clause, so a term holding a wildcard character
  // (rare in names) takes the scan like one shorter than three characters.
  const byName = [...term].length >= TRIGRAM_MIN_LENGTH && !/[\\%_]/.test(term)
    ? eb.selectFrom('projects_fts').select('projects_fts.rowid as id').where('projects_fts.search_text', 'like', `%${term}%`)
    : eb.selectFrom('projects as byname').select('byname.id').where(sql<boolean>`byname.search_text like ${pattern} escape '\\'`);
  const regions = eb.selectFrom(['regions as r', 'regions as m']).select('r.code')
    .where(sql<boolean>`m.name like ${pattern} escape '\\'`)
    .whereRef('r.path', '>=', 'm.path').where('r.path', '<', sql<string>`m.path || '~'`);
  // A unit is named by its short name when it has one: '人民' must not find every 镇人民政府's projects.
  const units = eb.selectFrom('units').select('units.id')
    .where(sql<boolean>`coalesce(units.short_name, units.name) like ${pattern} escape '\\'`);
  // A union of ids rather than an OR of conditions: each part keeps its own index (the trigram index, the region
  // and unit indexes), where an OR made both engines scan every project (3× the CPU of a name search at 5k).
  return eb('projects.id', 'in', eb.selectFrom('projects as byregion').select('byregion.id').where('byregion.region_code', 'in', regions)
    .union(eb.selectFrom('projects as byunit').select('byunit.id').where('byunit.unit_id', 'in', units))
    .union(byName));
}

/**
 * Applies the project-list filter language (region subtree, unit subtree, stage, text search …) to a query over
 * projects. Shared by the list, totals, indicators, lights and exports so that every view means the same scope.
 * `q` is folded here (traditional → simplified, case, width), so every caller searches the way the list does.
 */
export function applyProjectFilter<O>(qb: ProjectQuery<O>, query: ProjectFilter): ProjectQuery<O> {
  qb = qb.where('projects.deleted_at', 'is', null);
  const { region, unit, year, parent } = query;
  if (region) qb = qb.where('projects.region_code', 'in', regionSubtree(region));
  if (unit) qb = qb.where('projects.unit_id', 'in', unitSubtree(unit));
  const inList = (column: 'stage' | 'tier' | 'category' | 'nature' | 'investment_type' | 'campaign_group', value: string | undefined) => {
    const values = listOf(value);
    if (values.length) qb = qb.where(`projects.${column}`, 'in', values);
  };
  inList('stage', query.stage);
  inList('tier', query.tier);
  inList('category', query.category);
  inList('nature', query.nature);
  inList('investment_type', query.investment_type);
  inList('campaign_group', query.campaign_group);
  const levels = listOf(query.level);
  if (levels.length) {
    qb = qb.where('projects.id', 'in', (eb) => eb.selectFrom('project_levels').select('project_levels.project_id').where('project_levels.level', 'in', levels));
  }
  const industries = listOf(query.industry);
  if (industries.length) {
    qb = qb.where((eb) => eb.or(industries.map((code) => eb('projects.industry_code', 'like', `${likeEscape(code.toUpperCase())}%`))));
  }
  if (year !== undefined) {
    qb = qb.where('projects.id', 'in', (eb) => eb.selectFrom('annual_plans').select('annual_plans.project_id').where('annual_plans.year', '=', year));
  }
  if (query.list_year !== undefined) qb = qb.where('projects.list_year', '=', query.list_year);
  if (query.batch) qb = qb.where('projects.batch', '=', query.batch);
  if (query.has_code !== undefined) qb = qb.where('projects.code', query.has_code ? 'is not' : 'is', null);
  if (query.is_key_of_key !== undefined) qb = qb.where('projects.is_key_of_key', '=', query.is_key_of_key ? 1 : 0);
  if (query.major_only) qb = qb.where('projects.parent_id', 'is', null);
  if (parent) qb = qb.where('projects.parent_id', '=', parent);
  if (query.builder) {
    const builder = query.builder.toUpperCase();
    qb = /^[0-9A-Z]{18}$/.test(builder)
      ? qb.where('projects.builder_uscc', '=', builder)
      : qb.where(sql<boolean>`projects.builder_name like ${`%${likeEscape(query.builder)}%`} escape '\\'`);
  }
  for (const term of searchTerms(query.q)) qb = qb.where((eb) => termMatch(eb, term));
  return qb;
}

const NOT_NULL_SORTS = new Set<string>(['id', 'name', 'region_code', 'unit_id', 'total_investment', 'tier', 'stage', 'stats_entered', 'created_at', 'updated_at']);

/** Σ of the sub-items of a package: what its detail shows as the rolled-up figures. */
export interface Rollup {
  sub_items: number;
  total_investment: number;
  funds: Record<(typeof FUND_COLUMNS)[number], number>;
  annual_plan: { year: number; planned_investment: number };
}

/** A plan's month-by-month amounts (计划完成表) in yuan, one column a month, all NULL without one. */
export const PLAN_MONTH_COLUMNS = ['plan_m01', 'plan_m02', 'plan_m03', 'plan_m04', 'plan_m05', 'plan_m06', 'plan_m07', 'plan_m08', 'plan_m09', 'plan_m10', 'plan_m11', 'plan_m12'] as const;
export type PlanMonthColumn = (typeof PLAN_MONTH_COLUMNS)[number];

/** An annual plan as services and the API see it: the monthly columns as one array (null without a monthly plan). */
export type AnnualPlan = Omit<Selectable<AnnualPlanTable>, PlanMonthColumn> & { monthly_plan: number[] | null };

function presentPlan(row: Selectable<AnnualPlanTable>): AnnualPlan {
  const monthly = PLAN_MONTH_COLUMNS.map((c) => row[c]);
  const rest: Record<string, unknown> = { ...row };
  for (const c of PLAN_MONTH_COLUMNS) delete rest[c];
  return { ...(rest as Omit<Selectable<AnnualPlanTable>, PlanMonthColumn>), monthly_plan: monthly.some((v) => v !== null) ? monthly.map((v) => Number(v ?? 0)) : null };
}

/** The monthly columns to write for a plan's monthly_plan (null clears it). */
export function planMonthColumns(monthly: readonly number[] | null): Record<PlanMonthColumn, number | null> {
  return Object.fromEntries(PLAN_MONTH_COLUMNS.map((c, i) => [c, monthly ? monthly[i] ?? 0 : null])) as Record<PlanMonthColumn, number | null>;
}

/** All SQL of the project library. */
export class ProjectRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** True when the project exists (live or deleted) within the scope: the generic scope check of project routes. */
  async isWithinScope(id: number, scope: DataScope): Promise<boolean> {
    return !!(await withinScope(this.db.selectFrom('projects').select('projects.id'), scope).where('projects.id', '=', id).executeTakeFirst());
  }

  findById(id: number, scope: DataScope) {
    return withinScope(this.db.selectFrom('projects').selectAll(), scope)
      .where('projects.id', '=', id)
      .where('projects.deleted_at', 'is', null)
      .executeTakeFirst();
  }

  /** A soft-deleted project in scope (for restore). */
  findDeletedById(id: number, scope: DataScope) {
    return withinScope(this.db.selectFrom('projects').selectAll(), scope)
      .where('projects.id', '=', id)
      .where('projects.deleted_at', 'is not', null)
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

  /** Marks a project as a package (it has sub-items). A derived flag: the version does not change. */
  async markPackage(id: number): Promise<void> {
    await this.db.updateTable('projects').set({ is_package: 1 }).where('id', '=', id).execute();
  }

  async setDeleted(id: number, version: number, deletedAt: string | null, userId: number): Promise<boolean> {
    const r = await this.db.updateTable('projects')
      .set({ deleted_at: deletedAt, version: version + 1, updated_at: clock.now().toISOString(), updated_by: userId })
      .where('id', '=', id).where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  countLiveSubItems(id: number) {
    return this.db.selectFrom('projects').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('parent_id', '=', id).where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow().then((r) => Number(r.n));
  }

  async listLevels(projectId: number): Promise<string[]> {
    const rows = await this.db.selectFrom('project_levels').select('level').where('project_id', '=', projectId).orderBy('level').execute();
    return rows.map((r) => r.level);
  }

  async replaceLevels(projectId: number, levels: readonly string[]): Promise<void> {
    await this.db.deleteFrom('project_levels').where('project_id', '=', projectId).execute();
    const unique = [...new Set(levels)];
    if (unique.length) await this.db.insertInto('project_levels').values(unique.map((level) => ({ project_id: projectId, level }))).execute();
  }

  async rollup(parentId: number, year: number): Promise<Rollup> {
    const row = await this.db.selectFrom('projects')
      .where('parent_id', '=', parentId).where('deleted_at', 'is', null)
      .select((eb) => [
        eb.fn.countAll<number>().as('sub_items'),
        eb.fn.coalesce(eb.fn.sum<number>('total_investment'), eb.lit(0)).as('total_investment'),
        ...FUND_COLUMNS.map((c) => eb.fn.coalesce(eb.fn.sum<number>(c), eb.lit(0)).as(c)),
        eb.fn.coalesce(
          eb.selectFrom('annual_plans').select((e2) => e2.fn.sum<number>('annual_plans.planned_investment').as('s'))
            .where('annual_plans.year', '=', year)
            .where('annual_plans.project_id', 'in', (e3) => e3.selectFrom('projects as c').select('c.id').where('c.parent_id', '=', parentId).where('c.deleted_at', 'is', null)),
          eb.lit(0),
        ).as('annual_planned'),
      ])
      .executeTakeFirstOrThrow();
    const r = row as unknown as Record<string, number | string>;
    return {
      sub_items: Number(r.sub_items),
      total_investment: Number(r.total_investment),
      funds: Object.fromEntries(FUND_COLUMNS.map((c) => [c, Number(r[c])])) as Rollup['funds'],
      annual_plan: { year, planned_investment: Number(r.annual_planned) },
    };
  }

  /** One page of the list plus totals over the whole filter (count, Σ total investment, Σ annual plan of `year`). */
  async list(query: ProjectListQuery, scope: DataScope, planYear: number) {
    // (project_id, year) is unique, so the left join adds one column without multiplying rows; totals then take
    // one pass over the filtered projects instead of a second IN (…) query over annual_plans.
    const base = applyProjectFilter(withinScope(this.db.selectFrom('projects'), scope), query)
      .leftJoin('annual_plans as ap', (join) => join.onRef('ap.project_id', '=', 'projects.id').on('ap.year', '=', planYear));
    // Only the fields asked for (issue 16: the whole row was 74 KB a page of 50); annual_planned is the plan's.
    const fields = query.fields ?? [...LIST_FIELDS];
    const columns = fields.filter((f): f is Exclude<ListField, 'annual_planned'> => f !== 'annual_planned').map((f) => `projects.${f}` as const);
    let page = base.select(columns);
    if (fields.includes('annual_planned')) page = page.select('ap.planned_investment as annual_planned');
    // Blank values sort last in both directions and on both engines (they disagree on where NULL goes by default).
    // NOT NULL columns keep a plain ORDER BY, which SQLite can still answer from an index (id: the rowid).
    const direction = (ob: OrderByItemBuilder) => {
      const sorted = query.order === 'asc' ? ob.asc() : ob.desc();
      return NOT_NULL_SORTS.has(query.sort) ? sorted : sorted.nullsLast();
    };
    page = query.sort === 'annual_planned'
      ? page.orderBy('ap.planned_investment', direction)
      : page.orderBy(`projects.${query.sort}`, direction);
    const items = await page.orderBy('projects.id', query.order)
      .limit(query.page_size).offset((query.page - 1) * query.page_size)
      .execute();
    const totals = await base.select((eb) => [
      eb.fn.countAll<number>().as('count'),
      eb.fn.coalesce(eb.fn.sum<number>('projects.total_investment'), eb.lit(0)).as('total_investment'),
      eb.fn.coalesce(eb.fn.sum<number>('ap.planned_investment'), eb.lit(0)).as('annual_planned'),
    ]).executeTakeFirstOrThrow();
    return {
      items,
      totals: { count: Number(totals.count), total_investment: Number(totals.total_investment), annual_planned: Number(totals.annual_planned), year: planYear },
    };
  }

  /** Soft-deleted projects in scope, newest deletion first (the recycle bin). */
  listDeleted(scope: DataScope, limit: number) {
    return withinScope(this.db.selectFrom('projects').selectAll(), scope)
      .where('projects.deleted_at', 'is not', null)
      .orderBy('projects.deleted_at', 'desc').limit(limit)
      .execute();
  }

  // ── stage history ──

  async insertStageHistory(row: { project_id: number; from_stage: string | null; to_stage: string; event_date: string; reason: string | null; user_id: number | null }): Promise<void> {
    await this.db.insertInto('project_stage_history').values({ ...row, created_at: clock.now().toISOString() }).execute();
  }

  listStageHistory(projectId: number) {
    return this.db.selectFrom('project_stage_history')
      .leftJoin('users', 'users.id', 'project_stage_history.user_id')
      .selectAll('project_stage_history').select('users.display_name as user_name')
      .where('project_stage_history.project_id', '=', projectId)
      .orderBy('project_stage_history.id')
      .execute();
  }

  // ── annual plans ──

  async listPlans(projectId: number): Promise<AnnualPlan[]> {
    return (await this.db.selectFrom('annual_plans').selectAll().where('project_id', '=', projectId).orderBy('year').execute()).map(presentPlan);
  }

  async findPlan(projectId: number, year: number): Promise<AnnualPlan | undefined> {
    const row = await this.db.selectFrom('annual_plans').selectAll().where('project_id', '=', projectId).where('year', '=', year).executeTakeFirst();
    return row && presentPlan(row);
  }

  async insertPlan(row: Insertable<AnnualPlanTable>): Promise<void> {
    await this.db.insertInto('annual_plans').values(row).execute();
  }

  async updatePlanIfVersion(projectId: number, year: number, version: number, patch: Updateable<AnnualPlanTable>): Promise<boolean> {
    const r = await this.db.updateTable('annual_plans').set({ ...patch, version: version + 1 })
      .where('project_id', '=', projectId).where('year', '=', year).where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deletePlanIfVersion(projectId: number, year: number, version: number): Promise<boolean> {
    const r = await this.db.deleteFrom('annual_plans').where('project_id', '=', projectId).where('year', '=', year).where('version', '=', version).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  // ── procedures ──

  listProcedures(projectId: number) {
    return this.db.selectFrom('project_procedures').selectAll().where('project_id', '=', projectId).execute();
  }

  async upsertProcedure(row: { project_id: number; kind: string; status: string; doc_number: string | null; approved_date: string | null; note: string | null }): Promise<void> {
    const updated_at = clock.now().toISOString();
    await this.db.insertInto('project_procedures').values({ ...row, updated_at })
      .onConflict((oc) => oc.columns(['project_id', 'kind']).doUpdateSet({
        status: row.status, doc_number: row.doc_number, approved_date: row.approved_date, note: row.note, updated_at,
      }))
      .execute();
  }
}
