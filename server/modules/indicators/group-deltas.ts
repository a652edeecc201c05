import { monthStart, periodEndExclusive } from '../../../core/indicators.ts';
import { PLAN_MONTH_COLUMNS, type PlanMonthColumn } from '../../db/schema.ts';
import { SUM_FIELDS, YTD_COLUMNS, type SumField, type YtdColumn } from './indicator.repository.ts';

// Group deltas (issue 23): a bulk write moves each changed project's contribution between indicator_groups rows —
// what its old facts added is taken away, what its new facts add is added — instead of recomputing the year's
// groups from every fact. The contribution of one fact row to one month's group row is computed here in
// TypeScript; it must mean exactly what sumSelections (indicator.repository.ts) sums in SQL for the recomputation.
// indicator-deltas.property.test.ts compares the two on both engines over random facts and writes.

/** The group attributes of a fact (and of its group rows). */
export interface GroupAttributes {
  group_key: string;
  region_code: string;
  unit_id: number;
  stage: string;
  nature: string | null;
  category: string | null;
  investment_type: string | null;
}

/** One stored or recomputed indicator_facts row, as the deltas read it. */
export type DeltaFact = GroupAttributes & {
  project_id: number;
  year: number;
  total_investment: number;
  planned_investment: number;
  completed_before_year: number;
  plan_new_start: number;
  plan_start_month: number | null;
  plan_completion: number;
  plan_completion_month: number | null;
  plan_production: number;
  plan_production_month: number | null;
  actual_start_date: string | null;
  actual_completion_date: string | null;
  actual_production_date: string | null;
} & Record<YtdColumn, number> & Record<PlanMonthColumn, number | null>;

/** The columns of one month in a group's accumulator: the additive sums, then Σ each month's cumulative. */
const DELTA_COLUMNS = [...SUM_FIELDS, ...YTD_COLUMNS] as const;

/**
 * The sums that are the same in every month of a year (a project's count, money and plan flags): stored once in a
 * group's yearly row. Every other sum compares with the month's end or cumulative and is stored per month.
 */
export const YEAR_SUMS = [
  'count', 'total_investment', 'planned_investment', 'completed_before_year', 'planned_starts', 'planned_completions',
  'planned_productions', 'monthly_planned',
] as const satisfies readonly SumField[];
/** The sums stored once per month in a group's yearly row. */
export const MONTH_SUMS = SUM_FIELDS.filter((f): f is Exclude<SumField, (typeof YEAR_SUMS)[number]> => !(YEAR_SUMS as readonly string[]).includes(f));
export type MonthSum = (typeof MONTH_SUMS)[number];

/** The column of a yearly group row holding a monthly sum for month 1–12 (`started_to_date_m11`). */
export function monthColumn(field: SumField, month: number): string {
  if (!(YEAR_SUMS as readonly string[]).includes(field)) {
    if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`month out of range: ${month}`);
    return `${field}_m${String(month).padStart(2, '0')}`;
  }
  return field;
}

/**
 * The sum columns of a yearly indicator_groups row, in order: the year's sums, each month's sums (month by month),
 * then Σ each month's 1–N月 cumulative (the trend).
 */
export const GROUP_SUM_COLUMNS: readonly string[] = [
  ...YEAR_SUMS,
  ...Array.from({ length: 12 }, (_, i) => MONTH_SUMS.map((f) => monthColumn(f, i + 1))).flat(),
  ...YTD_COLUMNS,
];

/** Columns of one month in a group's accumulator; a group holds twelve months of them. */
const WIDTH = DELTA_COLUMNS.length;
const SUMS = SUM_FIELDS.length;
/** Each DELTA_COLUMNS column's offset within a month. */
const AT = Object.fromEntries(DELTA_COLUMNS.map((c, i) => [c, i])) as Record<(typeof DELTA_COLUMNS)[number], number>;

/** Per year, the dates the sums compare with: month ends (exclusive) and plan months' first and next-first days. */
interface YearDates {
  end: string[];
  planStart: string[];
  planNext: string[];
}
const yearDates = new Map<number, YearDates>();
function datesOf(year: number): YearDates {
  let d = yearDates.get(year);
  if (!d) {
    const months = Array.from({ length: 13 }, (_, m) => m);
    d = {
      end: months.map((m) => (m ? periodEndExclusive(year, m) : '')),
      planStart: months.map((m) => (m ? monthStart(year, m) : '')),
      planNext: months.map((m) => (m ? periodEndExclusive(year, m) : '')),
    };
    yearDates.set(year, d);
  }
  return d;
}

