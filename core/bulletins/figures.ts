// The figures a bulletin prints, as frozen with it at issue (stored as JSON beside the .docx): the indicator API's
// answer for the scope and period, its breakdowns, the unit ranking, the 十快/十慢 projects and the lights.
import type { Indicators } from '../indicators.ts';
import type { LightOrNone } from '../lights.ts';
import type { FeedFigures } from './feeds.ts';
import type { ProjectRank, UnitRank } from './ranking.ts';

/** One row of a breakdown (by nature, category, investment type, unit) as the indicator API returns it. */
export interface FigureGroup {
  key: string | null;
  label: string;
  indicators: Indicators;
}

/** A red or yellow project of the annexed list. */
export interface LightListRow {
  project_id: number;
  name: string;
  unit_name: string;
  light: LightOrNone;
  /** The rule that lit it, with its figures. */
  reason: string;
}

export interface BulletinFigures {
  year: number;
  month: number;
  period_label: string;
  /** The area's name ({地区}). */
  area: string;
  /** The time-progress curve used, or null for N/12 (kept so the gap can be re-derived from the frozen sums). */
  time_curve: number[] | null;
  overall: Indicators;
  by_nature: FigureGroup[];
  by_category: FigureGroup[];
  by_investment_type: FigureGroup[];
  units: UnitRank[];
  fast: ProjectRank[];
  slow: ProjectRank[];
  lights: { counts: Record<LightOrNone, number>; list: LightListRow[] };
  /** When the figures were read (ISO-8601 UTC). */
  computed_at: string;
  /** Other modules' figures the bulletin quotes (督查督办, 会议, 问题, 招商); absent in versions issued before them. */
  feeds?: FeedFigures;
}
