import { sql, type Insertable, type SelectQueryBuilder } from 'kysely';
import type { ProjectProblemFact } from '../../../core/lights.ts';
import type { Executor } from '../../db/database.ts';
import type { DB, LightExcuseTable } from '../../db/schema.ts';
import { LightSnapshotRepository } from './light-snapshot.repository.ts';
import type { DataScope } from '../../context.ts';
import { applyProjectFilter, resolveSearch, withinScope, type ProjectFilter } from '../../platform/project-filter.ts';
import { YTD_COLUMNS } from '../../db/schema.ts';

/** One project on year Y's list with what the light rules look at, and each month's 1–N月 cumulative. */
export interface LightFactsRow {
  project_id: number;
  name: string;
  region_code: string;
  unit_id: number;
  unit_name: string | null;
  stage: string;
  nature: string | null;
  category: string | null;
  investment_type: string | null;
  planned_investment: number;
  plan_new_start: number;
  plan_start_month: number | null;
  actual_start_date: string | null;
  stats_entered: number;
  stats_entered_date: string | null;
  /** The project's list did not say whether it is 入库纳统 (issue 12). */
  stats_unknown: number;
  months: number[];
  /** The project's problems that were open at some time of the year (the problem rule, issue 18). */
  problems: ProjectProblemFact[];
}

