// Attraction figures (招商引资统计), pure: signed count and amount (亿元以上 separately), signing → start time,
// conversion between stages, 履约率 (到资/签约), signed-but-not-started and stale lists, and the quarterly
// 三个一批 lists. Every figure is attributed by its own date (a signing by signed_on, a start by started_on);
// money is integer yuan summed exactly; rates are returned as numerator and denominator, rounded only when printed.

import { LEAD_STAGES, stageIndex, type LeadStage } from './lead.ts';

/** 亿元以上: a signing of at least 1亿元 counts among the large ones. */
export const BIG_SIGNING_YUAN = 100_000_000;

/** The written definitions the figures page and the export print next to the numbers. */
export const FIGURE_DEFINITIONS = {
  signed: '签约项目数/签约额：签约日期在统计期内的招商项目（含其后终止的），签约额为合同金额',
  signed_big: '亿元以上签约：签约额不低于 1 亿元的签约项目',
  sign_to_start: '签约至开工月数：统计期内开工且有签约日期的项目，签约日期到开工日期的平均天数 ÷ 30.44',
  conversion: '阶段转化率：到达后一阶段的项目数 ÷ 到达前一阶段的项目数（分母：统计期末以前登记、到达前一阶段的项目，含已终止项目到达过的阶段；跳过的阶段视为到达）',
  performance: '履约率：统计期内签约项目的实际到资额之和 ÷ 其签约额之和（分母：统计期内签约项目的签约额）',
  overdue_start: '签约未开工：签约日期加开工期限（月）早于今天、尚未开工且未终止的项目',
  stale: '跟进超期：未终止、未投产，最近一次跟进（无跟进时为登记日期）距今超过规定天数的项目',
  batches: '三个一批：签约一批、开工一批、投产一批分别为签约日期、开工日期、投产日期在该季度内的项目',
} as const;

/** What the figures read of a record. */
export interface FigureLead {
  id: number;
  name: string;
  team_id: number;
  team_name: string | null;
  region_code: string;
  region_name: string | null;
  industry: string | null;
  stage: string;
  lead_on: string;
  negotiating_on: string | null;
  signed_on: string | null;
  approved_on: string | null;
  landed_on: string | null;
  started_on: string | null;
  producing_on: string | null;
  terminated_on: string | null;
  signed_amount: number | null;
  foreign_usd: number | null;
  funds_in_place: number | null;
  last_followup_on: string | null;
}

/** A rate as its parts: `rate` is unrounded (null when the denominator is 0). */
export interface Rate {
  num: number;
  den: number;
  rate: number | null;
}

function rate(num: number, den: number): Rate {
  return { num, den, rate: den === 0 ? null : num / den };
}

export type GroupBy = 'team' | 'region' | 'industry' | 'month';

/** The figures of one group (or of the whole period). */
export interface FigureRow {
  key: string;
  label: string;
  signed_count: number;
  signed_amount: number;
  signed_big_count: number;
  signed_big_amount: number;
  foreign_usd: number;
  started_count: number;
  producing_count: number;
  /** Starts in the period with a signing date, and their signing → start days summed. */
  sign_to_start_count: number;
  sign_to_start_days: number;
  /** Average months from signing to start (days ÷ 30.44), unrounded; null without such starts. */
  sign_to_start_months: number | null;
  /** 履约率: funds in place of the period's signings ÷ their signed amount. */
  performance: Rate;
}

/** One stage of the funnel: how many records reached it and the conversion from the stage before. */
export interface FunnelStep {
  stage: LeadStage;
  reached: number;
  /** reached ÷ the previous stage's reached (null for 线索). */
  conversion: Rate | null;
}

/** A period: inclusive 'YYYY-MM-DD' bounds. */
export interface Period {
  from: string;
  to: string;
}

const DAYS_PER_MONTH = 365.25 / 12;

