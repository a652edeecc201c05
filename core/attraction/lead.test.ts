import { describe, expect, it } from 'vitest';
import { checkMove, LEAD_REVIEW } from './lead.ts';
import { addMonths, computeFigures, computeFunnel, overdueStarts, periodOf, staleLeads, threeBatches, type FigureLead } from './figures.ts';

const base = { date: '2026-03-01', lastStageDate: '2026-01-10', today: '2026-06-30', fields: {} };

describe('attraction stage moves (招商项目阶段)', () => {
  it('asks for each stage\'s own fields', () => {
    expect(checkMove({ ...base, from: 'lead', to: 'negotiating' })).toBe('进入“在谈”阶段前须填写：投资方、意向投资额、所属产业');
    expect(checkMove({ ...base, from: 'lead', to: 'negotiating', fields: { investor: '某集团', intended_amount: 5e8, industry: '新能源' } })).toBeUndefined();
    expect(checkMove({ ...base, from: 'approved', to: 'landed', fields: { company_name: '某公司' } })).toBe('进入“落地”阶段前须填写：统一社会信用代码');
  });
  it('refuses a skip without a reason, and waives the skipped stages\' fields with one', () => {
    expect(checkMove({ ...base, from: 'lead', to: 'signed', fields: { signed_amount: 1 } }))
      .toBe('从“线索”直接进入“签约”跳过了在谈阶段，须说明理由');
    expect(checkMove({ ...base, from: 'lead', to: 'signed', reason: '老客户增资扩产，直接签约', fields: { signed_amount: 1 } })).toBeUndefined();
  });
  it('refuses going back, future dates and dates before the last stage', () => {
    expect(checkMove({ ...base, from: 'signed', to: 'negotiating' })).toBe('招商项目已处于“签约”阶段，只能向后推进到后续阶段');
    expect(checkMove({ ...base, from: 'signed', to: 'approved', date: '2026-07-01', fields: { review_body: '区项目评审委员会' } })).toBe('日期不能晚于今天');
    expect(checkMove({ ...base, from: 'signed', to: 'approved', date: '2026-01-01', fields: { review_body: 'x' } })).toBe('进入“过审”的日期不能早于上一阶段的日期 2026-01-10');
  });
  it('ends a record only with a kind and a reason (终止)', () => {
    expect(checkMove({ ...base, from: 'negotiating', to: 'terminated' })).toBe('终止须选择终止原因（洽谈失败、落户他处、合并等）');
    expect(checkMove({ ...base, from: 'negotiating', to: 'terminated', terminationKind: 'elsewhere' })).toBe('终止须说明理由');
    expect(checkMove({ ...base, from: 'negotiating', to: 'terminated', terminationKind: 'elsewhere', reason: '落户昆山' })).toBeUndefined();
  });
  it('reviews every move: submit → approve or return (with a reason) → submit again', () => {
    const reporter = (p: string) => p === 'attraction.write';
    expect(LEAD_REVIEW.next('settled', 'submit', { has: reporter })).toBe('submitted');
    expect(() => LEAD_REVIEW.next('submitted', 'approve', { has: reporter })).toThrow('无权审核通过该招商项目');
    expect(() => LEAD_REVIEW.next('submitted', 'return', {})).toThrow('退回招商项目须说明理由');
    expect(LEAD_REVIEW.next('submitted', 'return', { reason: '合同金额与附件不符' })).toBe('returned');
    expect(() => LEAD_REVIEW.next('submitted', 'submit', {})).toThrow('招商项目当前状态为“待审核”，不能提交阶段变更，请等待审核完成');
    expect(LEAD_REVIEW.choices('returned', reporter)).toEqual(['submit', 'withdraw']);
  });
});

function lead(id: number, p: Partial<FigureLead>): FigureLead {
  return {
    id, name: `项目${id}`, team_id: 1, team_name: '一组', region_code: '320506', region_name: '吴中区', industry: '新能源', stage: 'lead', lead_on: '2026-01-05',
    negotiating_on: null, signed_on: null, approved_on: null, landed_on: null, started_on: null, producing_on: null, terminated_on: null,
    signed_amount: null, foreign_usd: null, funds_in_place: null, last_followup_on: null, ...p,
  };
}

describe('attraction figures (招商统计)', () => {
  const leads = [
    lead(1, { stage: 'started', negotiating_on: '2026-01-20', signed_on: '2026-02-10', started_on: '2026-05-11', signed_amount: 150_000_000, funds_in_place: 60_000_000, foreign_usd: 2_000_000 }),
    lead(2, { stage: 'signed', team_id: 2, team_name: '二组', negotiating_on: '2026-02-01', signed_on: '2026-03-15', signed_amount: 50_000_000, funds_in_place: 0 }),
    lead(3, { stage: 'negotiating', negotiating_on: '2026-02-01', terminated_on: '2026-04-01' }),
    lead(4, { stage: 'signed', signed_on: '2026-04-02', signed_amount: 200_000_000, funds_in_place: 20_000_000 }), // 在谈 skipped
    lead(5, { stage: 'lead', lead_on: '2026-07-01' }),
  ];
  it('counts signings of a quarter, 亿元以上 apart, and 履约率 over the period\'s signings', () => {
    const { total, groups } = computeFigures(leads, periodOf(2026, 1), 'team');
    expect(total).toMatchObject({ signed_count: 2, signed_amount: 200_000_000, signed_big_count: 1, signed_big_amount: 150_000_000, foreign_usd: 2_000_000 });
    expect(total.performance).toEqual({ num: 60_000_000, den: 200_000_000, rate: 0.3 });
    expect(groups.map((g) => [g.label, g.signed_count])).toEqual([['一组', 1], ['二组', 1]]);
  });
  it('averages signing → start time over the period\'s starts', () => {
    const { total } = computeFigures(leads, periodOf(2026));
    expect(total.started_count).toBe(1);
    expect(total.sign_to_start_days).toBe(90);
    expect(total.sign_to_start_months!.toFixed(2)).toBe('2.96');
  });
  it('builds the funnel at the period\'s end, counting skipped stages as reached', () => {
    const q1 = computeFunnel(leads, '2026-03-31').map((s) => s.reached);
    expect(q1).toEqual([4, 3, 2, 0, 0, 0, 0]); // No. 1 started in May, No. 4 signed in April
    const year = computeFunnel(leads, '2026-12-31');
    expect(year.map((s) => s.reached)).toEqual([5, 4, 3, 1, 1, 1, 0]);
    expect(year[2]!.conversion).toEqual({ num: 3, den: 4, rate: 0.75 });
  });
  it('lists signed-but-not-started past the limit, stale records and the quarter\'s 三个一批', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(overdueStarts(leads, '2026-10-01', 6).map((l) => [l.id, l.due_on, l.overdue_days])).toEqual([[2, '2026-09-15', 16]]);
    expect(staleLeads(leads, '2026-03-01', 30).map((l) => [l.id, l.idle_days])).toEqual([[1, 55], [2, 55], [4, 55]]);
    const b = threeBatches(leads, 2026, 2);
    expect([b.signed.map((l) => l.id), b.started.map((l) => l.id), b.producing]).toEqual([[4], [1], []]);
  });
});
