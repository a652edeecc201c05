import { describe, expect, it } from 'vitest';
import { defineWorkflow, WorkflowRefusal } from './workflow.ts';
import { REPORT_WORKFLOW, refusalOf, statusAfter } from './monthly-report.ts';

// The design note's worked example: a supervised matter (督办事项), to show the shape carries reason and evidence.
const MATTER = defineWorkflow({
  noun: '督办事项',
  states: ['pending_sign', 'in_progress', 'closing', 'closed', 'returned'],
  stateLabels: { pending_sign: '待签收', in_progress: '办理中', closing: '待销号', closed: '已销号', returned: '已退回' },
  actions: {
    sign: { from: ['pending_sign'], to: 'in_progress', permission: 'matter.handle', label: '签收' },
    send_back: { from: ['pending_sign'], to: 'returned', permission: 'matter.handle', needs: 'reason', label: '退回' },
    apply_close: { from: ['in_progress'], to: 'closing', permission: 'matter.handle', needs: 'evidence', label: '申请销号' },
    close: { from: ['closing'], to: 'closed', permission: 'matter.review', label: '销号' },
  },
});

describe('defineWorkflow', () => {
  it('moves, and refuses by state, permission, reason and evidence with Chinese messages', () => {
    const handler = (p: string) => p === 'matter.handle';
    expect(MATTER.next('pending_sign', 'sign', { has: handler })).toBe('in_progress');
    expect(() => MATTER.next('closed', 'sign')).toThrow('督办事项当前状态为“已销号”，不能签收');
    expect(() => MATTER.next('closing', 'close', { has: handler })).toThrow(new WorkflowRefusal('permission', '无权销号该督办事项'));
    expect(() => MATTER.next('pending_sign', 'send_back', { reason: '  ' })).toThrow('退回督办事项须说明理由');
    expect(MATTER.next('pending_sign', 'send_back', { reason: '不属于本单位职责' })).toBe('returned');
    expect(() => MATTER.next('in_progress', 'apply_close', { evidence: [] })).toThrow('申请销号督办事项须上传佐证材料');
    expect(MATTER.next('in_progress', 'apply_close', { evidence: [17] })).toBe('closing');
  });

  it('lists the choices an actor has, in declaration order', () => {
    expect(MATTER.choices('pending_sign')).toEqual(['sign', 'send_back']);
    expect(MATTER.choices('closing', (p) => p === 'matter.handle')).toEqual([]);
    expect(MATTER.choices('closing', (p) => p === 'matter.review')).toEqual(['close']);
  });

  it('refuses a definition naming an unknown state', () => {
    expect(() => defineWorkflow({
      noun: 'x', states: ['a'], stateLabels: { a: 'A' },
      actions: { go: { from: ['a'], to: 'b' as 'a', permission: 'p', label: '走' } },
    })).toThrow('leads to unknown state b');
  });
});

describe('the monthly report on defineWorkflow', () => {
  it('keeps the table: who may do what from which status', () => {
    const table = Object.fromEntries(REPORT_WORKFLOW.spec.states.map((s) => [s, REPORT_WORKFLOW.choices(s)]));
    expect(table).toEqual({
      draft: ['edit', 'submit'], submitted: ['approve', 'return'], approved: ['correct'], returned: ['edit', 'submit'],
    });
    expect(REPORT_WORKFLOW.choices('submitted', (p) => p === 'report.write')).toEqual([]);
  });

  it('keeps the targets and the messages', () => {
    expect(statusAfter('returned', 'edit', false)).toBe('returned');
    expect(statusAfter('approved', 'correct', true)).toBe('approved');
    expect(statusAfter('approved', 'correct', false)).toBe('submitted');
    expect(() => REPORT_WORKFLOW.next('approved', 'correct', { reason: '' })).toThrow('更正月报须说明理由');
    expect(refusalOf('approved', 'edit')).toBe('月报当前状态为“已审核通过（已锁定）”，不能修改；如需更正，请填写更正原因后提交更正');
    expect(refusalOf('draft', 'approve')).toBe('月报当前状态为“草稿”，不能审核通过，只有已提交的月报可以审核通过');
  });
});
