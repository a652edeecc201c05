// The year and period (1–N月) of a project list, inferred from what the sheet itself says, in this order: the
// column headers (2025年计划投资, 1-9月累计完成投资额, 至2024年底累计完成投资), the title rows above the header
// (2025年县重点项目1-5月建设进度表), the sheet name (2025年1-5月). An explicit 年度 column still wins per row, and the
// wizard or the CLI (--year, --month) overrides all of it. Two places naming different years is an error.

import type { SheetRow } from './sheet-reader.ts';
import type { SheetLayout } from './layout.ts';

/** Where a year or month was read. */
export type PeriodSource = 'option' | 'header' | 'title' | 'sheet';

export const PERIOD_SOURCE_LABELS: Record<PeriodSource, string> = { option: '导入选项', header: '列标题', title: '标题行', sheet: '工作表名称' };

export interface PeriodFinding {
  year?: number;
  month?: number;
  source: PeriodSource;
  /** The text it was read from. */
  text: string;
}

export interface InferredPeriod {
  year?: number;
  yearSource?: PeriodSource;
  month?: number;
  monthSource?: PeriodSource;
  findings: PeriodFinding[];
  /** Chinese messages for places that disagree. */
  conflicts: string[];
}

const YEAR = /((?:19|20)\d{2})\s*年(?!底|末)/;
const RANGE = /(?:^|[^\d])1\s*[-–—~至到]\s*(\d{1,2})\s*月/;
const SINGLE_MONTH = /((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月/;
const YEAR_END = /(?:截)?至\s*((?:19|20)\d{2})\s*年\s*(?:底|末)/;

/** The year and month one text names ("2025年1-5月" → 2025, 5; "至2024年底" → year 2025). */
export function periodOfText(text: string): { year?: number; month?: number } {
  const t = text.normalize('NFKC');
  const out: { year?: number; month?: number } = {};
  const end = YEAR_END.exec(t);
  if (end) out.year = Number(end[1]) + 1;
  const y = YEAR.exec(t.replace(YEAR_END, ''));
  if (y) out.year = Number(y[1]);
  const r = RANGE.exec(t);
  const single = SINGLE_MONTH.exec(t);
  const month = r ? Number(r[1]) : single ? Number(single[2]) : undefined;
  if (month !== undefined && month >= 1 && month <= 12) out.month = month;
  return out;
}

/** Infers a sheet's year and period; `override` (wizard, CLI) wins without a conflict. */
export function inferPeriod(sheetName: string, head: SheetRow[], layout: SheetLayout, override: { year?: number; month?: number }): InferredPeriod {
  const findings: PeriodFinding[] = [];
  // Headers of the columns that carry a year or a period: plan, progress, completed-before-year.
  for (const c of layout.columns) {
    if (!['planned_investment', 'progress_ytd', 'completed_before_year', 'progress_text'].includes(c.field.key)) continue;
    const p = periodOfText(c.header);
    if (p.year !== undefined || p.month !== undefined) findings.push({ ...p, source: 'header', text: c.header });
  }
  for (const row of head) {
    if (row.number >= layout.headerTop) break;
    const seen = new Set<string>();
    for (const cell of row.cells) {
      // A note such as 填报时间：2025年6月5日 names the day of filing, not the period.
      if (typeof cell !== 'string' || seen.has(cell) || /\d\s*日|填报(时间|日期)|制表|报送/.test(cell)) continue;
      seen.add(cell);
      const p = periodOfText(cell);
      if (p.year !== undefined || p.month !== undefined) findings.push({ ...p, source: 'title', text: cell.trim() });
    }
  }
  const fromSheet = periodOfText(sheetName);
  if (fromSheet.year !== undefined || fromSheet.month !== undefined) findings.push({ ...fromSheet, source: 'sheet', text: sheetName });

  const out: InferredPeriod = { findings, conflicts: [] };
  if (override.year !== undefined) Object.assign(out, { year: override.year, yearSource: 'option' });
  if (override.month !== undefined) Object.assign(out, { month: override.month, monthSource: 'option' });
  for (const f of findings) {
    if (f.year !== undefined) {
      if (out.year === undefined) Object.assign(out, { year: f.year, yearSource: f.source });
      else if (out.year !== f.year && out.yearSource !== 'option') out.conflicts.push(`年度不一致：${PERIOD_SOURCE_LABELS[out.yearSource!]}为 ${out.year} 年，${PERIOD_SOURCE_LABELS[f.source]}“${f.text}”为 ${f.year} 年`);
    }
    if (f.month !== undefined) {
      if (out.month === undefined) Object.assign(out, { month: f.month, monthSource: f.source });
      else if (out.month !== f.month && out.monthSource !== 'option') out.conflicts.push(`填报期不一致：${PERIOD_SOURCE_LABELS[out.monthSource!]}为 1-${out.month} 月，${PERIOD_SOURCE_LABELS[f.source]}“${f.text}”为 1-${f.month} 月`);
    }
  }
  return out;
}

/** "2025年1-5月（年度取自标题行，月份取自列标题）" for the report. */
export function describePeriod(p: InferredPeriod): string | undefined {
  if (p.year === undefined && p.month === undefined) return undefined;
  const what = `${p.year !== undefined ? `${p.year}年` : '年度未知'}${p.month !== undefined ? `1-${p.month}月` : ''}`;
  const from = [p.yearSource && `年度取自${PERIOD_SOURCE_LABELS[p.yearSource]}`, p.monthSource && `月份取自${PERIOD_SOURCE_LABELS[p.monthSource]}`].filter(Boolean).join('，');
  return `${what}（${from}）`;
}
