import { monthStart, periodEndExclusive } from '../../../core/indicators.ts';
import { PLAN_MONTH_COLUMNS, type PlanMonthColumn } from '../projects/project.repository.ts';
import { SUM_FIELDS, YTD_COLUMNS, type YtdColumn } from './indicator.repository.ts';

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

/** The columns a delta carries, in order: the additive sums, then Σ each month's cumulative. */
export const DELTA_COLUMNS = [...SUM_FIELDS, ...YTD_COLUMNS] as const;

/** SQL's `a < b` on two nullable texts, as a CASE WHEN sees it: false when either is null. */
const lt = (a: string | null, b: string | null): boolean => a !== null && b !== null && a < b;
/** SQL's `a >= b` likewise. */
const ge = (a: string | null, b: string | null): boolean => a !== null && b !== null && a >= b;

/** planMonthDate: the first day of the plan month (offset 0) or of the month after (1); null off 1–12. */
function planMonthDate(month: number | null, year: number, offset: 0 | 1): string | null {
  if (month === null || !Number.isInteger(month) || month < 1 || month > 12) return null;
  return offset === 0 ? monthStart(year, month) : periodEndExclusive(year, month);
}

/**
 * What one fact row adds to its group's row of month `n` of its year: the values in DELTA_COLUMNS order, exactly
 * as sumSelections and the recomputation's Σ of the cumulatives compute them for a group of that one row.
 */
export function factContribution(f: DeltaFact, n: number): number[] {
  const year = f.year;
  const end = periodEndExclusive(year, n);
  const ytd = f[YTD_COLUMNS[n - 1]!];
  const startMonth = f.plan_start_month ?? 12;
  const doneMonth = f.plan_completion_month ?? 12;
  const prodMonth = f.plan_production_month ?? 12;
  const started = lt(f.actual_start_date, end);
  const completed = lt(f.actual_completion_date, end);
  const producing = lt(f.actual_production_date, end);
  const ns = Number(f.plan_new_start) === 1;
  const pc = Number(f.plan_completion) === 1;
  const pp = Number(f.plan_production) === 1;
  let hasMonthlyPlan = false;
  let plannedToDate = 0;
  for (let i = 0; i < PLAN_MONTH_COLUMNS.length; i++) {
    const v = f[PLAN_MONTH_COLUMNS[i]!];
    if (v !== null) {
      hasMonthlyPlan = true;
      if (i < n) plannedToDate += v;
    }
  }
  const b = (x: boolean) => (x ? 1 : 0);
  const sums: Record<(typeof SUM_FIELDS)[number], number> = {
    count: 1,
    total_investment: f.total_investment,
    planned_investment: f.planned_investment,
    completed_before_year: f.completed_before_year,
    completed_ytd: ytd,
    planned_starts: b(ns),
    planned_starts_to_date: b(ns && startMonth <= n),
    started: b(ns && started),
    started_to_date: b(ns && startMonth <= n && started),
    early_starts: b(ns && started && lt(f.actual_start_date, planMonthDate(f.plan_start_month, year, 0))),
    overdue_starts: b(ns && startMonth <= n && (f.actual_start_date === null || f.actual_start_date >= end)),
    late_starts: b(ns && started && ge(f.actual_start_date, planMonthDate(f.plan_start_month, year, 1))),
    planned_completions: b(pc),
    planned_completions_to_date: b(pc && doneMonth <= n),
    completed: b(pc && completed),
    completed_to_date: b(pc && doneMonth <= n && completed),
    planned_productions: b(pp),
    planned_productions_to_date: b(pp && prodMonth <= n),
    producing: b(pp && producing),
    producing_to_date: b(pp && prodMonth <= n && producing),
    monthly_planned: b(hasMonthlyPlan),
    planned_to_date: hasMonthlyPlan ? plannedToDate : 0,
    completed_ytd_monthly_planned: hasMonthlyPlan ? ytd : 0,
  };
  return [...SUM_FIELDS.map((c) => sums[c]), ...YTD_COLUMNS.map((c) => f[c])];
}

