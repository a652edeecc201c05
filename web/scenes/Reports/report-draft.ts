import { deriveAmounts } from '../../../core/monthly-report.ts';
import type { GridRow, ReportRowWrite } from '../../api/types.ts';
import { wanTextToYuan, yuanToWanText } from '../../format.ts';

export type AmountMode = 'month' | 'ytd';

/** What the user typed for one project in the grid. Amounts are 万元 text in the current mode. */
export interface Draft {
  amount: string;
  negative_reason: string;
  stage: string | null;
  progress_text: string;
  workers: string;
  problems: string;
  next_plan: string;
}

/** The draft a row starts from: its stored report, or empty. */
export function initialDraft(row: GridRow, mode: AmountMode): Draft {
  const r = row.report;
  const amount = r ? (mode === 'month' ? r.amount_month : r.amount_ytd) : undefined;
  return {
    amount: amount === undefined ? '' : yuanToWanText(amount),
    negative_reason: r?.negative_reason ?? '',
    stage: r?.stage ?? null,
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
