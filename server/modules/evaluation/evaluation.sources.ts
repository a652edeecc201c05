// The source registry of 考评: every scheme leaf names a source key; a provider measures a month's values of its
// sources for every unit at once. Other modules' figures plug in as providers here, imported through their
// index.ts only. Static wiring, the same in every process (like the entity-scope registry).
import { systemActor, type Deps } from '../../platform/context.ts';
import { frac, type Fraction } from '../../../core/evaluation/exact.ts';
import { fraction, subtract, timeProgress } from '../../../core/indicators.ts';
import { createAttractionService } from '../attraction/index.ts';
import { createIndicatorService } from '../indicators/index.ts';
import { problemFigures } from '../problems/index.ts';
import { reportTimelinessFigures, statsEntryFigures } from '../reports/index.ts';
import { supervisionFigures } from '../supervision/index.ts';
import { commonPath } from '../../../core/tree-path.ts';
import { EvaluationRepository } from './evaluation.repository.ts';

/** One source a scheme leaf can bind to. */
export interface EvaluationSource {
  key: string;
  label: string;
  /** The unit its values are in, which the rule parameters use too ('%', '个百分点', '个', '万元', '分'). */
  unit: string;
  /** Which module measures it ('indicators', 'manual' …). */
  provider: string;
  /** False for a source named by a module that is not wired yet: a scheme may not use it. */
  available: boolean;
  /** Where the records behind a value live, for the drill-down ('projects': the unit's projects). */
  records: 'projects' | 'entries' | 'none';
}

/** What a provider measured for a month: the units it knows and each unit's values by source key. */
export interface Measured {
  units: { key: string; name: string }[];
  values: Map<string, Map<string, Fraction | null>>;
}

export interface Provider {
  name: string;
  sources: Omit<EvaluationSource, 'provider' | 'available'>[];
  measure(deps: Deps, year: number, month: number): Promise<Measured>;
}

const providers = new Map<string, Provider>();
/** Sources other engineers' modules will provide, listed so that the editor shows them and a scheme cannot use them yet. */
const PENDING: Omit<EvaluationSource, 'available' | 'records'>[] = [];

/** Registers a provider (once per process; a second registration of a name replaces the first). */
export function registerProvider(p: Provider): void {
  providers.set(p.name, p);
}

/** Every source: the wired ones, then the pending ones (unavailable). */
export function listSources(): EvaluationSource[] {
  const wired = [...providers.values()].flatMap((p) => p.sources.map((s) => ({ ...s, provider: p.name, available: true })));
  const keys = new Set(wired.map((s) => s.key));
  const manual: EvaluationSource = { key: MANUAL_SOURCE, label: '手工录入（附佐证，经审核）', unit: '按指标', provider: 'manual', available: true, records: 'entries' };
  return [...wired, manual, ...PENDING.filter((s) => !keys.has(s.key)).map((s) => ({ ...s, available: false, records: 'none' as const }))];
}

/** The providers that measure the given source keys. */
export function providersFor(keys: Iterable<string>): Provider[] {
  const wanted = new Set(keys);
  return [...providers.values()].filter((p) => p.sources.some((s) => wanted.has(s.key)));
}

/** A rate's exact value in percent (45.54 for 45.54%), or null over nothing. */
function percent(num: number, den: number): Fraction | null {
  const f = fraction(num, den);
  return f ? frac(f.num * 100n, f.den) : null;
}

/**
 * Figures of the indicator engine per unit (the units one level below the office's root, as its unit breakdown
 * folds them): completion rate, gap to time progress, start rates, starts late or overdue, completion, amounts.
 */