/** The period of a year, a quarter of it or a month of it. */
export function periodOf(year: number, quarter?: number, month?: number): Period {
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastDay = (m: number) => new Date(Date.UTC(year, m, 0)).getUTCDate();
  if (month) return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(lastDay(month))}` };
  if (quarter) {
    const m0 = (quarter - 1) * 3 + 1;
    return { from: `${year}-${pad(m0)}-01`, to: `${year}-${pad(m0 + 2)}-${pad(lastDay(m0 + 2))}` };
  }
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** Days from a to b ('YYYY-MM-DD'). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The date n months after a date (the last day of a shorter month when the day does not exist). */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + n;
  const ty = Math.floor(total / 12);
  const tm = total % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return `${ty}-${String(tm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

const within = (d: string | null, p: Period): d is string => d !== null && d >= p.from && d <= p.to;

function emptyRow(key: string, label: string): FigureRow {
  return {
    key, label, signed_count: 0, signed_amount: 0, signed_big_count: 0, signed_big_amount: 0, foreign_usd: 0, started_count: 0,
    producing_count: 0, sign_to_start_count: 0, sign_to_start_days: 0, sign_to_start_months: null, performance: rate(0, 0),
  };
}

function groupOf(l: FigureLead, by: GroupBy | undefined, date: string): { key: string; label: string } {
  switch (by) {
    case 'team': return { key: String(l.team_id), label: l.team_name ?? String(l.team_id) };
    case 'region': return { key: l.region_code, label: l.region_name ?? l.region_code };
    case 'industry': return { key: l.industry ?? '', label: l.industry ?? '（未填产业）' };
    case 'month': return { key: date.slice(0, 7), label: `${Number(date.slice(5, 7))}月` };
    case undefined: return { key: 'all', label: '合计' };
  }
}

/** The period's figures, in total and by the breakdown (groups sorted by key). */
export function computeFigures(leads: readonly FigureLead[], period: Period, by?: GroupBy): { total: FigureRow; groups: FigureRow[] } {
  const groups = new Map<string, FigureRow & { _funds: number }>();
  const total = { ...emptyRow('all', '合计'), _funds: 0 };
  const rowFor = (l: FigureLead, date: string) => {
    const g = groupOf(l, by, date);
    let r = groups.get(g.key);
    if (!r) groups.set(g.key, (r = { ...emptyRow(g.key, g.label), _funds: 0 }));
    return r;
  };
  for (const l of leads) {
    if (within(l.signed_on, period)) {
      const amount = l.signed_amount ?? 0;
      for (const r of [total, rowFor(l, l.signed_on)]) {
        r.signed_count++;
        r.signed_amount += amount;
        r.foreign_usd += l.foreign_usd ?? 0;
        if (amount >= BIG_SIGNING_YUAN) {
          r.signed_big_count++;
          r.signed_big_amount += amount;
        }
        r._funds += l.funds_in_place ?? 0;
      }
    }
    if (within(l.started_on, period)) {
      for (const r of [total, rowFor(l, l.started_on)]) {
        r.started_count++;
        if (l.signed_on) {
          r.sign_to_start_count++;
          r.sign_to_start_days += daysBetween(l.signed_on, l.started_on);
        }
      }
    }
    if (within(l.producing_on, period)) for (const r of [total, rowFor(l, l.producing_on)]) r.producing_count++;
  }
  const finish = ({ _funds, ...r }: FigureRow & { _funds: number }): FigureRow => ({
    ...r,
    sign_to_start_months: r.sign_to_start_count === 0 ? null : r.sign_to_start_days / r.sign_to_start_count / DAYS_PER_MONTH,
    performance: rate(_funds, r.signed_amount),
  });
  return { total: finish(total), groups: [...groups.values()].map(finish).sort((a, b) => a.key.localeCompare(b.key)) };
}

/** The stage a record reached (its current stage; a terminated record keeps the stage it had reached). */
function reachedIndex(l: FigureLead): number {
  return (LEAD_STAGES as readonly string[]).includes(l.stage) ? stageIndex(l.stage as LeadStage) : 0;
}

/**
 * The funnel at the period's end: records registered by then, each counted in every stage up to the one it had
 * reached by then (a stage entered after the period's end does not count).
 */
export function computeFunnel(leads: readonly FigureLead[], periodEnd: string): FunnelStep[] {
  const reached = LEAD_STAGES.map(() => 0);
  for (const l of leads) {
    if (l.lead_on > periodEnd) continue;
    let top = 0;
    const dates = [l.lead_on, l.negotiating_on, l.signed_on, l.approved_on, l.landed_on, l.started_on, l.producing_on];
    for (let i = reachedIndex(l); i >= 0; i--) {
      const d = dates[i];
      // A skipped stage has no date: it counts when a later stage reached by the period's end does.
      if (d !== null && d !== undefined && d <= periodEnd) {
        top = i;
        break;
      }
    }
    for (let i = 0; i <= top; i++) reached[i]!++;
  }
  return LEAD_STAGES.map((stage, i) => ({ stage, reached: reached[i]!, conversion: i === 0 ? null : rate(reached[i]!, reached[i - 1]!) }));
}

/** Signed, not started, not terminated, and past the start limit: the "签约未开工" list, longest waiting first. */
export function overdueStarts<T extends FigureLead>(leads: readonly T[], today: string, limitMonths: number): (T & { due_on: string; overdue_days: number })[] {
  return leads.filter((l) => l.signed_on && !l.started_on && !l.terminated_on && addMonths(l.signed_on, limitMonths) < today)
    .map((l) => {
      const due = addMonths(l.signed_on!, limitMonths);
      return { ...l, due_on: due, overdue_days: daysBetween(due, today) };
    })
    .sort((a, b) => b.overdue_days - a.overdue_days || a.id - b.id);
}

/** Open records (not terminated, not producing) without a follow-up for more than `days` days, stalest first. */
export function staleLeads<T extends FigureLead>(leads: readonly T[], today: string, days: number): (T & { idle_days: number })[] {
  return leads.filter((l) => !l.terminated_on && l.stage !== 'producing')
    .map((l) => ({ ...l, idle_days: daysBetween(l.last_followup_on ?? l.lead_on, today) }))
    .filter((l) => l.idle_days > days)
    .sort((a, b) => b.idle_days - a.idle_days || a.id - b.id);
}

/** The quarter's 三个一批 (签约一批/开工一批/投产一批) from the stage dates, each list by date then id. */
export function threeBatches<T extends FigureLead>(leads: readonly T[], year: number, quarter: number): { signed: T[]; started: T[]; producing: T[] } {
  const p = periodOf(year, quarter);
  const pick = (f: 'signed_on' | 'started_on' | 'producing_on') => leads.filter((l) => within(l[f], p))
    .sort((a, b) => a[f]!.localeCompare(b[f]!) || a.id - b.id);
  return { signed: pick('signed_on'), started: pick('started_on'), producing: pick('producing_on') };
}
