// The indicator math of domain.md ("Indicators"): exact and pure. Money is integer yuan; every rate is kept as an
// exact fraction of integers (bigint, since amount × denominator can pass 2^53) and rounded only when printed.

/** An exact fraction num/den with den > 0. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

/** num/den as a fraction, or null when the denominator is zero (a rate over nothing is not 0%). */
export function fraction(num: number | bigint, den: number | bigint): Fraction | null {
  const n = BigInt(num);
  const d = BigInt(den);
  if (d === 0n) return null;
  return d < 0n ? { num: -n, den: -d } : { num: n, den: d };
}

/** a − b, exactly. */
export function subtract(a: Fraction, b: Fraction): Fraction {
  return { num: a.num * b.den - b.num * a.den, den: a.den * b.den };
}

/** a ÷ b, exactly; null when b is zero. */
export function divide(a: Fraction, b: Fraction): Fraction | null {
  return fraction(a.num * b.den, a.den * b.num);
}

/** a × b, exactly. */
export function multiply(a: Fraction, b: Fraction): Fraction {
  return { num: a.num * b.num, den: a.den * b.den };
}

/** Compares two fractions: negative, zero or positive like a sort comparator. */
export function compare(a: Fraction, b: Fraction): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The unrounded value as a JS number (for JSON and charts; never used to compute another figure). */
export function toNumber(f: Fraction | null): number | null {
  return f === null ? null : Number(f.num) / Number(f.den);
}

/**
 * f × 100 rounded half away from zero to `digits` decimals, as text: a rate in percent ("45.5") or a gap in
 * percentage points ("3.9", "-12.0"). The only rounding Docket does, always from the exact fraction.
 */
export function formatPercent(f: Fraction | null, digits = 1): string {
  if (f === null) return '—';
  const scale = 10n ** BigInt(digits);
  const negative = f.num < 0n;
  const abs = negative ? -f.num : f.num;
  const scaled = (abs * 100n * scale * 2n + f.den) / (2n * f.den); // round half up on the magnitude
  const whole = scaled / scale;
  const frac = (scaled % scale).toString().padStart(digits, '0');
  const text = digits > 0 ? `${whole}.${frac}` : `${whole}`;
  return negative && scaled !== 0n ? `-${text}` : text;
}

/** A custom time-progress curve: cumulative percent reached by the end of each month, 12 values, up to 2 decimals. */
export type TimeCurve = readonly number[];

/** Checks a curve: 12 non-decreasing values in 0..100 ending at 100. Returns a Chinese message or undefined. */
export function checkTimeCurve(curve: TimeCurve): string | undefined {
  if (curve.length !== 12) return '序时进度曲线须有 12 个月的累计百分比';
  for (const [i, v] of curve.entries()) {
    if (!Number.isFinite(v) || v < 0 || v > 100) return `第 ${i + 1} 个月的累计百分比须在 0 到 100 之间`;
    if (Math.round(v * 100) !== Math.round(v * 100 * 1e6) / 1e6) return `第 ${i + 1} 个月的累计百分比最多两位小数`;
    if (i > 0 && v < curve[i - 1]!) return '序时进度曲线须逐月不减';
  }
  if (curve[11] !== 100) return '序时进度曲线 12 月须为 100';
  return undefined;
}

/** Time progress (序时进度) after month N: N/12 by default, or the office's cumulative curve for the year. */
export function timeProgress(month: number, curve?: TimeCurve | null): Fraction {
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`month out of range: ${month}`);
  if (curve) return { num: BigInt(Math.round(curve[month - 1]! * 100)), den: 10_000n };
  return { num: BigInt(month), den: 12n };
}

/** The period's label: '1–N月', '1月' for January alone. A merged January–February period reads '1–2月' too. */
export function periodLabel(month: number): string {
  return month === 1 ? '1月' : `1–${month}月`;
}

