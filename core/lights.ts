// Red/yellow/green lights (红黄绿灯), domain.md "Lights". Rules are data (a JSON rule set per year and version);
// this file only interprets them. A light is computed, never typed, and always carries the rule and figures that lit it.
import { compare, formatPercent, fraction, multiply, periodEndExclusive, subtract, timeProgress, toNumber, type Fraction, type TimeCurve } from './indicators.ts';

export const LIGHTS = ['green', 'yellow', 'red'] as const;
export type Light = (typeof LIGHTS)[number];
/** 'none': no rule applies to the project in this dimension (no plan, no planned start, not started …). */
export type LightOrNone = Light | 'none';

export const DIMENSIONS = ['investment', 'start', 'stats', 'problems'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const DIMENSION_LABELS: Record<Dimension, string> = { investment: '投资进度', start: '开工', stats: '入库纳统', problems: '问题办理' };
export const LIGHT_LABELS: Record<LightOrNone, string> = { green: '绿灯', yellow: '黄灯', red: '红灯', none: '不适用' };

/** One rule. `enabled: false` keeps a rule in the set (visible, editable) without applying it. */
export type Rule =
  /** Completion rate vs time progress in points: yellow when yellow_points ≤ shortfall ≤ red_points, red beyond. */
  | { id: string; kind: 'points_gap'; enabled: boolean; yellow_points: number; red_points: number }
  /** Completion rate ÷ time progress: yellow below yellow_below (0.8), red below red_below (0.6). */
  | { id: string; kind: 'ratio'; enabled: boolean; yellow_below: number; red_below: number }
  /** Relative shortfall of the amount against plan × time progress: yellow above yellow_above (0), red above red_above (0.5). */
  | { id: string; kind: 'shortfall'; enabled: boolean; yellow_above: number; red_above: number }
  /** A planned start not started by the end of the month: yellow from yellow_months_late, red from red_months_late. */
  | { id: string; kind: 'start_overdue'; enabled: boolean; yellow_months_late: number; red_months_late: number }
  /** Started but not entered into statistics (入库纳统) yellow_months / red_months after the start month. */
  | { id: string; kind: 'stats_entry'; enabled: boolean; yellow_months: number; red_months: number }
  /**
   * An unresolved problem of the project (问题/诉求, not 销号 by the month's last day) past its deadline then: yellow
   * from yellow_days days overdue, red from red_days (issue 18).
   */
  | { id: string; kind: 'problem_overdue'; enabled: boolean; yellow_days: number; red_days: number }
  /** Escalation: a yellow in `dimension` after (periods − 1) consecutive yellow-or-red periods turns red. */
  | { id: string; kind: 'consecutive'; enabled: boolean; dimension: Dimension; periods: number };

export type RuleKind = Rule['kind'];

/** A rule set: the rules in force for a year from some month on. */
export interface RuleSet {
  rules: Rule[];
}

const KIND_DIMENSION: Record<Exclude<RuleKind, 'consecutive'>, Dimension> = {
  points_gap: 'investment', ratio: 'investment', shortfall: 'investment', start_overdue: 'start', stats_entry: 'stats', problem_overdue: 'problems',
};

/** domain.md's common rules: points gap (ratio and shortfall ready but off), starts, statistics entry, two yellows → red. */
export const DEFAULT_RULE_SET: RuleSet = {
  rules: [
    { id: 'investment-points-gap', kind: 'points_gap', enabled: true, yellow_points: 10, red_points: 30 },
    { id: 'investment-ratio', kind: 'ratio', enabled: false, yellow_below: 0.8, red_below: 0.6 },
    { id: 'investment-shortfall', kind: 'shortfall', enabled: false, yellow_above: 0, red_above: 0.5 },
    { id: 'start-overdue', kind: 'start_overdue', enabled: true, yellow_months_late: 0, red_months_late: 3 },
    { id: 'stats-entry', kind: 'stats_entry', enabled: true, yellow_months: 1, red_months: 2 },
    { id: 'problem-overdue', kind: 'problem_overdue', enabled: true, yellow_days: 1, red_days: 30 },
    { id: 'investment-two-yellows', kind: 'consecutive', enabled: true, dimension: 'investment', periods: 2 },
  ],
};

/** Checks a rule set's meaning beyond its shape: unique ids and ordered thresholds. A Chinese message or undefined. */
export function checkRuleSet(set: RuleSet): string | undefined {
  const ids = new Set<string>();
  for (const r of set.rules) {
    if (ids.has(r.id)) return `规则编号重复：${r.id}`;
    ids.add(r.id);
    switch (r.kind) {
      case 'points_gap': if (r.red_points < r.yellow_points) return `规则 ${r.id}：红灯阈值须不小于黄灯阈值`; break;
      case 'ratio': if (r.red_below > r.yellow_below) return `规则 ${r.id}：红灯比例须不大于黄灯比例`; break;
      case 'shortfall': if (r.red_above < r.yellow_above) return `规则 ${r.id}：红灯缺口须不小于黄灯缺口`; break;
      case 'start_overdue': if (r.red_months_late < r.yellow_months_late) return `规则 ${r.id}：红灯月数须不小于黄灯月数`; break;
      case 'stats_entry': if (r.red_months < r.yellow_months) return `规则 ${r.id}：红灯月数须不小于黄灯月数`; break;
      case 'problem_overdue': if (r.red_days < r.yellow_days) return `规则 ${r.id}：红灯天数须不小于黄灯天数`; break;
      case 'consecutive': if (r.periods < 2) return `规则 ${r.id}：连续期数至少为 2`; break;
    }
  }
  return undefined;
}

/** What the rules look at for one project in one period. */
export interface ProjectFacts {
  planned_investment: number;
  /** 1–N月 cumulative completed investment at the judged month. */
  completed_ytd: number;
  plan_new_start: boolean;
  plan_start_month: number | null;
  actual_start_date: string | null;
  stats_entered: boolean;
  stats_entered_date: string | null;
  /** Nobody has said whether it is 入库纳统 (its list had no such column): the statistics light is not judged. */
  stats_unknown?: boolean;
  /**
   * The first month of the year whose completed investment Docket holds (an office's first list imported with
   * 1–N月累计 only: N). Before it the figure is unknown, not zero, so the investment light is not judged.
   */
  records_from?: number | null;
  /** The project's problems (rejected ones left out): absent or empty → the problem rule does not apply. */
  problems?: readonly ProjectProblemFact[];
}

/** What the problem rule needs of one problem of the project. */
export interface ProjectProblemFact {
  title: string;
  received_on: string;
  /** The deadline it is held to (solve, else route); 'YYYY-MM-DD'. */
  due: string;
  closed_on: string | null;
}

/** An accepted excuse (正当理由) in force for the period. */
export interface Excuse {
  id: number;
  dimension: Dimension | null;
  reason: string;
  accepted_by_name: string;
  accepted_at: string;
}

/** One dimension's light with the rule that lit it and the figures it looked at. */
export interface DimensionLight {
  dimension: Dimension;
  light: LightOrNone;
  /** The light before an excuse suppressed it (equal to light when none did). */
  computed_light: LightOrNone;
  rule_id: string | null;
  rule_kind: RuleKind | null;
  reason: string;
  figures: Record<string, number | string | null>;
  escalated: boolean;
  excuse: Excuse | null;
}

/** A project's lights for a period: per dimension and overall (the worst). */
export interface ProjectLights {
  overall: LightOrNone;
  dimensions: DimensionLight[];
}

const RANK: Record<LightOrNone, number> = { none: 0, green: 1, yellow: 2, red: 3 };

/** The worse of two lights. */
export function worse(a: LightOrNone, b: LightOrNone): LightOrNone {
  return RANK[b] > RANK[a] ? b : a;
}

/** A decimal threshold (up to 4 decimals) as an exact fraction. */
function dec(x: number): Fraction {
  return fraction(Math.round(x * 10_000), 10_000)!;
}

const HUNDRED: Fraction = { num: 100n, den: 1n };

/** Whole months from (year, month) of a 'YYYY-MM-DD' date to (year, month). */
function monthsSince(dateText: string, year: number, month: number): number {
  const y = Number(dateText.slice(0, 4));
  const m = Number(dateText.slice(5, 7));
  return year * 12 + month - (y * 12 + m);
}

/** The day n calendar days after a 'YYYY-MM-DD' day. */
function addDaysUtc(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Calendar days from a to b (negative when b is earlier). */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

interface Verdict {
  light: Light;
  reason: string;
  figures: Record<string, number | string | null>;
}

/** One rule applied to the facts; undefined when it does not apply. */
function applyRule(rule: Exclude<Rule, { kind: 'consecutive' }>, f: ProjectFacts, year: number, month: number, curve: TimeCurve | null): Verdict | undefined {
  const end = periodEndExclusive(year, month);
  const started = f.actual_start_date !== null && f.actual_start_date < end;
  switch (rule.kind) {
    case 'problem_overdue': {
      const open = (f.problems ?? []).filter((p) => p.received_on < end && (p.closed_on === null || p.closed_on >= end));
      if (open.length === 0) return undefined;
      // Judged as at the month's last day, as the other duration rules are; computed only for a project with open
      // problems (few), since the date arithmetic was 2% of a re-judging's CPU when run for every project (issue 23).
      const last = addDaysUtc(end, -1);
      let worst: ProjectProblemFact | undefined;
      let days = 0;
      for (const p of open) {
        const d = daysBetween(p.due, last);
        if (d > days) [worst, days] = [p, d];
      }
      const light: Light = worst && days >= rule.red_days ? 'red' : worst && days >= rule.yellow_days ? 'yellow' : 'green';
      const reason = worst ? `${open.length}个问题未销号，“${worst.title}”超过办理时限${days}天` : `${open.length}个问题未销号，均在办理时限内`;
      return { light, reason, figures: { open_problems: open.length, days_overdue: days } };
    }
    case 'points_gap':
    case 'ratio':
    case 'shortfall': {
      const completion = fraction(f.completed_ytd, f.planned_investment);
      if (!completion || f.planned_investment <= 0) return undefined;
      const tp = timeProgress(month, curve);
      const figures = {
        planned_investment: f.planned_investment, completed_ytd: f.completed_ytd,
        completion_rate: toNumber(completion), completion_rate_text: formatPercent(completion),
        time_progress: toNumber(tp), time_progress_text: formatPercent(tp),
      };
      if (rule.kind === 'points_gap') {
        const below = multiply(subtract(tp, completion), HUNDRED); // points below time progress
        const text = formatPercent(subtract(tp, completion));
        const light: Light = compare(below, dec(rule.red_points)) > 0 ? 'red' : compare(below, dec(rule.yellow_points)) >= 0 ? 'yellow' : 'green';
        const reason = below.num > 0n ? `完成率${figures.completion_rate_text}%，低于序时进度${text}个百分点` : `完成率${figures.completion_rate_text}%，不低于序时进度`;
        return { light, reason, figures: { ...figures, points_below: toNumber(below), points_below_text: text } };
      }
      if (rule.kind === 'ratio') {
        const ratio = tp.num === 0n ? null : { num: completion.num * tp.den, den: completion.den * tp.num };
        if (!ratio) return undefined;
        const light: Light = compare(ratio, dec(rule.red_below)) < 0 ? 'red' : compare(ratio, dec(rule.yellow_below)) < 0 ? 'yellow' : 'green';
        return { light, reason: `完成率为序时进度的${formatPercent(ratio)}%`, figures: { ...figures, ratio: toNumber(ratio), ratio_text: formatPercent(ratio) } };
      }
      // Shortfall of the amount against the time-proportional plan: (plan × tp − completed) ÷ (plan × tp).
      const expected = multiply({ num: BigInt(f.planned_investment), den: 1n }, tp);
      if (expected.num === 0n) return undefined;
      const gap = subtract(expected, { num: BigInt(f.completed_ytd), den: 1n });
      const shortfall = { num: gap.num * expected.den, den: gap.den * expected.num };
      const light: Light = compare(shortfall, dec(rule.red_above)) > 0 ? 'red' : compare(shortfall, dec(rule.yellow_above)) > 0 ? 'yellow' : 'green';
      const reason = shortfall.num > 0n ? `较序时计划投资少完成${formatPercent(shortfall)}%` : '完成投资不低于序时计划';
      return { light, reason, figures: { ...figures, expected_to_date: toNumber(expected), shortfall: toNumber(shortfall), shortfall_text: formatPercent(shortfall) } };
    }
    case 'start_overdue': {
      if (!f.plan_new_start || f.plan_start_month === null || f.plan_start_month > month || started) return undefined;
      const late = month - f.plan_start_month;
      const light: Light = late >= rule.red_months_late ? 'red' : late >= rule.yellow_months_late ? 'yellow' : 'green';
      const reason = late === 0 ? `计划${f.plan_start_month}月开工，本月未开工` : `计划${f.plan_start_month}月开工，已逾期${late}个月未开工`;
      return { light, reason, figures: { plan_start_month: f.plan_start_month, months_late: late } };
    }
    case 'stats_entry': {
      if (!started) return undefined;
      const entered = f.stats_entered && (f.stats_entered_date === null || f.stats_entered_date < end);
      if (entered) return { light: 'green', reason: '已入库纳统', figures: { actual_start_date: f.actual_start_date } };
      const months = monthsSince(f.actual_start_date!, year, month);
      const light: Light = months >= rule.red_months ? 'red' : months >= rule.yellow_months ? 'yellow' : 'green';
      return { light, reason: `开工${months}个月仍未入库纳统`, figures: { actual_start_date: f.actual_start_date, months_since_start: months } };
    }
  }
}

/**
 * A project's lights for (year, month) under a rule set. `history[d]` lists the same dimension's lights (after
 * excuses, before escalation) for the preceding periods, most recent first; `excuses` are those in force.
 */
export function judgeProject(input: {
  facts: ProjectFacts;
  year: number;
  month: number;
  rules: RuleSet;
  curve: TimeCurve | null;
  history?: Partial<Record<Dimension, LightOrNone[]>>;
  excuses?: Excuse[];
}): ProjectLights {
  const { facts, year, month, rules, curve } = input;
  const dimensions: DimensionLight[] = [];
  for (const dimension of DIMENSIONS) {
    let best: DimensionLight = { dimension, light: 'none', computed_light: 'none', rule_id: null, rule_kind: null, reason: '不适用', figures: {}, escalated: false, excuse: null };
    if (dimension === 'investment' && facts.records_from && month < facts.records_from) {
      dimensions.push({ ...best, reason: `${facts.records_from}月前的完成投资未纳入系统（导入的是1–${facts.records_from}月累计），不评价` });
      continue;
    }
    if (dimension === 'stats' && facts.stats_unknown && !facts.stats_entered) {
      dimensions.push({ ...best, reason: '导入的清单未载明是否入库纳统，纳统情况未知，不评价（在项目中填写后评价）' });
      continue;
    }
    for (const rule of rules.rules) {
      if (!rule.enabled || rule.kind === 'consecutive' || KIND_DIMENSION[rule.kind] !== dimension) continue;
      const v = applyRule(rule, facts, year, month, curve);
      if (!v) continue;
      // The worst verdict wins; among equals the first rule in the set names the reason.
      if (best.rule_id === null || RANK[v.light] > RANK[best.light]) {
        best = { ...best, light: v.light, computed_light: v.light, rule_id: rule.id, rule_kind: rule.kind, reason: v.reason, figures: v.figures };
      }
    }
    for (const rule of rules.rules) {
      if (!rule.enabled || rule.kind !== 'consecutive' || rule.dimension !== dimension || best.light !== 'yellow') continue;
      const previous = (input.history?.[dimension] ?? []).slice(0, rule.periods - 1);
      if (previous.length === rule.periods - 1 && previous.every((l) => l === 'yellow' || l === 'red')) {
        best = {
          ...best, light: 'red', computed_light: 'red', escalated: true, rule_id: rule.id, rule_kind: rule.kind,
          reason: `连续${rule.periods}期黄灯升为红灯（本期：${best.reason}）`, figures: { ...best.figures, consecutive_periods: rule.periods },
        };
      }
    }
    const excuse = (input.excuses ?? []).find((e) => e.dimension === null || e.dimension === dimension);
    if (excuse && (best.light === 'yellow' || best.light === 'red')) {
      best = { ...best, light: 'green', excuse, reason: `已认定正当理由（${excuse.reason}），原为${LIGHT_LABELS[best.computed_light]}：${best.reason}` };
    }
    dimensions.push(best);
  }
  return { overall: dimensions.reduce<LightOrNone>((acc, d) => worse(acc, d.light), 'none'), dimensions };
}