/** All SQL of the lights: rule set versions, excuses, and the facts of the projects in a scope. */
export class LightRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** The executor this repository writes through (the transaction, inside one), for the audit trail. */
  get executor(): Executor {
    return this.db;
  }

  /** The snapshot tables, through the same executor. */
  get snapshots(): LightSnapshotRepository {
    return new LightSnapshotRepository(this.db);
  }


  /** Months of the year's reporting calendar the office has closed (their figures and lights are published). */
  async listClosedMonths(year: number): Promise<number[]> {
    const rows = await this.db.selectFrom('reporting_periods').select('month').where('year', '=', year).where('status', '=', 'closed').orderBy('month').execute();
    return rows.map((r) => r.month);
  }

  listRuleVersions(year: number) {
    return this.db.selectFrom('light_rule_sets').selectAll().where('year', '=', year).orderBy('version').execute();
  }

  /** The version ruling (year, month): the latest effective_month at or before it, then the latest version. */
  findRuleVersionInForce(year: number, month: number) {
    return this.db.selectFrom('light_rule_sets').selectAll()
      .where('year', '=', year).where('effective_month', '<=', month)
      .orderBy('effective_month', 'desc').orderBy('version', 'desc')
      .limit(1).executeTakeFirst();
  }

  /**
   * The year's versions effective at or before `month`, for working out in memory which one rules each month up to
   * it (one statement where findRuleVersionInForce per month was one each).
   */
  listRuleVersionsUpTo(year: number, month: number) {
    return this.db.selectFrom('light_rule_sets').selectAll().where('year', '=', year).where('effective_month', '<=', month).execute();
  }

  async insertRuleVersion(row: { year: number; effective_month: number; rules: string; note: string | null; created_by: number; created_at: string }) {
    const last = await this.db.selectFrom('light_rule_sets').select((eb) => eb.fn.max('version').as('v')).where('year', '=', row.year).executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    return this.db.insertInto('light_rule_sets').values({ ...row, version }).returningAll().executeTakeFirstOrThrow();
  }

  /**
   * The filter with its search terms' region and unit names resolved once (issue 16: a name search then asks the
   * name index alone, as the project list does, where the unresolved form also ran the region and unit sub-queries).
   */
  resolveSearch<F extends ProjectFilter>(filter: F) {
    return resolveSearch(this.db, filter);
  }

  /** Projects in the filter and scope that are on year Y's list, with their facts, ordered by id. */
  async listFacts(filter: ProjectFilter, scope: DataScope, year: number): Promise<LightFactsRow[]> {
    return this.factsOf(applyProjectFilter(withinScope(this.db.selectFrom('projects'), scope), filter), year);
  }

  /** Projects on year Y's list (not deleted) with ids in [fromId, toId] or among `ids`, with their facts, by id. */
  async listFactsOf(year: number, only: { fromId: number; toId: number } | { ids: readonly number[] }): Promise<LightFactsRow[]> {
    const base = this.db.selectFrom('projects').where('projects.deleted_at', 'is', null);
    if ('ids' in only) return only.ids.length ? this.factsOf(base.where('projects.id', 'in', [...only.ids]), year) : [];
    return this.factsOf(base.where('projects.id', '>=', only.fromId).where('projects.id', '<=', only.toId), year);
  }

  private async factsOf(projects: SelectQueryBuilder<DB, 'projects', object>, year: number): Promise<LightFactsRow[]> {
    const rows = await projects
      .innerJoin('annual_plans as ap', (j) => j.onRef('ap.project_id', '=', 'projects.id').on('ap.year', '=', year))
      .leftJoin('indicator_ytd as y', (j) => j.onRef('y.project_id', '=', 'projects.id').on('y.year', '=', year))
      .leftJoin('units as u', 'u.id', 'projects.unit_id')
      .select([
        'projects.id as project_id', 'projects.name', 'projects.region_code', 'projects.unit_id', 'u.name as unit_name',
        'projects.stage', 'projects.nature', 'projects.category', 'projects.investment_type',
        'ap.planned_investment', 'ap.plan_new_start', 'ap.plan_start_month',
        'projects.actual_start_date', 'projects.stats_entered', 'projects.stats_entered_date', 'projects.stats_unknown',
        ...YTD_COLUMNS.map((c) => `y.${c}` as const),
      ])
      .orderBy('projects.id')
      .execute();
    const problems = await this.problemsOf(rows.map((r) => r.project_id), year);
    return rows.map((r) => ({
      problems: problems.get(r.project_id) ?? [],
      project_id: r.project_id, name: r.name, region_code: r.region_code, unit_id: r.unit_id, unit_name: r.unit_name,
      stage: r.stage, nature: r.nature, category: r.category, investment_type: r.investment_type,
      planned_investment: Number(r.planned_investment), plan_new_start: Number(r.plan_new_start), plan_start_month: r.plan_start_month,
      actual_start_date: r.actual_start_date, stats_entered: Number(r.stats_entered), stats_entered_date: r.stats_entered_date,
      stats_unknown: Number(r.stats_unknown),
      months: YTD_COLUMNS.map((c) => Number(r[c] ?? 0)),
    }));
  }

  /** Problems of the projects open at some time of the year (refused ones left out), by project. */
  private async problemsOf(ids: readonly number[], year: number): Promise<Map<number, ProjectProblemFact[]>> {
    const out = new Map<number, ProjectProblemFact[]>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db.selectFrom('problems')
        .select(['project_id', 'title', 'received_on', 'closed_on', sql<string>`coalesce(solve_due, route_due, received_on)`.as('due')])
        .where('project_id', 'in', ids.slice(i, i + 500)).where('status', '<>', 'rejected')
        .where('received_on', '<=', `${year}-12-31`).where((eb) => eb.or([eb('closed_on', 'is', null), eb('closed_on', '>=', `${year}-01-01`)]))
        .orderBy('id').execute();
      for (const r of rows) {
        const list = out.get(r.project_id!) ?? [];
        list.push({ title: r.title, received_on: r.received_on, closed_on: r.closed_on, due: r.due });
        out.set(r.project_id!, list);
      }
    }
    return out;
  }

  /** Excuses of year Y not revoked for projects with ids in [fromId, toId] or among `ids`. */
  async listExcusesOf(year: number, only: { fromId: number; toId: number } | { ids: readonly number[] }) {
    let qb = this.db.selectFrom('light_excuses').selectAll().where('year', '=', year).where('revoked_at', 'is', null);
    if ('ids' in only) {
      if (!only.ids.length) return [];
      if (only.ids.length > 500) {
        // A re-judging chunk of 2,000 projects: the year's excuses (accepted one by one, so few) filtered here cost
        // less than 2,000 bound ids probed in the index (7–15 ms a chunk at 100k, issue 23).
        const ids = new Set(only.ids);
        return (await qb.orderBy('id').execute()).filter((e) => ids.has(e.project_id));
      }
      qb = qb.where('project_id', 'in', [...only.ids]);
    } else {
      qb = qb.where('project_id', '>=', only.fromId).where('project_id', '<=', only.toId);
    }
    return qb.orderBy('id').execute();
  }

  /** Excuses of year Y not revoked, for projects in the filter and scope (or one project). */
  listActiveExcuses(filter: ProjectFilter, scope: DataScope, year: number, projectId?: number) {
    const inScope = applyProjectFilter(withinScope(this.db.selectFrom('projects'), scope), filter).select('projects.id');
    let qb = this.db.selectFrom('light_excuses').selectAll()
      .where('year', '=', year).where('revoked_at', 'is', null)
      .where('project_id', 'in', inScope);
    if (projectId !== undefined) qb = qb.where('project_id', '=', projectId);
    return qb.orderBy('id').execute();
  }

  async insertExcuse(row: Insertable<LightExcuseTable>) {
    return this.db.insertInto('light_excuses').values(row).returningAll().executeTakeFirstOrThrow();
  }

  findExcuse(id: number) {
    return this.db.selectFrom('light_excuses').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async revokeExcuse(id: number, userId: number, now: string): Promise<boolean> {
    const r = await this.db.updateTable('light_excuses').set({ revoked_at: now, revoked_by: userId })
      .where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