/** Additive sums over a set of projects for year Y, period 1–N月. Every field adds up across groups. */
export interface IndicatorSums {
  count: number;
  total_investment: number;
  planned_investment: number;
  completed_before_year: number;
  /** Σ 1–N月 cumulative completed investment (each project's latest counted report up to month N). */
  completed_ytd: number;
  /** Planned new starts (计划新开工) for the whole year, and those planned up to month N. */
  planned_starts: number;
  planned_starts_to_date: number;
  /** Of planned_starts / planned_starts_to_date, those started by the end of month N. */
  started: number;
  started_to_date: number;
  /** Planned starts that started before their planned month (提前开工). */
  early_starts: number;
  /** Planned up to month N and not started by its end (逾期未开工). */
  overdue_starts: number;
  /** Started by the end of month N but after the planned month (延期开工). */
  late_starts: number;
  planned_completions: number;
  planned_completions_to_date: number;
  completed: number;
  completed_to_date: number;
  planned_productions: number;
  planned_productions_to_date: number;
  producing: number;
  producing_to_date: number;
  /** Projects with a month-by-month plan (计划完成表), Σ their plan for 1–N月 and Σ their 1–N月 completion. */
  monthly_planned: number;
  planned_to_date: number;
  completed_ytd_monthly_planned: number;
  by_stage: Record<string, number>;
}

/** Sums with every count zero. */
export function emptySums(): IndicatorSums {
  return {
    count: 0, total_investment: 0, planned_investment: 0, completed_before_year: 0, completed_ytd: 0,
    planned_starts: 0, planned_starts_to_date: 0, started: 0, started_to_date: 0, early_starts: 0, overdue_starts: 0, late_starts: 0,
    planned_completions: 0, planned_completions_to_date: 0, completed: 0, completed_to_date: 0,
    planned_productions: 0, planned_productions_to_date: 0, producing: 0, producing_to_date: 0,
    monthly_planned: 0, planned_to_date: 0, completed_ytd_monthly_planned: 0, by_stage: {},
  };
}

/** a + b, field by field (sums are additive across disjoint groups). */
export function addSums(a: IndicatorSums, b: IndicatorSums): IndicatorSums {
  const out = emptySums();
  for (const key of Object.keys(out) as (keyof IndicatorSums)[]) {
    if (key === 'by_stage') continue;
    out[key] = a[key] + b[key];
  }
  for (const s of [a.by_stage, b.by_stage]) for (const [stage, n] of Object.entries(s)) out.by_stage[stage] = (out.by_stage[stage] ?? 0) + n;
  return out;
}

/** A rate with its exact value, its printed form and what it divides. */
export interface Rate {
  /** Unrounded fraction (0.4554 = 45.54%), null when the denominator is 0. */
  value: number | null;
  /** One decimal, percent, e.g. '45.5'; '—' when undefined. */
  text: string;
  numerator: number;
  denominator: number;
  /** Which denominator this rate uses, as printed in a bulletin. */
  label: string;
}

function rate(numerator: number, denominator: number, label: string): Rate {
  const f = fraction(numerator, denominator);
  return { value: toNumber(f), text: formatPercent(f), numerator, denominator, label };
}

/** The indicators a bulletin prints for a scope and period. */
export interface Indicators {
  year: number;
  month: number;
  period_label: string;
  sums: IndicatorSums;
  completion_rate: Rate;
  time_progress: { value: number; text: string; source: 'default' | 'curve' };
  /** completion rate − time progress, in percentage points (positive = ahead, 高于序时进度). */
  gap_points: { value: number | null; text: string };
  start_rate: { whole_year: Rate; to_date: Rate };
  completion_plan_rate: { whole_year: Rate; to_date: Rate };
  production_rate: { whole_year: Rate; to_date: Rate };
  /**
   * Completion against the month-by-month plan up to month N ("完成1–4月投资计划的132.1%"), over the projects that
   * have one (null rate when none has).
   */
  plan_to_date_rate: Rate;
  /**
   * Set when the period ends before the year's recorded progress begins (an office's first list carried only 1–N月
   * cumulative figures): the investment figures are unknown, not 0% (unrecordedIndicators).
   */
  unrecorded?: { records_from: number; text: string };
}

