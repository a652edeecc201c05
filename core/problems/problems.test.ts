import { describe, expect, it } from 'vitest';
import { calendarOf, CHINA_2026 } from '../calendar.ts';
import { DEFAULT_RULE_SET, judgeProject, type ProjectFacts } from '../lights.ts';
import { computeProblemFigures, type ProblemFact } from './figures.ts';
import { PROBLEM_WORKFLOW } from './problem-workflow.ts';
import { dueState, handlingDue, limitFor, PRESET_13710, routeDue } from './time-limits.ts';
import { addMonths, visitPlanState } from './visit-plan.ts';

const cal = calendarOf(CHINA_2026);

describe('problem workflow', () => {
  it('runs 待受理 → 已交办 → 已签收 → 办理中 → 已答复 → 已回访 → 已销号, and 不满意 reopens', () => {
    const w = PROBLEM_WORKFLOW;
    expect(w.next('pending', 'assign')).toBe('assigned');
    expect(w.next('assigned', 'sign')).toBe('signed');
    expect(w.next('signed', 'start')).toBe('in_progress');
    expect(w.next('in_progress', 'reply')).toBe('replied');
    expect(w.next('replied', 'visit_ok')).toBe('visited');
    expect(w.next('visited', 'close')).toBe('closed');
    expect(w.next('replied', 'visit_reopen', { reason: '用地指标仍未落实' })).toBe('in_progress');
  });

  it('asks 不予受理, 转办 and 不满意 for a reason and refuses closing before a visit, in Chinese', () => {
    const w = PROBLEM_WORKFLOW;
    expect(() => w.next('pending', 'reject')).toThrow('不予受理问题须说明理由');
    expect(() => w.next('signed', 'transfer', { reason: ' ' })).toThrow('转办问题须说明理由');
    expect(() => w.next('replied', 'visit_reopen')).toThrow('须说明理由');
    expect(() => w.next('replied', 'close')).toThrow('问题当前状态为“已答复”，不能销号，须先回访满意或基本满意');
  });
});

describe('time limits (13710)', () => {
  it('picks the most specific row and counts working days over the 2026 National Day holiday', () => {
    const rows = [PRESET_13710, { category_code: 'land', level: '*', route_days: 1, feedback_days: 5, ordinary_days: 15, major_days: 60 }];
    expect(limitFor(rows, 'land', 'city').ordinary_days).toBe(15);
    expect(limitFor(rows, 'land-quota', 'city', 'land').ordinary_days).toBe(15);
    expect(limitFor(rows, 'funds', 'city')).toBe(PRESET_13710);
    // Received Wednesday 2026-09-30, the eve of 国庆节 (10-01…10-07): routed by Thursday 10-08.
    expect(routeDue('2026-09-30', PRESET_13710, cal)).toBe('2026-10-08');
    // Routed Friday 2026-09-18: Sunday 20 is a 调休 working day, so 3 working days end Tuesday 22; 7 end on 29
    // (中秋节 25–27 is off).
    expect(handlingDue('2026-09-18', false, PRESET_13710, cal)).toEqual({ feedback_due: '2026-09-22', solve_due: '2026-09-29' });
    expect(handlingDue('2026-09-18', true, PRESET_13710, cal).solve_due).toBe('2026-10-18');
  });

  it('tells overdue and due-soon from the deadline the state is held to', () => {
    const p = { status: 'signed', route_due: '2026-06-01', feedback_due: '2026-06-03', solve_due: '2026-06-10' };
    expect(dueState(p, '2026-06-11', cal)).toBe('overdue');
    expect(dueState(p, '2026-06-09', cal)).toBe('due_soon');
    expect(dueState(p, '2026-06-04', cal)).toBe('ok');
    expect(dueState({ ...p, status: 'closed' }, '2026-07-01', cal)).toBe('none');
  });
});

