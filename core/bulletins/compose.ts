// Composition: a template and frozen figures become the document model (head, title, numbered body, tables,
// annexes, 落款, 版记) that server/modules/bulletins/bulletin.docx.ts lays out per GB/T 9704. Pure: the same
// template, figures and issue facts always give the same document.
import { formatPercent, timeProgress } from '../indicators.ts';
import { formatYi } from '../money.ts';
import { LIGHT_LABELS } from '../lights.ts';
import { formatDocNumber, formatIssueNumber } from '../numbering.ts';
import { feedSections } from './feeds.ts';
import type { BulletinFigures, FigureGroup } from './figures.ts';
import { chineseDate, enumerate, fill, gapPhrase, headingNumber } from './phrases.ts';
import { topAndBottom } from './ranking.ts';
import { placeFeeds, type BulletinTemplate, type TableKind, type TemplateBlock, type TemplateFonts } from './template.ts';

/** A table column: header, relative width, alignment. */
export interface DocColumn {
  header: string;
  width: number;
  align: 'left' | 'center' | 'right';
}

export type DocBlock =
  | { kind: 'heading'; level: 1 | 2 | 3 | 4; number: string; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; title: string | null; columns: DocColumn[]; rows: string[][]; note: string | null };

/** The document model, ready for layout. */
export interface BulletinDoc {
  head: {
    red_head: string;
    /** '2026年第5期', or '2026年第  期' on a draft. */
    issue: string;
    doc_number: string | null;
    issuer: string;
    date: string;
    /** Printed above the red head of a draft or a corrected re-issue. */
    marker: string | null;
  };
  title: string;
  recipients: string;
  body: DocBlock[];
  /** '附件：1.红黄灯项目名单' lines under the body. */
  annex_list: string[];
  signature: string;
  date: string;
  annexes: { label: string; title: string; blocks: DocBlock[] }[];
  cc: string;
  printed_by: string;
  printed_date: string;
  fonts: TemplateFonts;
}

/** The issue facts: the number (null on a draft), the date printed and the revision (2+ = corrected re-issue). */
export interface IssueFacts {
  issue_no: number | null;
  /** 'YYYY-MM-DD', China time. */
  date: string;
  revision: number;
  draft: boolean;
}

/** The placeholder values of a scope's indicators (the overall figures, or one group's). */
function indicatorValues(x: FigureGroup['indicators']): Record<string, string> {
  const s = x.sums;
  return {
    项目数: String(s.count), 总投资: formatYi(s.total_investment), 年度计划: formatYi(s.planned_investment), 完成投资: formatYi(s.completed_ytd),
    完成率: x.completion_rate.text, 序时差: gapPhrase(x.gap_points.text),
    计划开工: String(s.planned_starts), 已开工: String(s.started), 开工率: x.start_rate.whole_year.text,
    本期计划开工: String(s.planned_starts_to_date), 本期已开工: String(s.started_to_date), 本期开工率: x.start_rate.to_date.text,
    提前开工: String(s.early_starts), 延期开工: String(s.late_starts), 逾期未开工: String(s.overdue_starts),
    计划竣工: String(s.planned_completions), 已竣工: String(s.completed),
  };
}

/** Every placeholder's value for the figures. */
export function placeholderValues(t: BulletinTemplate, f: BulletinFigures): Record<string, string> {
  const { top, bottom } = topAndBottom(f.units);
  const withRate = (name: string, rate: string) => `${name}（${rate}%）`;
  const c = f.lights.counts;
  return {
    ...indicatorValues(f.overall),
    地区: f.area, 年: String(f.year), 月: String(f.month), 期间: f.period_label,
    序时进度: formatPercent(timeProgress(f.month, f.time_curve), t.time_progress_digits),
    红灯: String(c.red), 黄灯: String(c.yellow), 绿灯: String(c.green), 红黄灯: String(c.red + c.yellow),
    单位数: String(f.units.filter((u) => u.rank !== null).length),
    前三单位: top.map((u) => withRate(u.name, u.completion_rate_text)).join('、') || '（无）',
    后三单位: bottom.map((u) => withRate(u.name, u.completion_rate_text)).join('、') || '（无）',
    十快项目: f.fast.slice(0, 3).map((p) => withRate(p.name, p.completion_rate_text)).join('、') || '（无）',
    十慢项目: f.slow.slice(0, 3).map((p) => withRate(p.name, p.completion_rate_text)).join('、') || '（无）',
  };
}

