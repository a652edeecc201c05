import { findMoneyUnit, type MoneyUnit } from '../../../core/money.ts';
import { cellText, columnLetter, isCellError } from './cell.ts';
import { apiHeaderUnit, campaignGroupOf, matchField, normalizeHeader, SEQ_PATTERN, type FieldDef } from './columns.ts';
import type { MergeRange, SheetRow } from './sheet-reader.ts';

/** A column of the sheet as understood: its header path, the field it fills and, for money, its unit. */
export interface MappedColumn {
  col: number;
  letter: string;
  header: string;
  field: FieldDef;
  unit?: MoneyUnit;
  /** Where the unit came from: the header, a note row above the table, or the default (万元). */
  unitSource?: 'header' | 'note' | 'default';
}

/** Where a sheet's header sits and what its columns mean. */
export interface SheetLayout {
  headerTop: number;
  headerBottom: number;
  columns: MappedColumn[];
  /** The 序号 column (1-based), read only for package sub-item numbering. */
  seqCol?: number;
  /** Headers no field matched (reported, ignored). */
  unmapped: { letter: string; header: string }[];
  noteUnit?: MoneyUnit;
  /** A year named in the title above the header ("2026年重点项目计划表"). */
  titleYear?: number;
  /** A month named in the title ("2026年1-5月", "2026年5月"): the period's last month. */
  titleMonth?: number;
}

/** How many rows at the top of a sheet are searched for its header. */
export const HEADER_SEARCH_ROWS = 30;
const MAX_HEADER_ROWS = 4;

const texts = (row: SheetRow | undefined) => (row?.cells ?? []).map((c) => (typeof c === 'string' ? c.trim() : null));
const NUMERIC = /^[-+]?[\d,.]+%?$/;
const HEADERISH = /计划|完成|累计|合计|小计|其中|资金|投资|月|年|单位|时间|日期|名称|代码|情况|进度|备注/;

function fieldHits(row: SheetRow, fields: FieldDef[]): number {
  const seen = new Set<string>();
  for (const t of texts(row)) {
    if (!t) continue;
    const f = matchField([t], fields);
    if (f) seen.add(f.key);
  }
  return seen.size;
}

/** A row continuing a multi-row header: only non-numeric text, with at least one header-like cell. */
function isHeaderContinuation(row: SheetRow, fields: FieldDef[]): boolean {
  const nonEmpty = row.cells.filter((c) => c !== null);
  if (nonEmpty.length < 2) return false;
  if (!nonEmpty.every((c) => typeof c === 'string' && !NUMERIC.test(c.trim()))) return false;
  // A group heading right under the header (一、竣工投产项目（项目共计：12个…）, （一）续建项目), merged across the row,
  // is the first row of data, not part of the header.
  const distinct = new Set(nonEmpty.map((c) => (c as string).trim()));
  if (distinct.size === 1 || nonEmpty.some((c) => HEADING.test((c as string).trim()) || /(共计|合计)[:：]?\s*\d+\s*个/.test(c as string))) return false;
  return nonEmpty.some((c) => {
    const t = normalizeHeader(c as string);
    return !!matchField([t], fields) || HEADERISH.test(t) || SEQ_PATTERN.test(t);
  });
}

/**
 * Finds the header in the first rows of a sheet: the first row naming at least two known fields (one of them
 * the project name or code), extended downwards over merged or inferred sub-header rows. Group labels spanning
 * several columns are inferred when merges are unknown (streaming reader, CSV): a label followed by empty cells
 * whose row below has labels spans those cells.
 */
