import { calendarOf, checkCalendarYear, type CalendarDay, type WorkCalendar } from '../../../core/calendar.ts';
import { AppError } from '../../errors.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import type { Executor } from '../../db/database.ts';
import type { CalendarRepository } from './calendar.repository.ts';

/**
 * Calendars read, by stamp. A stamp is random per change and per database, so one process serving several databases
 * (tests) never mixes them up; a few are kept for that case.
 */
const loaded = new Map<string, WorkCalendar>();
const LOADED_MAX = 8;

/** The working-day calendar (工作日历) the office maintains: holidays and 调休 working weekends per year. */
export class CalendarService {
  private readonly deps: Deps;
  private readonly repo: (db: Executor) => CalendarRepository;
  constructor(deps: Deps, repo: (db: Executor) => CalendarRepository) {
    this.deps = deps;
    this.repo = repo;
  }

  /** A year's listed days, and the years that have a schedule at all (the page warns about a missing one). */
  async getYear(year: number): Promise<{ year: number; days: CalendarDay[]; years: number[] }> {
    const all = await this.repo(this.deps.db).listDays();
    return { year, days: all.filter((d) => d.day.startsWith(`${year}-`)), years: [...calendarOf(all).years].sort() };
  }

  /**
   * The whole calendar, for counting working days (deadlines). Kept in the process by the database's calendar stamp
   * (calendar_version, changed by triggers on every change of calendar_days): one short read when nothing changed,
   * the days again when the office (on any server) edited them. The stamp is read before the days, so a change
   * committed in between can only file newer days under the older stamp, which no reader sees again.
   */
  async load(db: Executor = this.deps.db): Promise<WorkCalendar> {
    const repo = this.repo(db);
    const stamp = await repo.findStamp();
    const hit = stamp === undefined ? undefined : loaded.get(stamp);
    if (hit) return hit;
    const calendar = calendarOf(await repo.listDays());
    if (stamp !== undefined) {
      if (loaded.size >= LOADED_MAX) loaded.delete(loaded.keys().next().value!);
      loaded.set(stamp, calendar);
    }
    return calendar;
  }

  /** Replaces a year's schedule after checking it (Chinese messages by row), with before/after in the audit trail. */
  async putYear(actor: Actor, year: number, days: CalendarDay[]) {
    const sorted = [...days].sort((a, b) => a.day.localeCompare(b.day));
    const errors = checkCalendarYear(year, days);
    if (errors.length > 0) throw new AppError('unprocessable', errors.join('；'), { errors });
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      const before = await repo.listDays(year);
      await repo.replaceYear(year, sorted, actor.userId || null, this.deps.clock.now().toISOString());
      await this.deps.audit.record(trx, actor, { action: 'calendar.update', entityType: 'calendar_year', entityId: year, before, after: sorted });
    });
    return this.getYear(year);
  }
}
