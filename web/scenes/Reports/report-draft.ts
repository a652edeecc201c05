import { deriveAmounts, isReportStage, stageMove, stageNeedsPhoto, type ReportStage } from '../../../core/monthly-report.ts';
import type { GridRow, ReportRowWrite } from '../../api/types.ts';
import { wanTextToYuan, yuanToWanText } from '../../format.ts';

export type AmountMode = 'month' | 'ytd';

/** What the user typed for one project in the grid. Amounts are 万元 text in the current mode. */
export interface Draft {
  amount: string;
  negative_reason: string;
  stage: ReportStage | null;
  /** The date of a stage move (开工/竣工/投产日期), YYYY-MM-DD or ''. */
  stage_date: string;
  progress_text: string;
  workers: string;
  problems: string;
  next_plan: string;
}

/** The stage a row shows first: the report's, else the project's current stage (when a report may state it). */
function currentStage(row: GridRow): ReportStage | null {
  if (isReportStage(row.report?.stage)) return row.report.stage;
  return isReportStage(row.project.stage) ? row.project.stage : null;
}

/** The draft a row starts from: its stored report, or empty with the project's current stage. */
export function initialDraft(row: GridRow, mode: AmountMode): Draft {
  const r = row.report;
  const amount = r ? (mode === 'month' ? r.amount_month : r.amount_ytd) : undefined;
  return {
    amount: amount === undefined ? '' : yuanToWanText(amount),
    negative_reason: r?.negative_reason ?? '',
    stage: currentStage(row),
    stage_date: r?.stage_date ?? '',
    progress_text: r?.progress_text ?? '',
    workers: r?.workers === null || r?.workers === undefined ? '' : String(r.workers),
    problems: r?.problems ?? '',
    next_plan: r?.next_plan ?? '',
  };
}

/** Both figures implied by the draft (yuan), or a problem to show next to the input. */
export function amountsOf(row: GridRow, draft: Draft, mode: AmountMode): { month: number; ytd: number } | { error: 'invalid' | 'empty' } {
  if (draft.amount.trim() === '') return { error: 'empty' };
  const yuan = wanTextToYuan(draft.amount);
  if (yuan === undefined) return { error: 'invalid' };
  const previousYtd = row.previous?.amount_ytd ?? 0;
  const r = deriveAmounts(mode === 'month' ? { amount_month: yuan } : { amount_ytd: yuan }, previousYtd);
  return r.ok ? { month: r.amount_month, ytd: r.amount_ytd } : { error: 'invalid' };
}

/** Rewrites the amount text when the user switches between this month and the cumulative. */
export function switchMode(row: GridRow, draft: Draft, from: AmountMode, to: AmountMode): Draft {
  if (from === to) return draft;
  const a = amountsOf(row, draft, from);
  if ('error' in a) return draft;
  return { ...draft, amount: yuanToWanText(to === 'month' ? a.month : a.ytd) };
}

const same = (a: Draft, b: Draft) => (Object.keys(a) as (keyof Draft)[]).every((k) => a[k] === b[k]);

/** True when the user changed something on the row. */
export function isDirty(row: GridRow, draft: Draft, mode: AmountMode): boolean {
  return !same(draft, initialDraft(row, mode));
}

/** The batch row to send; undefined fields keep what is stored. */
export function toWrite(row: GridRow, draft: Draft, mode: AmountMode): ReportRowWrite {
  const yuan = wanTextToYuan(draft.amount);
  const workers = draft.workers.trim() === '' ? null : Number(draft.workers);
  return {
    project_id: row.project.id,
    ...(yuan !== undefined ? (mode === 'month' ? { amount_month: yuan } : { amount_ytd: yuan }) : {}),
    negative_reason: draft.negative_reason.trim() || null,
    stage: draft.stage,
    stage_date: stageMoveOf(row, draft).needsDate ? (draft.stage_date || null) : null,
    progress_text: draft.progress_text.trim() || null,
    workers: Number.isInteger(workers) ? workers : null,
    problems: draft.problems.trim() || null,
    next_plan: draft.next_plan.trim() || null,
    ...(row.report ? { version: row.report.version } : {}),
  };
}

/** True when the row can still be edited by the unit in an open period. */
export function isEditable(row: GridRow, periodOpen: boolean): boolean {
  return periodOpen && (!row.report || row.report.status === 'draft' || row.report.status === 'returned');
}

/** What the draft's stage means for the project: a move forward that needs a date and/or a site photo. */
export function stageMoveOf(row: GridRow, draft: Draft): { to: string | null; needsDate: boolean; needsPhoto: boolean } {
  const move = stageMove(row.project.stage, draft.stage);
  if (move.kind !== 'forward') return { to: null, needsDate: false, needsPhoto: false };
  return { to: move.to, needsDate: move.dateField !== null, needsPhoto: stageNeedsPhoto(move.to) };
}

/** A draft kept in the browser until it is saved, with the amount mode its text was typed in. */
export interface KeptDraft {
  mode: AmountMode;
  draft: Draft;
}

/** Where a user's unsaved drafts of one period are kept in localStorage. */
export function keptDraftsKey(userId: number, year: number, month: number): string {
  return `docket.reportDrafts.${userId}.${year}-${month}`;
}

/** The drafts kept for a period (by project id); anything unreadable counts as none. */
export function readKeptDrafts(storage: Pick<Storage, 'getItem'>, key: string): Record<string, KeptDraft> {
  try {
    const parsed = JSON.parse(storage.getItem(key) ?? '{}') as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, KeptDraft>) : {};
  } catch {
    return {};
  }
}

/**
 * Updates the kept drafts of a period: the given rows' drafts are stored when dirty and dropped when not; rows not
 * given are left as they are (another unit's filter, another page of the list).
 */
export function writeKeptDrafts(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>, key: string, entries: Array<{ projectId: number; kept: KeptDraft | null }>): void {
  const all = readKeptDrafts(storage, key);
  for (const e of entries) {
    if (e.kept) all[String(e.projectId)] = e.kept;
    else delete all[String(e.projectId)];
  }
  if (Object.keys(all).length === 0) storage.removeItem(key);
  else storage.setItem(key, JSON.stringify(all));
}

/** The draft a row shows after a (re)load: what was kept in the browser when it still differs, else the stored report. */
export function restoredDraft(row: GridRow, kept: KeptDraft | undefined, mode: AmountMode, editable: boolean): Draft {
  const initial = initialDraft(row, mode);
  if (!kept || !editable) return initial;
  const draft = switchMode(row, { ...initial, ...kept.draft }, kept.mode, mode);
  return isDirty(row, draft, mode) ? draft : initial;
}
