import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SET, checkRuleSet, judgeProject, worse, type ProjectFacts, type Rule, type RuleSet } from './lights.ts';

const YI = 100_000_000;
const base: ProjectFacts = {
  planned_investment: 100 * YI, completed_ytd: 0, plan_new_start: false, plan_start_month: null,
  actual_start_date: null, stats_entered: false, stats_entered_date: null,
};
const only = (...kinds: Rule['kind'][]): RuleSet => ({
  rules: [
    { id: 'gap', kind: 'points_gap', enabled: true, yellow_points: 10, red_points: 30 },
    { id: 'ratio', kind: 'ratio', enabled: true, yellow_below: 0.8, red_below: 0.6 },
    { id: 'short', kind: 'shortfall', enabled: true, yellow_above: 0, red_above: 0.5 },
    { id: 'start', kind: 'start_overdue', enabled: true, yellow_months_late: 0, red_months_late: 3 },
    { id: 'stats', kind: 'stats_entry', enabled: true, yellow_months: 1, red_months: 2 },
    { id: 'two', kind: 'consecutive', enabled: true, dimension: 'investment', periods: 2 },
  ].filter((r) => kinds.includes(r.kind as Rule['kind'])) as Rule[],
});
/** June: time progress exactly 50%. */
const investment = (completedYi: number, rules: RuleSet, month = 6) =>
  judgeProject({ facts: { ...base, completed_ytd: Math.round(completedYi * YI) }, year: 2026, month, rules, curve: null }).dimensions.find((d) => d.dimension === 'investment')!;

describe('lights: investment against time progress', () => {
  it('months before an imported 1–N月 list are unknown, not zero: not judged on investment, judged from month N', () => {
    const r = only('points_gap', 'shortfall', 'start_overdue');
    const at = (month: number, completedYi: number) => judgeProject({
      facts: { ...base, completed_ytd: completedYi * YI, records_from: 5, plan_new_start: true, plan_start_month: 2 }, year: 2026, month, rules: r, curve: null,
    });
    const april = at(4, 0);
    expect(april.dimensions.find((d) => d.dimension === 'investment')).toMatchObject({ light: 'none', reason: '5月前的完成投资未纳入系统（导入的是1–5月累计），不评价' });
    // Other dimensions are facts of their own (the start date came with the list): still judged.
    expect(april.dimensions.find((d) => d.dimension === 'start')!.light).toBe('yellow');
    expect(at(5, 10).dimensions.find((d) => d.dimension === 'investment')!.light).toBe('red');
    expect(at(5, 45).dimensions.find((d) => d.dimension === 'investment')!.light).toBe('green');
  });

  it('points gap: green at or above and under 10 below, yellow 10–30 below, red more than 30 below', () => {
    const r = only('points_gap');
    expect(investment(50, r).light).toBe('green');
    expect(investment(40.01, r).light).toBe('green');
    expect(investment(40, r).light).toBe('yellow'); // exactly 10 points below
    expect(investment(20, r).light).toBe('yellow'); // exactly 30 below
    expect(investment(19.99, r).light).toBe('red');
    const d = investment(19.99, r);
    expect(d).toMatchObject({ rule_id: 'gap', rule_kind: 'points_gap', reason: '完成率20.0%，低于序时进度30.0个百分点' });
    expect(d.figures).toMatchObject({ completion_rate_text: '20.0', time_progress_text: '50.0', points_below_text: '30.0' });
    expect(d.figures.points_below).toBeCloseTo(30.01, 10);
  });

  it('ratio: yellow below 80% of time progress, red below 60%', () => {
    const r = only('ratio');
    expect(investment(40, r).light).toBe('green'); // 80% of 50
    expect(investment(39.99, r).light).toBe('yellow');
    expect(investment(30, r).light).toBe('yellow'); // 60%
    expect(investment(29.99, r).light).toBe('red');
    expect(investment(29.99, r).figures.ratio_text).toBe('60.0');
  });

  it('relative shortfall: yellow up to 50% short of the time-proportional amount, red beyond', () => {
    const r = only('shortfall');
    expect(investment(50, r).light).toBe('green');
    expect(investment(49.99, r).light).toBe('yellow');
    expect(investment(25, r).light).toBe('yellow'); // exactly 50% short
    expect(investment(24.99, r).light).toBe('red');
    expect(investment(24.99, r).reason).toBe('较序时计划投资少完成50.0%');
  });

  it('several rules on one dimension: the worst wins and names the reason', () => {
    const d = investment(35, only('points_gap', 'ratio', 'shortfall')); // 15 below (yellow), ratio 70% (yellow), shortfall 30% (yellow)
    expect(d.light).toBe('yellow');
    expect(d.rule_id).toBe('gap');
    expect(investment(28, only('points_gap', 'ratio')).rule_id).toBe('ratio'); // ratio 56% is red, gap 22 is yellow
  });

  it('no annual plan: no investment light', () => {
    const l = judgeProject({ facts: { ...base, planned_investment: 0 }, year: 2026, month: 6, rules: DEFAULT_RULE_SET, curve: null });
    expect(l.dimensions.find((d) => d.dimension === 'investment')!.light).toBe('none');
    expect(l.overall).toBe('none');
  });

  it('uses the custom time-progress curve', () => {
    const curve = [5, 10, 20, 30, 40, 70, 75, 80, 85, 90, 95, 100];
    const l = judgeProject({ facts: { ...base, completed_ytd: 50 * YI }, year: 2026, month: 6, rules: only('points_gap'), curve });
    expect(l.dimensions[0]!.light).toBe('yellow'); // 20 points below 70%
  });
});

