// The bulletin's feed sections (issues 17, 18, 21): what the supervision (督查督办, 会议), problems (问题台账) and
// attraction (招商引资) modules measured for the bulletin's month, frozen with the other figures at 签发, and the
// paragraphs and tables the bulletin prints from them. Pure: the server reads the figures through each module's
// index.ts (server/modules/bulletins/bulletin.feeds.ts); here they only become text. Counts are integers, money is
// integer yuan, rates are kept as numerator and denominator and rounded only when printed.
import { fraction, formatPercent } from '../indicators.ts';
import { formatYi } from '../money.ts';
import type { DocBlock, DocColumn } from './compose.ts';

/** The sections a bulletin can quote; the office leaves any of them out per bulletin. */
export const FEED_KEYS = ['supervision', 'meetings', 'problems', 'attraction'] as const;
export type FeedKey = (typeof FEED_KEYS)[number];

export const FEED_LABELS: Record<FeedKey, string> = {
  supervision: '督查督办情况', meetings: '会议议定事项落实情况', problems: '企业问题办理情况', attraction: '招商引资情况',
};

/** A rate as its parts (den 0: no rate). */
export interface FeedRate {
  num: number;
  den: number;
}

/** One lead unit's supervision figures for the month (core/supervision/figures.ts definitions). */
export interface SupervisionFeedUnit {
  unit_id: number;
  name: string;
  /** Matters assigned to the unit in the month. */
  received: number;
  /** Matters whose close was approved in the month. */
  closed: number;
  /** Open past their due date at the month's end (or today, for the current month). */
  overdue: number;
  /** 按期办结率: matters due in the month closed on time ÷ matters due in the month. */
  on_time: FeedRate;
}

export interface SupervisionFeed {
  /** 'YYYY-MM'. */
  month: string;
  received: number;
  closed: number;
  overdue: number;
  on_time: FeedRate;
  units: SupervisionFeedUnit[];
}

/** One meeting held in the month, with its decisions' progress (the meetings page's figures). */
export interface MeetingFeedRow {
  held_on: string;
  title: string;
  decisions: number;
  /** Decisions turned into at least one matter. */
  assigned: number;
  /** Decisions whose matters are all closed. */
  done: number;
}

export interface MeetingsFeed {
  month: string;
  meetings: MeetingFeedRow[];
}

/** One owning department's problem figures (core/problems/figures.ts definitions). */
export interface ProblemsFeedRow {
  name: string;
  /** Problems received in the year. */
  total: number;
  accepted: number;
  closed: number;
  /** 办结率 = closed ÷ accepted. */
  closed_rate: FeedRate;
  /** 按期办结率 = closed with the last answer by the time limit ÷ closed. */
  on_time_rate: FeedRate;
  /** Open past their current time limit today. */
  overdue: number;
}

export interface ProblemsFeed {
  year: number;
  /** Problems closed in the year ("N problems solved this year"). */
  solved_in_year: number;
  total: ProblemsFeedRow;
  departments: ProblemsFeedRow[];
}

/** Attraction figures of a period (core/attraction/figures.ts definitions). */
export interface AttractionFeedPeriod {
  signed_count: number;
  signed_amount: number;
  signed_big_count: number;
  signed_big_amount: number;
  started_count: number;
  producing_count: number;
}

export interface AttractionFeed {
  month: AttractionFeedPeriod;
  /** From January 1 to the month's end. */
  year_to_date: AttractionFeedPeriod;
  /** The funnel at the month's end: records that had reached each stage. */
  funnel: { stage: string; label: string; reached: number }[];
}

/** The feed figures a bulletin froze; a section left out (or a version issued before feeds existed) is absent. */
export interface FeedFigures {
  supervision?: SupervisionFeed;
  meetings?: MeetingsFeed;
  problems?: ProblemsFeed;
  attraction?: AttractionFeed;
}

/** The left-out keys as stored ('supervision,problems'), unknown keys dropped. */
export function parseOmitted(stored: string): FeedKey[] {
  const keys = new Set(stored.split(',').map((s) => s.trim()));
  return FEED_KEYS.filter((k) => keys.has(k));
}

/** A rate printed with one decimal and '%', or null over nothing. */
export function ratePercent(r: FeedRate): string | null {
  const f = fraction(r.num, r.den);
  return f === null ? null : `${formatPercent(f)}%`;
}

const cell = (r: FeedRate) => ratePercent(r)?.replace('%', '') ?? '—';
const left = (header: string, width: number): DocColumn => ({ header, width, align: 'left' });
const right = (header: string, width: number): DocColumn => ({ header, width, align: 'right' });

/** '3月12日'. */
function monthDay(date: string): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

function supervisionBlocks(s: SupervisionFeed): DocBlock[] {
  const rate = ratePercent(s.on_time);
  const text = `本月共交办督办事项${s.received}项，已办结${s.closed}项，${rate ? `按期办结率${rate}` : '本月无到期督办事项'}；截至月底，逾期未办结${s.overdue}项。`;
  const blocks: DocBlock[] = [{ kind: 'paragraph', text }];
  const lagging = s.units.filter((u) => u.overdue > 0).sort((a, b) => b.overdue - a.overdue || a.unit_id - b.unit_id);
  if (lagging.length) blocks.push({ kind: 'paragraph', text: `逾期事项较多的单位有${lagging.slice(0, 3).map((u) => `${u.name}（${u.overdue}项）`).join('、')}，请抓紧办理。` });
  if (s.units.length) {
    blocks.push({
      kind: 'table', title: '各单位督办事项办理情况', note: '注：按期办结率 = 本月到期且按期申请办结并获批的事项 ÷ 本月到期事项；逾期为截至月底仍未办结且已过期限的事项。',
      columns: [left('牵头单位', 32), right('本月交办（项）', 16), right('本月办结（项）', 16), right('逾期（项）', 14), right('按期办结率（%）', 18)],
      rows: [...s.units.map((u) => [u.name, String(u.received), String(u.closed), String(u.overdue), cell(u.on_time)]),
        ['合计', String(s.received), String(s.closed), String(s.overdue), cell(s.on_time)]],
    });
  }
  return blocks;
}