const left = (header: string, width: number): DocColumn => ({ header, width, align: 'left' });
const right = (header: string, width: number): DocColumn => ({ header, width, align: 'right' });
const center = (header: string, width: number): DocColumn => ({ header, width, align: 'center' });

/** A breakdown table: one row per group and a 合计 row of the overall figures. */
function groupTable(f: BulletinFigures, groups: FigureGroup[], first: string): Omit<Extract<DocBlock, { kind: 'table' }>, 'title'> {
  const row = (label: string, x: FigureGroup['indicators']) => [
    label, String(x.sums.count), formatYi(x.sums.planned_investment), formatYi(x.sums.completed_ytd), x.completion_rate.text, x.gap_points.text,
  ];
  return {
    kind: 'table',
    columns: [left(first, 26), right('项目数（个）', 12), right('年度计划（亿元）', 16), right(`${f.period_label}完成（亿元）`, 16), right('完成率（%）', 14), right('与序时进度差（百分点）', 16)],
    rows: [...groups.map((g) => row(g.label, g.indicators)), row('合计', f.overall)],
    note: null,
  };
}

/** The rows and columns of an auto table. */
export function autoTable(kind: TableKind, f: BulletinFigures): Omit<Extract<DocBlock, { kind: 'table' }>, 'title'> {
  switch (kind) {
    case 'nature': return groupTable(f, f.by_nature, '建设性质');
    case 'category': return groupTable(f, f.by_category, '项目类别');
    case 'investment_type': return groupTable(f, f.by_investment_type, '投资类型');
    case 'unit_ranking': {
      const notes = f.units.filter((u) => u.note).map((u) => `${u.name}：${u.note}`);
      return {
        kind: 'table',
        columns: [center('名次', 8), left('单位', 22), right('项目数', 9), right('年度计划（亿元）', 14), right(`${f.period_label}完成（亿元）`, 14), right('完成率（%）', 12), right('与序时进度差（百分点）', 14)],
        rows: f.units.map((u) => [u.rank === null ? '—' : String(u.rank), u.name, String(u.count), formatYi(u.planned_investment), u.unrecorded ? '—' : formatYi(u.completed_ytd), u.completion_rate_text, u.gap_points_text]),
        note: notes.length ? `注：${notes.join('；')}。` : null,
      };
    }
    case 'lights':
      return {
        kind: 'table',
        columns: [center('序号', 7), left('项目名称', 30), left('责任单位', 18), center('灯色', 8), left('亮灯原因', 37)],
        rows: f.lights.list.map((l, i) => [String(i + 1), l.name, l.unit_name, LIGHT_LABELS[l.light], l.reason]),
        note: f.lights.list.length ? null : '本期无红灯、黄灯项目。',
      };
    case 'fast':
    case 'slow': {
      const list = kind === 'fast' ? f.fast : f.slow;
      return {
        kind: 'table',
        columns: [center('序号', 7), left('项目名称', 33), left('责任单位', 18), right('年度计划（亿元）', 14), right(`${f.period_label}完成（亿元）`, 14), right('完成率（%）', 12)],
        rows: list.map((p) => [String(p.rank), p.name, p.unit_name, formatYi(p.planned_investment), formatYi(p.completed_ytd), p.completion_rate_text]),
        note: list.length ? null : '无有年度计划投资的项目。',
      };
    }
  }
}

/** Caps a table's rows, saying how many were left out and where the whole list is. */
function limitRows<T extends { rows: string[][]; note: string | null }>(table: T, limit: number | undefined): T {
  if (limit === undefined || table.rows.length <= limit) return table;
  const more = `（仅列前${limit}个，另有${table.rows.length - limit}个，完整名单见系统导出。）`;
  return { ...table, rows: table.rows.slice(0, limit), note: table.note ? `${table.note}${more}` : more };
}