/** Derives every rate from the sums, exactly, for period 1–N月 of the year. */
export function computeIndicators(year: number, month: number, sums: IndicatorSums, curve?: TimeCurve | null): Indicators {
  const tp = timeProgress(month, curve);
  const completion = fraction(sums.completed_ytd, sums.planned_investment);
  const gap = completion ? subtract(completion, tp) : null;
  const label = periodLabel(month);
  return {
    year, month, period_label: label, sums,
    completion_rate: rate(sums.completed_ytd, sums.planned_investment, `完成年度计划投资`),
    time_progress: { value: toNumber(tp)!, text: formatPercent(tp), source: curve ? 'curve' : 'default' },
    gap_points: { value: gap ? toNumber({ num: gap.num * 100n, den: gap.den }) : null, text: formatPercent(gap) },
    start_rate: {
      whole_year: rate(sums.started, sums.planned_starts, '开工率（按全年计划新开工项目）'),
      to_date: rate(sums.started_to_date, sums.planned_starts_to_date, `开工率（按${label}计划新开工项目）`),
    },
    completion_plan_rate: {
      whole_year: rate(sums.completed, sums.planned_completions, '竣工率（按全年计划竣工项目）'),
      to_date: rate(sums.completed_to_date, sums.planned_completions_to_date, `竣工率（按${label}计划竣工项目）`),
    },
    production_rate: {
      whole_year: rate(sums.producing, sums.planned_productions, '投产率（按全年计划投产项目）'),
      to_date: rate(sums.producing_to_date, sums.planned_productions_to_date, `投产率（按${label}计划投产项目）`),
    },
    plan_to_date_rate: rate(sums.completed_ytd_monthly_planned, sums.planned_to_date, `完成${label}投资计划（${sums.monthly_planned}个有分月计划的项目）`),
  };
}

/**
 * The indicators of a period 1–m that ends before month N, the year's first month with recorded progress (an imported
 * 1–N月 list, docs/indicators.md): the completion rate, the gap to time progress and the month-plan rate are unknown
 * ('—', null), not 0%, and `unrecorded` says why. Start, completion and production rates read dates and stay.
 */
export function unrecordedIndicators(ind: Indicators, recordsFrom: number | null): Indicators {
  if (!recordsFrom || ind.month >= recordsFrom) return ind;
  const unknown = (r: Rate): Rate => ({ ...r, value: null, text: '—' });
  return {
    ...ind,
    completion_rate: unknown(ind.completion_rate),
    gap_points: { value: null, text: '—' },
    plan_to_date_rate: unknown(ind.plan_to_date_rate),
    unrecorded: { records_from: recordsFrom, text: `1–${recordsFrom}月累计数据自${recordsFrom}月起录入，${ind.period_label}完成投资未纳入系统` },
  };
}

/** The sentence a bulletin prints for the gap: '高于序时进度3.9个百分点' / '低于…' / '与序时进度持平'. */
export function describeGap(completion: Fraction | null, tp: Fraction): string {
  if (!completion) return '无年度计划投资';
  const gap = subtract(completion, tp);
  const text = formatPercent(gap);
  if (text === '0.0') return '与序时进度持平';
  return gap.num > 0n ? `高于序时进度${text}个百分点` : `低于序时进度${text.slice(1)}个百分点`;
}

/** First day of the month after (year, month), 'YYYY-MM-DD': dates before it fall within 1–N月. */
export function periodEndExclusive(year: number, month: number): string {
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/** First day of (year, month), 'YYYY-MM-DD'. */
export function monthStart(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

/**
 * Each month's 1–N月 cumulative from a year's counted reports: the latest report at or before the month carries
 * forward (a project that skipped a month keeps its cumulative), 0 before the first report.
 */
export function carryForwardYtd(reports: readonly { month: number; amount_ytd: number }[]): number[] {
  const byMonth = new Map(reports.map((r) => [r.month, r.amount_ytd]));
  const out: number[] = [];
  let last = 0;
  for (let m = 1; m <= 12; m++) {
    last = byMonth.get(m) ?? last;
    out.push(last);
  }
  return out;
}