/** The largest magnitude any of a fact's contributions can have (what bounds the accumulated sums). */
function magnitude(f: DeltaFact): number {
  let m = Math.max(1, Math.abs(f.total_investment), Math.abs(f.planned_investment), Math.abs(f.completed_before_year));
  let plan = 0;
  for (const c of PLAN_MONTH_COLUMNS) plan += Math.abs(f[c] ?? 0);
  m = Math.max(m, plan);
  for (const c of YTD_COLUMNS) m = Math.max(m, Math.abs(f[c]));
  return m;
}

/** One accumulated group row delta: the group of one (year, month) and what to add to each DELTA_COLUMNS column. */
export interface GroupDelta extends GroupAttributes {
  year: number;
  month: number;
  values: number[];
  /** Σ of the magnitudes added in: while below 2^53 every value is exact in a double. */
  bound: number;
}

/**
 * The group deltas of a bulk write, accumulated over its chunks. Also records the rollup epoch each chunk saw
 * (IndicatorGroupRepository.epoch): a recomputation of groups from the facts between the first chunk and the
 * deltas' application already counts some of them, and the deltas then give way to recomputing the touched groups.
 */
export class GroupDeltas {
  readonly rows = new Map<string, GroupDelta>();
  readonly epochs = new Set<number>();

  /**
   * Adds (sign 1) or takes away (sign -1) a fact row's contributions to its group's twelve month rows; sign 0 only
   * records the group as touched (for a caller that recomputes the touched groups instead).
   */
  add(f: DeltaFact, sign: 1 | -1 | 0): void {
    const bound = sign === 0 ? 0 : magnitude(f);
    for (let n = 1; n <= 12; n++) {
      const id = `${f.year}\u001f${n}\u001f${f.group_key}`;
      let d = this.rows.get(id);
      if (!d) {
        d = {
          year: f.year, month: n, group_key: f.group_key, region_code: f.region_code, unit_id: f.unit_id, stage: f.stage,
          nature: f.nature, category: f.category, investment_type: f.investment_type, values: DELTA_COLUMNS.map(() => 0), bound: 0,
        };
        this.rows.set(id, d);
      }
      if (sign === 0) continue;
      const c = factContribution(f, n);
      for (let i = 0; i < c.length; i++) d.values[i]! += sign * c[i]!;
      d.bound += bound;
    }
  }

  /** Adds another accumulation (a committed chunk's) into this one. */
  merge(other: GroupDeltas): void {
    for (const e of other.epochs) this.epochs.add(e);
    for (const [id, o] of other.rows) {
      const d = this.rows.get(id);
      if (!d) this.rows.set(id, { ...o, values: [...o.values] });
      else {
        for (let i = 0; i < o.values.length; i++) d.values[i]! += o.values[i]!;
        d.bound += o.bound;
      }
    }
  }

  /** The years and group keys touched (what a recomputation falls back to). */
  touched(): Map<number, Set<string>> {
    const out = new Map<number, Set<string>>();
    for (const d of this.rows.values()) {
      let keys = out.get(d.year);
      if (!keys) out.set(d.year, (keys = new Set()));
      keys.add(d.group_key);
    }
    return out;
  }

  /** Whether every accumulated value is exact (each is a sum of terms whose magnitudes add up below 2^53). */
  exact(): boolean {
    for (const d of this.rows.values()) if (d.bound > Number.MAX_SAFE_INTEGER) return false;
    return true;
  }

  /** The deltas of one (year, month) that change something. */
  nonZero(year: number, month: number): GroupDelta[] {
    return [...this.rows.values()].filter((d) => d.year === year && d.month === month && d.values.some((v) => v !== 0));
  }

  /** The (year, month) pairs with a delta, in order. */
  months(): [number, number][] {
    const seen = new Map<string, [number, number]>();
    for (const d of this.rows.values()) seen.set(`${d.year}-${d.month}`, [d.year, d.month]);
    return [...seen.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }
}