function meetingBlocks(m: MeetingsFeed): DocBlock[] {
  if (m.meetings.length === 0) return [{ kind: 'paragraph', text: '本月未召开调度会议。' }];
  const sum = (f: (x: MeetingFeedRow) => number) => m.meetings.reduce((a, x) => a + f(x), 0);
  const each = m.meetings.map((x) => `${monthDay(x.held_on)}${x.title}议定事项${x.decisions}项，已办结${x.done}项`).join('；');
  return [{
    kind: 'paragraph',
    text: `本月共召开调度会议${m.meetings.length}次，研究议定事项${sum((x) => x.decisions)}项，已转为督办事项${sum((x) => x.assigned)}项，已办结${sum((x) => x.done)}项。其中，${each}。`,
  }];
}

function problemBlocks(p: ProblemsFeed): DocBlock[] {
  const t = p.total;
  const closedRate = ratePercent(t.closed_rate);
  const onTime = ratePercent(t.on_time_rate);
  const text = `${p.year}年以来，共收到企业反映问题${t.total}个，已受理${t.accepted}个，已办结${t.closed}个${closedRate ? `，办结率${closedRate}` : ''}${onTime ? `，按期办结率${onTime}` : ''}；当前逾期未办结${t.overdue}个。`;
  const blocks: DocBlock[] = [{ kind: 'paragraph', text }];
  if (p.departments.length) {
    blocks.push({
      kind: 'table', title: '各承办部门问题办理情况', note: '注：办结率 = 已销号件数 ÷ 受理件数；按期办结率 = 最后一次答复不晚于办结时限的已销号件数 ÷ 已销号件数；逾期为当前已超过时限仍未办结的问题。',
      columns: [left('承办部门', 30), right('收到（个）', 12), right('受理（个）', 12), right('办结（个）', 12), right('办结率（%）', 12), right('按期办结率（%）', 14), right('逾期（个）', 10)],
      rows: [...p.departments, t].map((d) => [d === t ? '合计' : d.name, String(d.total), String(d.accepted), String(d.closed), cell(d.closed_rate), cell(d.on_time_rate), String(d.overdue)]),
    });
  }
  return blocks;
}

function attractionBlocks(a: AttractionFeed, month: number): DocBlock[] {
  const m = a.month;
  const y = a.year_to_date;
  const big = (x: AttractionFeedPeriod) => (x.signed_big_count ? `，其中亿元以上项目${x.signed_big_count}个、${formatYi(x.signed_big_amount)}亿元` : '');
  const period = month === 1 ? '1月' : `1–${month}月`;
  const reached = a.funnel.filter((s) => s.stage !== 'lead').map((s) => `${s.label}${s.reached}个`).join('、');
  const total = a.funnel[0]?.reached ?? 0;
  return [
    {
      kind: 'paragraph',
      text: `本月新签约招商项目${m.signed_count}个，签约额${formatYi(m.signed_amount)}亿元${big(m)}；新开工${m.started_count}个，新投产${m.producing_count}个。${period}累计签约${y.signed_count}个，签约额${formatYi(y.signed_amount)}亿元${big(y)}；累计开工${y.started_count}个，投产${y.producing_count}个。截至月底，在库招商项目${total}个${reached ? `，其中已到达${reached}` : ''}。`,
    },
    {
      kind: 'table', title: '招商引资推进情况', note: '注：签约、开工、投产按各阶段日期归属统计期；签约额为合同金额。',
      columns: [left('指标', 40), right('本月', 30), right(`${period}累计`, 30)],
      rows: [
        ['签约项目（个）', String(m.signed_count), String(y.signed_count)],
        ['签约额（亿元）', formatYi(m.signed_amount), formatYi(y.signed_amount)],
        ['其中亿元以上项目（个）', String(m.signed_big_count), String(y.signed_big_count)],
        ['开工项目（个）', String(m.started_count), String(y.started_count)],
        ['投产项目（个）', String(m.producing_count), String(y.producing_count)],
      ],
    },
  ];
}

/** The sections to print, in FEED_KEYS order: a heading text and its paragraphs and tables. */
export function feedSections(f: FeedFigures | undefined, month: number): { key: FeedKey; heading: string; blocks: DocBlock[] }[] {
  if (!f) return [];
  const out: { key: FeedKey; heading: string; blocks: DocBlock[] }[] = [];
  if (f.supervision) out.push({ key: 'supervision', heading: FEED_LABELS.supervision, blocks: supervisionBlocks(f.supervision) });
  if (f.meetings) out.push({ key: 'meetings', heading: FEED_LABELS.meetings, blocks: meetingBlocks(f.meetings) });
  if (f.problems) out.push({ key: 'problems', heading: FEED_LABELS.problems, blocks: problemBlocks(f.problems) });
  if (f.attraction) out.push({ key: 'attraction', heading: FEED_LABELS.attraction, blocks: attractionBlocks(f.attraction, month) });
  return out;
}
