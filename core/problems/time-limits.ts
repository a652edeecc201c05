// Time limits of a problem (办理时限) as data per category and level, with the "13710" preset: routed (交办) within
// 1 working day of receipt, feedback (签收) within 3 working days of routing, an ordinary problem solved within 7
// working days, a major one within a month (30 calendar days), everything closed. Counted on the office's
// working-day calendar (core/calendar.ts).
import { addDays, addWorkingDays, type WorkCalendar } from '../calendar.ts';

/** One row of the time-limit table; '*' in category or level matches any. */
export interface TimeLimit {
  category_code: string;
  level: string;
  route_days: number;
  feedback_days: number;
  ordinary_days: number;
  /** Calendar days (一个月 = 30 days). */
  major_days: number;
}

/** The "13710" preset the migration ships as the ('*', '*') row. */
export const PRESET_13710: TimeLimit = { category_code: '*', level: '*', route_days: 1, feedback_days: 3, ordinary_days: 7, major_days: 30 };

/**
 * The limit that applies: a row for the category (or its parent) and level first, then the category for any level,
 * then any category at the level, then ('*', '*'); the preset when the table has none.
 */
export function limitFor(rows: readonly TimeLimit[], category: string, level: string, parentCategory?: string | null): TimeLimit {
  const cats = [category, ...(parentCategory ? [parentCategory] : [])];
  const find = (c: string, l: string) => rows.find((r) => r.category_code === c && r.level === l);
  for (const c of cats) {
    const hit = find(c, level) ?? find(c, '*');
    if (hit) return hit;
  }
  return find('*', level) ?? find('*', '*') ?? PRESET_13710;
}

/** The route deadline from the day of receipt. */
export function routeDue(receivedOn: string, limit: TimeLimit, cal: WorkCalendar): string {
  return addWorkingDays(receivedOn, limit.route_days, cal);
}

/** The feedback (签收) and solve deadlines from the day it was routed. */
export function handlingDue(assignedOn: string, isMajor: boolean, limit: TimeLimit, cal: WorkCalendar): { feedback_due: string; solve_due: string } {
  return {
    feedback_due: addWorkingDays(assignedOn, limit.feedback_days, cal),
    solve_due: isMajor ? addDays(assignedOn, limit.major_days) : addWorkingDays(assignedOn, limit.ordinary_days, cal),
  };
}

/** Which deadline a problem in a status is currently held to, if any. */
export function currentDue(p: { status: string; route_due: string | null; feedback_due: string | null; solve_due: string | null }): { kind: 'route' | 'feedback' | 'solve'; due: string } | undefined {
  if (p.status === 'pending' && p.route_due) return { kind: 'route', due: p.route_due };
  if (p.status === 'assigned' && p.feedback_due) return { kind: 'feedback', due: p.feedback_due };
  if ((p.status === 'signed' || p.status === 'in_progress') && p.solve_due) return { kind: 'solve', due: p.solve_due };
  return undefined;
}

/** 'overdue' past the current deadline, 'due_soon' within `soonDays` working days of it, else 'ok'. */
export function dueState(p: Parameters<typeof currentDue>[0], today: string, cal: WorkCalendar, soonDays = 1): 'overdue' | 'due_soon' | 'ok' | 'none' {
  const d = currentDue(p);
  if (!d) return 'none';
  if (today > d.due) return 'overdue';
  if (addWorkingDays(today, soonDays, cal) >= d.due) return 'due_soon';
  return 'ok';
}
