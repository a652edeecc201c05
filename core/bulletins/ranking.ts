// Ranking of units and projects for the bulletin's per-unit section and the monthly review (月讲评): by
// investment completion rate, exact (fractions, never the rounded text), with every tie explained.
import { compare, formatPercent, fraction, subtract, timeProgress, type Fraction, type TimeCurve } from '../indicators.ts';

/** What a unit contributes to the ranking: its name and its additive sums for the period. */
export interface UnitInput {
  key: string | null;
  label: string;
  count: number;
  planned_investment: number;
  completed_ytd: number;
  /**
   * Set when the indicators hold this unit's investment figures for the period as unknown (a period before the year's
   * recorded progress, an imported 1–N月 list: unrecordedIndicators): the reason the unit is not ranked.
   */
  unrecorded?: string;
}

/** One ranked unit, as the table prints it. */
export interface UnitRank {
  /** 1-based; equal exact rates share a rank (1, 2, 2, 4). Null: not ranked (no annual plan). */
  rank: number | null;
  key: string | null;
  name: string;
  count: number;
  planned_investment: number;
  completed_ytd: number;
  completion_rate_text: string;
  gap_points_text: string;
  /** Why this unit shares a rank, why two equal printed rates rank apart, or why it is not ranked. */
  note: string;
  /** Its completed investment for the period is not in the system (printed '—', not 0): see UnitInput.unrecorded. */
  unrecorded?: true;
}

/** One project of the 十快/十慢 lists. */
export interface ProjectInput {
  project_id: number;
  name: string;
  unit_name: string;
  planned_investment: number;
  completed_ytd: number;
}

export interface ProjectRank extends ProjectInput {
  rank: number;
  completion_rate_text: string;
  gap_points_text: string;
}

const collator = new Intl.Collator('zh-CN');

/**
 * Ranks units by completion rate (1–N月 completed ÷ annual plan), highest first. Time progress is the same for
 * every unit of a period, so the gap to it orders the same way and is printed beside the rate. Exactly equal rates
 * share a rank and say so; rates that print alike but differ unrounded rank apart and say why; units without an
 * annual plan are listed last, unranked.
 */
export function rankUnits(units: readonly UnitInput[], month: number, curve?: TimeCurve | null): UnitRank[] {
  const tp = timeProgress(month, curve);
  // The rate is the indicators' own: unknown (not 0%) for a unit whose period precedes its recorded progress.
  const rated = units.map((u) => ({ u, rate: u.unrecorded ? null : fraction(u.completed_ytd, u.planned_investment) }));
  const ranked = rated.filter((x): x is { u: UnitInput; rate: Fraction } => x.rate !== null)
    .sort((a, b) => compare(b.rate, a.rate) || b.u.completed_ytd - a.u.completed_ytd || collator.compare(a.u.label, b.u.label));
  const out: UnitRank[] = [];
  ranked.forEach((x, i) => {
    const prev = ranked[i - 1];
    const next = ranked[i + 1];
    const tiedPrev = prev && compare(prev.rate, x.rate) === 0;
    const rank = tiedPrev ? out[i - 1]!.rank : i + 1;
    const text = formatPercent(x.rate);
    const notes: string[] = [];
    const tiedWith = ranked.filter((y) => y !== x && compare(y.rate, x.rate) === 0).map((y) => y.u.label);
    if (tiedWith.length) notes.push(`与${tiedWith.join('、')}并列（完成率相同）`);
    const printedAlike = [prev, next].filter((y) => y && compare(y.rate, x.rate) !== 0 && formatPercent(y.rate) === text).map((y) => y!.u.label);
    if (printedAlike.length) notes.push(`与${printedAlike.join('、')}完成率均约为${text}%，按未四舍五入的完成率排序`);
    out.push({
      rank, key: x.u.key, name: x.u.label, count: x.u.count, planned_investment: x.u.planned_investment, completed_ytd: x.u.completed_ytd,
      completion_rate_text: text, gap_points_text: formatPercent(subtract(x.rate, tp)), note: notes.join('；'),
    });
  });
  for (const { u } of rated.filter((x) => x.rate === null).sort((a, b) => collator.compare(a.u.label, b.u.label))) {
    out.push({
      rank: null, key: u.key, name: u.label, count: u.count, planned_investment: u.planned_investment, completed_ytd: u.completed_ytd,
      completion_rate_text: '—', gap_points_text: '—',
      ...(u.unrecorded ? { note: `${u.unrecorded}，不参与排名`, unrecorded: true as const } : { note: '无年度计划投资，不参与排名' }),
    });
  }
  return out;
}

/** The first three ranked units and the last three (never overlapping: with fewer than six, the tail shrinks). */
export function topAndBottom(ranked: readonly UnitRank[], n = 3): { top: UnitRank[]; bottom: UnitRank[] } {
  const withRank = ranked.filter((u) => u.rank !== null);
  const top = withRank.slice(0, n);
  const bottom = withRank.slice(Math.max(top.length, withRank.length - n)).reverse();
  return { top, bottom };
}

/**
 * The fastest and slowest projects by completion rate (十快/十慢), among projects with an annual plan. With fewer
 * than 2n projects the lists split them, so no project is both fast and slow. Ties: the larger amount completed
 * first, then the smaller id.
 */
export function rankProjects(projects: readonly ProjectInput[], month: number, curve?: TimeCurve | null, n = 10): { fast: ProjectRank[]; slow: ProjectRank[] } {
  const tp = timeProgress(month, curve);
  const rated = projects.flatMap((p) => {
    const rate = fraction(p.completed_ytd, p.planned_investment);
    return rate && p.planned_investment > 0 ? [{ p, rate }] : [];
  });
  const desc = rated.sort((a, b) => compare(b.rate, a.rate) || b.p.completed_ytd - a.p.completed_ytd || a.p.project_id - b.p.project_id);
  const fastCount = Math.min(n, Math.ceil(desc.length / 2));
  const slowCount = Math.min(n, desc.length - fastCount);
  const present = (x: { p: ProjectInput; rate: Fraction }, i: number): ProjectRank => ({
    ...x.p, rank: i + 1, completion_rate_text: formatPercent(x.rate), gap_points_text: formatPercent(subtract(x.rate, tp)),
  });
  return {
    fast: desc.slice(0, fastCount).map(present),
    slow: desc.slice(desc.length - slowCount).reverse().map(present),
  };
}