/** The groups a group_list enumerates. */
function groupsOf(f: BulletinFigures, source: Extract<TemplateBlock, { kind: 'group_list' }>['source']): { label: string; values: Record<string, string> }[] {
  if (source === 'units') {
    return f.units.map((u) => ({
      label: u.name,
      values: { 分组: u.name, 项目数: String(u.count), 年度计划: formatYi(u.planned_investment), 完成投资: formatYi(u.completed_ytd), 完成率: u.completion_rate_text, 序时差: gapPhrase(u.gap_points_text) },
    }));
  }
  const groups = source === 'nature' ? f.by_nature : source === 'category' ? f.by_category : f.by_investment_type;
  return groups.map((g) => ({ label: g.label, values: { ...indicatorValues(g.indicators), 分组: g.label } }));
}

/** Fills a template with figures and issue facts. Unknown placeholders stay visible (`{…}`) and are listed in `missing`. */
export function composeBulletin(t: BulletinTemplate, f: BulletinFigures, issue: IssueFacts): { doc: BulletinDoc; missing: string[] } {
  const missing = new Set<string>();
  const values = placeholderValues(t, f);
  // A rate over nothing prints '—', never '—%'.
  const text = (s: string) => fill(s, values, missing).replaceAll('—%', '—');
  const counters = [0, 0, 0, 0];
  const blocks = (list: TemplateBlock[]): DocBlock[] => list.flatMap((b): DocBlock[] => {
    switch (b.kind) {
      case 'heading': {
        counters[b.level - 1]!++;
        for (let l = b.level; l < 4; l++) counters[l] = 0;
        return [{ kind: 'heading', level: b.level, number: headingNumber(b.level, counters[b.level - 1]!), text: text(b.text) }];
      }
      case 'paragraph': return [{ kind: 'paragraph', text: text(b.text) }];
      case 'list': {
        const clauses = b.items.filter((item) => !item.unless_zero || (values[item.unless_zero] ?? '0') !== '0').map((item) => text(item.text));
        const body = enumerate(clauses);
        return body || b.lead ? [{ kind: 'paragraph', text: `${b.lead ? text(b.lead) : ''}${body}` }] : [];
      }
      case 'group_list': {
        const clauses = groupsOf(f, b.source).map((g) => fill(b.item, { ...values, ...g.values }, missing).replaceAll('—%', '—'));
        const body = enumerate(clauses);
        return body ? [{ kind: 'paragraph', text: `${b.lead ? text(b.lead) : ''}${body}` }] : [];
      }
      case 'table': return [{ ...limitRows(autoTable(b.table, f), b.limit), title: b.title ? text(b.title) : null }];
      case 'feeds': return feedSections(f.feeds, f.month).flatMap((s) => [...blocks([{ kind: 'heading', level: 1, text: s.heading }]), ...s.blocks]);
    }
  });
  const body = blocks(placeFeeds(t.body));
  const annexes = t.annexes.map((a, i) => {
    counters.fill(0);
    return { label: `附件${t.annexes.length > 1 ? i + 1 : ''}`, title: text(a.title), blocks: blocks(a.blocks) };
  });
  const date = chineseDate(issue.date);
  const docNumber = t.doc_prefix.trim() && issue.issue_no ? formatDocNumber({ prefix: text(t.doc_prefix), year: f.year, seq: issue.issue_no }) : null;
  const doc: BulletinDoc = {
    head: {
      red_head: text(t.red_head),
      issue: issue.issue_no ? formatIssueNumber(issue.issue_no, f.year) : `${f.year}年第　期`,
      doc_number: docNumber,
      issuer: text(t.issuer),
      date,
      marker: issue.draft ? '草稿（未签发）' : issue.revision > 1 ? `更正版（第${issue.revision}版）` : null,
    },
    title: text(t.title),
    recipients: text(t.recipients),
    body,
    annex_list: annexes.map((a, i) => (annexes.length > 1 ? `${i + 1}.${a.title}` : a.title)),
    signature: text(t.signature),
    date,
    annexes,
    cc: text(t.cc),
    printed_by: text(t.printed_by),
    printed_date: `${date}印发`,
    fonts: t.fonts,
  };
  return { doc, missing: [...missing] };
}
