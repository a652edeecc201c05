import { sql, type Insertable, type OrderByItemBuilder, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { PLAN_MONTH_COLUMNS, type AnnualPlanTable, type PlanMonthColumn, type ProjectListTotalTable, type ProjectTable } from '../../db/schema.ts';
import { RECOUNT as LIST_TOTALS_RECOUNT } from '../../db/migrations/2026-12-12-50-list-totals.ts';
import type { DataScope } from '../../context.ts';
import type { ListField, ProjectListQuery } from './project.schema.ts';
import { FUND_COLUMNS, LIST_FIELDS } from './project.schema.ts';
import { clock } from '../../clock.ts';
import { inScope, regionSubtree, unitSubtree } from '../../platform/scope.ts';
import { applyProjectFilter, isTrigramTerm, listOf, projectFilterSchema, resolveSearch, searchTerms, withinScope, type ProjectFilter, type ProjectQuery } from '../../platform/project-filter.ts';
import { dialectOf } from '../../db/dialect.ts';
import { LIST_ROW_COLUMNS, LIST_ROWS_RECOUNT } from '../../db/migrations/2026-12-15-10-project-list-rows.ts';

/** Every key of the project filter language (what is not one — sort, page, fields — does not narrow the totals). */
const FILTER_KEYS = new Set(Object.keys(projectFilterSchema.shape));

type ProjectListTotalRow = Selectable<ProjectListTotalTable>;

// The filter keys project_list_totals is kept by; any other filter (a search, a category …) reads the projects.
const KEPT_TOTALS_KEYS = new Set(['region', 'unit', 'stage', 'tier', 'major_only', 'year']);

/**
 * True when the list's totals can be summed from project_list_totals: the filter holds only its keys (the caller's
 * scope, by unit or region, is one of them too) and a year filter, if any, is the plan year summed.
 */
export function listTotalsKept(query: ProjectFilter, planYear: number): boolean {
  if (query.year !== undefined && query.year !== planYear) return false;
  // An empty value narrows nothing (applyProjectFilter skips it); false does narrow has_code and is_key_of_key.
  return Object.entries(query).every(([k, v]) => v === undefined || v === '' || KEPT_TOTALS_KEYS.has(k) || !FILTER_KEYS.has(k));
}

// The filter keys and sorts the narrow project_list_rows answer (migration 2026-12-15-10): its columns and the search.
const LIST_ROWS_KEYS = new Set(['region', 'unit', 'stage', 'tier', 'major_only', 'q']);
const LIST_ROWS_SORTS = new Set<string>(LIST_ROW_COLUMNS);

/**
 * True when a text search's page ids and totals can be found over project_list_rows (SQLite only) instead of the wide
 * projects rows: the filter holds only the search and the list keys the narrow copy carries, and the sort is one of
 * its columns. Issue 16: each trigram match read a ~1 KB projects row; 22k matches (新能源 at 1M) cost ~60 ms CPU.
 */
export function listRowsAnswer(query: ProjectFilter & { sort: string }): boolean {
  // A term the trigram index cannot answer scans projects.search_text, which the narrow copy does not carry.
  const terms = searchTerms(query.q);
  if (!terms.length || !terms.every(isTrigramTerm) || !LIST_ROWS_SORTS.has(query.sort)) return false;
  return Object.entries(query).every(([k, v]) => v === undefined || v === '' || LIST_ROWS_KEYS.has(k) || !FILTER_KEYS.has(k));
}

const NOT_NULL_SORTS = new Set<string>(['id', 'name', 'region_code', 'unit_id', 'total_investment', 'tier', 'stage', 'stats_entered', 'created_at', 'updated_at']);

/** Σ of the sub-items of a package: what its detail shows as the rolled-up figures. */
export interface Rollup {
  sub_items: number;
  total_investment: number;
  funds: Record<(typeof FUND_COLUMNS)[number], number>;
  annual_plan: { year: number; planned_investment: number };
}

// The month columns are the table's (db/schema.ts); re-exported for the indicators' files still on the legacy list.
export { PLAN_MONTH_COLUMNS, type PlanMonthColumn };

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
  async list(listQuery: ProjectListQuery, scope: DataScope, planYear: number) {
    const resolved = await resolveSearch(this.db, listQuery);
    // A search whose every term names the filter's region (or an ancestor) narrows nothing: the list without it
    // keeps its index order and its kept totals ('苏州' over 苏州市 matched all 100k projects, twice).
    const query = resolved.resolvedTerms?.every((t) => t.matchesAll) ? { ...resolved, q: undefined, resolvedTerms: undefined } : resolved;
    // (project_id, year) is unique, so the left join adds one column without multiplying rows; totals then take
    // one pass over the filtered projects instead of a second IN (…) query over annual_plans.
    const base = applyProjectFilter(withinScope(this.db.selectFrom('projects'), scope), query)
      .leftJoin('annual_plans as ap', (join) => join.onRef('ap.project_id', '=', 'projects.id').on('ap.year', '=', planYear));
    // Only the fields asked for (issue 16: the whole row was 74 KB a page of 50); annual_planned is the plan's.
    const fields = query.fields ?? [...LIST_FIELDS];
    const columns = fields.filter((f): f is Exclude<ListField, 'annual_planned'> => f !== 'annual_planned').map((f) => `projects.${f}` as const);
    const withPlan = <Q extends typeof base>(qb: Q) => fields.includes('annual_planned') ? qb.select(columns).select('ap.planned_investment as annual_planned') : qb.select(columns);
    const page = withPlan(base);
    // Blank values sort last in both directions and on both engines (they disagree on where NULL goes by default).
    // NOT NULL columns keep a plain ORDER BY, which SQLite can still answer from an index (id: the rowid).
    const direction = (ob: OrderByItemBuilder) => {
      const sorted = query.order === 'asc' ? ob.asc() : ob.desc();
      return NOT_NULL_SORTS.has(query.sort) ? sorted : sorted.nullsLast();
    };
    const offset = (query.page - 1) * query.page_size;
    const kept = listTotalsKept(query, planYear);
    // Without kept totals (a search, a category …) the page's statement carries them too, as window aggregates over
    // every matching row: the filter — for a search, the trigram match and its region and unit names — runs once
    // for page and totals, where a separate totals statement ran it a second time (issue 16).
    const windowColumns = [
      sql<number>`count(*) over ()`.as('total_count'),
      sql<number>`coalesce(sum(projects.total_investment) over (), 0)`.as('total_investment_sum'),
      sql<number>`coalesce(sum(ap.planned_investment) over (), 0)`.as('annual_planned_sum'),
    ];
    let windowed: { count: number; total_investment: number; annual_planned: number } | undefined;
    const takeTotals = (rows: ReadonlyArray<{ total_count: number; total_investment_sum: number; annual_planned_sum: number }>) => {
      const first = rows[0];
      // No row: nothing matches (page 1), or the page lies past the end and the totals need their own statement.
      if (first) windowed = { count: first.total_count, total_investment: first.total_investment_sum, annual_planned: first.annual_planned_sum };
      else if (offset === 0) windowed = { count: 0, total_investment: 0, annual_planned: 0 };
    };
    const readPage = async () => {
      if (query.sort === 'annual_planned') {
        const sorted = page.orderBy('ap.planned_investment', direction).orderBy('projects.id', query.order)
          .limit(query.page_size).offset(offset);
        if (kept) return sorted.execute();
        else {
          const rows = await sorted.select(windowColumns).execute();
          takeTotals(rows);
          return rows.map(({ total_count: _c, total_investment_sum: _t, annual_planned_sum: _a, ...row }) => row);
        }
      } else {
        // The page's ids first, from the filter alone (for region + stage by total investment, index-only over
        // projects_region_totals: sorting keys, not rows), then the page's rows and plans: without it every matching
        // row was read, joined to its plan and sorted to keep 50 (issue 16).
        const sort = `projects.${query.sort}` as const;
        const sorted = applyProjectFilter(withinScope(this.idSource(query), scope), query).orderBy(sort, direction).orderBy('projects.id', query.order).limit(query.page_size).offset(offset);
        let pageIds;
        if (kept) pageIds = sorted.select('projects.id');
        else {
          const rows = await (this.answersFromListRows(query)
            // project_list_rows (as projects) carries each project's latest plan: of the plan year, it is that year's
            // plan; of an earlier year, there is none that year; only a later one takes the annual_plans look-up.
            ? sorted.select('projects.id').select([
              sql<number>`count(*) over ()`.as('total_count'),
              sql<number>`coalesce(sum(projects.total_investment) over (), 0)`.as('total_investment_sum'),
              sql<number>`coalesce(sum(case when projects.plan_year = ${planYear} then projects.planned
                when projects.plan_year > ${planYear} then (select a.planned_investment from annual_plans a where a.project_id = projects.id and a.year = ${planYear})
                end) over (), 0)`.as('annual_planned_sum'),
            ])
            : sorted
              .leftJoin('annual_plans as ap', (join) => join.onRef('ap.project_id', '=', 'projects.id').on('ap.year', '=', planYear))
              .select('projects.id').select(windowColumns))
            .execute();
          takeTotals(rows);
          pageIds = rows.map((r) => r.id);
        }
        // The filter is applied once, in pageIds (a text search's term sub-queries are not cheap to run twice).
        const rows = this.db.selectFrom('projects')
          .leftJoin('annual_plans as ap', (join) => join.onRef('ap.project_id', '=', 'projects.id').on('ap.year', '=', planYear));
        return Array.isArray(pageIds) && !pageIds.length ? [] : withPlan(rows).where('projects.id', 'in', pageIds)
          .orderBy(sort, direction).orderBy('projects.id', query.order)
          .execute();
      }
    };
    // Kept totals do not depend on the page: on PostgreSQL the two statements overlap on two pooled connections
    // instead of paying two round trips one after the other (issue 16); SQLite runs them in turn either way.
    const [items, keptTotals] = await Promise.all([readPage(), kept ? this.keptListTotals(query, scope, planYear) : undefined]);
    const totals = windowed ?? keptTotals ?? await base.select((eb) => [
      eb.fn.countAll<number>().as('count'),
      eb.fn.coalesce(eb.fn.sum<number>('projects.total_investment'), eb.lit(0)).as('total_investment'),
      eb.fn.coalesce(eb.fn.sum<number>('ap.planned_investment'), eb.lit(0)).as('annual_planned'),
    ]).executeTakeFirstOrThrow();
    return {
      items,
      totals: { count: Number(totals.count), total_investment: Number(totals.total_investment), annual_planned: Number(totals.annual_planned), year: planYear },
    };
  }

  /** True when this list's page ids and totals come from project_list_rows (SQLite, a search listRowsAnswer accepts). */
  private answersFromListRows(query: ProjectListQuery): boolean {
    return dialectOf(this.db) === 'sqlite' && listRowsAnswer(query);
  }

  /**
   * Where the page's ids are found: for a text search listRowsAnswer accepts (SQLite), the narrow project_list_rows
   * under the name projects — they carry every column that filter, scope and sort name, with the same values (kept
   * by triggers) — else projects itself.
   */
  private idSource(query: ProjectListQuery): ProjectQuery<object> {
    if (this.answersFromListRows(query)) {
      // The narrow table's columns are a subset of projects' under the same names: listRowsAnswer admits only
      // filters and sorts over that subset, so the query builder's view of it as projects holds for this query.
      return this.db.selectFrom('project_list_rows as projects');
    }
    return this.db.selectFrom('projects');
  }

  /**
   * The list's totals summed from project_list_totals (kept by triggers: migration 2026-12-12-50): rows per region,
   * unit, stage and tier, not per project. Only for a filter listTotalsKept accepts.
   */
  async keptListTotals(query: ProjectFilter, scope: DataScope, planYear: number) {
    // Without a year filter the count and Σ total come from year 0 (every live project); with one, from that year's rows.
    const base = query.year ?? 0;
    let qb = this.db.selectFrom('project_list_totals as c')
      .$if(!scope.all, (q) => q.where(inScope(scope, { unit: 'c.unit_id', region: 'c.region_code' })))
      .where('c.year', 'in', [base, planYear]);
    if (query.region) qb = qb.where('c.region_code', 'in', regionSubtree(query.region));
    if (query.unit) qb = qb.where('c.unit_id', 'in', unitSubtree(query.unit));
    const stages = listOf(query.stage);
    if (stages.length) qb = qb.where('c.stage', 'in', stages);
    const tiers = listOf(query.tier);
    if (tiers.length) qb = qb.where('c.tier', 'in', tiers);
    if (query.major_only) qb = qb.where('c.major', '=', 1);
    const row = await qb.select([
      sql<number>`coalesce(sum(case when c.year = ${base} then c.n end), 0)`.as('count'),
      sql<number>`coalesce(sum(case when c.year = ${base} then c.total_investment end), 0)`.as('total_investment'),
      sql<number>`coalesce(sum(case when c.year = ${planYear} then c.planned_investment end), 0)`.as('annual_planned'),
    ]).executeTakeFirstOrThrow();
    return row;
  }

  /**
   * Where project_list_totals differs from a recount of the projects and plans it summarises: one line per differing
   * key, empty when exact (tests; `docket verify`).
   */
  async keptListTotalsDrift(): Promise<string[]> {
    const [kept, counted] = await Promise.all([
      this.db.selectFrom('project_list_totals').selectAll().execute(),
      sql<ProjectListTotalRow>`${sql.raw(LIST_TOTALS_RECOUNT)}`.execute(this.db).then((r) => r.rows),
    ]);
    const key = (r: ProjectListTotalRow) => [r.year, r.region_code, r.unit_id, r.stage, r.tier, r.major].join('/');
    const sums = (r: ProjectListTotalRow) => [Number(r.n), Number(r.total_investment), Number(r.planned_investment)].join(',');
    const a = new Map(kept.filter((r) => Number(r.n) !== 0 || Number(r.total_investment) !== 0 || Number(r.planned_investment) !== 0).map((r) => [key(r), sums(r)]));
    const b = new Map(counted.map((r) => [key(r), sums(r)]));
    return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k))
      .map((k) => `list totals ${k}: kept ${a.get(k) ?? '0,0,0'}, counted ${b.get(k) ?? '0,0,0'}`);
  }

  /**
   * SQLite: the ids whose project_list_rows row differs from a recount of projects and their latest plans (missing,
   * extra or changed), one line each; empty when exact, and always on PostgreSQL, which has no copy (tests; `docket verify`).
   */
  async listRowsDrift(): Promise<string[]> {
    if (dialectOf(this.db) !== 'sqlite') return [];
    const copy = `SELECT ${[...LIST_ROW_COLUMNS, 'plan_year', 'planned'].join(', ')} FROM project_list_rows`;
    const { rows } = await sql<{ id: number; side: string }>`${sql.raw(`SELECT id, 'kept' AS side FROM (${copy} EXCEPT ${LIST_ROWS_RECOUNT})
      UNION ALL SELECT id, 'counted' AS side FROM (${LIST_ROWS_RECOUNT} EXCEPT ${copy}) ORDER BY id, side`)}`.execute(this.db);
    return rows.map((r) => `list rows: project ${r.id} differs (${r.side} side)`);
  }

  /** Rebuilds project_list_rows from projects and their plans (`docket verify --fix`; SQLite only): run it in a transaction. */
  async rebuildListRows(): Promise<void> {
    if (dialectOf(this.db) !== 'sqlite') return;
    await sql`delete from project_list_rows`.execute(this.db);
    await sql`insert into project_list_rows (${sql.raw([...LIST_ROW_COLUMNS, 'plan_year', 'planned'].join(', '))}) ${sql.raw(LIST_ROWS_RECOUNT)}`.execute(this.db);
  }

  /** Rebuilds project_list_totals from the recount (`docket verify --fix`): run it in a transaction. */
  async rebuildKeptListTotals(): Promise<void> {
    await this.db.deleteFrom('project_list_totals').execute();
    await sql`insert into project_list_totals (year, region_code, unit_id, stage, tier, major, n, total_investment, planned_investment) ${sql.raw(LIST_TOTALS_RECOUNT)}`.execute(this.db);
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
