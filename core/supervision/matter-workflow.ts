// The supervised matter's workflow (督办事项办理流程) as data (core/workflow.ts): 待签收 → 办理中 → 申请办结 →
// 已办结(待销号) → 已销号, with 申请延期 (the deadline moves only on approval), 退回 (wrong unit, with a reason),
// 挂起 (timer paused, approved by the supervision office) and reopening. The permissions are the role matrix's;
// whether the actor belongs to the lead unit is the service's check.
import { defineWorkflow } from '../workflow.ts';

export const MATTER_STATES = [
  'pending_sign', 'in_progress', 'extension_requested', 'suspend_requested', 'suspended', 'closing', 'closed', 'written_off', 'returned',
] as const;
export type MatterStatus = (typeof MATTER_STATES)[number];

export const MATTER_STATE_LABELS: Record<MatterStatus, string> = {
  pending_sign: '待签收', in_progress: '办理中', extension_requested: '申请延期', suspend_requested: '申请挂起', suspended: '已挂起',
  closing: '申请办结', closed: '已办结（待销号）', written_off: '已销号', returned: '已退回',
};

/** States in which the matter is being worked on (its deadline runs unless suspended). */
export const MATTER_OPEN_STATES: readonly MatterStatus[] = ['pending_sign', 'in_progress', 'extension_requested', 'suspend_requested', 'closing', 'returned'];

export const MATTER_WORKFLOW = defineWorkflow({
  noun: '督办事项',
  states: MATTER_STATES,
  stateLabels: MATTER_STATE_LABELS,
  actions: {
    sign: { from: ['pending_sign'], to: 'in_progress', permission: 'matter.handle', label: '签收' },
    send_back: { from: ['pending_sign'], to: 'returned', permission: 'matter.handle', needs: 'reason', label: '退回', hint: '，只有待签收的事项可以退回' },
    reassign: { from: ['returned', 'pending_sign'], to: 'pending_sign', permission: 'matter.review', label: '重新交办' },
    request_extension: { from: ['in_progress'], to: 'extension_requested', permission: 'matter.handle', needs: 'reason', label: '申请延期' },
    approve_extension: { from: ['extension_requested'], to: 'in_progress', permission: 'matter.review', label: '同意延期' },
    refuse_extension: { from: ['extension_requested'], to: 'in_progress', permission: 'matter.review', needs: 'reason', label: '不同意延期' },
    request_suspend: { from: ['in_progress'], to: 'suspend_requested', permission: 'matter.handle', needs: 'reason', label: '申请挂起' },
    approve_suspend: { from: ['suspend_requested'], to: 'suspended', permission: 'matter.review', label: '同意挂起' },
    refuse_suspend: { from: ['suspend_requested'], to: 'in_progress', permission: 'matter.review', needs: 'reason', label: '不同意挂起' },
    resume: { from: ['suspended'], to: 'in_progress', permission: 'matter.review', label: '恢复办理' },
    apply_close: { from: ['in_progress'], to: 'closing', permission: 'matter.handle', needs: 'reason', label: '申请办结', hint: '，须先签收' },
    approve_close: { from: ['closing'], to: 'closed', permission: 'matter.review', label: '审核办结' },
    reject_close: { from: ['closing'], to: 'in_progress', permission: 'matter.review', needs: 'reason', label: '退回办结申请' },
    write_off: { from: ['closed'], to: 'written_off', permission: 'matter.review', label: '销号', hint: '，须先审核办结' },
    reopen: { from: ['closed', 'written_off'], to: 'in_progress', permission: 'matter.review', needs: 'reason', label: '重新打开' },
  },
});
export type MatterAction = keyof typeof MATTER_WORKFLOW.spec.actions;

/** 督办事项的来源: where a matter came from, with a link back (source_id) where there is one. */
export const MATTER_SOURCES = ['meeting', 'instruction', 'bulletin', 'weekly', 'problem', 'node', 'project', 'evaluation', 'unit', 'report', 'other'] as const;
export type MatterSource = (typeof MATTER_SOURCES)[number];
export const MATTER_SOURCE_LABELS: Record<MatterSource, string> = {
  meeting: '会议议定', instruction: '领导批示', bulletin: '通报', weekly: '周交办', problem: '问题升级', node: '节点逾期', project: '红灯项目', evaluation: '考评弱项', unit: '滞后单位', report: '月报问题', other: '其他',
};

export const MATTER_URGENCIES = ['normal', 'urgent', 'very_urgent'] as const;
export type MatterUrgency = (typeof MATTER_URGENCIES)[number];
export const MATTER_URGENCY_LABELS: Record<MatterUrgency, string> = { normal: '一般', urgent: '紧急', very_urgent: '特急' };
