// Investment attraction (招商引资): one record (招商项目) carried from a lead to production. Pure rules: the stages,
// what each stage needs, skipping and termination, and the review of every move (填报 → 审核 → 通过/退回) as a
// core/workflow.ts workflow. The service stores the record and records each move in status_log.

import { defineWorkflow } from '../workflow.ts';

/** The stages in the order of the road: 线索 → 在谈 → 签约 → 过审 → 落地 → 开工 → 投产. */
export const LEAD_STAGES = ['lead', 'negotiating', 'signed', 'approved', 'landed', 'started', 'producing'] as const;
export type LeadStage = (typeof LEAD_STAGES)[number];

/** Chinese labels as offices print them. */
export const LEAD_STAGE_LABELS: Record<LeadStage, string> = {
  lead: '线索', negotiating: '在谈', signed: '签约', approved: '过审', landed: '落地', started: '开工', producing: '投产',
};

/** The column holding the date a stage was entered (签约日期 = the contract date, 过审 = the review date …). */
export const STAGE_DATE_FIELD: Record<LeadStage, `${LeadStage}_on`> = {
  lead: 'lead_on', negotiating: 'negotiating_on', signed: 'signed_on', approved: 'approved_on', landed: 'landed_on',
  started: 'started_on', producing: 'producing_on',
};

/** Why a record was ended (终止): it failed, the investor went elsewhere, it merged into another record, other. */
export const TERMINATION_KINDS = ['failed', 'elsewhere', 'merged', 'other'] as const;
export type TerminationKind = (typeof TERMINATION_KINDS)[number];
export const TERMINATION_LABELS: Record<TerminationKind, string> = { failed: '洽谈失败', elsewhere: '落户他处', merged: '合并至其他项目', other: '其他' };

/** Where a move leads: a later stage, or 终止. */
export type MoveTarget = LeadStage | 'terminated';

/** True when the value names a stage. */
export function isLeadStage(value: string): value is LeadStage {
  return (LEAD_STAGES as readonly string[]).includes(value);
}

/** The stage's position on the road (线索 = 0). */
export function stageIndex(stage: LeadStage): number {
  return LEAD_STAGES.indexOf(stage);
}

/** The fields of a record that the stage rules read (a stored row or a form). */
export interface LeadFields {
  investor?: string | null;
  intended_amount?: number | null;
  industry?: string | null;
  signed_amount?: number | null;
  review_body?: string | null;
  company_name?: string | null;
  company_uscc?: string | null;
}

/** What each stage needs filled before a record may enter it, with the Chinese field names. */
export const STAGE_REQUIRED: Record<LeadStage, readonly [keyof LeadFields, string][]> = {
  lead: [],
  negotiating: [['investor', '投资方'], ['intended_amount', '意向投资额'], ['industry', '所属产业']],
  signed: [['signed_amount', '签约额']],
  approved: [['review_body', '评审（准入）机构']],
  landed: [['company_name', '注册企业名称'], ['company_uscc', '统一社会信用代码']],
  started: [],
  producing: [],
};

/** The request to move a record (what 填报 submits for review). */
export interface MoveRequest {
  from: LeadStage;
  to: MoveTarget;
  /** The date the target stage was entered (the contract date for 签约, the review date for 过审 …). */
  date: string;
  /** The latest stage date already recorded: a later stage cannot be entered before it. */
  lastStageDate: string | null;
  /** Why stages are skipped, or why the record ends. */
  reason?: string | null;
  terminationKind?: TerminationKind | null;
  today: string;
  fields: LeadFields;
}

/** Why the move cannot be submitted (Chinese), or undefined when it can. */
export function checkMove(m: MoveRequest): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(m.date)) return '日期应为 YYYY-MM-DD';
  if (m.date > m.today) return '日期不能晚于今天';
  if (m.to === 'terminated') {
    if (!m.terminationKind) return '终止须选择终止原因（洽谈失败、落户他处、合并等）';
    if (!m.reason?.trim()) return '终止须说明理由';
    return undefined;
  }
  const from = stageIndex(m.from);
  const to = stageIndex(m.to);
  if (to <= from) return `招商项目已处于“${LEAD_STAGE_LABELS[m.from]}”阶段，只能向后推进到后续阶段`;
  if (to > from + 1 && !m.reason?.trim()) {
    const skipped = LEAD_STAGES.slice(from + 1, to).map((s) => LEAD_STAGE_LABELS[s]).join('、');
    return `从“${LEAD_STAGE_LABELS[m.from]}”直接进入“${LEAD_STAGE_LABELS[m.to]}”跳过了${skipped}阶段，须说明理由`;
  }
  if (m.lastStageDate && m.date < m.lastStageDate) return `进入“${LEAD_STAGE_LABELS[m.to]}”的日期不能早于上一阶段的日期 ${m.lastStageDate}`;
  // A skipped stage's needs are waived with the reason; the target stage's own needs are not.
  const missing = STAGE_REQUIRED[m.to].filter(([field]) => {
    const v = m.fields[field];
    return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
  }).map(([, label]) => label);
  if (missing.length > 0) return `进入“${LEAD_STAGE_LABELS[m.to]}”阶段前须填写：${missing.join('、')}`;
  return undefined;
}

/**
 * The review of a move (填报 → 审核 → 通过/退回). `settled`: no move waiting; `submitted`: a move waits for the
 * reviewer; `returned`: sent back with a reason, the submitter corrects and submits again (or withdraws).
 */
export const LEAD_REVIEW = defineWorkflow({
  noun: '招商项目',
  states: ['settled', 'submitted', 'returned'],
  stateLabels: { settled: '无待审核变更', submitted: '待审核', returned: '已退回' },
  actions: {
    submit: { from: ['settled', 'returned'], to: 'submitted', permission: 'attraction.write', label: '提交阶段变更', hint: '，请等待审核完成' },
    approve: { from: ['submitted'], to: 'settled', permission: 'attraction.review', label: '审核通过', hint: '，只有待审核的变更可以审核' },
    return: { from: ['submitted'], to: 'returned', permission: 'attraction.review', needs: 'reason', label: '退回', hint: '，只有待审核的变更可以退回' },
    withdraw: { from: ['submitted', 'returned'], to: 'settled', permission: 'attraction.write', label: '撤回阶段变更' },
  },
});
export type LeadReviewState = (typeof LEAD_REVIEW.spec.states)[number];
export type LeadReviewAction = keyof typeof LEAD_REVIEW.spec.actions;
