// The problem workflow (问题/诉求办理): 待受理 → 已交办 → 已签收 → 办理中 → 已答复 → 已回访 → 已销号. A 不满意 return
// visit reopens the problem (重办, counted); 不予受理 and 转办 need a reason. States and actions as data
// (core/workflow.ts); the server records every move in status_log.
import { defineWorkflow } from '../workflow.ts';

export const PROBLEM_STATES = ['pending', 'assigned', 'signed', 'in_progress', 'replied', 'visited', 'closed', 'rejected'] as const;
export type ProblemStatus = (typeof PROBLEM_STATES)[number];

export const PROBLEM_STATE_LABELS: Record<ProblemStatus, string> = {
  pending: '待受理', assigned: '已交办', signed: '已签收', in_progress: '办理中', replied: '已答复', visited: '已回访',
  closed: '已销号', rejected: '不予受理',
};

export const PROBLEM_WORKFLOW = defineWorkflow({
  noun: '问题',
  states: PROBLEM_STATES,
  stateLabels: PROBLEM_STATE_LABELS,
  actions: {
    // The office receives and routes it to the owning department (交办).
    assign: { from: ['pending'], to: 'assigned', permission: 'problem.route', label: '交办', hint: '，只有待受理的问题可以交办' },
    reject: { from: ['pending'], to: 'rejected', permission: 'problem.route', needs: 'reason', label: '不予受理' },
    // The owning department signs, works, answers; or hands it on to another department with a reason (转办).
    sign: { from: ['assigned'], to: 'signed', permission: 'problem.handle', label: '签收' },
    transfer: { from: ['assigned', 'signed'], to: 'assigned', permission: 'problem.handle', needs: 'reason', label: '转办' },
    start: { from: ['signed'], to: 'in_progress', permission: 'problem.handle', label: '开始办理' },
    reply: { from: ['signed', 'in_progress'], to: 'replied', permission: 'problem.handle', label: '答复' },
    // A problem escalated into a supervised matter (转督办) whose matter was closed (办结): the department answers in
    // one step with the matter's outcome; the 回访 by someone else and the 销号 still follow (the service checks the matter).
    adopt_matter: { from: ['assigned', 'signed', 'in_progress'], to: 'replied', permission: 'problem.handle', label: '按督办结果办结' },
    // Someone other than the handler visits the enterprise (回访): satisfied or basically satisfied ends the round;
    // not satisfied sends it back to the department (重办).
    visit_ok: { from: ['replied'], to: 'visited', permission: 'problem.visit', label: '回访（满意/基本满意）' },
    visit_reopen: { from: ['replied'], to: 'in_progress', permission: 'problem.visit', needs: 'reason', label: '回访（不满意，重办）' },
    close: { from: ['visited'], to: 'closed', permission: 'problem.route', label: '销号', hint: '，须先回访满意或基本满意' },
  },
});
export type ProblemAction = keyof typeof PROBLEM_WORKFLOW.spec.actions;

/** Open problems: received and not yet closed or refused (they can light a project). */
export const OPEN_PROBLEM_STATES: readonly ProblemStatus[] = ['pending', 'assigned', 'signed', 'in_progress', 'replied', 'visited'];

export const PROBLEM_SOURCES = ['enterprise', 'project', 'visit', 'meeting'] as const;
export type ProblemSource = (typeof PROBLEM_SOURCES)[number];
export const PROBLEM_SOURCE_LABELS: Record<ProblemSource, string> = { enterprise: '企业反映', project: '项目推进', visit: '干部走访', meeting: '会议研究' };

export const PROBLEM_LEVELS = ['county', 'city', 'province'] as const;
export type ProblemLevel = (typeof PROBLEM_LEVELS)[number];
export const PROBLEM_LEVEL_LABELS: Record<ProblemLevel, string> = { county: '县级', city: '市级', province: '省级' };

export const VISIT_RESULTS = ['satisfied', 'basic', 'unsatisfied'] as const;
export type VisitResult = (typeof VISIT_RESULTS)[number];
export const VISIT_RESULT_LABELS: Record<VisitResult, string> = { satisfied: '满意', basic: '基本满意', unsatisfied: '不满意' };