export const indicatorProvider: Provider = {
  name: 'indicators',
  sources: [
    { key: 'completion_rate', label: '投资完成率', unit: '%', records: 'projects' },
    { key: 'gap_points', label: '与序时进度差', unit: '个百分点', records: 'projects' },
    { key: 'plan_to_date_rate', label: '完成序时计划投资比例', unit: '%', records: 'projects' },
    { key: 'start_rate', label: '开工率（按全年计划新开工）', unit: '%', records: 'projects' },
    { key: 'start_rate_to_date', label: '开工率（按截至本月计划新开工）', unit: '%', records: 'projects' },
    { key: 'overdue_starts', label: '逾期未开工项目数', unit: '个', records: 'projects' },
    { key: 'late_starts', label: '延期开工项目数', unit: '个', records: 'projects' },
    { key: 'completion_plan_rate', label: '竣工率（按全年计划竣工）', unit: '%', records: 'projects' },
    { key: 'completed_ytd', label: '累计完成投资', unit: '万元', records: 'projects' },
    { key: 'project_count', label: '项目个数', unit: '个', records: 'projects' },
  ],
  async measure(deps, year, month) {
    const service = createIndicatorService(deps);
    const curve = await service.timeCurve(year);
    const tp = timeProgress(month, curve);
    const r = await service.getIndicators(systemActor(), { year, month, breakdown: ['unit'] });
    const units: Measured['units'] = [];
    const values = new Map<string, Map<string, Fraction | null>>();
    for (const item of r.breakdowns.unit ?? []) {
      if (item.key === null) continue;
      const s = item.indicators.sums;
      const completion = fraction(s.completed_ytd, s.planned_investment);
      const gap = completion ? subtract(completion, tp) : null;
      units.push({ key: item.key, name: item.label });
      values.set(item.key, new Map([
        ['completion_rate', percent(s.completed_ytd, s.planned_investment)],
        ['gap_points', gap ? frac(gap.num * 100n, gap.den) : null],
        ['plan_to_date_rate', percent(s.completed_ytd_monthly_planned, s.planned_to_date)],
        ['start_rate', percent(s.started, s.planned_starts)],
        ['start_rate_to_date', percent(s.started_to_date, s.planned_starts_to_date)],
        ['overdue_starts', frac(BigInt(s.overdue_starts))],
        ['late_starts', frac(BigInt(s.late_starts))],
        ['completion_plan_rate', percent(s.completed, s.planned_completions)],
        ['completed_ytd', frac(BigInt(s.completed_ytd), 10_000n)],
        ['project_count', frac(BigInt(s.count))],
      ]));
    }
    return { units, values };
  },
};

/**
 * The problems module's figures per owning department (承办单位), through its index.ts: 按期办结率, 办结率, 满意率.
 * Its figures cover the problems received in the whole year so far, not only up to month N (the module counts by
 * year), so a past month tried later reads today's figures.
 */
export const problemProvider: Provider = {
  name: 'problems',
  sources: [
    { key: 'problem_on_time_rate', label: '问题按期办结率', unit: '%', records: 'none' },
    { key: 'problem_closed_rate', label: '问题办结率', unit: '%', records: 'none' },
    { key: 'problem_satisfaction', label: '问题办理满意率', unit: '%', records: 'none' },
  ],
  async measure(deps, year) {
    const f = await problemFigures(deps, systemActor(), year, 'department');
    const units: Measured['units'] = [];
    const values = new Map<string, Map<string, Fraction | null>>();
    for (const g of f.groups) {
      if (g.key === null) continue;
      units.push({ key: g.key, name: g.name });
      values.set(g.key, new Map([
        ['problem_on_time_rate', percent(g.figures.on_time_rate.numerator, g.figures.on_time_rate.denominator)],
        ['problem_closed_rate', percent(g.figures.closed_rate.numerator, g.figures.closed_rate.denominator)],
        ['problem_satisfaction', percent(g.figures.satisfied_rate.numerator, g.figures.satisfied_rate.denominator)],
      ]));
    }
    return { units, values };
  },
};

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * The supervision module's figures per lead unit (牵头单位) for the month, through its index.ts (definitions and
 * denominators: core/supervision/figures.ts): 按期办结率, 按期反馈率, 一次性销号率 and the overdue count.
 */
export const supervisionProvider: Provider = {
  name: 'supervision',
  sources: [
    { key: 'matter_on_time_rate', label: '督办事项按期办结率', unit: '%', records: 'none' },
    { key: 'matter_feedback_on_time_rate', label: '督办事项按期反馈率', unit: '%', records: 'none' },
    { key: 'matter_one_pass_rate', label: '督办事项一次性销号率', unit: '%', records: 'none' },
    { key: 'matter_overdue', label: '逾期督办事项数', unit: '个', records: 'none' },
  ],
  async measure(deps, year, month) {
    const rows = await supervisionFigures(deps.db, `${year}-${pad2(month)}`, deps.clock.now());
    const units: Measured['units'] = [];
    const values = new Map<string, Map<string, Fraction | null>>();
    for (const r of rows) {
      const key = String(r.unitId);
      units.push({ key, name: r.unitName });
      values.set(key, new Map([
        ['matter_on_time_rate', percent(r.onTimeCompletion.num, r.onTimeCompletion.den)],
        ['matter_feedback_on_time_rate', percent(r.feedbackOnTime.num, r.feedbackOnTime.den)],
        ['matter_one_pass_rate', percent(r.onePassWriteOff.num, r.onePassWriteOff.den)],
        ['matter_overdue', frac(BigInt(r.overdue))],
      ]));
    }
    return { units, values };
  },
};

/**
 * The attraction module's signed figures per team (招商小分队, a unit), through its index.ts: signed from January 1
 * to the month's end (attributed by signing date, so a past month tried later reads the same records as then,
 * unless a record was corrected), in 万元 exactly.
 */
