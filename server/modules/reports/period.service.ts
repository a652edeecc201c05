import { buildYearCalendar, chinaDate, periodLabel, ytdLabel } from '../../../core/monthly-report.ts';
import { periodBeingReported, periodInForce, previousMonth } from '../../../core/period-in-force.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { PeriodRow, ReportRepository } from './report.repository.ts';
import { syncReportTodos } from './report-todos.ts';
import { REPORTING_SETTINGS } from './reporting.settings.ts';
import { type CreateYear, type PeriodUpdate, type ReportingSettings } from './report.schema.ts';

export { DEFAULT_SETTINGS, REPORTING_SETTINGS } from './reporting.settings.ts';

/** A period as the API presents it, with its Chinese labels. */
export function presentPeriod(p: PeriodRow) {
  return { ...p, label: periodLabel(p.first_month, p.month), ytd_label: ytdLabel(p.month) };
}

/** The reporting calendar (填报期) and its settings. */
export class PeriodService {
  private readonly deps: Deps;
  private readonly repos: (db: Executor) => ReportRepository;
  private readonly repo: ReportRepository;
  constructor(deps: Deps, repos: (db: Executor) => ReportRepository) {
    this.deps = deps;
    this.repos = repos;
    this.repo = repos(deps.db);
  }

  async getSettings(_actor: Actor): Promise<ReportingSettings> {
    return REPORTING_SETTINGS.get(this.deps.db);
  }

  async updateSettings(actor: Actor, input: ReportingSettings): Promise<ReportingSettings> {
    return inTransaction(this.deps.db, async (trx) => {
      const saved = await REPORTING_SETTINGS.put(trx, actor, input, this.deps);
      // The reminders of the open periods follow a changed lead time at once (their ladders are re-armed).
      for (const p of await this.repos(trx).listOpenPeriods()) await syncReportTodos(this.deps, trx, p, { by: actor.userId || null });
      return saved;
    });
  }

  async listPeriods(_actor: Actor, year: number) {
    return (await this.repo.listPeriods(year)).map(presentPeriod);
  }

  /**
   * The period every page opens at (数据截至: the latest closed or past-deadline period, from this year's and last
   * year's calendars; the month before today without one) and the period being reported (open, due soonest).
   */
  async current(_actor: Actor, today: string = chinaDate(this.deps.clock.now())) {
    const year = Number(today.slice(0, 4));
    const periods = [...(await this.repo.listPeriods(year - 1)), ...(await this.repo.listPeriods(year))];
    const inForce = periodInForce(periods, today);
    const reporting = periodBeingReported(periods, today);
    const fallback = previousMonth(today);
    return {
      today,
      in_force: inForce
        ? presentPeriod(inForce)
        : { year: fallback.year, month: fallback.month, first_month: fallback.month, status: 'none' as const, deadline: null, label: periodLabel(fallback.month, fallback.month), ytd_label: ytdLabel(fallback.month) },
      reporting: reporting ? presentPeriod(reporting) : null,
    };
  }

  /** Creates a year's periods (pending) with deadlines from the settings; 409 when the year already has a calendar. */
  async createYear(actor: Actor, input: CreateYear) {
    const settings = await this.getSettings(actor);
    const calendar = buildYearCalendar(input.year, {
      mergeJanFeb: input.merge_jan_feb,
      deadlineDay: input.deadline_day ?? settings.deadline_day,
      deadlineMonthOffset: settings.deadline_month_offset,
    });
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repos(trx);
      if ((await repo.listPeriods(input.year)).length > 0) {
        throw new AppError('conflict', `${input.year}年的填报期已经建立，可逐期调整截止日期或开关状态`);
      }
      await repo.insertPeriods(calendar.map((p) => ({ year: input.year, ...p, status: 'pending' })));
      await this.deps.audit.record(trx, actor, {
        action: 'period.create_year', entityType: 'reporting_year', entityId: input.year, before: null, after: await repo.listPeriods(input.year),
      });
    });
    return this.listPeriods(actor, input.year);
  }

  /** The period of year/month, or 404 naming it. */
  async getPeriod(year: number, month: number, repo: ReportRepository = this.repo): Promise<PeriodRow> {
    const period = await repo.findPeriod(year, month);
    if (!period) throw new AppError('not_found', `${year}年${month}月不是已建立的填报期（请先建立该年度填报日历；1–2月合并填报时为 2 月）`);
    return period;
  }

  /** Changes the deadline, or opens / closes the period (a closed period is read-only). */
  async updatePeriod(actor: Actor, year: number, month: number, input: PeriodUpdate) {
    const now = this.deps.clock.now().toISOString();
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repos(trx);
      const period = await this.getPeriod(year, month, repo);
      await repo.updatePeriod(period.id, {
        ...(input.deadline !== undefined ? { deadline: input.deadline } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.status === 'open' ? { opened_at: now, closed_at: null } : {}),
        ...(input.status === 'closed' ? { closed_at: now } : {}),
      });
      const action = input.status === 'open' ? 'period.open' : input.status === 'closed' ? 'period.close' : 'period.update';
      await this.deps.audit.record(trx, actor, { action, entityType: 'reporting_period', entityId: period.id, before: period, after: await this.getPeriod(year, month, repo) });
      // Opening gives each unit its "report due", closing finishes the period's report to-dos, a new deadline moves them.
      await syncReportTodos(this.deps, trx, { year, month }, { by: actor.userId });
    });
    return presentPeriod(await this.getPeriod(year, month));
  }
}
