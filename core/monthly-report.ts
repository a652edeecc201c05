// Pure rules of the monthly report (月度填报): the reporting calendar, the month / 1–N月 / since-start figures,
// the review workflow and stage moves. No I/O: the server applies these, the web app may reuse them.

import { chinaToday } from './clock.ts';
import { defineWorkflow } from './workflow.ts';
import { checkStageMove, isStage, STAGE_DATE_COLUMN, STAGE_LABELS, STAGES, type Stage } from './stages.ts';

/** A period's state: not yet open, open for reporting, closed (reports locked). The one list of these values. */
export const PERIOD_STATUSES = ['pending', 'open', 'closed'] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];

/** One period of a year's reporting calendar. `month` is its last month; 1–2月 merged is month 2, first_month 1. */
export interface CalendarPeriod {
  month: number;
  first_month: number;
  /** 'YYYY-MM-DD' */
  deadline: string;
}

/** How an office sets its calendar: deadline day of month and whether it falls in the period's month or the next. */
export interface CalendarSettings {
  mergeJanFeb: boolean;
  deadlineDay: number;
  /** 0: the deadline lies in the period's own month (e.g. the 25th); 1: in the following month (e.g. the 5th). */
  deadlineMonthOffset: number;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Days in a month of a year (Gregorian). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The last day of a month as 'YYYY-MM-DD'. */
export function monthEnd(year: number, month: number): string {
  return `${year}-${pad2(month)}-${pad2(daysInMonth(year, month))}`;
}

/** The deadline of the period ending in `month`: day `day` (clamped to the month's length) of that or a later month. */
export function deadlineOf(year: number, month: number, day: number, monthOffset = 0): string {
  const index = year * 12 + (month - 1) + monthOffset;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${y}-${pad2(m)}-${pad2(Math.min(day, daysInMonth(y, m)))}`;
}

/** A year's periods: twelve months, or eleven when January and February are reported together (1–2月). */
export function buildYearCalendar(year: number, settings: CalendarSettings): CalendarPeriod[] {
  const periods: CalendarPeriod[] = [];
  for (let month = settings.mergeJanFeb ? 2 : 1; month <= 12; month++) {
    periods.push({
      month,
      first_month: settings.mergeJanFeb && month === 2 ? 1 : month,
      deadline: deadlineOf(year, month, settings.deadlineDay, settings.deadlineMonthOffset),
    });
  }
  return periods;
}

/** '5月', '1–2月': the label of one period. */
export function periodLabel(firstMonth: number, month: number): string {
  return firstMonth === month ? `${month}月` : `${firstMonth}–${month}月`;
}

/** '1–5月' ('1月' for January): the label of the year-to-date cumulative ending in `month`. */
export function ytdLabel(month: number): string {
  return month === 1 ? '1月' : `1–${month}月`;
}

// ── Amounts ────────────────────────────────────────────────────────────────────────────────────────────────────

/** What a unit typed: this period's figure, the 1–N月 cumulative, or both (then they must agree). */
export interface AmountEntry {
  amount_month?: number | undefined;
  amount_ytd?: number | undefined;
}

export type AmountResult =
  | { ok: true; amount_month: number; amount_ytd: number }
  | { ok: false; field: 'amount_month' | 'amount_ytd'; message: string };

/**
 * Derives the pair (this period, 1–N月) from what was entered and the previous period's 1–N月 cumulative
 * (0 for the year's first period). With neither entered, `fallbackMonth` (the stored figure, or 0) is kept.
 */
export function deriveAmounts(entry: AmountEntry, previousYtd: number, fallbackMonth = 0): AmountResult {
  const { amount_month: month, amount_ytd: ytd } = entry;
  if (month !== undefined && ytd !== undefined) {
    if (previousYtd + month !== ytd) {
      return {
        ok: false, field: 'amount_ytd',
        message: `本月完成投资与累计完成投资不一致：上期累计 ${previousYtd} 元 + 本月 ${month} 元 ≠ 累计 ${ytd} 元，请只填写其中一项`,
      };
    }
    return { ok: true, amount_month: month, amount_ytd: ytd };
  }
  if (ytd !== undefined) return { ok: true, amount_month: ytd - previousYtd, amount_ytd: ytd };
  const m = month ?? fallbackMonth;
  return { ok: true, amount_month: m, amount_ytd: previousYtd + m };
}

/** A Chinese message when a negative monthly figure has no reason; undefined when acceptable. */
export function checkNegativeReason(amountMonth: number, reason: string | null | undefined): string | undefined {
  if (amountMonth < 0 && !reason?.trim()) {
    return `本月完成投资为负数（${amountMonth} 元），属于统计核减的，请填写核减原因`;
  }
  return undefined;
}

/** One report of a project-year, as far as the cumulatives are concerned. */
export interface ChainLink {
  month: number;
  amount_month: number;
}

/**
 * The 1–N月 and since-start cumulatives of every report of one project in one year, in month order. Keeps
 * amount_ytd equal to the sum of amount_month over the year's periods whatever order the reports were written in.
 */
export function rechain<T extends ChainLink>(links: readonly T[], completedBeforeYear: number): Array<T & { amount_ytd: number; amount_since_start: number }> {
  let ytd = 0;
  return [...links].sort((a, b) => a.month - b.month).map((link) => {
    ytd += link.amount_month;
    return { ...link, amount_ytd: ytd, amount_since_start: completedBeforeYear + ytd };
  });
}

// ── Workflow ───────────────────────────────────────────────────────────────────────────────────────────────────

/** A report's state in the review workflow. The one list of these values (the response schemas' enum is built from it). */
export const REPORT_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Whether a value read from storage (a setting, a snapshot) is a report status. */
export function isReportStatus(value: unknown): value is ReportStatus {
  return (REPORT_STATUSES as readonly unknown[]).includes(value);
}

/**
 * What can be done to a report. `correct` is a change after approval and always carries a reason. The one list of
 * these values (the response schemas' enum of allowed actions is built from it).
 */
export const REPORT_ACTIONS = ['edit', 'submit', 'approve', 'return', 'correct'] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];

/**
 * The review workflow as data (core/workflow.ts). `correct` is a change after approval: a reviewer's correction
 * stays approved, the unit's goes back to the review queue. Editing keeps the status (a returned report stays
 * returned until it is resubmitted).
 */
export const REPORT_WORKFLOW = defineWorkflow<ReportStatus, ReportAction>({
  noun: '月报',
  states: REPORT_STATUSES,
  stateLabels: { draft: '草稿', submitted: '已提交待审核', approved: '已审核通过（已锁定）', returned: '已退回' },
  actions: {
    edit: {
      from: ['draft', 'returned'], to: 'stay', permission: 'report.write', label: '修改',
      hint: (status) => (status === 'approved' ? '；如需更正，请填写更正原因后提交更正' : status === 'submitted' ? '；如需修改，请联系审核人退回' : ''),
    },
    submit: { from: ['draft', 'returned'], to: 'submitted', permission: 'report.write', label: '提交' },
    approve: { from: ['submitted'], to: 'approved', permission: 'report.review', label: '审核通过', hint: '，只有已提交的月报可以审核通过' },
    return: { from: ['submitted'], to: 'returned', permission: 'report.review', label: '退回', hint: '，只有已提交的月报可以退回' },
    correct: {
      from: ['approved'], to: (_from, ctx) => (ctx.has?.('report.review') ? 'approved' : 'submitted'), permission: 'report.write',
      needs: 'reason', label: '更正', hint: '，只有已审核通过的月报需要走更正流程，其他状态可直接修改',
    },
  },
});

/** True when the action is allowed on a report in this status. */
export function canDo(status: ReportStatus, action: ReportAction): boolean {
  return REPORT_WORKFLOW.can(status, action);
}

/**
 * The status after an action (the state check is the caller's: canDo). A correction by a reviewer stays approved;
 * a correction by the unit goes back to the review queue.
 */
export function statusAfter(status: ReportStatus, action: ReportAction, byReviewer: boolean): ReportStatus {
  const to = REPORT_WORKFLOW.spec.actions[action].to;
  return to === 'stay' ? status : typeof to === 'function' ? to(status, { has: (p) => byReviewer && p === 'report.review' }) : to;
}

/** Why an action is refused in a status, in Chinese. */
export function refusalOf(status: ReportStatus, action: ReportAction): string {
  return REPORT_WORKFLOW.refusal(status, action);
}

// ── Stages ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** Stages a report may state. Pausing and resuming need their own approval (the project library's stage move). */
export const REPORT_STAGES = ['preliminary', 'signed', 'started', 'completed', 'producing'] as const;
export type ReportStage = (typeof REPORT_STAGES)[number];

/** Whether a stage may be stated in a monthly report. */
export function isReportStage(value: unknown): value is ReportStage {
  return (REPORT_STAGES as readonly unknown[]).includes(value);
}

/** Moves that need site photos in the report (形象进度照片). */
export function stageNeedsPhoto(to: string): boolean {
  return to === 'started' || to === 'completed';
}

export type ReportStageMove =
  | { kind: 'none' }
  | { kind: 'forward'; from: Stage; to: Stage; dateField: 'actual_start_date' | 'actual_completion_date' | 'actual_production_date' | null }
  | { kind: 'behind'; message: string }
  | { kind: 'refused'; message: string };

/**
 * Classifies the stage a report states against the project's current stage: no move, a forward move along the
 * project library's stage machine, a stage the project has already passed, or a refused move.
 */
export function stageMove(current: string, stated: string | null | undefined): ReportStageMove {
  if (!stated || stated === current) return { kind: 'none' };
  if (!(REPORT_STAGES as readonly string[]).includes(stated) || !isStage(stated)) return { kind: 'refused', message: `月报中的建设阶段无效：${stated}` };
  if (current === 'paused') return { kind: 'refused', message: '项目处于停工状态，复工需经审批，不能通过月报变更阶段' };
  if (!isStage(current)) return { kind: 'refused', message: `项目阶段数据有误：${current}` };
  if (STAGES.indexOf(stated) < STAGES.indexOf(current)) {
    return { kind: 'behind', message: `建设阶段不能回退：${STAGE_LABELS[current]} → ${STAGE_LABELS[stated]}` };
  }
  const result = checkStageMove({ from: current, to: stated, stageBeforePause: null, reason: null });
  if ('error' in result) return { kind: 'refused', message: result.error };
  return { kind: 'forward', from: current, to: result.stage, dateField: STAGE_DATE_COLUMN[result.stage] ?? null };
}

// ── Review ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** Fields a reviewer compares with last month, with their Chinese labels. */
export const COMPARED_FIELDS = {
  amount_month: '本月完成投资', stage: '建设阶段', progress_text: '形象进度', workers: '在岗人数', problems: '需协调问题',
  next_plan: '下月计划', stats_entered: '入库纳统', stats_code: '纳统编码',
} as const;
type ComparedField = keyof typeof COMPARED_FIELDS;

export type Comparable = { [K in ComparedField]: string | number | null };

export interface FieldChange {
  field: ComparedField;
  label: string;
  from: string | number | null;
  to: string | number | null;
}

/** What differs between last period's report (or nothing) and this one; text is compared trimmed. */
export function changesSince(previous: Comparable | null, current: Comparable): FieldChange[] {
  const norm = (v: string | number | null | undefined) => (typeof v === 'string' ? (v.trim() || null) : (v ?? null));
  const changes: FieldChange[] = [];
  for (const field of Object.keys(COMPARED_FIELDS) as ComparedField[]) {
    const from = norm(previous?.[field]);
    const to = norm(current[field]);
    if (from !== to) changes.push({ field, label: COMPARED_FIELDS[field], from, to });
  }
  return changes;
}

// ── Deadlines (offices work in China Standard Time, UTC+8, with no daylight saving) ──────────────────────────

/** The calendar date in China ('YYYY-MM-DD') of an instant. */
export const chinaDate = chinaToday;

/** True when the instant (ISO text or Date) falls after the whole deadline day, China time. */
export function isAfterDeadline(at: string | Date, deadline: string): boolean {
  return chinaDate(typeof at === 'string' ? new Date(at) : at) > deadline;
}
