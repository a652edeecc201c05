// The demo portfolio, computed without I/O: the same seed, size and date give the same rows, byte for byte.
// The service writes what this yields; tests and the benchmark rely on the invariants documented here:
// fund sources sum to the total; amount_ytd is the running sum of amount_month; amount_since_start =
// completed_before_year + amount_ytd; a stage implies its dates (started → actual_start_date …); national codes
// are unique; every stage change has a history row.

import type { AnnualPlanTable, MonthlyReportTable, ProjectStageHistoryTable, ProjectTable } from '../../db/schema.ts';
import type { Insertable } from 'kysely';
import { searchTextOf } from '../../../core/search.ts';
import {
  BRANDS, CAMPAIGN, COMPANY_WORDS, GIVEN, NAME_SUFFIXES, PROBLEMS, PROGRESS_TEXTS, ROADS, SEASON, SUBJECTS, SURNAMES,
  type Category, type Subject,
} from './demo.catalog.ts';
import { rng } from '../../../core/random.ts';

/** A unit that owns projects, as the service created it. */
export interface DemoUnit {
  id: number;
  name: string;
  kind: 'office' | 'township' | 'park' | 'department' | 'company';
  /** The region a project of this unit sits in: the township, or the county for county-wide units. */
  region: string;
  /** 6-digit county code (for parks and townships the county that hosts them); '' for city-wide units. */
  county: string;
  countyName: string;
  placeName: string;
  /** For departments and companies: the categories of projects they run. */
  categories?: readonly Category[];
}

export interface PortfolioOptions {
  projects: number;
  seed: number;
  /** The reporting year (the year of asOf). */
  year: number;
  /** Months 1..months get monthly reports. */
  months: number;
  /** 'YYYY-MM-DD': the day the data describes; no event lies after it. */
  asOf: string;
  /** When the demo's rows were last changed: the start of its day, or earlier when loaded before that (ISO instant). */
  updatedAt: string;
  /** The id the first project gets; the rest follow consecutively. */
  firstProjectId: number;
  units: readonly DemoUnit[];
  /** Counties of the city, for city-wide units' projects. */
  counties: readonly { code: string; name: string }[];
  reporterId: number | null;
  reviewerId: number | null;
}

export type ProjectRow = Insertable<ProjectTable> & { id: number };
export type PlanRow = Insertable<AnnualPlanTable>;
export type ReportRow = Insertable<MonthlyReportTable>;
export type HistoryRow = Insertable<ProjectStageHistoryTable>;

/** Everything one project brings: the project, its levels, this year's plan, its monthly reports and stage history. */
export interface ProjectBundle {
  project: ProjectRow;
  levels: string[];
  plan: PlanRow | null;
  reports: ReportRow[];
  history: HistoryRow[];
}

const WAN = 10_000;
// Planned new starts cluster in spring (开工季) and thin out towards year end.
const START_MONTHS = [1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 8, 8, 9, 9, 10, 11, 12];
const pad2 = (n: number) => String(n).padStart(2, '0');
/** Month index (year × 12 + month − 1) → 'YYYY-MM-DD' on the given day. */
const dateOf = (idx: number, day: number) => `${Math.floor(idx / 12)}-${pad2((idx % 12) + 1)}-${pad2(day)}`;
const roundTo = (v: number, unit: number) => Math.round(v / unit) * unit;