export const attractionProvider: Provider = {
  name: 'attraction',
  sources: [
    { key: 'signed_amount', label: '招商引资签约金额（年内累计）', unit: '万元', records: 'none' },
    { key: 'signed_count', label: '招商引资签约项目数（年内累计）', unit: '个', records: 'none' },
    { key: 'signed_big_count', label: '亿元以上签约项目数（年内累计）', unit: '个', records: 'none' },
  ],
  async measure(deps, year, month) {
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const rows = await createAttractionService(deps).signedTotalsByTeam(systemActor().scope, { from: `${year}-01-01`, to: `${year}-${pad2(month)}-${pad2(last)}` });
    const units: Measured['units'] = [];
    const values = new Map<string, Map<string, Fraction | null>>();
    for (const r of rows) {
      const key = String(r.team_id);
      units.push({ key, name: r.team_name });
      values.set(key, new Map([
        ['signed_amount', frac(BigInt(r.amount), 10_000n)],
        ['signed_count', frac(BigInt(r.count))],
        ['signed_big_count', frac(BigInt(r.big_count))],
      ]));
    }
    return { units, values };
  },
};

// --- Library and reporting sources (入库纳统率, 月度填报及时率), issue #20 -------------------------------------------

/**
 * Folds per-project-unit counts into the units one level below their common parent, as the indicator engine's unit
 * breakdown folds them (a project of a township's sub-office counts for the township), so that these sources' unit
 * keys are the indicator sources' keys. Counts add up: the rate is taken after folding.
 */
async function foldUnitCounts(deps: Deps, rows: readonly { unit_id: number; num: number; den: number }[]) {
  const units = await new EvaluationRepository(deps.db).listUnitsWithPath([...new Set(rows.map((r) => r.unit_id))]);
  const byId = new Map(units.map((u) => [u.id, u]));
  const parentPath = commonPath(units.length === 1 ? [units[0]!.path.replace(/[^/]+\/$/, '')] : units.map((u) => u.path));
  const parentId = parentPath.split('/').filter(Boolean).pop() ?? null;
  const folded = new Map<string, { num: number; den: number }>();
  for (const r of rows) {
    const path = byId.get(r.unit_id)?.path ?? '';
    const child = (path.startsWith(parentPath) && path !== parentPath ? path.slice(parentPath.length).split('/')[0] : undefined) ?? parentId ?? String(r.unit_id);
    const prev = folded.get(child) ?? { num: 0, den: 0 };
    folded.set(child, { num: prev.num + r.num, den: prev.den + r.den });
  }
  const names = new Map((await new EvaluationRepository(deps.db).listUnitsWithPath([...folded.keys()].map(Number).filter(Number.isInteger))).map((u) => [String(u.id), u.name]));
  return [...folded].map(([key, c]) => ({ key, name: names.get(key) ?? key, ...c }));
}

/**
 * 入库纳统率 per unit as of the month's end (the reports module's figures, through its index.ts): of the unit's
 * implementation-tier projects on the year's list that had started by then, the share entered in the statistics
 * (统计入库) by then. Only a started project can be entered, so projects not yet started are not in the denominator.
 */
export const statsEntryProvider: Provider = {
  name: 'projects',
  sources: [{ key: 'stats_entry_rate', label: '入库纳统率', unit: '%', records: 'projects' }],
  async measure(deps, year, month) {
    const rows = await statsEntryFigures(deps, year, month);
    const folded = await foldUnitCounts(deps, rows.map((r) => ({ unit_id: r.unit_id, num: r.entered, den: r.started })));
    return {
      units: folded.map((u) => ({ key: u.key, name: u.name })),
      values: new Map(folded.map((u) => [u.key, new Map([['stats_entry_rate', percent(u.num, u.den)]])])),
    };
  },
};

/**
 * 月度填报及时率 per unit for the month (the reports module's figures, through its index.ts): of the reporting
 * projects the month's period expects, the share whose report was first submitted by the deadline — moved to the
 * next working day when it falls on a weekend or holiday of the working-day calendar. Before that day has passed
 * (China time), or for a month with no period of its own (January of a merged 1–2月) or no deadline, no value.
 */
export const reportTimelinessProvider: Provider = {
  name: 'reports',
  sources: [{ key: 'report_on_time_rate', label: '月度填报及时率', unit: '%', records: 'projects' }],
  async measure(deps, year, month) {
    const f = await reportTimelinessFigures(deps, year, month);
    const folded = await foldUnitCounts(deps, f.units.map((r) => ({ unit_id: r.unit_id, num: r.on_time, den: r.expected })));
    return {
      units: folded.map((u) => ({ key: u.key, name: u.name })),
      values: new Map(folded.map((u) => [u.key, new Map([['report_on_time_rate', percent(u.num, u.den)]])])),
    };
  },
};

/** The hand-entered source: values the office (or another office) enters per unit and leaf, with evidence, reviewed. */
export const MANUAL_SOURCE = 'manual';

registerProvider(indicatorProvider);
registerProvider(problemProvider);
registerProvider(supervisionProvider);
registerProvider(attractionProvider);
registerProvider(statsEntryProvider);
registerProvider(reportTimelinessProvider);