/** planMonthDate's CASE: the date for a plan month of 1–12, null for any other value (or none). */
function planMonthDate(table: string[], month: number | null): string | null {
  return month !== null && Number.isInteger(month) && month >= 1 && month <= 12 ? table[month]! : null;
}

/**
 * Adds `sign` times what one fact row adds to its group's row of each month of its year into `t` (twelve months of
 * DELTA_COLUMNS), exactly as sumSelections and the recomputation's Σ of the cumulatives compute them for a group
 * of that one row: SQL's comparisons with NULL are false, coalesce(month, 12), plan months outside 1–12 match no
 * CASE branch. Returns the largest magnitude added (what bounds the accumulated sums).
 */
function accumulate(f: DeltaFact, sign: 1 | -1, t: Float64Array): number {
  const { end, planStart, planNext } = datesOf(f.year);
  const startMonth = f.plan_start_month ?? 12;
  const doneMonth = f.plan_completion_month ?? 12;
  const prodMonth = f.plan_production_month ?? 12;
  const sd = f.actual_start_date;
  const cd = f.actual_completion_date;
  const pd = f.actual_production_date;
  const ns = Number(f.plan_new_start) === 1;
  const pc = Number(f.plan_completion) === 1;
  const pp = Number(f.plan_production) === 1;
  const early = planMonthDate(planStart, f.plan_start_month);
  const late = planMonthDate(planNext, f.plan_start_month);
  const isEarly = ns && sd !== null && early !== null && sd < early;
  const isLate = ns && sd !== null && late !== null && sd >= late;
  // The fact's columns read once: the loop below runs twelve times over them.
  const ytds = new Float64Array(12);
  const plan = new Float64Array(12);
  let hasMonthlyPlan = false;
  let planAbs = 0;
  let bound = Math.max(1, Math.abs(f.total_investment), Math.abs(f.planned_investment), Math.abs(f.completed_before_year));
  for (let i = 0; i < 12; i++) {
    const y = f[YTD_COLUMNS[i]!];
    ytds[i] = y;
    bound = Math.max(bound, Math.abs(y));
    const v = f[PLAN_MONTH_COLUMNS[i]!];
    if (v !== null) {
      hasMonthlyPlan = true;
      plan[i] = v;
      planAbs += Math.abs(v);
    }
  }
  bound = Math.max(bound, planAbs);
  const total = sign * f.total_investment;
  const planned = sign * f.planned_investment;
  const before = sign * f.completed_before_year;
  const b = (x: boolean) => (x ? sign : 0);
  let plannedToDate = 0;
  for (let n = 1; n <= 12; n++) {
    const o = (n - 1) * WIDTH;
    const e = end[n]!;
    const ytd = ytds[n - 1]!;
    plannedToDate += plan[n - 1]!;
    const started = sd !== null && sd < e;
    const completed = cd !== null && cd < e;
    const producing = pd !== null && pd < e;
    t[o + AT.count]! += sign;
    t[o + AT.total_investment]! += total;
    t[o + AT.planned_investment]! += planned;
    t[o + AT.completed_before_year]! += before;
    t[o + AT.completed_ytd]! += sign * ytd;
    t[o + AT.planned_starts]! += b(ns);
    t[o + AT.planned_starts_to_date]! += b(ns && startMonth <= n);
    t[o + AT.started]! += b(ns && started);
    t[o + AT.started_to_date]! += b(ns && startMonth <= n && started);
    t[o + AT.early_starts]! += b(isEarly && started);
    t[o + AT.overdue_starts]! += b(ns && startMonth <= n && (sd === null || sd >= e));
    t[o + AT.late_starts]! += b(isLate && started);
    t[o + AT.planned_completions]! += b(pc);
    t[o + AT.planned_completions_to_date]! += b(pc && doneMonth <= n);
    t[o + AT.completed]! += b(pc && completed);
    t[o + AT.completed_to_date]! += b(pc && doneMonth <= n && completed);
    t[o + AT.planned_productions]! += b(pp);
    t[o + AT.planned_productions_to_date]! += b(pp && prodMonth <= n);
    t[o + AT.producing]! += b(pp && producing);
    t[o + AT.producing_to_date]! += b(pp && prodMonth <= n && producing);
    t[o + AT.monthly_planned]! += b(hasMonthlyPlan);
    if (hasMonthlyPlan) {
      t[o + AT.planned_to_date]! += sign * plannedToDate;
      t[o + AT.completed_ytd_monthly_planned]! += sign * ytd;
    }
    for (let i = 0; i < 12; i++) t[o + SUMS + i]! += sign * ytds[i]!;
  }
  return bound;
}

/** One group of a year: its attributes and the deltas of its twelve month rows. */
interface GroupAccumulator extends GroupAttributes {
  year: number;
  /** Twelve months × DELTA_COLUMNS. */
  values: Float64Array;
  /** Σ of the magnitudes added in: while below 2^53 every value is exact in a double. */
  bound: number;
}

