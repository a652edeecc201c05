// Per-unit figures of the project library and of monthly reporting that evaluation (考评) scores units on:
// 入库纳统率 and 月度填报及时率. Counted inside the engine per project unit; the caller folds units as it needs.
import { addDays, isWorkingDay, type WorkCalendar } from '../../../core/calendar.ts';
import type { Deps } from '../../platform/context.ts';
import { createCalendarService } from '../calendar/index.ts';
import { ReportRepository } from './report.repository.ts';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The last day of a month ('2026-05-31'). */
export function monthEndOf(year: number, month: number): string {
  return `${year}-${pad2(month)}-${pad2(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;
}

/**
 * The day a deadline really falls on: the first working day on or after it (a 25th that is a Sunday or inside the
 * 国庆 holiday moves to the next working day, by the office's working-day calendar; a 调休 Saturday is worked).
 */
export function effectiveDeadline(deadline: string, cal: WorkCalendar): string {
  let day = deadline;
  // A holiday lasts at most a few weeks: 60 days bounds the walk even on a malformed calendar.
  for (let i = 0; i < 60 && !isWorkingDay(day, cal); i++) day = addDays(day, 1);
  return day;
}

/** The first instant after the whole China-time day `day` (its 24:00, UTC+8), as stored ISO text compares. */
function endOfChinaDay(day: string): string {
  return `${day}T16:00:00.000Z`;
}

/** 入库纳统 per project unit as of a month's end: started reporting projects, and those entered in the statistics. */
export async function statsEntryFigures(deps: Pick<Deps, 'db'>, year: number, month: number) {
  return new ReportRepository(deps.db).statsEntryByUnit(year, monthEndOf(year, month));
}

/** What 月度填报及时率 measured for a month: the deadline as set and as it falls, and per unit expected and on time. */
export interface TimelinessFigures {
  /** The period's deadline as set (null: no period for the month, or no deadline). */
  deadline: string | null;
  /** The first working day on or after it, by the working-day calendar. */
  effective_deadline: string | null;
  /** False while the effective deadline has not passed (China time): nothing is late yet, so nothing is scored. */
  is_due: boolean;
  units: Array<{ unit_id: number; expected: number; on_time: number }>;
}

/**
 * 月度填报及时率 per project unit for (year, month): of the reporting projects the period expects, how many have a
 * report first submitted by the end of the effective deadline day (China time). Before that day has passed, or for
 * a month without a period (e.g. January of a merged 1–2月 period) or deadline, no units are returned.
 */
export async function reportTimelinessFigures(deps: Deps, year: number, month: number): Promise<TimelinessFigures> {
  const repo = new ReportRepository(deps.db);
  const period = await repo.findPeriod(year, month);
  if (!period?.deadline) return { deadline: period?.deadline ?? null, effective_deadline: null, is_due: false, units: [] };
  const cal = await createCalendarService(deps).load(deps.db);
  const effective = effectiveDeadline(period.deadline, cal);
  const cutoff = endOfChinaDay(effective);
  if (deps.clock.now().toISOString() < cutoff) return { deadline: period.deadline, effective_deadline: effective, is_due: false, units: [] };
  return { deadline: period.deadline, effective_deadline: effective, is_due: true, units: await repo.onTimeByUnit(year, month, cutoff) };
}
