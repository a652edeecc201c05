import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { MonthlyReportTable } from '../../db/schema.ts';
import type { DataScope } from '../../context.ts';
import { applyProjectFilter, withinScope } from '../../platform/project-filter.ts';
import { onListOf, type ReportRow } from './report.repository.ts';

/** Projects that report monthly: the implementation tier (实施库), not deleted. */
const REPORTING_TIER = 'implementation';

/** Ids per IN list: far below both engines' parameter limits. */
const ID_CHUNK = 500;
/** Rows per multi-row INSERT: 26 columns × 400 rows stays below SQLite's 32,766 parameters. */
const ROW_CHUNK = 400;

function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** A report row as the bulk write stores it: every column but the id, with the version it must end at. */
export type BulkReportRow = Insertable<MonthlyReportTable> & { version: number };

/**
 * The set-based SQL of bulk report writes (a month's import, submit-all): each statement covers hundreds of
 * reports, so a write of N rows costs O(N) statements / 400, never a statement per row and never a read of the
 * whole table per row.
 */
export class ReportBulkRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** Reporting projects among `ids` that the scope sees: id, name and what a report's checks read. */
  async listReportingProjects(ids: readonly number[], scope: DataScope) {
    const out = [];
    for (const part of chunks(ids, ID_CHUNK)) {
      out.push(...await withInScope(this.db, scope)
        .select(['projects.id', 'projects.name', 'projects.stage', 'projects.stats_entered'])
        .where('projects.id', 'in', part)
        .execute());
    }
    return out;
  }

  /** The reports of (year, month) of some projects. */
  async listReports(projectIds: readonly number[], year: number, month: number): Promise<ReportRow[]> {
    const out: ReportRow[] = [];
    for (const part of chunks(projectIds, ID_CHUNK)) {
      out.push(...await this.db.selectFrom('monthly_reports').selectAll()
        .where('year', '=', year).where('month', '=', month).where('project_id', 'in', part).execute());
    }
    return out;
  }

  /** For each of some projects, its latest report of the year before the month (the previous period's 1–N月). */
  async listPreviousCumulatives(projectIds: readonly number[], year: number, month: number) {
    const out: { project_id: number; amount_ytd: number }[] = [];
    for (const part of chunks(projectIds, ID_CHUNK)) {
      out.push(...await this.db.selectFrom('monthly_reports as r').select(['r.project_id', 'r.amount_ytd'])
        .where('r.project_id', 'in', part).where('r.year', '=', year)
        .where('r.month', '=', (eb) => eb.selectFrom('monthly_reports as p').select((e) => e.fn.max('p.month').as('m'))
          .whereRef('p.project_id', '=', 'r.project_id').where('p.year', '=', year).where('p.month', '<', month))
        .execute());
    }
    return out;
  }

  /** The annual plans' completed-before-year of some projects for a year. */
  async listPlanBases(projectIds: readonly number[], year: number) {
    const out: { project_id: number; completed_before_year: number }[] = [];
    for (const part of chunks(projectIds, ID_CHUNK)) {
      out.push(...await this.db.selectFrom('annual_plans').select(['project_id', 'completed_before_year'])
        .where('year', '=', year).where('project_id', 'in', part).execute());
    }
    return out;
  }

  /** Photo counts of some reports (absent: none). */
  async countPhotos(reportIds: readonly number[]): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    for (const part of chunks(reportIds, ID_CHUNK)) {
      const rows = await this.db.selectFrom('monthly_report_photos').select((eb) => ['report_id', eb.fn.countAll<number>().as('n')])
        .where('report_id', 'in', part).groupBy('report_id').execute();
      for (const r of rows) counts.set(r.report_id, Number(r.n));
    }
    return counts;
  }

  /**
   * Inserts or updates the reports of one period in multi-row upserts. An update applies only when the stored
   * version is still the one read (version − 1): returns how many rows were written, so the caller can tell a
   * concurrent change (fewer rows than given) and roll back.
   */
  async upsertReports(rows: readonly BulkReportRow[]): Promise<number> {
    let written = 0;
    const updated = ['amount_month', 'amount_ytd', 'amount_since_start', 'negative_reason', 'stage', 'stage_date', 'progress_text', 'workers',
      'problems', 'next_plan', 'stats_entered', 'stats_code', 'stats_reason', 'status', 'submitted_at', 'submitted_by', 'reviewed_at',
      'reviewed_by', 'first_submitted_at', 'version', 'updated_at'] as const;
    for (const part of chunks(rows, ROW_CHUNK)) {
      const r = await this.db.insertInto('monthly_reports').values(part)
        .onConflict((oc) => oc.columns(['project_id', 'year', 'month'])
          .doUpdateSet(Object.fromEntries(updated.map((c) => [c, sql.ref(`excluded.${c}`)])))
          .where(sql<boolean>`monthly_reports.version = excluded.version - 1`))
        .executeTakeFirst();
      written += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    return written;
  }

  /**
   * Re-chains `month` and the months after it of some projects' year: 1–N月 = Σ monthly figures up to N, since-start =
   * the plan's completed-before-year + 1–N月; bumps the version of each report it changes. Set-based: one UPDATE
   * per chunk of projects (usually nothing to change: the month written is the latest and was derived in memory).
   */
  async rechainFrom(projectIds: readonly number[], year: number, month: number, now: string): Promise<number> {
    const ytd = sql<number>`(select sum(p.amount_month) from monthly_reports as p where p.project_id = monthly_reports.project_id and p.year = monthly_reports.year and p.month <= monthly_reports.month)`;
    const base = sql<number>`coalesce((select ap.completed_before_year from annual_plans as ap where ap.project_id = monthly_reports.project_id and ap.year = monthly_reports.year), 0)`;
    let changed = 0;
    for (const part of chunks(projectIds, ID_CHUNK)) {
      const r = await this.db.updateTable('monthly_reports')
        .set((eb) => ({ amount_ytd: ytd, amount_since_start: sql<number>`${ytd} + ${base}`, version: eb('version', '+', 1), updated_at: now }))
        .where('year', '=', year).where('month', '>=', month).where('project_id', 'in', part)
        .where((eb) => eb.or([eb('amount_ytd', '<>', ytd), eb('amount_since_start', '<>', sql<number>`${ytd} + ${base}`)]))
        .executeTakeFirst();
      changed += Number(r.numUpdatedRows);
    }
    return changed;
  }

  /**
   * Carries approved reports' statistics entry (入库纳统) to their projects, set-based: the projects of `projectIds`
   * whose (year, month) report is approved and states it differently from the project.
   */
  async applyStatsToProjects(projectIds: readonly number[], year: number, month: number, userId: number, today: string, now: string): Promise<number> {
    const report = (column: string) => sql`(select r.${sql.ref(column)} from monthly_reports as r where r.project_id = projects.id and r.year = ${year} and r.month = ${month})`;
    let changed = 0;
    for (const part of chunks(projectIds, ID_CHUNK)) {
      const entered = await this.db.updateTable('projects')
        .set((eb) => ({
          stats_entered_date: sql<string | null>`case when projects.stats_entered = 1 then projects.stats_entered_date else ${today} end`,
          stats_entered: 1, stats_code: sql<string | null>`${report('stats_code')}`, stats_reason: null,
          version: eb('version', '+', 1), updated_at: now, updated_by: userId,
        }))
        .where('id', 'in', part)
        .where((eb) => eb.exists(this.approvedStating(year, month, 1)))
        .where((eb) => eb.or([eb('stats_entered', 'is', null), eb('stats_entered', '<>', 1), eb('stats_code', 'is', null),
          eb('stats_code', '<>', sql<string>`${report('stats_code')}`), eb('stats_reason', 'is not', null)]))
        .executeTakeFirst();
      const notEntered = await this.db.updateTable('projects')
        .set((eb) => ({ stats_entered: 0, stats_reason: sql<string | null>`${report('stats_reason')}`, version: eb('version', '+', 1), updated_at: now, updated_by: userId }))
        .where('id', 'in', part)
        .where((eb) => eb.exists(this.approvedStating(year, month, 0)))
        .where((eb) => eb.or([eb('stats_entered', 'is', null), eb('stats_entered', '<>', 0), eb('stats_reason', 'is', null),
          eb('stats_reason', '<>', sql<string>`${report('stats_reason')}`)]))
        .executeTakeFirst();
      changed += Number(entered.numUpdatedRows) + Number(notEntered.numUpdatedRows);
    }
    return changed;
  }

  /** The project's approved report of (year, month) stating statistics entry `value`, as a correlated sub-query. */
  private approvedStating(year: number, month: number, value: 0 | 1) {
    return this.db.selectFrom('monthly_reports as r').select('r.id')
      .where(sql<boolean>`r.project_id = projects.id`).where('r.year', '=', year).where('r.month', '=', month)
      .where('r.status', '=', 'approved').where('r.stats_entered', '=', value);
  }

  /** The draft or returned reports of a period in a scope (optionally one unit subtree), with their project's stage. */
  listPending(scope: DataScope, year: number, month: number, unit: number | undefined) {
    return onListOf(applyProjectFilter(withinScope(this.db.selectFrom('projects'), scope), { unit }), year)
      .where('projects.tier', '=', REPORTING_TIER).where('projects.deleted_at', 'is', null)
      .innerJoin('monthly_reports as r', 'r.project_id', 'projects.id')
      .where('r.year', '=', year).where('r.month', '=', month).where('r.status', 'in', ['draft', 'returned'])
      .select(['r.id', 'r.project_id', 'r.stage', 'r.stage_date', 'projects.name as project_name', 'projects.stage as project_stage'])
      .orderBy('r.id')
      .execute();
  }

  /**
   * Submits some reports of a period that are still draft or returned, in chunked UPDATEs; returns how many
   * changed (fewer than given means another writer moved one meanwhile).
   */
  async submitReports(reportIds: readonly number[], userId: number, now: string): Promise<number> {
    let changed = 0;
    for (const part of chunks(reportIds, ID_CHUNK)) {
      const r = await this.db.updateTable('monthly_reports')
        .set((eb) => ({
          status: 'submitted', submitted_at: now, submitted_by: userId, first_submitted_at: sql<string>`coalesce(first_submitted_at, ${now})`,
          version: eb('version', '+', 1), updated_at: now,
        }))
        .where('id', 'in', part).where('status', 'in', ['draft', 'returned'])
        .executeTakeFirst();
      changed += Number(r.numUpdatedRows);
    }
    return changed;
  }

  /** How many reports of a period in a scope are already submitted or approved, and which reporting projects have none. */
  async periodCounts(scope: DataScope, year: number, month: number, unit: number | undefined) {
    const projects = onListOf(applyProjectFilter(withinScope(this.db.selectFrom('projects'), scope), { unit }), year)
      .where('projects.tier', '=', REPORTING_TIER).where('projects.deleted_at', 'is', null);
    const done = await projects.innerJoin('monthly_reports as r', 'r.project_id', 'projects.id')
      .where('r.year', '=', year).where('r.month', '=', month).where('r.status', 'in', ['submitted', 'approved'])
      .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const missing = await projects
      .where((eb) => eb.not(eb.exists(eb.selectFrom('monthly_reports as r').select('r.id')
        .whereRef('r.project_id', '=', 'projects.id').where('r.year', '=', year).where('r.month', '=', month))))
      .select(['projects.id as project_id', 'projects.name as project_name'])
      .orderBy('projects.id')
      .execute();
    return { alreadySubmitted: Number(done.n), missing };
  }
}

/** Reporting projects the scope sees. */
function withInScope(db: Executor, scope: DataScope) {
  return withinScope(db.selectFrom('projects'), scope)
    .where('projects.deleted_at', 'is', null)
    .where('projects.tier', '=', REPORTING_TIER);
}