describe('lights: duration rules', () => {
  const start = (month: number, facts: Partial<ProjectFacts> = {}) =>
    judgeProject({ facts: { ...base, plan_new_start: true, plan_start_month: 3, ...facts }, year: 2026, month, rules: only('start_overdue'), curve: null })
      .dimensions.find((d) => d.dimension === 'start')!;

  it('start: planned this month and not started is yellow, three months late is red', () => {
    expect(start(2).light).toBe('none');
    expect(start(3)).toMatchObject({ light: 'yellow', reason: '计划3月开工，本月未开工' });
    expect(start(5).light).toBe('yellow');
    expect(start(6)).toMatchObject({ light: 'red', reason: '计划3月开工，已逾期3个月未开工' });
    expect(start(6, { actual_start_date: '2026-06-30' }).light).toBe('none'); // started within the month
    expect(start(6, { actual_start_date: '2026-07-01' }).light).toBe('red'); // a start after the period does not count yet
  });

  const stats = (month: number, facts: Partial<ProjectFacts>) =>
    judgeProject({ facts: { ...base, ...facts }, year: 2026, month, rules: only('stats_entry'), curve: null }).dimensions.find((d) => d.dimension === 'stats')!;

  it('statistics entry: not entered one month after the start is yellow, two months is red', () => {
    expect(stats(3, { actual_start_date: '2026-03-10' }).light).toBe('green');
    expect(stats(4, { actual_start_date: '2026-03-10' })).toMatchObject({ light: 'yellow', reason: '开工1个月仍未入库纳统' });
    expect(stats(5, { actual_start_date: '2026-03-10' }).light).toBe('red');
    expect(stats(5, { actual_start_date: '2025-11-10' }).light).toBe('red');
    expect(stats(5, { actual_start_date: '2026-03-10', stats_entered: true, stats_entered_date: '2026-05-02' }).light).toBe('green');
    expect(stats(4, { actual_start_date: '2026-03-10', stats_entered: true, stats_entered_date: '2026-05-02' }).light).toBe('yellow'); // not yet entered in April
    expect(stats(5, { actual_start_date: null }).light).toBe('none');
  });
});

describe('lights: escalation, excuses, overall', () => {
  const judge = (history: ('green' | 'yellow' | 'red' | 'none')[], excuses = []) =>
    judgeProject({ facts: { ...base, completed_ytd: 35 * YI }, year: 2026, month: 6, rules: only('points_gap', 'consecutive'), curve: null, history: { investment: history }, excuses });

  it('two yellow months in a row turn red, naming the escalation rule', () => {
    expect(judge([]).dimensions[0]!.light).toBe('yellow');
    expect(judge(['green']).dimensions[0]!.light).toBe('yellow');
    const d = judge(['yellow']).dimensions[0]!;
    expect(d).toMatchObject({ light: 'red', escalated: true, rule_id: 'two' });
    expect(d.reason).toContain('连续2期黄灯升为红灯');
    expect(judge(['red']).overall).toBe('red');
  });

  it('an accepted excuse suppresses the light and records who accepted it and why', () => {
    const excuse = { id: 7, dimension: 'investment' as const, reason: '征地拆迁政策调整', accepted_by_name: '张科长', accepted_at: '2026-06-20T00:00:00Z' };
    const l = judgeProject({ facts: { ...base, completed_ytd: 10 * YI }, year: 2026, month: 6, rules: DEFAULT_RULE_SET, curve: null, excuses: [excuse] });
    const d = l.dimensions[0]!;
    expect(d).toMatchObject({ light: 'green', computed_light: 'red', excuse: { accepted_by_name: '张科长', reason: '征地拆迁政策调整' } });
    expect(l.overall).toBe('green');
    const other = judgeProject({ facts: { ...base, completed_ytd: 10 * YI }, year: 2026, month: 6, rules: DEFAULT_RULE_SET, curve: null, excuses: [{ ...excuse, dimension: 'stats' }] });
    expect(other.overall).toBe('red');
  });

  it('the overall light is the worst dimension', () => {
    const l = judgeProject({ facts: { ...base, completed_ytd: 50 * YI, plan_new_start: true, plan_start_month: 6 }, year: 2026, month: 6, rules: DEFAULT_RULE_SET, curve: null });
    expect(l.dimensions.map((d) => d.light)).toEqual(['green', 'yellow', 'none', 'none']);
    expect(l.overall).toBe('yellow');
    expect(worse('none', 'green')).toBe('green');
  });

  it('the default rule set follows domain.md and checks thresholds', () => {
    expect(checkRuleSet(DEFAULT_RULE_SET)).toBeUndefined();
    expect(DEFAULT_RULE_SET.rules.filter((r) => r.enabled).map((r) => r.kind)).toEqual(['points_gap', 'start_overdue', 'stats_entry', 'problem_overdue', 'consecutive']);
    expect(checkRuleSet({ rules: [{ id: 'a', kind: 'points_gap', enabled: true, yellow_points: 30, red_points: 10 }] })).toContain('红灯');
    expect(checkRuleSet({ rules: [...DEFAULT_RULE_SET.rules, DEFAULT_RULE_SET.rules[0]!] })).toContain('重复');
  });
});
