// The year-end comprehensive evaluation (年终总考评): each unit's published monthly totals averaged, times a weight,
// plus items other offices enter by hand for the year (each bounded), plus the year-level ledger; ranked like a month.
import { add, clamp, dec, div, formatScore, frac, mul, sum, ZERO, type Fraction } from './exact.ts';
import { rankResults } from './scheme.ts';

/** What a scheme says about the year end: the weight of the monthly average and the hand-entered items. */
export interface YearEndSpec {
  /** Monthly average × this (default 1; 0.7 with 30 points of items is common). */
  monthly_weight?: number;
  items?: { key: string; name: string; max?: number }[];
}

export interface YearEndUnitInput {
  key: string;
  name: string;
  /** Published monthly totals by month. */
  months: Map<number, Fraction>;
  /** Hand-entered year items by key (approved only). */
  items: Map<string, Fraction>;
  ledger: Fraction;
  /** Months in which the unit was vetoed (shown; the months' totals are already zero). */
  vetoed_months: number[];
}

export interface YearEndUnit {
  key: string;
  name: string;
  rank: number;
  months: { month: number; total_text: string }[];
  monthly_average_text: string;
  monthly_part_text: string;
  items: { key: string; name: string; value_text: string }[];
  ledger_text: string;
  total: Fraction;
  total_text: string;
  vetoed: boolean;
  vetoed_months: number[];
}

/** Scores the year; a unit without any published month averages zero. */
export function scoreYearEnd(spec: YearEndSpec, units: readonly YearEndUnitInput[]): YearEndUnit[] {
  const weight = dec(spec.monthly_weight ?? 1);
  const scored = units.map((u) => {
    const totals = [...u.months.values()];
    const average = totals.length ? div(sum(totals), frac(BigInt(totals.length))) : ZERO;
    const monthlyPart = mul(average, weight);
    const items = (spec.items ?? []).map((it) => {
      const v = u.items.get(it.key) ?? ZERO;
      return { key: it.key, name: it.name, value: clamp(v, undefined, it.max === undefined ? undefined : dec(it.max)) };
    });
    const total = add(add(monthlyPart, sum(items.map((i) => i.value))), u.ledger);
    return {
      key: u.key, name: u.name, vetoed: false, vetoed_months: u.vetoed_months, total, total_text: formatScore(total),
      months: [...u.months].sort((a, b) => a[0] - b[0]).map(([month, t]) => ({ month, total_text: formatScore(t) })),
      monthly_average_text: formatScore(average), monthly_part_text: formatScore(monthlyPart),
      items: items.map((i) => ({ key: i.key, name: i.name, value_text: formatScore(i.value) })), ledger_text: formatScore(u.ledger),
    };
  });
  return rankResults(scored);
}
