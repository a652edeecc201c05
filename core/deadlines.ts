// Deadlines counted in working days and the escalation ladder as data (督办时限与逐级督办). Pure: the platform's
// deadline table (server/platform/deadlines) stores the dates; a background job asks these functions which steps
// are due. Rules differ per office and year, so a ladder is data the office can change (a setting).
import { addDays, addWorkingDays, workingDaysBetween, type WorkCalendar } from './calendar.ts';

/**
 * One step of an escalation ladder: `offset` working days relative to the due date (negative: before it, as in
 * "T−3 提醒"; positive: after it, "逾期即督办" is +1, "逾期5个工作日约谈" is +6). `label` is shown and logged.
 */
export interface EscalationStep {
  key: string;
  offset: number;
  label: string;
}

/** The common ladder (a default: offices change it as a setting): remind at T−2, 督办 when overdue, 约谈 5 days later. */
export const DEFAULT_LADDER: readonly EscalationStep[] = [
  { key: 'remind', offset: -2, label: '到期提醒' },
  { key: 'overdue', offset: 1, label: '逾期督办' },
  { key: 'interview', offset: 6, label: '约谈通报' },
];

/** Checks a ladder (Chinese messages): keys unique and non-empty, offsets whole numbers, in order of offset. */
export function checkLadder(ladder: readonly EscalationStep[]): string[] {
  const errors: string[] = [];
  const keys = new Set<string>();
  ladder.forEach((s, i) => {
    const where = `第 ${i + 1} 级`;
    if (!s.key.trim()) errors.push(`${where}：缺少代码`);
    if (keys.has(s.key)) errors.push(`${where}：代码 ${s.key} 重复`);
    keys.add(s.key);
    if (!Number.isInteger(s.offset) || s.offset < -30 || s.offset > 250) errors.push(`${where}：相对到期日的工作日数应为 −30 至 250 的整数`);
    if (i > 0 && s.offset < ladder[i - 1]!.offset) errors.push(`${where}：应按时间先后排列`);
  });
  return errors;
}

/** The day a step is taken: `offset` working days from the due date (the due date itself when 0). */
export function stepDay(dueOn: string, step: EscalationStep, cal: WorkCalendar): string {
  return addWorkingDays(dueOn, step.offset, cal);
}

/** The steps due on `today` or before (those not yet taken are the caller's business), in ladder order. */
export function stepsDue(dueOn: string, ladder: readonly EscalationStep[], today: string, cal: WorkCalendar): EscalationStep[] {
  return ladder.filter((s) => stepDay(dueOn, s, cal) <= today);
}

/** The due date `n` working days after the start ("N个工作日内办结"). */
export function dueAfter(startOn: string, workingDays: number, cal: WorkCalendar): string {
  return addWorkingDays(startOn, workingDays, cal);
}

/**
 * The due date after a pause (挂起) from `pausedOn` to `resumedOn`: the timer stood still, so the due date moves by
 * the working days the pause covered (a pause over a holiday costs only its working days).
 */
export function resumeDue(dueOn: string, pausedOn: string, resumedOn: string, cal: WorkCalendar): { dueOn: string; pausedDays: number } {
  const pausedDays = Math.max(0, workingDaysBetween(pausedOn, resumedOn, cal));
  return { dueOn: addWorkingDays(dueOn, pausedDays, cal), pausedDays };
}

/** Where a deadline stands on `today`: working days left (0 on the due date) or overdue by N working days. */
export function deadlineStanding(dueOn: string, today: string, cal: WorkCalendar): { overdue: boolean; workingDays: number } {
  if (today <= dueOn) return { overdue: false, workingDays: workingDaysBetween(today, dueOn, cal) };
  return { overdue: true, workingDays: workingDaysBetween(dueOn, today, cal) };
}

/**
 * A time limit as a rule states it: N working days on the office's calendar ("3个工作日内签收"), or N calendar days
 * where the rule counts the calendar ("重大问题一个月内办结" = 30 days).
 */
export interface Duration {
  days: number;
  calendar?: boolean;
}

/** The due date of a time limit counted from its start. */
export function dueBy(startOn: string, limit: Duration, cal: WorkCalendar): string {
  return limit.calendar ? addDays(startOn, limit.days) : addWorkingDays(startOn, limit.days, cal);
}

/** 'overdue' past the due date, 'due_soon' within `soonDays` working days of it, else 'ok'. */
export function dueSoonState(dueOn: string, today: string, cal: WorkCalendar, soonDays = 1): 'overdue' | 'due_soon' | 'ok' {
  if (today > dueOn) return 'overdue';
  if (addWorkingDays(today, soonDays, cal) >= dueOn) return 'due_soon';
  return 'ok';
}

/** The key columns of a time-limit table kept as data per category and level of a case ('*' matches any). */
export interface LimitRowKey {
  category_code: string;
  level: string;
}

/**
 * The row of a time-limit table that applies to a case: its category (then the category's parent) at its level, then
 * that category at any level, then any category at its level, then ('*', '*'); undefined when the table has none.
 */
export function pickLimit<R extends LimitRowKey>(rows: readonly R[], category: string, level: string, parentCategory?: string | null): R | undefined {
  const cats = [category, ...(parentCategory ? [parentCategory] : [])];
  const find = (c: string, l: string) => rows.find((r) => r.category_code === c && r.level === l);
  for (const c of cats) {
    const hit = find(c, level) ?? find(c, '*');
    if (hit) return hit;
  }
  return find('*', level) ?? find('*', '*');
}