/** One yearly group row's delta: the group of a year and what to add to each GROUP_SUM_COLUMNS column. */
export interface GroupDelta extends GroupAttributes {
  year: number;
  values: number[];
}

/** Each GROUP_SUM_COLUMNS column's offset in a group's accumulator (a year sum and the trend: month 1's). */
const SOURCE = GROUP_SUM_COLUMNS.map((c) => {
  const m = /^(.*)_m(\d\d)$/.exec(c);
  const field = (m ? m[1] : c) as (typeof DELTA_COLUMNS)[number];
  return (m ? Number(m[2]) - 1 : 0) * WIDTH + AT[field];
});

/**
 * The group deltas of a bulk write, accumulated over its chunks. A chunk's deltas only record the fact rows taken
 * away and added (cheap, inside the chunk's transaction); merging them into the write's accumulation, once the
 * chunk committed, computes their contributions. Also records the rollup epoch each chunk saw
 * (IndicatorGroupRepository.epoch): a recomputation of groups from the facts between the first chunk and the
 * deltas' application already counts some of them, and the deltas then give way to recomputing the touched groups.
 */
export class GroupDeltas {
  private readonly groups = new Map<string, GroupAccumulator>();
  private readonly pending: { fact: DeltaFact; sign: 1 | -1 | 0 }[] = [];
  readonly epochs = new Set<number>();

  /**
   * Records that a fact row's contributions are taken away (sign -1) or added (sign 1) to its group's twelve month
   * rows; sign 0 only marks the group as touched (for a caller that recomputes the touched groups instead).
   */
  add(fact: DeltaFact, sign: 1 | -1 | 0): void {
    this.pending.push({ fact, sign });
  }

  private groupOf(f: GroupAttributes & { year: number }): GroupAccumulator {
    const id = `${f.year}\u001f${f.group_key}`;
    let g = this.groups.get(id);
    if (!g) {
      g = {
        year: f.year, group_key: f.group_key, region_code: f.region_code, unit_id: f.unit_id, stage: f.stage, nature: f.nature,
        category: f.category, investment_type: f.investment_type, values: new Float64Array(12 * WIDTH), bound: 0,
      };
      this.groups.set(id, g);
    }
    return g;
  }

  private flush(): void {
    for (const { fact, sign } of this.pending) {
      const g = this.groupOf(fact);
      if (sign !== 0) g.bound += accumulate(fact, sign, g.values);
    }
    this.pending.length = 0;
  }

  /** Adds another accumulation (a committed chunk's) into this one. */
  merge(other: GroupDeltas): void {
    this.flush();
    for (const e of other.epochs) this.epochs.add(e);
    for (const { fact, sign } of other.pending) {
      const g = this.groupOf(fact);
      if (sign !== 0) g.bound += accumulate(fact, sign, g.values);
    }
    for (const o of other.groups.values()) {
      const g = this.groupOf(o);
      for (let i = 0; i < o.values.length; i++) g.values[i]! += o.values[i]!;
      g.bound += o.bound;
    }
  }

  /** The years and group keys touched (what a recomputation falls back to). */
  touched(): Map<number, Set<string>> {
    this.flush();
    const out = new Map<number, Set<string>>();
    for (const g of this.groups.values()) {
      let keys = out.get(g.year);
      if (!keys) out.set(g.year, (keys = new Set()));
      keys.add(g.group_key);
    }
    return out;
  }

  /** Whether every accumulated value is exact (each is a sum of terms whose magnitudes add up below 2^53). */
  exact(): boolean {
    this.flush();
    for (const g of this.groups.values()) if (g.bound > Number.MAX_SAFE_INTEGER) return false;
    return true;
  }

  /** The years with a delta, in order. */
  years(): number[] {
    this.flush();
    return [...new Set([...this.groups.values()].map((g) => g.year))].sort((a, b) => a - b);
  }

  /**
   * The yearly row deltas of a year that change something. The year's sums and the trend are added alike to every
   * month of the accumulator, so month 1's stand for the year.
   */
  nonZero(year: number): GroupDelta[] {
    this.flush();
    const out: GroupDelta[] = [];
    for (const g of this.groups.values()) {
      if (g.year !== year) continue;
      const values = SOURCE.map((i) => g.values[i]!);
      if (values.every((v) => v === 0)) continue;
      out.push({
        year, group_key: g.group_key, region_code: g.region_code, unit_id: g.unit_id, stage: g.stage, nature: g.nature,
        category: g.category, investment_type: g.investment_type, values,
      });
    }
    return out;
  }
}
