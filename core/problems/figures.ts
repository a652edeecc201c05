// The problem figures as published reports print them, each with its written definition and labelled denominator.
// Rates are exact fractions, rounded only when printed (core/indicators formatPercent).
import { workingDaysBetween, type WorkCalendar } from '../calendar.ts';
import { formatPercent, fraction, toNumber, type Rate } from '../indicators.ts';
import { currentDue } from './time-limits.ts';

/** What the figures need of one problem. */
export interface ProblemFact {
  status: string;
  received_on: string;
  assigned_on: string | null;
  replied_on: string | null;
  closed_on: string | null;
  solve_due: string | null;
  redo_count: number;
  /** The latest return visit's result, null before the first. */
  visit_result: string | null;
  /** Return visits made so far (one per round). */
  visits: number;
  /** The routing and first-feedback limits (the overdue count reads them with solve_due, by state). */
  route_due?: string | null;
  feedback_due?: string | null;
}

/** The written definitions (the figures page and the exports print them). */
export const FIGURE_DEFINITIONS = {
  accepted: '受理件数：已交办的问题（不含待受理、不予受理）',
  closed: '办结件数：已销号的问题',
  closed_rate: '办结率 = 已销号件数 ÷ 受理件数',
  on_time_rate: '按期办结率 = 最后一次答复不晚于办结时限的已销号件数 ÷ 已销号件数',
  satisfied_rate: '满意率 = 最近一次回访为满意或基本满意的件数 ÷ 已回访件数',
  first_time_rate: '一次性解决率 = 未经重办即销号的件数 ÷ 已销号件数',
  redo_rate: '重办率 = 至少重办一次的件数 ÷ 已回访件数',
  average_days: '平均办理时长 = 已销号问题从交办到最后一次答复的工作日数之和 ÷ 已销号件数',
  overdue: '逾期件数：当前已超过所处环节时限（待受理看交办时限，已交办看反馈时限，已签收、办理中看办结时限）的问题',
} as const;

/** Past its current limit on `day`: the ledger's 逾期 filter (problem.repository.ts), the limit its state is held to. */
export function isOverdue(p: ProblemFact, day: string): boolean {
  const d = currentDue({ ...p, route_due: p.route_due ?? null, feedback_due: p.feedback_due ?? null });
  return d !== undefined && d.due < day;
}

export interface ProblemFigures {
  total: number;
  accepted: number;
  closed: number;
  visited: number;
  closed_rate: Rate;
  on_time_rate: Rate;
  satisfied_rate: Rate;
  first_time_rate: Rate;
  redo_rate: Rate;
  /** Problems past their current limit on the day the figures were read (0 when no day was given). */
  overdue: number;
  /** Working days, unrounded; null without a closed problem. */
  average_days: { value: number | null; text: string; total_days: number; denominator: number; label: string };
}

function rate(numerator: number, denominator: number, label: string): Rate {
  const f = fraction(numerator, denominator);
  return { value: toNumber(f), text: formatPercent(f), numerator, denominator, label };
}

/** The figures over a set of problems; `today` (China's date) counts the overdue ones. */
export function computeProblemFigures(facts: readonly ProblemFact[], cal: WorkCalendar, today?: string): ProblemFigures {
  let accepted = 0, closed = 0, onTime = 0, visited = 0, satisfied = 0, firstTime = 0, redone = 0, days = 0, overdue = 0;
  for (const p of facts) {
    if (p.assigned_on) accepted++;
    if (today !== undefined && isOverdue(p, today)) overdue++;
    if (p.visits > 0) {
      visited++;
      if (p.visit_result === 'satisfied' || p.visit_result === 'basic') satisfied++;
      if (p.redo_count > 0) redone++;
    }
    if (p.status !== 'closed') continue;
    closed++;
    if (p.replied_on && p.solve_due && p.replied_on <= p.solve_due) onTime++;
    if (p.redo_count === 0) firstTime++;
    if (p.assigned_on && p.replied_on) days += Math.max(0, workingDaysBetween(p.assigned_on, p.replied_on, cal));
  }
  const avg = fraction(days, closed);
  return {
    total: facts.length, accepted, closed, visited, overdue,
    closed_rate: rate(closed, accepted, '受理件数'),
    on_time_rate: rate(onTime, closed, '已销号件数'),
    satisfied_rate: rate(satisfied, visited, '已回访件数'),
    first_time_rate: rate(firstTime, closed, '已销号件数'),
    redo_rate: rate(redone, visited, '已回访件数'),
    average_days: { value: toNumber(avg), text: avg ? formatPercent({ num: avg.num, den: avg.den * 100n }, 1) : '—', total_days: days, denominator: closed, label: '已销号件数' },
  };
}

/** Groups facts by a key and computes each group's figures, groups in key order. */
export function figuresBy<T extends ProblemFact>(facts: readonly T[], keyOf: (f: T) => string | null, cal: WorkCalendar, today?: string): Array<{ key: string | null; figures: ProblemFigures }> {
  const groups = new Map<string | null, T[]>();
  for (const f of facts) {
    const k = keyOf(f);
    const list = groups.get(k);
    if (list) list.push(f);
    else groups.set(k, [f]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a ?? '\uffff').localeCompare(b ?? '\uffff'))
    .map(([key, list]) => ({ key, figures: computeProblemFigures(list, cal, today) }));
}