describe('visit plan', () => {
  it('is due N months after the last visit (or the link) and flags overdue links', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-15', 2)).toBe('2027-01-15');
    expect(visitPlanState({ visit_every_months: 1, linked_on: '2026-03-01' }, '2026-05-10', '2026-06-12')).toEqual({ next_due: '2026-06-10', overdue: true, days_overdue: 2 });
    expect(visitPlanState({ visit_every_months: 1, linked_on: '2026-06-01' }, null, '2026-06-12').overdue).toBe(false);
    expect(visitPlanState({ visit_every_months: null, linked_on: '2026-01-01' }, null, '2026-06-12').next_due).toBeNull();
  });
});

describe('figures', () => {
  const base: ProblemFact = { status: 'closed', received_on: '2026-06-01', assigned_on: '2026-06-01', replied_on: '2026-06-05', closed_on: '2026-06-08', solve_due: '2026-06-10', redo_count: 0, visit_result: 'satisfied', visits: 1 };
  it('computes each rate over its labelled denominator, unrounded until printed', () => {
    const facts: ProblemFact[] = [
      base,
      { ...base, replied_on: '2026-06-12', visit_result: 'basic' }, // late
      { ...base, redo_count: 1, visits: 2, replied_on: '2026-06-09' }, // redone, on time
      { ...base, status: 'in_progress', closed_on: null, visit_result: 'unsatisfied', redo_count: 1, visits: 1 },
      { ...base, status: 'assigned', replied_on: null, closed_on: null, visit_result: null, visits: 0 },
      { ...base, status: 'pending', assigned_on: null, replied_on: null, closed_on: null, visit_result: null, visits: 0 },
    ];
    const f = computeProblemFigures(facts, cal);
    expect(f.accepted).toBe(5);
    expect(f.closed).toBe(3);
    expect(f.closed_rate).toMatchObject({ numerator: 3, denominator: 5, text: '60.0', label: '受理件数' });
    expect(f.on_time_rate).toMatchObject({ numerator: 2, denominator: 3, text: '66.7', label: '已销号件数' });
    expect(f.satisfied_rate).toMatchObject({ numerator: 3, denominator: 4, text: '75.0', label: '已回访件数' });
    expect(f.first_time_rate).toMatchObject({ numerator: 2, denominator: 3, text: '66.7' });
    expect(f.redo_rate).toMatchObject({ numerator: 2, denominator: 4, text: '50.0' });
    // Working days from 交办 (Mon 06-01) to the reply: 4 (06-05), 9 (06-12), 6 (06-09) → 19 / 3 = 6.33…
    expect(f.average_days.total_days).toBe(19);
    expect(f.average_days.text).toBe('6.3');
    expect(computeProblemFigures([], cal).closed_rate.text).toBe('—');
  });
});

describe('the problem light rule', () => {
  const facts: ProjectFacts = { planned_investment: 0, completed_ytd: 0, plan_new_start: false, plan_start_month: null, actual_start_date: null, stats_entered: false, stats_entered_date: null };
  const judge = (month: number, problems: ProjectFacts['problems']) =>
    judgeProject({ facts: { ...facts, problems }, year: 2026, month, rules: DEFAULT_RULE_SET, curve: null }).dimensions.find((d) => d.dimension === 'problems')!;
  const p = { title: '用地指标', received_on: '2026-03-02', due: '2026-03-11', closed_on: null };
  it('lights yellow from a day past the deadline, red from 30, as at the month end; closed or none → not applicable', () => {
    expect(judge(2, [p]).light).toBe('none');
    expect(judge(3, [p])).toMatchObject({ light: 'yellow', rule_id: 'problem-overdue', reason: '1个问题未销号，“用地指标”超过办理时限20天' });
    expect(judge(4, [p]).light).toBe('red');
    expect(judge(4, [{ ...p, closed_on: '2026-04-10' }]).light).toBe('none');
    expect(judge(3, [{ ...p, due: '2026-04-30' }])).toMatchObject({ light: 'green', reason: '1个问题未销号，均在办理时限内' });
  });
});
