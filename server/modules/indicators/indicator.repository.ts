import { sql, type Expression, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { executeCached } from '../../db/compiled-cache.ts';
import type { DataScope } from '../../context.ts';
import { applyProjectFilter, resolveSearch, withinScope, type ProjectFilter } from '../../platform/project-filter.ts';
import { PLAN_MONTH_COLUMNS, YTD_COLUMNS, type YtdColumn } from '../../db/schema.ts';
import { emptySums, monthStart, periodEndExclusive, type IndicatorSums } from '../../../core/indicators.ts';
import { isReportStatus, type ReportStatus } from '../../../core/monthly-report.ts';
import { clock } from '../../clock.ts';

// The ytd columns live with their table in db/schema.ts (lights read them too); the rollup's files take them here.
export { YTD_COLUMNS, type YtdColumn };

/** Whether two rows hold the same values in the given columns (a missing row equals nothing). */
export function sameRow(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined, columns: readonly string[]): boolean {
  if (!a || !b) return a === b;
  return columns.every((c) => (a[c] ?? null) === (b[c] ?? null));
}

/** The rollup column holding month N's 1–N月 cumulative. */
export function ytdColumn(month: number): YtdColumn {
  const col = YTD_COLUMNS[month - 1];
  if (!col) throw new RangeError(`month out of range: ${month}`);
  return col;
}

/** Report statuses whose figures count when no setting says otherwise. */
export const DEFAULT_COUNTED_STATUSES: ReportStatus[] = ['submitted', 'approved'];

/** What an aggregation groups by: nothing, or one project attribute (the service folds regions and units up). */
export type GroupColumn = 'none' | 'region_code' | 'unit_id' | 'level' | 'category' | 'nature' | 'investment_type';

/** One group's key (null for projects without the attribute) and its additive sums. */
export interface GroupSums {
  key: string | null;
  sums: IndicatorSums;
  /** Σ of each month's 1–N月 cumulative, when the rows carried them (the group rollup's). */
  months?: number[];
}

/** A project's ytd row of a year as a bulk write left it: the twelve cumulatives, or null when the row was removed. */
export interface YtdChange {
  project_id: number;
  months: number[] | null;
}

/** One row of the rollup as stored or as recomputed. */
export interface YtdRow {
  project_id: number;
  year: number;
  months: number[];
}

const sumIf = (cond: RawBuilder<unknown>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`;

/**
 * CASE over a plan-month column giving the first day of that month (offset 0) or of the month after (offset 1)
 * as a literal: dates are text, so comparing with it needs no date function that differs between engines.
 */
function planMonthDate(column: string, year: number, offset: 0 | 1): RawBuilder<string> {
  const whens = Array.from({ length: 12 }, (_, i) => {
    const m = i + 1;
    const date = offset === 0 ? monthStart(year, m) : periodEndExclusive(year, m);
    return sql`when ${sql.lit(m)} then ${sql.lit(date)}`;
  });
  return sql<string>`case ${sql.ref(column)} ${sql.join(whens, sql` `)} end`;
}

/**
 * The recomputation of the rollup from monthly_reports: for each (project, year) with a counted report, month N's
 * cumulative is the amount_ytd of the latest counted report at or before N (coalesce over the months back to 1).
 */
function recomputedYtd(db: Executor, statuses: readonly ReportStatus[], only?: { projectId: number | readonly number[]; year: number }) {
  const at = YTD_COLUMNS.map((_, i) => sql`max(case when month = ${sql.lit(i + 1)} then amount_ytd end)`);
  let qb = db.selectFrom('monthly_reports')
    .select(['project_id', 'year'])
    .select(YTD_COLUMNS.map((col, i) => sql<number>`coalesce(${sql.join(at.slice(0, i + 1).reverse())}, 0)`.as(col)))
    .where('status', 'in', statuses)
    .groupBy(['project_id', 'year']);
  if (only) {
    const ids = only.projectId;
    qb = (typeof ids === 'number' ? qb.where('project_id', '=', ids) : qb.where('project_id', 'in', ids)).where('year', '=', only.year);
  }
  return qb;
}

/**
 * recomputedYtd of one project-year with twelve aggregates rather than 78: each month's latest counted amount_ytd
 * in a derived table, the running coalesce over them outside (a single row). The outer WHERE keeps SQLite from
 * reading an upsert's ON CONFLICT as a join constraint.
 */
function recomputedYtdOfProject(db: Executor, statuses: readonly ReportStatus[], projectId: number, year: number) {
  const m = (i: number) => sql.ref(`t.m${String(i + 1).padStart(2, '0')}`);
  const inner = db.selectFrom('monthly_reports')
    .select(['project_id', 'year'])
    .select(YTD_COLUMNS.map((_, i) => sql<number | null>`max(case when month = ${sql.lit(i + 1)} then amount_ytd end)`.as(`m${String(i + 1).padStart(2, '0')}`)))
    .where('status', 'in', statuses).where('project_id', '=', projectId).where('year', '=', year)
    .groupBy(['project_id', 'year']);
  return db.selectFrom(inner.as('t'))
    .select(['t.project_id', 't.year'])
    .select(YTD_COLUMNS.map((col, i) => sql<number>`coalesce(${sql.join(YTD_COLUMNS.slice(0, i + 1).map((_, j) => m(j)).reverse())}, 0)`.as(col)))
    .where(sql<boolean>`1 = 1`);
}

/** Σ of the monthly plan of `table` up to month `month`: a literal month, or a CASE over a months table's column. */
export function plannedToDate(table: string, month: number | RawBuilder<unknown>): RawBuilder<number> {
  const upTo = (n: number) => sql`(${sql.join(PLAN_MONTH_COLUMNS.slice(0, n).map((c) => sql`coalesce(${sql.ref(`${table}.${c}`)}, 0)`), sql` + `)})`;
  if (typeof month === 'number') return sql<number>`${upTo(month)}`;
  return sql<number>`case ${month} ${sql.join(PLAN_MONTH_COLUMNS.map((_, i) => sql`when ${sql.lit(i + 1)} then ${upTo(i + 1)}`), sql` `)} end`;
}

/** Whether `table`'s plan has a month-by-month plan (any monthly amount given). */
export function hasMonthlyPlan(table: string): RawBuilder<boolean> {
  return sql<boolean>`coalesce(${sql.join(PLAN_MONTH_COLUMNS.map((c) => sql.ref(`${table}.${c}`)))}) is not null`;
}

/** The additive fields of IndicatorSums, in the order of the indicator_groups columns. */
export const SUM_FIELDS = [
  'count', 'total_investment', 'planned_investment', 'completed_before_year', 'completed_ytd', 'planned_starts', 'planned_starts_to_date',
  'started', 'started_to_date', 'early_starts', 'overdue_starts', 'late_starts', 'planned_completions', 'planned_completions_to_date',
  'completed', 'completed_to_date', 'planned_productions', 'planned_productions_to_date', 'producing', 'producing_to_date',
  'monthly_planned', 'planned_to_date', 'completed_ytd_monthly_planned',
] as const satisfies readonly Exclude<keyof IndicatorSums, 'by_stage'>[];
export type SumField = (typeof SUM_FIELDS)[number];

/** Where the sums read each input: column references, plus an expression for the month's 1–N月 cumulative. */
export interface SumSource {
  total: string;
  planned: string;
  before: string;
  ytd: RawBuilder<unknown>;
  newStart: string;
  startMonth: string;
  completion: string;
  completionMonth: string;
  production: string;
  productionMonth: string;
  startDate: string;
  completionDate: string;
  productionDate: string;
  /** The plan's Σ up to the month, and whether it has a month-by-month plan at all. */
  plannedToDate: RawBuilder<unknown>;
  hasMonthlyPlan: RawBuilder<unknown>;
}

/**
 * The SUM expressions of every additive indicator for month `n` (whose end is `end`, exclusive) of `year`, by
 * field: one definition shared by the per-project scan and the group rollup so both mean exactly the same.
 */
export function sumExpressions(s: SumSource, year: number, n: RawBuilder<unknown>, end: RawBuilder<unknown>): Record<SumField, RawBuilder<number>> {
  const r = (ref: string) => sql.ref(ref);
  const startMonth = sql`coalesce(${r(s.startMonth)}, 12)`;
  const doneMonth = sql`coalesce(${r(s.completionMonth)}, 12)`;
  const prodMonth = sql`coalesce(${r(s.productionMonth)}, 12)`;
  const started = sql`${r(s.startDate)} < ${end}`;
  const completed = sql`${r(s.completionDate)} < ${end}`;
  const producing = sql`${r(s.productionDate)} < ${end}`;
  const ns = sql`${r(s.newStart)} = 1`;
  const pc = sql`${r(s.completion)} = 1`;
  const pp = sql`${r(s.production)} = 1`;
  return {
    count: sql<number>`count(*)`,
    total_investment: sql<number>`sum(${r(s.total)})`,
    planned_investment: sql<number>`sum(${r(s.planned)})`,
    completed_before_year: sql<number>`sum(${r(s.before)})`,
    completed_ytd: sql<number>`sum(${s.ytd})`,
    planned_starts: sumIf(ns),
    planned_starts_to_date: sumIf(sql`${ns} and ${startMonth} <= ${n}`),
    started: sumIf(sql`${ns} and ${started}`),
    started_to_date: sumIf(sql`${ns} and ${startMonth} <= ${n} and ${started}`),
    early_starts: sumIf(sql`${ns} and ${started} and ${r(s.startDate)} < ${planMonthDate(s.startMonth, year, 0)}`),
    overdue_starts: sumIf(sql`${ns} and ${startMonth} <= ${n} and (${r(s.startDate)} is null or ${r(s.startDate)} >= ${end})`),
    late_starts: sumIf(sql`${ns} and ${started} and ${r(s.startDate)} >= ${planMonthDate(s.startMonth, year, 1)}`),
    planned_completions: sumIf(pc),
    planned_completions_to_date: sumIf(sql`${pc} and ${doneMonth} <= ${n}`),
    completed: sumIf(sql`${pc} and ${completed}`),
    completed_to_date: sumIf(sql`${pc} and ${doneMonth} <= ${n} and ${completed}`),
    planned_productions: sumIf(pp),
    planned_productions_to_date: sumIf(sql`${pp} and ${prodMonth} <= ${n}`),
    producing: sumIf(sql`${pp} and ${producing}`),
    producing_to_date: sumIf(sql`${pp} and ${prodMonth} <= ${n} and ${producing}`),
    monthly_planned: sumIf(s.hasMonthlyPlan),
    planned_to_date: sql<number>`sum(case when ${s.hasMonthlyPlan} then ${s.plannedToDate} else 0 end)`,
    completed_ytd_monthly_planned: sql<number>`sum(case when ${s.hasMonthlyPlan} then ${s.ytd} else 0 end)`,
  };
}

/** sumExpressions as selections named after their fields. */
export function sumSelections(s: SumSource, year: number, n: RawBuilder<unknown>, end: RawBuilder<unknown>) {
  const e = sumExpressions(s, year, n, end);
  return SUM_FIELDS.map((f) => e[f].as(f));
}

/** Folds rows of (key k, stage, sums…) into one GroupSums per key with counts by stage. */
export function foldStageRows(rows: readonly Record<string, unknown>[]): GroupSums[] {
  const groups = new Map<string, GroupSums>();
  for (const r of rows) {
    const k = r.k as string | number | null | undefined;
    const key = k === null || k === undefined ? null : String(k);
    const mapKey = key ?? '\u0000';
    let g = groups.get(mapKey);
    if (!g) groups.set(mapKey, (g = { key, sums: emptySums() }));
    for (const f of SUM_FIELDS) g.sums[f] += Number(r[f] ?? 0);
    if (YTD_COLUMNS[0] in r) {
      const months = (g.months ??= YTD_COLUMNS.map(() => 0));
      YTD_COLUMNS.forEach((c, i) => (months[i]! += Number(r[c] ?? 0)));
    }
    const stage = String(r.stage);
    g.sums.by_stage[stage] = (g.sums.by_stage[stage] ?? 0) + Number(r.count);
  }
  return [...groups.values()];
}

/** All SQL of the indicator engine: the rollup, its verification and the aggregations over a scope. */
export class IndicatorRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** The executor this repository writes through (the transaction, inside one), for the audit trail. */
  get executor(): Executor {
    return this.db;
  }

  /** Several settings read in one statement, parsed, by key (a key with no row is absent). */
  async findSettings(keys: readonly string[]): Promise<Map<string, unknown>> {
    if (!keys.length) return new Map();
    const rows = await this.db.selectFrom('indicator_settings').select(['key', 'value']).where('key', 'in', [...keys]).execute();
    return new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  async findSetting(key: string): Promise<unknown> {
    const row = await this.db.selectFrom('indicator_settings').select('value').where('key', '=', key).executeTakeFirst();
    return row ? JSON.parse(row.value) : undefined;
  }

  async putSetting(key: string, value: unknown, userId: number | null): Promise<void> {
    const row = { key, value: JSON.stringify(value), updated_at: clock.now().toISOString(), updated_by: userId };
    await this.db.insertInto('indicator_settings').values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at, updated_by: row.updated_by }))
      .execute();
  }

  /** Whether any report of the year (whatever its status or source) is for a month before `month`. */
  async hasReportsBefore(year: number, month: number): Promise<boolean> {
    const row = await this.db.selectFrom('monthly_reports').select('id').where('year', '=', year).where('month', '<', month).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async deleteSetting(key: string): Promise<void> {
    await this.db.deleteFrom('indicator_settings').where('key', '=', key).execute();
  }

  /** The latest (year, month) with a counted report of a live project, undefined without any. */
  async findLatestReportedPeriod(): Promise<{ year: number; month: number } | undefined> {
    const statuses = await this.countedStatuses();
    const row = await this.db.selectFrom('monthly_reports').innerJoin('projects', 'projects.id', 'monthly_reports.project_id')
      .select(['monthly_reports.year', 'monthly_reports.month'])
      .where('monthly_reports.status', 'in', statuses).where('projects.deleted_at', 'is', null)
      .orderBy('monthly_reports.year', 'desc').orderBy('monthly_reports.month', 'desc').limit(1).executeTakeFirst();
    return row ? { year: Number(row.year), month: Number(row.month) } : undefined;
  }

  /**
   * Which report statuses count toward indicators (a setting; submitted and approved by default). Never empty: the
   * settings route stores at least one status of the workflow, so a stored value without one is not ours and the
   * default applies (an empty list would also make `in ()`, which is not SQL).
   */
  async countedStatuses(): Promise<ReportStatus[]> {
    const v = await this.findSetting('counted_statuses');
    const known = Array.isArray(v) ? v.filter(isReportStatus) : [];
    return known.length ? known : DEFAULT_COUNTED_STATUSES;
  }

  /** Recomputes one project's rollup row for a year from its reports (the hook after a report is written). */
  async refreshProjectYear(projectId: number, year: number): Promise<void> {
    const statuses = await this.countedStatuses();
    // Set-based, two statements whatever changed (issue 16; it was a read of the expected and of the stored row, then a
    // delete and an insert): the row goes when no counted report is left, else is upserted only where a month
    // differs, so a write that changes no counted figure (a draft saved, a report approved as submitted) leaves the
    // row alone and fires no trigger.
    const key = `${statuses.join(',')}:${year}`;
    await executeCached(this.db, `indicator_ytd.gone:${key}`, [projectId], ([id]) => this.db.deleteFrom('indicator_ytd')
      .where('project_id', '=', id!).where('year', '=', year)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('monthly_reports as r').select('r.id')
        .whereRef('r.project_id', '=', 'indicator_ytd.project_id').where('r.year', '=', year).where('r.status', 'in', statuses)))));
    const differs = sql<boolean>`${sql.join(YTD_COLUMNS.map((c) => sql`${sql.ref(`indicator_ytd.${c}`)} <> ${sql.ref(`excluded.${c}`)}`), sql` or `)}`;
    await executeCached(this.db, `indicator_ytd.upsert:${key}`, [projectId], ([id]) => this.db.insertInto('indicator_ytd')
      .columns(['project_id', 'year', ...YTD_COLUMNS])
      .expression(recomputedYtdOfProject(this.db, statuses, id!, year))
      .onConflict((oc) => oc.columns(['project_id', 'year'])
        .doUpdateSet(Object.fromEntries(YTD_COLUMNS.map((c) => [c, sql.ref(`excluded.${c}`)])))
        .where(differs)));
  }

  /**
   * Recomputes many projects' rollup rows for a year at once (after a bulk write): per chunk of projects one
   * DELETE and one INSERT … SELECT, so the cost follows the number of projects written, not the table.
   */
  async refreshProjectYears(projectIds: readonly number[], year: number): Promise<void> {
    const statuses = await this.countedStatuses();
    for (let i = 0; i < projectIds.length; i += 500) {
      const part = projectIds.slice(i, i + 500);
      await this.db.deleteFrom('indicator_ytd').where('year', '=', year).where('project_id', 'in', part).execute();
      await this.db.insertInto('indicator_ytd').columns(['project_id', 'year', ...YTD_COLUMNS])
        .expression(recomputedYtd(this.db, statuses, { projectId: part, year })).execute();
    }
  }

  /**
   * refreshProjectYears for a bulk write, telling which projects' ytd rows changed and to what: the recomputed rows
   * are upserted only where a month differs, and the rows of projects left without a counted report are deleted
   * (`months` null: every cumulative 0). So the facts and groups of the other projects (a draft import: all of
   * them) are left alone, and the changed ones' facts can take their new cumulatives without a recomputation.
   * `onlySubmitted`: the write only turned drafts or returned reports into submitted ones (submit-all); when that
   * cannot take a counted report away (submitted is counted, or neither draft nor returned is), no project can be
   * left without one, and the per-chunk probe for rows to delete is skipped (2% of submit-all's SQL, issue 23).
   */
  async refreshProjectYearsChanged(projectIds: readonly number[], year: number, opts: { onlySubmitted?: boolean } = {}): Promise<YtdChange[]> {
    const statuses = await this.countedStatuses();
    const canLose = !opts.onlySubmitted || (!statuses.includes('submitted') && statuses.some((s) => s === 'draft' || s === 'returned'));
    const changed: YtdChange[] = [];
    const differs = sql<boolean>`${sql.join(YTD_COLUMNS.map((c) => sql`${sql.ref(`indicator_ytd.${c}`)} <> ${sql.ref(`excluded.${c}`)}`), sql` or `)}`;
    for (let i = 0; i < projectIds.length; i += 500) {
      const part = projectIds.slice(i, i + 500);
      const gone = !canLose ? [] : await this.db.deleteFrom('indicator_ytd').where('year', '=', year).where('project_id', 'in', part)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('monthly_reports as r').select('r.id')
          .whereRef('r.project_id', '=', 'indicator_ytd.project_id').where('r.year', '=', year).where('r.status', 'in', statuses))))
        .returning('project_id').execute();
      const upserted = await this.db.insertInto('indicator_ytd').columns(['project_id', 'year', ...YTD_COLUMNS])
        .expression(recomputedYtd(this.db, statuses, { projectId: part, year }))
        .onConflict((oc) => oc.columns(['project_id', 'year'])
          .doUpdateSet(Object.fromEntries(YTD_COLUMNS.map((c) => [c, sql.ref(`excluded.${c}`)])))
          .where(differs))
        .returning(['project_id', ...YTD_COLUMNS]).execute();
      for (const r of gone) changed.push({ project_id: r.project_id, months: null });
      for (const r of upserted) changed.push({ project_id: r.project_id, months: YTD_COLUMNS.map((c) => Number(r[c])) });
    }
    return changed;
  }

  /** Rebuilds the whole rollup (or one year's) from monthly_reports; returns the number of rows written. */
  async rebuild(year?: number): Promise<number> {
    const statuses = await this.countedStatuses();
    let del = this.db.deleteFrom('indicator_ytd');
    if (year !== undefined) del = del.where('year', '=', year);
    await del.execute();
    let src = recomputedYtd(this.db, statuses);
    if (year !== undefined) src = src.where('year', '=', year);
    const r = await this.db.insertInto('indicator_ytd').columns(['project_id', 'year', ...YTD_COLUMNS]).expression(src).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0);
  }

  /**
   * Rows where the stored rollup and a full recomputation disagree: `expected` holds the recomputed rows that are
   * missing or different in storage, `stored` the stored rows that are extra or different.
   */
  async diffRollup(limit = 1000): Promise<{ expected: YtdRow[]; stored: YtdRow[]; expectedCount: number; storedCount: number }> {
    const statuses = await this.countedStatuses();
    const stored = this.db.selectFrom('indicator_ytd').select(['project_id', 'year', ...YTD_COLUMNS]);
    const expected = recomputedYtd(this.db, statuses);
    const toRow = (r: Record<string, unknown>): YtdRow => ({
      project_id: Number(r.project_id), year: Number(r.year), months: YTD_COLUMNS.map((c) => Number(r[c])),
    });
    const count = async (qb: Expression<unknown>) => Number((await sql<{ n: number }>`select count(*) as n from (${qb}) d`.execute(this.db)).rows[0]!.n);
    const a = await this.db.selectFrom(expected.except(stored).as('d')).selectAll().orderBy('project_id').orderBy('year').limit(limit).execute();
    const b = await this.db.selectFrom(stored.except(expected).as('d')).selectAll().orderBy('project_id').orderBy('year').limit(limit).execute();
    return {
      expected: a.map(toRow), stored: b.map(toRow),
      expectedCount: a.length < limit ? a.length : await count(expected.except(stored)),
      storedCount: b.length < limit ? b.length : await count(stored.except(expected)),
    };
  }

  /** The filter with its search terms' region and unit names resolved once (a name search then asks one index). */
  resolveSearch<F extends ProjectFilter>(filter: F) {
    return resolveSearch(this.db, filter);
  }

  /** The base query: projects in the filter and the actor's scope that are on year Y's list (have an annual plan). */
  private scoped(filter: ProjectFilter, scope: DataScope, year: number) {
    return applyProjectFilter(withinScope(this.db.selectFrom('projects'), scope), filter)
      .innerJoin('annual_plans as ap', (j) => j.onRef('ap.project_id', '=', 'projects.id').on('ap.year', '=', year));
  }

  /** Additive sums for period 1–N月 of year Y over the scope, grouped by an attribute and by stage. */
  async sumsBy(filter: ProjectFilter, scope: DataScope, year: number, month: number, group: GroupColumn): Promise<GroupSums[]> {
    const keyExpr: Expression<unknown> = group === 'none' ? sql`null` : group === 'level' ? sql.ref('pl.level') : sql.ref(`projects.${group}`);
    const rows = await this.scoped(filter, scope, year)
      .leftJoin('indicator_ytd as y', (j) => j.onRef('y.project_id', '=', 'projects.id').on('y.year', '=', year))
      // A project on several levels counts once in each level's group (levels are not additive across groups).
      .$if(group === 'level', (qb) => qb.leftJoin('project_levels as pl', 'pl.project_id', 'projects.id'))
      .select([
        sql<string | number | null>`${keyExpr}`.as('k'),
        'projects.stage as stage',
        ...sumSelections({
          total: 'projects.total_investment', planned: 'ap.planned_investment', before: 'ap.completed_before_year',
          ytd: sql`coalesce(${sql.ref(`y.${ytdColumn(month)}`)}, 0)`, newStart: 'ap.plan_new_start', startMonth: 'ap.plan_start_month',
          completion: 'ap.plan_completion', completionMonth: 'ap.plan_completion_month', production: 'ap.plan_production',
          productionMonth: 'ap.plan_production_month', startDate: 'projects.actual_start_date',
          completionDate: 'projects.actual_completion_date', productionDate: 'projects.actual_production_date',
          plannedToDate: plannedToDate('ap', month), hasMonthlyPlan: hasMonthlyPlan('ap'),
        }, year, sql.lit(month), sql.lit(periodEndExclusive(year, month))),
      ])
      .groupBy(group === 'none' ? ['projects.stage'] : [sql`${keyExpr}`, 'projects.stage'])
      .execute();
    return foldStageRows(rows);
  }

  /** Σ annual plan and Σ each month's 1–N月 cumulative over the scope, for the month-by-month trend. */
  async trend(filter: ProjectFilter, scope: DataScope, year: number): Promise<{ planned_investment: number; months: number[] }> {
    const row = await this.scoped(filter, scope, year)
      .leftJoin('indicator_ytd as y', (j) => j.onRef('y.project_id', '=', 'projects.id').on('y.year', '=', year))
      .select([
        sql<number>`coalesce(sum(ap.planned_investment), 0)`.as('planned_investment'),
        ...YTD_COLUMNS.map((c) => sql<number>`coalesce(sum(${sql.ref(`y.${c}`)}), 0)`.as(c)),
      ])
      .executeTakeFirstOrThrow();
    const r = row as Record<string, unknown>;
    return { planned_investment: Number(r.planned_investment), months: YTD_COLUMNS.map((c) => Number(r[c])) };
  }

  /** True when the year's reporting calendar merges January and February into one 1–2月 period. */
  async isJanFebMerged(year: number): Promise<boolean> {
    const row = await this.db.selectFrom('reporting_periods').select('first_month').where('year', '=', year).where('month', '=', 2).executeTakeFirst();
    return row?.first_month === 1;
  }

  async findRegion(code: string) {
    return this.db.selectFrom('regions').select(['code', 'name', 'path', 'level']).where('code', '=', code).executeTakeFirst();
  }

  async listRegions(codes: string[]) {
    if (!codes.length) return [];
    return this.db.selectFrom('regions').select(['code', 'name', 'path', 'level']).where('code', 'in', codes).execute();
  }

  async findUnit(id: number) {
    return this.db.selectFrom('units').select(['id', 'name', 'path']).where('id', '=', id).executeTakeFirst();
  }

  async listUnits(ids: number[]) {
    if (!ids.length) return [];
    return this.db.selectFrom('units').select(['id', 'name', 'path']).where('id', 'in', ids).execute();
  }
}
