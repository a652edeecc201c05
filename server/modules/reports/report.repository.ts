import type { AliasedSelectQueryBuilder, Insertable, RawBuilder, Selectable, SelectQueryBuilder, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect.ts';
import type { DB, MonthlyReportPhotoTable, MonthlyReportTable, ProjectTable, ReportingPeriodTable } from '../../db/schema.ts';
import type { DataScope } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { applyProjectFilter, withinScope } from '../../platform/project-filter.ts';
import { clock } from '../../clock.ts';
import { inScope, unitSubtree } from '../../platform/scope.ts';
import { isAfterDeadline } from '../../../core/monthly-report.ts';

export type ReportRow = Selectable<MonthlyReportTable>;
export type PeriodRow = Selectable<ReportingPeriodTable>;
export type PhotoRow = Selectable<MonthlyReportPhotoTable>;

/** True when a write failed on a unique constraint (another request created the same row first). */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Projects that report monthly: the implementation tier (实施库), not deleted. */
const REPORTING_TIER = 'implementation';

/** Ids bound per statement when a list is looked up by id (well under both engines' parameter limits). */
const ID_CHUNK = 500;

/**
 * Projects a period of `year` covers: on that year's list or an earlier one (or on none, as older data is), so that
 * importing next year's list does not add its projects to this year's grid, 催报 list or review queue.
 */
export function onListOf<O>(qb: SelectQueryBuilder<DB, 'projects', O>, year: number): SelectQueryBuilder<DB, 'projects', O> {
  return qb.where((eb) => eb.or([eb('projects.list_year', 'is', null), eb('projects.list_year', '<=', year)]));
}

/** All SQL of monthly reporting: calendar, settings, reports, revisions, photos and the project effects of approval. */
export class ReportRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** The executor this repository writes through (the transaction, inside one), for the audit trail. */
  get executor(): Executor {
    return this.db;
  }

  /**
   * The report row's project if the scope sees it, for a correlated EXISTS that probes one project by its
   * key, so a single-report lookup does not materialise every project of the scope (it did, per request).
   */
  private reportProjectInScope(scope: DataScope) {
    return withinScope(this.db.selectFrom('projects').select('projects.id'), scope)
      .where('projects.deleted_at', 'is', null)
      .where(sql<boolean>`projects.id = monthly_reports.project_id`);
  }

  /** Ids of the projects the scope may see, as a sub-query. */
  private scopedProjectIds(scope: DataScope) {
    return withinScope(this.db.selectFrom('projects').select('projects.id'), scope).where('projects.deleted_at', 'is', null);
  }

  // ── settings and calendar ──────────────────────────────────────────────────────────────────────────────────

  listPeriods(year: number) {
    return this.db.selectFrom('reporting_periods').selectAll().where('year', '=', year).orderBy('month').execute();
  }

  findPeriod(year: number, month: number) {
    return this.db.selectFrom('reporting_periods').selectAll().where('year', '=', year).where('month', '=', month).executeTakeFirst();
  }

  async insertPeriods(rows: Array<Insertable<ReportingPeriodTable>>): Promise<void> {
    try {
      await this.db.insertInto('reporting_periods').values(rows).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('conflict', '该年度的填报期已由他人同时建立，请刷新');
      throw err;
    }
  }

  async updatePeriod(id: number, patch: Updateable<ReportingPeriodTable>): Promise<void> {
    await this.db.updateTable('reporting_periods').set(patch).where('id', '=', id).execute();
  }

  // ── projects as reporting sees them ────────────────────────────────────────────────────────────────────────

  /** A project that reports monthly and lies within the scope, or undefined. */
  findReportingProject(projectId: number, scope: DataScope) {
    return withinScope(this.db.selectFrom('projects').selectAll('projects'), scope)
      .where('projects.id', '=', projectId)
      .where('projects.deleted_at', 'is', null)
      .where('projects.tier', '=', REPORTING_TIER)
      .executeTakeFirst();
  }

  /** The annual plan's figures the report needs (completed up to last year end), or undefined without a plan. */
  findPlan(projectId: number, year: number) {
    return this.db.selectFrom('annual_plans').select(['planned_investment', 'completed_before_year'])
      .where('project_id', '=', projectId).where('year', '=', year).executeTakeFirst();
  }

  /** Moves the project to a stage reached through an approved report, with the stage's date. */
  async updateProject(projectId: number, patch: Updateable<ProjectTable>, userId: number): Promise<void> {
    await this.db.updateTable('projects')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1), updated_at: clock.now().toISOString(), updated_by: userId }))
      .where('id', '=', projectId)
      .execute();
  }

  async insertStageHistory(row: { project_id: number; from_stage: string; to_stage: string; event_date: string; reason: string; user_id: number }): Promise<void> {
    await this.db.insertInto('project_stage_history').values({ ...row, created_at: clock.now().toISOString() }).execute();
  }

  // ── reports ────────────────────────────────────────────────────────────────────────────────────────────────

  findReport(projectId: number, year: number, month: number) {
    return this.db.selectFrom('monthly_reports').selectAll()
      .where('project_id', '=', projectId).where('year', '=', year).where('month', '=', month)
      .executeTakeFirst();
  }

  /** A project's name, or undefined (the audit trail names a report by its project and period). */
  async findProjectName(projectId: number): Promise<string | undefined> {
    return (await this.db.selectFrom('projects').select('name').where('id', '=', projectId).executeTakeFirst())?.name;
  }

  /** The report when its project lies within the scope, or undefined. */
  findReportById(id: number) {
    return this.db.selectFrom('monthly_reports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findReportInScope(id: number, scope: DataScope) {
    return this.db.selectFrom('monthly_reports').selectAll()
      .where('id', '=', id)
      .where((eb) => eb.exists(this.reportProjectInScope(scope)))
      .executeTakeFirst();
  }

  /** The latest report of the same year before the month (the previous period's), or undefined. */
  findPreviousReport(projectId: number, year: number, month: number) {
    return this.db.selectFrom('monthly_reports').selectAll()
      .where('project_id', '=', projectId).where('year', '=', year).where('month', '<', month)
      .orderBy('month', 'desc').limit(1)
      .executeTakeFirst();
  }

  listProjectReports(projectId: number, year: number) {
    return this.db.selectFrom('monthly_reports').selectAll()
      .where('project_id', '=', projectId).where('year', '=', year).orderBy('month').execute();
  }

  /** Inserts a report; 409 when another request created the project's report for the period first. */
  async insertReport(row: Insertable<MonthlyReportTable>): Promise<number> {
    try {
      const r = await this.db.insertInto('monthly_reports').values(row).returning('id').executeTakeFirstOrThrow();
      return r.id;
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('version_conflict', '该项目本期月报已由他人同时建立，请刷新后在最新内容上修改');
      throw err;
    }
  }

  /** Updates only when the stored version still matches; returns whether a row changed. */
  async updateReportIfVersion(id: number, version: number, patch: Updateable<MonthlyReportTable>): Promise<boolean> {
    const r = await this.db.updateTable('monthly_reports')
      .set({ ...patch, version: version + 1, updated_at: clock.now().toISOString() })
      .where('id', '=', id).where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Rewrites since-start (以来累计) of some projects' reports of a year from their plan's completed-before-year
   * (0 without a plan), after plans were written or deleted; bumps the version of each report it changes.
   */
  async rebaseSinceStart(projectIds: readonly number[], year: number): Promise<number> {
    const base = sql<number>`coalesce((select ap.completed_before_year from annual_plans as ap where ap.project_id = monthly_reports.project_id and ap.year = monthly_reports.year), 0)`;
    let changed = 0;
    for (let i = 0; i < projectIds.length; i += 500) {
      const r = await this.db.updateTable('monthly_reports')
        .set((eb) => ({ amount_since_start: sql<number>`amount_ytd + ${base}`, version: eb('version', '+', 1), updated_at: clock.now().toISOString() }))
        .where('year', '=', year).where('project_id', 'in', projectIds.slice(i, i + 500))
        .where(sql<boolean>`amount_since_start <> amount_ytd + ${base}`)
        .executeTakeFirst();
      changed += Number(r.numUpdatedRows);
    }
    return changed;
  }

  /** Rewrites derived cumulatives of one report (after an earlier month changed); bumps its version. */
  async updateCumulatives(id: number, amountYtd: number, amountSinceStart: number): Promise<void> {
    await this.db.updateTable('monthly_reports')
      .set((eb) => ({ amount_ytd: amountYtd, amount_since_start: amountSinceStart, version: eb('version', '+', 1), updated_at: clock.now().toISOString() }))
      .where('id', '=', id)
      .execute();
  }

  async insertRevision(row: { report_id: number; revision: number; snapshot: string; reason: string; user_id: number }): Promise<void> {
    await this.db.insertInto('monthly_report_revisions').values({ ...row, created_at: clock.now().toISOString() }).execute();
  }

  listRevisions(reportId: number) {
    return this.db.selectFrom('monthly_report_revisions')
      .leftJoin('users', 'users.id', 'monthly_report_revisions.user_id')
      .select(['monthly_report_revisions.revision', 'monthly_report_revisions.snapshot', 'monthly_report_revisions.reason',
        'monthly_report_revisions.user_id', 'users.display_name as user_name', 'monthly_report_revisions.created_at'])
      .where('report_id', '=', reportId)
      .orderBy('monthly_report_revisions.revision')
      .execute();
  }

  // ── photos ─────────────────────────────────────────────────────────────────────────────────────────────────

  async countPhotos(reportId: number): Promise<number> {
    const r = await this.db.selectFrom('monthly_report_photos').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('report_id', '=', reportId).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  listPhotos(reportId: number) {
    return this.db.selectFrom('monthly_report_photos').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
  }

  async insertPhoto(row: Insertable<MonthlyReportPhotoTable>): Promise<number> {
    const r = await this.db.insertInto('monthly_report_photos').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  /** The photo when its report's project lies within the scope, or undefined. */
  findPhotoInScope(photoId: number, scope: DataScope) {
    return this.db.selectFrom('monthly_report_photos')
      .innerJoin('monthly_reports', 'monthly_reports.id', 'monthly_report_photos.report_id')
      .selectAll('monthly_report_photos')
      .where('monthly_report_photos.id', '=', photoId)
      .where((eb) => eb.exists(this.reportProjectInScope(scope)))
      .executeTakeFirst();
  }

  async deletePhoto(photoId: number): Promise<void> {
    await this.db.deleteFrom('monthly_report_photos').where('id', '=', photoId).execute();
  }

  // ── a unit's grid, the review queue and the missing list ───────────────────────────────────────────────────

  /** The reporting projects of a scope (optionally one unit subtree) with their unit, plan and this period's report. */
  listPeriodProjects(scope: DataScope, year: number, month: number, unit: number | undefined) {
    const projects = onListOf(applyProjectFilter(withinScope(this.db.selectFrom('projects'), scope), { unit }), year)
      .where('projects.tier', '=', REPORTING_TIER);
    return projects
      .innerJoin('units', 'units.id', 'projects.unit_id')
      .leftJoin('annual_plans', (j) => j.onRef('annual_plans.project_id', '=', 'projects.id').on('annual_plans.year', '=', year))
      .leftJoin('monthly_reports', (j) => j.onRef('monthly_reports.project_id', '=', 'projects.id')
        .on('monthly_reports.year', '=', year).on('monthly_reports.month', '=', month))
      .select([
        'projects.id as project_id', 'projects.name as project_name', 'projects.unit_id', 'units.name as unit_name',
        'projects.stage as project_stage', 'projects.total_investment',
        'annual_plans.planned_investment', 'annual_plans.completed_before_year',
        'monthly_reports.id as report_id',
      ])
      .orderBy('units.path').orderBy('projects.id')
      .execute();
  }

  /** Ids of the reporting projects of a scope, optionally one unit subtree, as a sub-query (no id lists to bind). */
  private periodProjectIds(scope: DataScope, year: number, unit: number | undefined) {
    return onListOf(applyProjectFilter(withinScope(this.db.selectFrom('projects').select('projects.id'), scope), { unit }), year)
      .where('projects.tier', '=', REPORTING_TIER);
  }

  /** This period's reports of the scope's reporting projects. */
  listPeriodReports(scope: DataScope, year: number, month: number, unit: number | undefined) {
    return this.db.selectFrom('monthly_reports').selectAll()
      .where('project_id', 'in', this.periodProjectIds(scope, year, unit))
      .where('year', '=', year).where('month', '=', month)
      .execute();
  }

  /** For each reporting project of the scope, its latest report of the year before the month (last month's). */
  listPreviousReports(scope: DataScope, year: number, month: number, unit: number | undefined) {
    return this.db.selectFrom('monthly_reports as r').selectAll('r')
      .where('r.project_id', 'in', this.periodProjectIds(scope, year, unit))
      .where('r.year', '=', year)
      .where('r.month', '=', (eb) => eb.selectFrom('monthly_reports as p').select((e) => e.fn.max('p.month').as('m'))
        .whereRef('p.project_id', '=', 'r.project_id').where('p.year', '=', year).where('p.month', '<', month))
      .execute();
  }

  /** Photo counts of this period's reports of the scope's reporting projects, by report id. */
  async countPeriodPhotos(scope: DataScope, year: number, month: number, unit: number | undefined): Promise<Map<number, number>> {
    const rows = await this.db.selectFrom('monthly_report_photos')
      .innerJoin('monthly_reports', 'monthly_reports.id', 'monthly_report_photos.report_id')
      .select((eb) => ['monthly_report_photos.report_id', eb.fn.countAll<number>().as('n')])
      .where('monthly_reports.project_id', 'in', this.periodProjectIds(scope, year, unit))
      .where('monthly_reports.year', '=', year).where('monthly_reports.month', '=', month)
      .groupBy('monthly_report_photos.report_id')
      .execute();
    return new Map(rows.map((r) => [r.report_id, Number(r.n)]));
  }

  /**
   * Submitted reports of a period whose projects lie in the scope (optionally one unit subtree). Driven by the
   * period's status index (monthly_reports_period_status), so an empty queue costs an index probe, not a pass over
   * every reporting project of the scope.
   */
  listSubmitted(scope: DataScope, year: number, month: number, unit: number | undefined) {
    return this.db.selectFrom('monthly_reports')
      .innerJoin('projects', 'projects.id', 'monthly_reports.project_id')
      .innerJoin('units', 'units.id', 'projects.unit_id')
      .selectAll('monthly_reports')
      .select(['projects.name as project_name', 'projects.unit_id', 'units.name as unit_name', 'projects.stage as project_stage'])
      .where('monthly_reports.year', '=', year).where('monthly_reports.month', '=', month)
      .where('monthly_reports.status', '=', 'submitted')
      // Correlated, not IN (…): SQLite would otherwise list every reporting project of the scope before the probe.
      .where((eb) => eb.exists(this.periodProjectIds(scope, year, unit).where(sql<boolean>`${sql.ref('projects.id')} = ${sql.ref('monthly_reports.project_id')}`)))
      .orderBy('monthly_reports.submitted_at').orderBy('monthly_reports.id')
      .execute();
  }

  /** For each of the given projects, its latest report of the year before the month (last month's). */
  async listPreviousReportsOf(projectIds: readonly number[], year: number, month: number) {
    const rows: Array<Selectable<MonthlyReportTable>> = [];
    for (let i = 0; i < projectIds.length; i += ID_CHUNK) {
      const ids = projectIds.slice(i, i + ID_CHUNK);
      rows.push(...await this.db.selectFrom('monthly_reports as r').selectAll('r')
        .where('r.project_id', 'in', ids)
        .where('r.year', '=', year)
        .where('r.month', '=', (eb) => eb.selectFrom('monthly_reports as p').select((e) => e.fn.max('p.month').as('m'))
          .whereRef('p.project_id', '=', 'r.project_id').where('p.year', '=', year).where('p.month', '<', month))
        .execute());
    }
    return rows;
  }

  // Figures for evaluation (考评) sources: per project unit, counted inside the engine ---------------------------

  /**
   * 入库纳统率 per unit (the project's own unit): the reporting projects on `year`'s list that had started by
   * `monthEnd` (actual start date on or before it: only a started project can be entered in the statistics), and how
   * many of them were entered by then (entered, with an entry date on or before `monthEnd` or none recorded).
   */
  async statsEntryByUnit(year: number, monthEnd: string): Promise<Array<{ unit_id: number; started: number; entered: number }>> {
    const rows = await onListOf(this.db.selectFrom('projects'), year)
      .where('projects.deleted_at', 'is', null)
      .where('projects.tier', '=', REPORTING_TIER)
      .where('projects.actual_start_date', '<=', monthEnd)
      .select((eb) => [
        'projects.unit_id',
        eb.fn.countAll<number>().as('started'),
        eb.fn.sum<number>(eb.case()
          .when(eb.and([eb('projects.stats_entered', '=', 1), eb.or([eb('projects.stats_entered_date', 'is', null), eb('projects.stats_entered_date', '<=', monthEnd)])]))
          .then(1).else(0).end()).as('entered'),
      ])
      .groupBy('projects.unit_id')
      .execute();
    return rows.map((r) => ({ unit_id: r.unit_id, started: Number(r.started), entered: Number(r.entered ?? 0) }));
  }

  /**
   * 月度填报及时率 per unit: the reporting projects the period of (year, month) expects, and how many of them have a
   * report for it first submitted before `cutoff` (an ISO instant: the end of the deadline day, China time). A
   * report returned for correction after an on-time submission still counts as on time (first_submitted_at is kept).
   */
  async onTimeByUnit(year: number, month: number, cutoff: string): Promise<Array<{ unit_id: number; expected: number; on_time: number }>> {
    const rows = await onListOf(this.db.selectFrom('projects'), year)
      .where('projects.deleted_at', 'is', null)
      .where('projects.tier', '=', REPORTING_TIER)
      .leftJoin('monthly_reports as r', (j) => j.onRef('r.project_id', '=', 'projects.id').on('r.year', '=', year).on('r.month', '=', month))
      .select((eb) => [
        'projects.unit_id',
        eb.fn.countAll<number>().as('expected'),
        eb.fn.sum<number>(eb.case().when('r.first_submitted_at', '<', cutoff).then(1).else(0).end()).as('on_time'),
      ])
      .groupBy('projects.unit_id')
      .execute();
    return rows.map((r) => ({ unit_id: r.unit_id, expected: Number(r.expected), on_time: Number(r.on_time ?? 0) }));
  }

  /** Photo counts of the given reports, by report id (reports without photos are absent). */
  async countPhotosOf(reportIds: readonly number[]): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    for (let i = 0; i < reportIds.length; i += ID_CHUNK) {
      const rows = await this.db.selectFrom('monthly_report_photos')
        .select((eb) => ['report_id', eb.fn.countAll<number>().as('n')])
        .where('report_id', 'in', reportIds.slice(i, i + ID_CHUNK))
        .groupBy('report_id')
        .execute();
      for (const r of rows) counts.set(r.report_id, Number(r.n));
    }
    return counts;
  }

  /**
   * Where the kept 催报 counts (reporting_unit_projects, report_unit_counts) differ from a recount of the projects and
   * reports they summarise: one line per differing key, empty when exact (tests, and a check after repairs).
   */
  async keptReportCountsDrift(): Promise<string[]> {
    const [keptProjects, countedProjects, keptReports, countedReports] = await Promise.all([
      this.db.selectFrom('reporting_unit_projects').select(['unit_id', 'region_code', 'list_year', 'n']).execute(),
      this.countedReportingProjects().execute(),
      this.db.selectFrom('report_unit_counts').select(['year', 'month', 'unit_id', 'region_code', 'submitted as n']).execute(),
      this.countedSubmittedReports().execute(),
    ]);
    const diff = (label: string, kept: Array<Record<string, unknown>>, counted: Array<Record<string, unknown>>, keys: string[]) => {
      const key = (r: Record<string, unknown>) => keys.map((k) => String(r[k])).join('/');
      const a = new Map(kept.filter((r) => Number(r.n) !== 0).map((r) => [key(r), Number(r.n)]));
      const b = new Map(counted.map((r) => [key(r), Number(r.n)]));
      return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k))
        .map((k) => `${label} ${k}: kept ${a.get(k) ?? 0}, counted ${b.get(k) ?? 0}`);
    };
    return [
      ...diff('projects', keptProjects, countedProjects, ['unit_id', 'region_code', 'list_year']),
      ...diff('reports', keptReports, countedReports, ['year', 'month', 'unit_id', 'region_code']),
      ...await this.keptLateDrift(),
    ];
  }

  /**
   * Where the kept late submitters (report_late) differ from a recount: the submitted or approved reports of live
   * reporting projects on the year's list first submitted on or after their period's deadline day, judged by the
   * service's own rule (isAfterDeadline, China time) rather than the triggers' SQL, with the project's unit and region.
   */
  private async keptLateDrift(): Promise<string[]> {
    const [kept, candidates] = await Promise.all([
      this.db.selectFrom('report_late').select(['year', 'month', 'project_id', 'unit_id', 'region_code', 'first_submitted_at']).execute(),
      this.db.selectFrom('reporting_periods as per').where('per.deadline', 'is not', null)
        .innerJoin('monthly_reports as r', (j) => j.onRef('r.year', '=', 'per.year').onRef('r.month', '=', 'per.month'))
        .where('r.first_submitted_at', '>=', sql.ref<string>('per.deadline'))
        .where('r.status', 'in', ['submitted', 'approved'])
        .innerJoin('projects', 'projects.id', 'r.project_id')
        .where('projects.tier', '=', REPORTING_TIER).where('projects.deleted_at', 'is', null)
        .where((eb) => eb.or([eb('projects.list_year', 'is', null), eb('projects.list_year', '<=', eb.ref('r.year'))]))
        .select(['r.year', 'r.month', 'r.project_id', 'projects.unit_id', 'projects.region_code', 'r.first_submitted_at', 'per.deadline'])
        .execute(),
    ]);
    const key = (r: { year: number; month: number; project_id: number }) => `${r.year}/${r.month}/${r.project_id}`;
    const show = (r: { unit_id: number; region_code: string; first_submitted_at: string | null }) => `${r.unit_id} ${r.region_code} ${r.first_submitted_at}`;
    const a = new Map(kept.map((r) => [key(r), show(r)]));
    const b = new Map(candidates.filter((r) => r.first_submitted_at && isAfterDeadline(r.first_submitted_at, r.deadline!)).map((r) => [key(r), show(r)]));
    return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k))
      .map((k) => `late ${k}: kept ${a.get(k) ?? 'none'}, counted ${b.get(k) ?? 'none'}`);
  }

  /** The 催报 expected counts recounted from the projects: live reporting-tier projects per unit, region and list year. */
  private countedReportingProjects() {
    return this.db.selectFrom('projects').where('projects.tier', '=', REPORTING_TIER).where('projects.deleted_at', 'is', null)
      .select((eb) => ['projects.unit_id', 'projects.region_code', eb.fn.coalesce('projects.list_year', eb.lit(0)).as('list_year'), eb.fn.countAll<number>().as('n')])
      .groupBy(['projects.unit_id', 'projects.region_code', sql`coalesce(projects.list_year, 0)`]);
  }

  /** The 催报 submitted counts recounted from the reports: submitted or approved, per period, unit and region. */
  private countedSubmittedReports() {
    return this.db.selectFrom('projects').where('projects.tier', '=', REPORTING_TIER).where('projects.deleted_at', 'is', null)
      .innerJoin('monthly_reports as r', 'r.project_id', 'projects.id')
      .where('r.status', 'in', ['submitted', 'approved'])
      .where((eb) => eb.or([eb('projects.list_year', 'is', null), eb('projects.list_year', '<=', eb.ref('r.year'))]))
      .select((eb) => ['r.year', 'r.month', 'projects.unit_id', 'projects.region_code', eb.fn.countAll<number>().as('n')])
      .groupBy(['r.year', 'r.month', 'projects.unit_id', 'projects.region_code']);
  }

  /**
   * Rebuilds the kept 催报 counts from the same recount the drift check compares with (`docket verify --fix`, after a
   * repair by hand): run it in a transaction, where the triggers that keep them see no half-rebuilt table.
   */
  async rebuildKeptReportCounts(): Promise<void> {
    await this.db.deleteFrom('reporting_unit_projects').execute();
    await this.db.deleteFrom('report_unit_counts').execute();
    await this.db.insertInto('reporting_unit_projects').columns(['unit_id', 'region_code', 'list_year', 'n'])
      .expression(this.countedReportingProjects()).execute();
    await this.db.insertInto('report_unit_counts').columns(['year', 'month', 'unit_id', 'region_code', 'submitted'])
      .expression(this.countedSubmittedReports()).execute();
    // The late submitters by the triggers' rule (migration 2026-12-14-30): first submitted at or after 16:00 UTC of
    // the deadline date, the end of that day in China time.
    await this.db.deleteFrom('report_late').execute();
    await this.db.insertInto('report_late').columns(['year', 'month', 'project_id', 'unit_id', 'region_code', 'first_submitted_at'])
      .expression(this.db.selectFrom('monthly_reports as r')
        .innerJoin('projects', 'projects.id', 'r.project_id')
        .innerJoin('reporting_periods as per', (j) => j.onRef('per.year', '=', 'r.year').onRef('per.month', '=', 'r.month'))
        .where('r.status', 'in', ['submitted', 'approved'])
        .where('r.first_submitted_at', '>=', sql<string>`per.deadline || 'T16:00:00.000Z'`)
        .where('projects.tier', '=', REPORTING_TIER).where('projects.deleted_at', 'is', null)
        .where((eb) => eb.or([eb('projects.list_year', 'is', null), eb('projects.list_year', '<=', eb.ref('r.year'))]))
        .select(['r.year', 'r.month', 'r.project_id', 'projects.unit_id', 'projects.region_code', sql<string>`r.first_submitted_at`.as('first_submitted_at')]))
      .execute();
  }

  /**
   * Per unit of the scope (or of a unit subtree), the period's expected reports and those submitted or approved,
   * summed from the kept counts (reporting_unit_projects, report_unit_counts: rows per unit and region), by unit id.
   */
  private async unitCountsOf(scope: DataScope, year: number, month: number, unit: number | undefined) {
    const cols = { unit: 'c.unit_id', region: 'c.region_code' };
    const [expectedRows, submittedRows] = await Promise.all([
      this.db.selectFrom('reporting_unit_projects as c').$if(!scope.all, (qb) => qb.where(inScope(scope, cols)))
        .$if(unit !== undefined, (qb) => qb.where('c.unit_id', 'in', unitSubtree(unit!)))
        .select((eb) => ['c.unit_id', eb.fn.sum<number>('c.n').as('n')])
        .where('c.list_year', '<=', year).groupBy('c.unit_id').execute(),
      this.db.selectFrom('report_unit_counts as c').$if(!scope.all, (qb) => qb.where(inScope(scope, cols)))
        .$if(unit !== undefined, (qb) => qb.where('c.unit_id', 'in', unitSubtree(unit!)))
        .select((eb) => ['c.unit_id', eb.fn.sum<number>('c.submitted').as('n')])
        .where('c.year', '=', year).where('c.month', '=', month).groupBy('c.unit_id').execute(),
    ]);
    const submittedOf = new Map(submittedRows.map((r) => [Number(r.unit_id), Number(r.n)]));
    const counts = expectedRows.filter((r) => Number(r.n) > 0).map((r) => ({ unit_id: Number(r.unit_id), expected: Number(r.n), submitted: submittedOf.get(Number(r.unit_id)) ?? 0 }))
      .sort((x, y) => x.unit_id - y.unit_id);
    return counts;
  }

  /**
   * The 催报 list's figures: per unit of the scope's reporting projects, how many are expected and how many have a
   * report submitted or approved for the period, summed from the kept counts (reporting_unit_projects and
   * report_unit_counts, kept by triggers: migration 2026-12-09-40) — rows per unit and region, not per project;
   * then only the rows the list shows: the projects without a submitted report, read for the units that have some,
   * and the period's late submitters, kept with their unit (report_late: migration 2026-12-14-30; none without a
   * `deadline`).
   */
  async periodReportingStatus(scope: DataScope, year: number, month: number, unit: number | undefined, deadline: string | null) {
    // Both index-only on SQLite: projects_reporting (tier, unit_id, deleted_at, list_year, region_code) and
    // monthly_reports_period_cover (year, month, project_id, status, first_submitted_at).
    const joined = () => onListOf(applyProjectFilter(withinScope(this.db.selectFrom('projects'), scope), { unit }), year)
      .where('projects.tier', '=', REPORTING_TIER)
      .leftJoin('monthly_reports as r', (j) => j.onRef('r.project_id', '=', 'projects.id').on('r.year', '=', year).on('r.month', '=', month));
    // The period's late submitters are kept (report_late, by triggers: migration 2026-12-14-30), with the project's
    // unit and region for the scope: only they are read, each joined to its project for the name. Before, every
    // report first submitted on or after the deadline day was read and probed (the whole deadline day, on time).
    // They do not depend on the counts: read beside them (on PostgreSQL a round trip less in turn; issue 16).
    const lateRead = deadline === null ? Promise.resolve([]) : this.db.selectFrom('report_late as l')
      .innerJoin('projects', 'projects.id', 'l.project_id')
      .where('l.year', '=', year).where('l.month', '=', month)
      .$if(!scope.all, (qb) => qb.where(inScope(scope, { unit: 'l.unit_id', region: 'l.region_code' })))
      .$if(unit !== undefined, (qb) => qb.where('l.unit_id', 'in', unitSubtree(unit!)))
      .select(['l.project_id', 'projects.name as project_name', 'l.unit_id', 'l.first_submitted_at'])
      .orderBy('l.project_id')
      .execute();
    const [counts, late] = await Promise.all([this.unitCountsOf(scope, year, month, unit), lateRead]);
    // The units with a project still to report: the only ones whose projects are read.
    const short = counts.filter((c) => c.submitted < c.expected).map((c) => c.unit_id);
    const readNames = async () => {
      const names = new Map<number, string>();
      for (let i = 0; i < counts.length; i += ID_CHUNK) {
        const rows = await this.db.selectFrom('units').select(['id', 'name']).where('id', 'in', counts.slice(i, i + ID_CHUNK).map((c) => c.unit_id)).execute();
        for (const u of rows) names.set(u.id, u.name);
      }
      return names;
    };
    const [names, missing] = await Promise.all([
      readNames(),
      short.length === 0 ? [] : joined()
        .select(['projects.id as project_id', 'projects.name as project_name', 'projects.unit_id', 'r.status'])
        .where((eb) => eb.or([eb('r.id', 'is', null), eb('r.status', 'in', ['draft', 'returned'])]))
        .$if(short.length <= ID_CHUNK, (qb) => qb.where('projects.unit_id', 'in', short))
        .orderBy('projects.id')
        .execute(),
    ]);
    return {
      units: counts.map((u) => ({ unit_id: u.unit_id, unit_name: names.get(u.unit_id) ?? '', expected: u.expected, submitted: u.submitted })),
      missing, late,
    };
  }

  /**
   * One page of the 催报 list: the units of the scope that owe something for the period (a report missing or late),
   * ordered as the list is (most missing, then most late, then unit id), with exact counts from the kept tables
   * (reporting_unit_projects, report_unit_counts, report_late) and, for the page's units only, at most `perUnit` of
   * their missing and late projects each — a unit's own projects, by id, through the unit index, stopping there.
   */
  async periodReportingPage(scope: DataScope, year: number, month: number, unit: number | undefined, deadline: string | null,
    opts: { page: number; pageSize: number; perUnit?: number }) {
    const lateOfPeriod = () => this.db.selectFrom('report_late as l').where('l.year', '=', year).where('l.month', '=', month)
      .$if(!scope.all, (q) => q.where(inScope(scope, { unit: 'l.unit_id', region: 'l.region_code' })))
      .$if(unit !== undefined, (q) => q.where('l.unit_id', 'in', unitSubtree(unit!)));
    const [counts, lateRows] = await Promise.all([
      this.unitCountsOf(scope, year, month, unit),
      deadline === null ? [] : lateOfPeriod().select((eb) => ['l.unit_id', eb.fn.countAll<number>().as('n')]).groupBy('l.unit_id').execute(),
    ]);
    const lateOf = new Map(lateRows.map((r) => [Number(r.unit_id), Number(r.n)]));
    const owing = counts.map((c) => ({ ...c, missing_count: c.expected - c.submitted, late_count: lateOf.get(c.unit_id) ?? 0 }))
      .filter((c) => c.missing_count > 0 || c.late_count > 0)
      .sort((a, b) => b.missing_count - a.missing_count || b.late_count - a.late_count || a.unit_id - b.unit_id);
    const onPage = owing.slice((opts.page - 1) * opts.pageSize, opts.page * opts.pageSize);
    const limit = <Q extends { limit(n: number): Q }>(qb: Q) => (opts.perUnit === undefined ? qb : qb.limit(opts.perUnit));
    // A unit's missing projects and its late submitters, by id, at most perUnit: the unit a value or a column of the
    // outer row (the LATERAL form below).
    const missingOf = (unitId: number | RawBuilder<number>) => limit(
      onListOf(withinScope(this.db.selectFrom('projects'), scope), year)
        .where('projects.tier', '=', REPORTING_TIER).where('projects.deleted_at', 'is', null).where('projects.unit_id', '=', unitId)
        .leftJoin('monthly_reports as r', (j) => j.onRef('r.project_id', '=', 'projects.id').on('r.year', '=', year).on('r.month', '=', month))
        .where((eb) => eb.or([eb('r.id', 'is', null), eb('r.status', 'in', ['draft', 'returned'])]))
        .select(['projects.id as project_id', 'projects.name as project_name', 'projects.unit_id', 'r.status'])
        .orderBy('projects.id'));
    const lateOfUnit = (unitId: number | RawBuilder<number>) => limit(
      lateOfPeriod().where('l.unit_id', '=', unitId)
        .innerJoin('projects', 'projects.id', 'l.project_id')
        .select(['l.project_id', 'projects.name as project_name', 'l.unit_id', 'l.first_submitted_at'])
        .orderBy('l.project_id'));
    const missingUnits = onPage.filter((c) => c.missing_count > 0 && opts.perUnit !== 0).map((c) => c.unit_id);
    const lateUnits = onPage.filter((c) => c.late_count > 0 && opts.perUnit !== 0).map((c) => c.unit_id);
    // PostgreSQL: one statement per list, each unit's few rows through a LATERAL sub-query (the same per-unit query,
    // correlated): up to 50 separate reads each paid a round trip and a pooled connection (3–5× SQLite at month end).
    // SQLite has no LATERAL and answers a short read in-process in microseconds: it keeps one read per unit.
    const perUnit = <T>(ids: number[], one: (unitId: number | RawBuilder<number>) => { execute(): Promise<T[]>; as(alias: 'm'): AliasedSelectQueryBuilder<T, 'm'> }): Promise<T[]> => {
      if (ids.length === 0) return Promise.resolve([]);
      if (dialectOf(this.db) === 'sqlite') return Promise.all(ids.map((id) => one(id).execute())).then((rows) => rows.flat());
      return this.db.selectFrom('units as u').where('u.id', 'in', ids)
        .innerJoinLateral(one(sql.ref<number>('u.id')).as('m'), (j) => j.onTrue())
        .selectAll('m').execute() as Promise<T[]>;
    };
    const [names, missing, late] = await Promise.all([
      onPage.length === 0 ? [] : this.db.selectFrom('units').select(['id', 'name']).where('id', 'in', onPage.map((c) => c.unit_id)).execute(),
      perUnit(missingUnits, missingOf),
      perUnit(lateUnits, lateOfUnit),
    ]);
    const nameOf = new Map(names.map((u) => [u.id, u.name]));
    return {
      total: owing.length,
      units: onPage.map((c) => ({ ...c, unit_name: nameOf.get(c.unit_id) ?? '' })),
      missing: missing.flat(), late: late.flat(),
    };
  }

  // ── to-dos (report-todos.ts) ───────────────────────────────────────────────────────────────────────────────

  /**
   * Per project unit, the period's expected reports and those submitted or approved, from the kept counts (the same
   * figures as 催报), for every unit or only `unitIds`. Units with nothing expected are left out.
   */
  async unitReportCounts(year: number, month: number, unitIds?: readonly number[]): Promise<Array<{ unit_id: number; expected: number; submitted: number }>> {
    if (unitIds && unitIds.length === 0) return [];
    const [expectedRows, submittedRows] = await Promise.all([
      this.db.selectFrom('reporting_unit_projects as c').select((eb) => ['c.unit_id', eb.fn.sum<number>('c.n').as('n')])
        .where('c.list_year', '<=', year).$if(unitIds !== undefined, (qb) => qb.where('c.unit_id', 'in', unitIds!)).groupBy('c.unit_id').execute(),
      this.db.selectFrom('report_unit_counts as c').select((eb) => ['c.unit_id', eb.fn.sum<number>('c.submitted').as('n')])
        .where('c.year', '=', year).where('c.month', '=', month).$if(unitIds !== undefined, (qb) => qb.where('c.unit_id', 'in', unitIds!)).groupBy('c.unit_id').execute(),
    ]);
    const submittedOf = new Map(submittedRows.map((r) => [Number(r.unit_id), Number(r.n)]));
    return expectedRows.filter((r) => Number(r.n) > 0)
      .map((r) => ({ unit_id: Number(r.unit_id), expected: Number(r.n), submitted: submittedOf.get(Number(r.unit_id)) ?? 0 }));
  }

  /** The period's returned reports of live reporting projects (each one is a unit's "return to fix"), optionally of some units. */
  async listReturnedReports(year: number, month: number, unitIds?: readonly number[]): Promise<Array<{ id: number; project_id: number; project_name: string; unit_id: number; return_reason: string | null }>> {
    if (unitIds && unitIds.length === 0) return [];
    return this.db.selectFrom('monthly_reports as r').innerJoin('projects', 'projects.id', 'r.project_id')
      .select(['r.id', 'r.project_id', 'projects.name as project_name', 'projects.unit_id', 'r.return_reason'])
      .where('r.year', '=', year).where('r.month', '=', month).where('r.status', '=', 'returned')
      .where('projects.tier', '=', REPORTING_TIER).where('projects.deleted_at', 'is', null)
      .$if(unitIds !== undefined, (qb) => qb.where('projects.unit_id', 'in', unitIds!))
      .orderBy('r.id').execute();
  }

  /** The project units of some projects (the units whose to-dos a write may change). */
  async unitsOfProjects(projectIds: readonly number[]): Promise<number[]> {
    const units = new Set<number>();
    for (let i = 0; i < projectIds.length; i += ID_CHUNK) {
      const rows = await this.db.selectFrom('projects').select('unit_id').distinct().where('id', 'in', projectIds.slice(i, i + ID_CHUNK)).execute();
      for (const r of rows) units.add(r.unit_id);
    }
    return [...units];
  }

  /** The open periods (the ones reporters owe reports for). */
  async listOpenPeriods(): Promise<PeriodRow[]> {
    return this.db.selectFrom('reporting_periods').selectAll().where('status', '=', 'open').orderBy('year').orderBy('month').execute();
  }

  // ── 需协调问题 → 督办事项 (one matter per report) ─────────────────────────────────────────────────────────────

  async findMatterLink(reportId: number): Promise<{ matter_id: number; matter_number: string } | undefined> {
    return this.db.selectFrom('report_matter_links').select(['matter_id', 'matter_number']).where('report_id', '=', reportId).executeTakeFirst();
  }

  /** The matters of some reports' 需协调问题, by report id. */
  async matterLinksOf(reportIds: readonly number[]): Promise<Map<number, { id: number; number: string }>> {
    const links = new Map<number, { id: number; number: string }>();
    for (let i = 0; i < reportIds.length; i += ID_CHUNK) {
      const rows = await this.db.selectFrom('report_matter_links').select(['report_id', 'matter_id', 'matter_number'])
        .where('report_id', 'in', reportIds.slice(i, i + ID_CHUNK)).execute();
      for (const r of rows) links.set(r.report_id, { id: r.matter_id, number: r.matter_number });
    }
    return links;
  }

  /** False when the report already has a matter (another request linked one first: the unique report_id). */
  async insertMatterLink(row: { report_id: number; matter_id: number; matter_number: string; created_at: string }): Promise<boolean> {
    try {
      await this.db.insertInto('report_matter_links').values(row).execute();
      return true;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw err;
    }
  }
}