// GB 11714 organization code check and GB 32100 check, so that demo builders carry codes that pass validation.
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** A unified social credit code (GB 32100) for a company registered in the county, with both check characters right. */
export function usccFor(county: string, body8: string): string {
  let orgSum = 0;
  for (let i = 0; i < 8; i++) orgSum += Number(body8[i]) * ORG_WEIGHTS[i]!;
  const c9 = 11 - (orgSum % 11);
  const orgCheck = c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9);
  const first17 = `91${county}${body8}${orgCheck}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  return first17 + USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/** FNV-1a: a stable hash so that one builder name always gets the same code and legal person. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Streams the portfolio, one project at a time, in id order. */
export function* generatePortfolio(opts: PortfolioOptions): Generator<ProjectBundle> {
  const rand = rng(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const between = (lo: number, hi: number) => lo + (hi - lo) * rand();
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const person = () => `${pick(SURNAMES)}${pick(GIVEN)}`;
  const phone = () => `1${pick(['33', '38', '39', '52', '58', '86', '89'])}${String(int(0, 99_999_999)).padStart(8, '0')}`;

  const { year, months } = opts;
  const asOfIdx = Number(opts.asOf.slice(0, 4)) * 12 + Number(opts.asOf.slice(5, 7)) - 1;
  const asOfDay = Number(opts.asOf.slice(8, 10));
  const lastReportIdx = year * 12 + months - 1;
  const yearStart = year * 12;
  const { updatedAt } = opts;

  const townships = opts.units.filter((u) => u.kind === 'township');
  const parks = opts.units.filter((u) => u.kind === 'park');
  const offices = opts.units.filter((u) => u.kind === 'office' && u.county);
  const cityWide = opts.units.filter((u) => u.kind === 'department' || u.kind === 'company');
  const chooseUnit = (): DemoUnit => {
    const r = rand();
    if (r < 0.7 && townships.length) return pick(townships);
    if (r < 0.82 && parks.length) return pick(parks);
    if (r < 0.96 && cityWide.length) return pick(cityWide);
    return offices.length ? pick(offices) : opts.units[0]!;
  };
  const byCategory = new Map<Category, Subject[]>();
  for (const subject of SUBJECTS) byCategory.set(subject.category, [...(byCategory.get(subject.category) ?? []), subject]);
  const industrial = SUBJECTS.filter((x) => x.category === '产业');

  const searchCache = new Map<string, string>();
  const codeSerials = new Map<string, number>();
  const builders = new Map<string, { uscc: string; legal: string }>();
  const builderOf = (name: string, county: string) => {
    let b = builders.get(name);
    if (!b) {
      const h = hash(name);
      b = { uscc: usccFor(county, String(h % 100_000_000).padStart(8, '0')), legal: `${SURNAMES[h % SURNAMES.length]}${GIVEN[(h >>> 8) % GIVEN.length]}` };
      builders.set(name, b);
    }
    return b;
  };

  for (let i = 0; i < opts.projects; i++) {
    const id = opts.firstProjectId + i;
    const unit = chooseUnit();
    const county = unit.county ? { code: unit.county, name: unit.countyName } : pick(opts.counties);
    const region = unit.county ? unit.region : county.code;
    const subject = unit.categories ? pick(byCategory.get(pick(unit.categories)) ?? industrial)
      : unit.kind === 'park' && rand() < 0.7 ? pick(industrial) : pick(SUBJECTS);
    const isSocial = subject.investmentType === 'social';
    const brand = pick(BRANDS);
    const place = unit.kind === 'township' ? unit.placeName.replace(/(街道|镇|乡)$/, '') : unit.county ? unit.countyName : county.name;
    // A stem that already ends in 工程 takes no second 工程 (快速路改造工程, not 快速路改造工程工程).
    const picked = pick(NAME_SUFFIXES);
    const suffix = subject.stem.endsWith('工程') && picked === '工程' ? '' : picked;
    const name = isSocial ? `${brand}${subject.stem}${suffix}` : `${place}${subject.stem}${suffix}`;
    let searchText = searchCache.get(name);
    if (searchText === undefined) {
      searchText = searchTextOf(name);
      searchCache.set(name, searchText);
    }

    // Log-normal total around the subject's median, in whole 万元, at least 500 万.
    const total = Math.max(500 * WAN, roundTo(subject.median * Math.exp(0.8 * gaussian()), WAN));

    // Library tier: most of a year's list is being built; a tenth are ideas or reserve; a few were withdrawn.
    const tierRoll = rand();
    const tier = tierRoll < 0.86 ? 'implementation' : tierRoll < 0.9 ? 'idea' : tierRoll < 0.98 ? 'reserve' : 'withdrawn';

    const history: HistoryRow[] = [];
    const addHistory = (from: string | null, to: string, date: string, reason: string | null = null) =>
      history.push({ project_id: id, from_stage: from, to_stage: to, event_date: date, reason, user_id: null, created_at: `${date}T09:00:00.000Z` });

    let stage = 'preliminary';
    let stageBeforePause: string | null = null;
    let startIdx: number | null = null; // actual start month index
    let plannedStartIdx: number;
    let durationMonths = int(14, 42);
    let completionIdx: number | null = null;
    let productionIdx: number | null = null;
    let pauseIdx: number | null = null;
    let signedIdx: number | null = null;
    let isNewStart = false;
    let planStartMonth: number | null = null;
    const isAttraction = isSocial && rand() < 0.45 ? 1 : 0;

    if (tier === 'implementation') {
      isNewStart = rand() < 0.38;
      if (isNewStart) {
        // Planned starts cluster in spring (开工季); some start early, some late, some not this year.
        planStartMonth = pick(START_MONTHS);
        plannedStartIdx = yearStart + planStartMonth - 1;
        const r = rand();
        const delay = r < 0.55 ? 0 : r < 0.68 ? -1 : r < 0.86 ? int(1, 3) : null;
        if (delay !== null) {
          const idx = Math.max(yearStart, plannedStartIdx + delay);
          if (idx <= lastReportIdx && idx <= asOfIdx) startIdx = idx;
        }
        if (isAttraction && rand() < 0.6) signedIdx = Math.max(yearStart - 6, plannedStartIdx - int(1, 6));
      } else {
        startIdx = int(yearStart - 34, yearStart - 1);
        plannedStartIdx = startIdx - (rand() < 0.7 ? 0 : int(1, 4));
        durationMonths = Math.max(durationMonths, yearStart - startIdx + int(2, 18));
      }
      if (startIdx !== null) {
        const plannedEnd = startIdx + durationMonths;
        if (plannedEnd <= lastReportIdx && rand() < 0.78) {
          completionIdx = Math.max(startIdx + 1, plannedEnd + (rand() < 0.7 ? 0 : 1));
          if (completionIdx > lastReportIdx) completionIdx = null;
        }
        if (completionIdx !== null && subject.produces && rand() < 0.6) {
          const p = completionIdx + int(1, 3);
          if (p <= lastReportIdx) productionIdx = p;
        }
        if (completionIdx === null && !isNewStart && rand() < 0.015) {
          const p = int(Math.max(startIdx + 1, yearStart), lastReportIdx);
          if (p >= yearStart) pauseIdx = p;
        }
      }
    } else {
      plannedStartIdx = yearStart + int(0, 24);
      stage = tier === 'idea' ? 'planning' : 'preliminary';
    }

    // Dates: the approval (立项) precedes the start; every event is a real calendar day no later than asOf.
    const approvalIdx = Math.min(asOfIdx - 1, Math.min(startIdx ?? plannedStartIdx, plannedStartIdx) - int(3, 12));
    const dayOf = (idx: number) => (idx === asOfIdx ? int(1, Math.max(1, asOfDay - 1)) : int(1, 28));
    const createdDate = dateOf(approvalIdx, int(1, 28));
    addHistory(null, tier === 'idea' ? 'planning' : 'preliminary', createdDate);
    if (tier === 'idea') stage = 'planning';
    const eventDates = new Map<number, string>();
    const event = (idx: number | null, to: string, reason: string | null = null): string | null => {
      if (idx === null) return null;
      const date = dateOf(idx, dayOf(idx));
      addHistory(stage, to, date, reason);
      if (to !== 'paused') stageBeforePause = null;
      if (to === 'paused') stageBeforePause = stage;
      stage = to;
      eventDates.set(idx, `${to}:${date}`);
      return date;
    };
    if (signedIdx !== null) signedIdx = Math.max(signedIdx, approvalIdx + 1);
    if (signedIdx !== null && (startIdx === null || signedIdx < startIdx) && signedIdx <= asOfIdx) event(signedIdx, 'signed');
    else signedIdx = null;
    const actualStart = event(startIdx, 'started');
    const actualCompletion = event(completionIdx, 'completed');
    const actualProduction = event(productionIdx, 'producing');
    if (pauseIdx !== null) event(pauseIdx, 'paused', '资金未及时到位，暂停施工');

    const startYear = Math.floor((startIdx ?? plannedStartIdx) / 12);
    const endYear = Math.floor(((startIdx ?? plannedStartIdx) + durationMonths) / 12);

    // Money: sources by who pays, in whole 万元, the last source takes the remainder so they sum to the total.
    const funds = { fund_central: null, fund_province: null, fund_city: null, fund_county: null, fund_bank_loan: null, fund_self: null, fund_special_bond: null } as Record<string, number | null>;
    const shares: [string, number][] = isSocial
      ? [['fund_self', between(0.5, 1)], ...(rand() < 0.6 ? [['fund_bank_loan', between(0.1, 0.5)] as [string, number]] : [])]
      : [
          ...(rand() < 0.2 ? [['fund_central', between(0.05, 0.3)] as [string, number]] : []),
          ...(rand() < 0.35 ? [['fund_province', between(0.05, 0.2)] as [string, number]] : []),
          ['fund_city', between(0.1, 0.4)],
          ...(rand() < 0.35 ? [['fund_special_bond', between(0.1, 0.5)] as [string, number]] : []),
          ...(rand() < 0.25 ? [['fund_bank_loan', between(0.1, 0.4)] as [string, number]] : []),
          ['fund_county', between(0.1, 0.5)],
        ];
    const shareSum = shares.reduce((a, [, v]) => a + v, 0);
    let allotted = 0;
    for (const [k, v] of shares.slice(0, -1)) {
      const amount = roundTo((total * v) / shareSum, WAN);
      funds[k] = amount;
      allotted += amount;
    }
    funds[shares[shares.length - 1]![0]] = total - allotted;

    // Levels (several at once): big projects reach the province or the nation.
    const levels: string[] = [];
    if (total >= 50e8 && rand() < 0.3) levels.push('national');
    if (rand() < (total >= 10e8 ? 0.35 : 0.04)) levels.push('province');
    if (unit.kind === 'department' || unit.kind === 'company' || rand() < 0.45) levels.push('city');
    if (unit.county && rand() < 0.85) levels.push('county');
    if (levels.length === 0) levels.push(unit.county ? 'county' : 'city');

    const hasCode = tier === 'idea' ? rand() < 0.3 : rand() < 0.92;
    let code: string | null = null;
    if (hasCode) {
      const codeYear = Math.floor(approvalIdx / 12);
      const key = `${codeYear}-${county.code}`;
      const serial = (codeSerials.get(key) ?? 0) + 1;
      codeSerials.set(key, serial);
      const check = '0123456789X'[hash(`${key}-${serial}`) % 11]!;
      code = `${codeYear}-${county.code}-${isSocial ? '89' : '01'}-${isSocial ? '03' : '01'}-${String(serial).padStart(5, '0')}${check}`;
    }

    const builderName = isSocial ? `苏州${brand}${pick(COMPANY_WORDS)}有限公司` : unit.kind === 'company' ? unit.name : `${county.name}城市建设投资发展有限公司`;
    const builder = builderOf(builderName, county.code);
    const statsEntered = startIdx !== null && (startIdx < yearStart || rand() < 0.85) && startIdx + 1 <= asOfIdx ? 1 : 0;
    const campaign = tier !== 'implementation' ? CAMPAIGN.reserve
      : completionIdx !== null || (subject.produces && endYear <= year) ? CAMPAIGN.production
        : isNewStart ? CAMPAIGN.start : CAMPAIGN.construction;

    const project: ProjectRow = {
      id, code, stats_code: statsEntered ? `32${String(hash(`stats-${id}`) % 1e10).padStart(10, '0')}` : null,
      name, search_text: searchText, list_year: tier === 'implementation' ? year : null,
      batch: null, parent_id: null, is_package: 0, is_key_of_key: levels.includes('city') && rand() < 0.04 ? 1 : 0,
      nature: isNewStart ? 'new' : tier === 'implementation' ? pick(['continued', 'continued', 'continued', 'expansion', 'reconstruction', 'tech_upgrade']) : 'new',
      category: subject.category, industry_code: subject.industry, investment_type: subject.investmentType,
      is_attraction: isAttraction, is_central_budget: funds.fund_central ? 1 : 0, is_special_bond: funds.fund_special_bond ? 1 : 0,
      campaign_group: campaign, region_code: region,
      address: `${county.name}${unit.kind === 'township' ? unit.placeName : ''}${pick(ROADS)}${int(1, 999)}号`,
      builder_name: builderName, builder_uscc: builder.uscc, builder_legal_person: builder.legal,
      builder_contact: person(), builder_phone: phone(),
      unit_id: unit.id, lead_unit_id: null, leader_name: person(),
      leader_post: pick(['区委常委、副区长', '副区长', '镇党委书记', '镇长', '园区管委会主任', '局长', '董事长']),
      scope_content: `总用地约${int(20, 600)}亩，总建筑面积约${(between(1, 40)).toFixed(1)}万平方米，主要建设${subject.stem}及配套设施。`,
      start_year: startYear, end_year: endYear,
      planned_start_date: dateOf(plannedStartIdx, 15), actual_start_date: actualStart,
      planned_completion_date: dateOf((startIdx ?? plannedStartIdx) + durationMonths, 28), actual_completion_date: actualCompletion,
      planned_production_date: subject.produces ? dateOf((startIdx ?? plannedStartIdx) + durationMonths + 2, 28) : null,
      actual_production_date: actualProduction,
      total_investment: total, ...funds,
      tier, reserve_review: tier === 'reserve' ? pick(['none', 'initial', 'final']) : null,
      stage, stage_before_pause: stageBeforePause,
      stats_entered: statsEntered, stats_category: statsEntered ? '500万元及以上固定资产投资项目' : null,
      stats_reason: statsEntered ? null : startIdx === null ? '项目尚未开工' : '入库资料审核中',
      stats_entered_date: statsEntered ? dateOf(startIdx! + 1, dayOf(startIdx! + 1)) : null,
      withdraw_reason: tier === 'withdrawn' ? '选址调整，暂缓实施' : null, tier_before_withdraw: tier === 'withdrawn' ? 'reserve' : null,
      version: 1, created_at: `${createdDate}T09:00:00.000Z`, updated_at: updatedAt, created_by: null, updated_by: null, deleted_at: null,
    };

    if (tier !== 'implementation') {
      yield { project, levels, plan: null, reports: [], history };
      continue;
    }

    // The annual plan: a plausible share of what remains to be invested.
    let before = 0;
    if (startIdx !== null && startIdx < yearStart) {
      const elapsed = Math.min(0.9, Math.max(0.05, ((yearStart - startIdx) / durationMonths) * between(0.75, 1.1)));
      before = roundTo(total * elapsed, WAN);
    }
    const remaining = total - before;
    const endIdx = (startIdx ?? plannedStartIdx) + durationMonths;
    const activeFrom = Math.max(yearStart, startIdx ?? plannedStartIdx);
    const monthsLeft = Math.max(1, endIdx - activeFrom);
    const monthsThisYear = Math.max(1, Math.min(yearStart + 12, endIdx) - activeFrom);
    const planned = Math.min(remaining, Math.max(10 * WAN, roundTo(remaining * Math.min(1, monthsThisYear / monthsLeft) * between(0.7, 1.05), WAN)));
    const plan: PlanRow = {
      project_id: id, year, planned_investment: planned, completed_before_year: before,
      plan_new_start: isNewStart ? 1 : 0, plan_start_month: planStartMonth,
      plan_completion: endIdx < yearStart + 12 ? 1 : 0, plan_completion_month: endIdx < yearStart + 12 ? Math.max(1, endIdx - yearStart + 1) : null,
      plan_production: subject.produces && endIdx + 2 < yearStart + 12 ? 1 : 0,
      plan_production_month: subject.produces && endIdx + 2 < yearStart + 12 ? Math.max(1, endIdx + 2 - yearStart + 1) : null,
      progress_target: isNewStart ? '年内开工建设，完成桩基及基础工程' : endIdx < yearStart + 12 ? '年内竣工验收' : '主体结构完工',
      list_kind: isNewStart && rand() < 0.08 ? 'supplementary' : 'initial', version: 1,
      created_at: `${year}-01-10T09:00:00.000Z`, updated_at: `${year}-01-10T09:00:00.000Z`,
    };
    if (plan.list_kind === 'supplementary') project.batch = '增补';

    // Monthly reports 1..months: spend follows the season, each project at its own pace; a few corrections.
    const pace = Math.exp(0.3 * gaussian()) * (rand() < 0.15 ? 0.5 : 1);
    const firstActive = Math.max(1, (startIdx ?? Infinity) - yearStart + 1);
    const lastActive = completionIdx !== null ? completionIdx - yearStart + 1 : Math.min(12, Math.max(1, endIdx - yearStart + 1));
    let weightSum = 0;
    for (let m = Math.min(firstActive, 12); m <= 12 && m <= Math.max(lastActive, firstActive); m++) weightSum += SEASON[m - 1]!;
    const cap = total - before;
    const reports: ReportRow[] = [];
    let ytd = 0;
    let reportStage = history[0]!.to_stage;
    for (let m = 1; m <= months; m++) {
      const idx = yearStart + m - 1;
      let stageDate: string | null = null;
      for (const h of history) {
        const hIdx = Number(h.event_date.slice(0, 4)) * 12 + Number(h.event_date.slice(5, 7)) - 1;
        if (hIdx <= idx) reportStage = h.to_stage;
        if (hIdx === idx && h.from_stage !== null) stageDate = h.event_date;
      }
      const active = startIdx !== null && idx >= startIdx && m <= lastActive && (pauseIdx === null || idx < pauseIdx);
      let amount = 0;
      let negativeReason: string | null = null;
      if (active && weightSum > 0) {
        amount = roundTo(planned * (SEASON[m - 1]! / weightSum) * pace * between(0.6, 1.4), 100);
        if (ytd > 0 && rand() < 0.003) {
          amount = -roundTo(ytd * between(0.02, 0.1), 100);
          negativeReason = '统计口径调整，核减以前月份重复计入的投资';
        }
        amount = Math.min(amount, cap - ytd);
      }
      ytd += amount;
      // Reports are due by the 25th of their own month (the period's deadline) and reviewed the same day.
      const submitDay = int(15, 25);
      const submitted = `${dateOf(idx, submitDay)}T${pad2(int(1, 8))}:${pad2(int(0, 59))}:00.000Z`;
      const reviewed = `${dateOf(idx, submitDay)}T09:30:00.000Z`;
      const texts = PROGRESS_TEXTS[reportStage as keyof typeof PROGRESS_TEXTS] ?? PROGRESS_TEXTS.preliminary;
      reports.push({
        project_id: id, year, month: m, amount_month: amount, amount_ytd: ytd, amount_since_start: before + ytd,
        negative_reason: negativeReason, stage: reportStage, stage_date: stageDate, progress_text: pick(texts),
        workers: active ? Math.max(5, Math.round(Math.sqrt(total / 1e6) * between(2, 6))) : 0,
        problems: rand() < 0.05 ? pick(PROBLEMS) : null, next_plan: null,
        stats_entered: null, stats_code: null, stats_reason: null,
        status: 'approved', return_reason: null,
        submitted_at: submitted, first_submitted_at: submitted, submitted_by: opts.reporterId, reviewed_at: reviewed, reviewed_by: opts.reviewerId,
        revision: 1, version: 1, created_at: submitted, updated_at: reviewed,
      });
    }
    yield { project, levels, plan, reports, history };
  }
}