export function detectLayout(head: SheetRow[], merges: MergeRange[] | null, fields: FieldDef[]): SheetLayout | undefined {
  const top = head.findIndex((r) => {
    if (fieldHits(r, fields) < 2) return false;
    return texts(r).some((t) => t && ['name', 'code'].includes(matchField([t], fields)?.key ?? ''));
  });
  if (top < 0) return undefined;
  let bottom = top;
  const topNumber = head[top]!.number;
  if (merges) {
    for (const m of merges) {
      if (m.top === topNumber && m.bottom > topNumber) bottom = Math.max(bottom, top + (m.bottom - topNumber));
    }
    bottom = Math.min(bottom, top + MAX_HEADER_ROWS - 1, head.length - 1);
  }
  while (bottom + 1 < head.length && bottom - top + 1 < MAX_HEADER_ROWS && head[bottom + 1]!.number === head[bottom]!.number + 1 && isHeaderContinuation(head[bottom + 1]!, fields)) bottom++;

  // The header grid, with inferred horizontal spans when merges are unknown.
  const grid = head.slice(top, bottom + 1).map((r) => texts(r));
  const width = Math.max(...grid.map((r) => r.length));
  if (!merges) {
    for (let i = 0; i < grid.length - 1; i++) {
      for (let c = 0; c < width; c++) {
        if (!grid[i]![c]) continue;
        for (let d = c + 1; d < width && !grid[i]![d] && grid[i + 1]![d]; d++) grid[i]![d] = grid[i]![c]!;
      }
    }
  }

  let noteUnit: MoneyUnit | undefined;
  let titleYear: number | undefined;
  let titleMonth: number | undefined;
  for (const r of [...head.slice(0, top), ...head.slice(top, bottom + 1)]) {
    for (const c of r.cells) {
      if (typeof c !== 'string') continue;
      if (/单位/.test(c) && !noteUnit) {
        const u = /单位\s*[:：]/.test(c) ? findMoneyUnit(c) : undefined;
        if (u) noteUnit = u;
      }
      const y = /((?:19|20)\d{2})\s*年/.exec(c);
      if (y && !titleYear && head.indexOf(r) < top) {
        titleYear = Number(y[1]);
        const m = /(?:19|20)\d{2}\s*年\s*(?:1\s*[-–—~至]\s*)?(\d{1,2})\s*月/.exec(c);
        if (m && Number(m[1]) >= 1 && Number(m[1]) <= 12) titleMonth = Number(m[1]);
      }
    }
  }

  const columns: MappedColumn[] = [];
  const unmapped: SheetLayout['unmapped'] = [];
  const used = new Set<string>();
  let seqCol: number | undefined;
  for (let c = 0; c < width; c++) {
    const parts: string[] = [];
    for (const row of grid) {
      const t = row[c];
      if (t && !parts.includes(t)) parts.push(t);
    }
    if (!parts.length) continue;
    const header = parts.join('/');
    if (parts.some((p) => SEQ_PATTERN.test(normalizeHeader(p)))) {
      seqCol ??= c + 1;
      continue;
    }
    // A note like "单位：万元" sitting at the right end of a header row is not a column.
    if (parts.length === 1 && /^单位\s*[:：]/.test(parts[0]!)) continue;
    const field = matchField(parts, fields);
    if (!field || used.has(field.key)) {
      unmapped.push({ letter: columnLetter(c + 1), header });
      continue;
    }
    used.add(field.key);
    const mapped: MappedColumn = { col: c + 1, letter: columnLetter(c + 1), header, field };
    if (field.kind === 'money') {
      const own = (parts.length === 1 ? apiHeaderUnit(parts[0]!, field) : undefined) ?? [...parts].reverse().map((p) => findMoneyUnit(p)).find(Boolean);
      mapped.unit = own ?? noteUnit ?? '万元';
      mapped.unitSource = own ? 'header' : noteUnit ? 'note' : 'default';
    }
    columns.push(mapped);
  }
  return { headerTop: topNumber, headerBottom: head[bottom]!.number, columns, seqCol, unmapped, noteUnit, titleYear, titleMonth };
}

/** What a row below the header is. */
export type RowClass =
  | { type: 'blank' }
  | { type: 'total'; text: string }
  /** `top`: a first-level heading ("一、…"), which starts a new group even when it names none. */
  | { type: 'heading'; text: string; group?: string; top?: boolean }
  | { type: 'data' };

const TOTAL = /^(合\s*计|小\s*计|总\s*计|累\s*计|全部合计|总合计|共计)/;
const TOP_HEADING = /^[一二三四五六七八九十]+、/;
const HEADING = /^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+[部分类批]|[A-Z]、)/;

/**
 * Classifies a row: blank, a 合计/小计 row, a group heading ("一、投产达产", "（项目共计：12个…）": a single
 * distinct text, or numbering in the name column with nothing else of substance), or data.
 */
export function classifyRow(row: SheetRow, layout: SheetLayout): RowClass {
  const values = row.cells.filter((c) => c !== null && !isCellError(c));
  if (values.length === 0) return { type: 'blank' };
  const firstTexts = row.cells.slice(0, 4).filter((c): c is string => typeof c === 'string');
  for (const t of firstTexts) {
    if (TOTAL.test(t.trim())) return { type: 'total', text: t.trim() };
  }
  for (const m of layout.columns) {
    const t = row.cells[m.col - 1];
    if (typeof t === 'string' && TOTAL.test(t.trim())) return { type: 'total', text: t.trim() };
  }
  // Headings hold one distinct text (a merged heading is repeated in every cell by the in-memory reader).
  const first = cellText(values[0]!).trim();
  const single = values.every((v) => typeof v === 'string' && v.trim() === first);
  const nameCol = layout.columns.find((m) => m.field.key === 'name');
  const name = nameCol ? row.cells[nameCol.col - 1] : null;
  const numbered = firstTexts.find((t) => HEADING.test(t.trim()));
  const isStatsLine = (t: string) => /^[（(]?.*(共计|合计|共)[:：]?\s*\d+\s*个/.test(t);
  if (single) {
    const text = first;
    // A merged heading without numbering (新开工项目) repeats in several cells, the name column among them.
    if (HEADING.test(text) || isStatsLine(text) || !name || (values.length > 2 && PHASE_HEADING.test(text))) return heading(text);
  }
  if (numbered && (!name || name === numbered)) {
    return heading(numbered.trim());
  }
  return { type: 'data' };
}

/** Phases a heading may name when it names no campaign group of CAMPAIGN_GROUPS (竣工投产项目, 新开工项目, 续建项目). */
const PHASE_HEADING = /(竣工|投产|新开工|续建|在建|前期|储备|签约|计划开工)/;

function heading(text: string): RowClass {
  const own = PHASE_HEADING.test(text)
    ? text.replace(HEADING, '').replace(/[（(].*$/, '').replace(/[:：].*$/, '').replace(/项目$/, '').trim().slice(0, 32) || undefined
    : undefined;
  const group = campaignGroupOf(text) ?? own;
  return { type: 'heading', text, ...(group ? { group } : {}), ...(TOP_HEADING.test(text) ? { top: true } : {}) };
}
