// Time limits of a problem (办理时限) as data per category and level, with the "13710" preset: routed (交办) within
// 1 working day of receipt, feedback (签收) within 3 working days of routing, an ordinary problem solved within 7
// working days, a major one within a month (30 calendar days), everything closed. The counting and the table lookup
// are the tracked-item engine's (core/deadlines.ts: dueBy, pickLimit, on the office's working-day calendar); this
// file only names the problem's three limits and which of them each state is held to.
import type { WorkCalendar } from '../calendar.ts';
import { dueBy, dueSoonState, pickLimit, type Duration } from '../deadlines.ts';
import type { ProblemStatus } from './problem-workflow.ts';

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

/** The limit that applies (core/deadlines.ts pickLimit); the preset when the table has none. */
export function limitFor(rows: readonly TimeLimit[], category: string, level: string, parentCategory?: string | null): TimeLimit {
  return pickLimit(rows, category, level, parentCategory) ?? PRESET_13710;
}

/** The problem's three limits as durations: 交办, 签收 (feedback) and 办结 (solve, calendar days when major). */
export function problemDurations(limit: TimeLimit, isMajor: boolean): Record<ProblemLimitKind, Duration> {
  return {
    route: { days: limit.route_days },
    feedback: { days: limit.feedback_days },
    solve: isMajor ? { days: limit.major_days, calendar: true } : { days: limit.ordinary_days },
  };
}

/** The route deadline from the day of receipt. */
export function routeDue(receivedOn: string, limit: TimeLimit, cal: WorkCalendar): string {
  return dueBy(receivedOn, problemDurations(limit, false).route, cal);
}

/** The feedback (签收) and solve deadlines from the day it was routed. */
export function handlingDue(assignedOn: string, isMajor: boolean, limit: TimeLimit, cal: WorkCalendar): { feedback_due: string; solve_due: string } {
  const d = problemDurations(limit, isMajor);
  return { feedback_due: dueBy(assignedOn, d.feedback, cal), solve_due: dueBy(assignedOn, d.solve, cal) };
}

/** The problem's limits, each an engine deadline of this kind ('problem', id, kind). */
export type ProblemLimitKind = 'route' | 'feedback' | 'solve';

/** Which limit each state is held to: 待受理 the route, 已交办 the feedback, 已签收/办理中 the solve limit. */
export const LIMIT_OF_STATE: Partial<Record<ProblemStatus, ProblemLimitKind>> = { pending: 'route', assigned: 'feedback', signed: 'solve', in_progress: 'solve' };

/** Which deadline a problem in a status is currently held to, if any. */
export function currentDue(p: { status: string; route_due: string | null; feedback_due: string | null; solve_due: string | null }): { kind: ProblemLimitKind; due: string } | undefined {
  const kind = LIMIT_OF_STATE[p.status as ProblemStatus];
  const due = kind ? p[`${kind}_due`] : null;
  return kind && due ? { kind, due } : undefined;
}

/** 'overdue' past the current deadline, 'due_soon' within `soonDays` working days of it, else 'ok'. */
export function dueState(p: Parameters<typeof currentDue>[0], today: string, cal: WorkCalendar, soonDays = 1): 'overdue' | 'due_soon' | 'ok' | 'none' {
  const d = currentDue(p);
  return d ? dueSoonState(d.due, today, cal, soonDays) : 'none';
}
