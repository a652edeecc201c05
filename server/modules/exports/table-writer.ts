import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { loadExcel } from '../../excel.ts';
import { formatPercent, fraction } from '../../../core/indicators.ts';
import { yuanIn } from '../../../core/money.ts';
import { neutralize } from '../../../core/formula-text.ts';
import { clock } from '../../clock.ts';
import { chinaDateTime, chinaToday } from '../../../core/clock.ts';

/**
 * What a column holds. `seq` is the 序号 the writer numbers itself; `money` takes integer yuan and prints 万元;
 * `percent` and `points` take a value already rounded for print (45.5 = 45.5%); `count` an integer.
 */
export type ColumnKind = 'seq' | 'text' | 'money' | 'count' | 'percent' | 'points';

/** One column of an exported table. */
export interface TableColumn {
  header: string;
  kind: ColumnKind;
  width?: number;
  /** Money and count columns: add the column up in subtotal and total rows. */
  sum?: boolean;
  /** Percent columns: in subtotal and total rows, Σ numerator column ÷ Σ denominator column (indices into columns). */
  ratioOf?: readonly [number, number];
  /** Subtotal and total rows write "n 个项目" in this column. */
  counts?: boolean;
}

/** A data cell as the caller gives it: money in integer yuan, text raw (the writer neutralizes it). */
export type CellInput = string | number | null | undefined;

/** The options of one sheet: its name, the title above the table and the note row under it. */
export interface SheetSpec {
  name: string;
  title: string;
  /** Left of the note row, e.g. the period or the export time. */
  note?: string;
  columns: readonly TableColumn[];
}

const NUMERALS = '零一二三四五六七八九';

/** 1 → 一, 12 → 十二, 23 → 二十三 (group headings). */
export function chineseOrdinal(n: number): string {
  if (n < 10) return NUMERALS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : NUMERALS[tens]}十${ones ? NUMERALS[ones] : ''}`;
}

/** The heading row of a group as offices print it: "一、投产达产（项目共计：12个）". */
export function groupHeading(index: number, name: string, count: number): string {
  return `${chineseOrdinal(index + 1)}、${name}（项目共计：${count}个）`;
}

/** A rounded-for-print percentage of two exact amounts (null when the denominator is 0). */
export function percentOf(numerator: number | bigint, denominator: number | bigint): number | null {
  const f = fraction(numerator, denominator);
  return f === null ? null : Number(formatPercent(f));
}

/** A printed rate text ('45.5', '—') as a number cell. */
export function percentCell(text: string): number | null {
  return text === '—' || text === '' ? null : Number(text);
}

/** 'attachment' with the Chinese file name encoded per RFC 5987 (and an ASCII fallback for old clients). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Today's date in China for file names and note rows. */
export function today(): string {
  return chinaToday(clock.now());
}

/** An instant (now by default) as 北京时间 "YYYY-MM-DD HH:mm", as every export prints times. */
export function beijingDateTime(at: Date = clock.now()): string {
  return chinaDateTime(at);
}

const FORMATS: Record<ColumnKind, string | undefined> = {
  seq: undefined, text: undefined, money: '#,##0.00', count: '#,##0', percent: '0.0', points: '0.0',
};

// exceljs renders a style to XML per cell unless it has seen the very same style object before (a WeakMap):
// sharing frozen objects per kind makes 100k rows several times faster.
function frozenStyle(kind: ColumnKind, bold: boolean): Partial<ExcelJS.Style> {
  const numFmt = FORMATS[kind];
  return Object.freeze({ ...(numFmt ? { numFmt } : {}), ...(bold ? { font: { bold: true } } : {}) });
}
const STYLES = new Map<string, Partial<ExcelJS.Style>>();
function styleOf(kind: ColumnKind, bold: boolean): Partial<ExcelJS.Style> {
  const key = `${kind}:${bold ? 1 : 0}`;
  let s = STYLES.get(key);
  if (!s) STYLES.set(key, (s = frozenStyle(kind, bold)));
  return s;
}

const HEADER_ROW = 3;

/**
 * One streamed table: title, a note row with "单位：万元" at its right end when it holds money, a frozen header row,
 * data rows, optional group headings with subtotals, and a totals row. Every row is committed as it is written, so
 * memory does not grow with the row count. Money is summed exactly in integer yuan.
 */
export class TableSheet {
  private readonly ws: ExcelJS.Worksheet;
  private readonly columns: readonly TableColumn[];
  private readonly styles: Partial<ExcelJS.Style>[];
  private readonly boldStyles: Partial<ExcelJS.Style>[];
  private rowNumber = HEADER_ROW;
  private seq = 0;
  private groupRows = 0;
  private readonly totalSums: bigint[];
  private groupSums: bigint[];
  /** Data rows written so far. */
  get rows(): number {
    return this.seq;
  }

  private readonly out: Writable;

  constructor(wb: ExcelJS.stream.xlsx.WorkbookWriter, out: Writable, spec: SheetSpec) {
    this.out = out;
    this.columns = spec.columns;
    this.styles = spec.columns.map((c) => styleOf(c.kind, false));
    this.boldStyles = spec.columns.map((c) => styleOf(c.kind, true));
    this.totalSums = spec.columns.map(() => 0n);
    this.groupSums = spec.columns.map(() => 0n);
    this.ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: HEADER_ROW, xSplit: 0 }] });
    this.ws.columns = spec.columns.map((c) => ({ width: c.width ?? (c.kind === 'seq' ? 7 : c.kind === 'text' ? 16 : 14) }));
    const title = this.ws.getRow(1);
    title.getCell(1).value = spec.title;
    title.getCell(1).font = { bold: true, size: 14 };
    title.commit();
    const note = this.ws.getRow(2);
    if (spec.note) note.getCell(1).value = spec.note;
    if (spec.columns.some((c) => c.kind === 'money')) note.getCell(spec.columns.length).value = '单位：万元';
    note.commit();
    const header = this.ws.getRow(HEADER_ROW);
    header.values = spec.columns.map((c) => c.header);
    header.font = { bold: true };
    header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    header.commit();
  }

  private put(values: ExcelJS.CellValue[], bold: boolean): void {
    const row = this.ws.getRow(++this.rowNumber);
    row.values = values;
    const styles = bold ? this.boldStyles : this.styles;
    for (let i = 0; i < styles.length; i++) row.getCell(i + 1).style = styles[i]!;
    row.commit();
  }

  /** A group heading row ("一、投产达产（项目共计：n个）"); the rows after it are subtotalled by `subtotal()`. */
  heading(text: string): void {
    const row = this.ws.getRow(++this.rowNumber);
    row.getCell(1).value = neutralize(text);
    row.font = { bold: true };
    row.commit();
    this.groupSums = this.columns.map(() => 0n);
    this.groupRows = 0;
  }

  /** One data row: a value per column (the seq column's is ignored and numbered). */
  row(values: readonly CellInput[]): void {
    this.seq++;
    this.groupRows++;
    const out: ExcelJS.CellValue[] = new Array<ExcelJS.CellValue>(this.columns.length);
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i]!;
      const v = values[i];
      if (c.kind === 'seq') out[i] = this.seq;
      else if (v === null || v === undefined || v === '') out[i] = null;
      else if (typeof v === 'string') out[i] = neutralize(v);
      else if (c.kind === 'money') {
        out[i] = yuanIn(v, '万元');
        if (c.sum) {
          this.groupSums[i]! += BigInt(v);
          this.totalSums[i]! += BigInt(v);
        }
      } else {
        out[i] = v;
        if (c.sum && Number.isInteger(v)) {
          this.groupSums[i]! += BigInt(v);
          this.totalSums[i]! += BigInt(v);
        }
      }
    }
    this.put(out, false);
  }

  /** A bold row of given values (e.g. an overall figure computed elsewhere); money in yuan, nothing summed. */
  summary(label: string, values: readonly CellInput[]): void {
    this.put(this.columns.map((c, i) => {
      if (i === 0) return label;
      const v = values[i];
      if (v === null || v === undefined || v === '') return null;
      if (typeof v === 'string') return neutralize(v);
      return c.kind === 'money' ? yuanIn(v, '万元') : v;
    }), true);
  }

  private sumsRow(label: string, sums: bigint[], rows: number): void {
    this.put(this.columns.map((c, i) => {
      if (i === 0) return label;
      if (c.counts) return `${rows} 个项目`;
      if (c.sum) return c.kind === 'money' ? yuanIn(sums[i]!, '万元') : Number(sums[i]!);
      if (c.ratioOf) return percentOf(sums[c.ratioOf[0]]!, sums[c.ratioOf[1]]!);
      return null;
    }), true);
  }

  /** The 小计 row of the current group. */
  subtotal(label = '小计'): void {
    this.sumsRow(label, this.groupSums, this.groupRows);
  }

  /** The 合计 row of every data row written. */
  total(label = '合计'): void {
    this.sumsRow(label, this.totalSums, this.seq);
  }

  /**
   * Waits until the zip has taken what was written so far. exceljs writes a sheet's XML into the zip without
   * backpressure (archiver-utils pipes its StreamBuf into a PassThrough whose return value nobody reads), and with
   * better-sqlite3's synchronous reads nothing else yields to the event loop, so zlib never got to deflate before the
   * last row: the whole sheet piled up in memory. Waiting for that stream to drain after each page keeps memory flat
   * whatever the row count. Throws when the download was aborted (the output closed), so the export stops reading.
   */
  async drained(): Promise<void> {
    const pipes = (this.ws as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes ?? [];
    for (const pipe of pipes) {
      // archiver's PassThrough comes from readable-stream, which may predate `writableNeedDrain`.
      const state = (pipe as unknown as { _writableState?: { needDrain?: boolean } })._writableState;
      if (!pipe.writableNeedDrain && !state?.needDrain) continue;
      if (this.out.destroyed) throw new Error('export aborted: the output was closed');
      const stop = new AbortController();
      try {
        await Promise.race([once(pipe, 'drain', { signal: stop.signal }), once(this.out, 'close', { signal: stop.signal })]);
      } finally {
        stop.abort();
      }
      if (this.out.destroyed) throw new Error('export aborted: the output was closed');
    }
  }

  /** Ends the sheet (a streamed workbook writes one sheet after another). */
  commit(): void {
    this.ws.commit();
  }
}

/** A streamed .xlsx workbook written to `out` as it is built: one or more `TableSheet`s, then `commit()`. */
export class XlsxStream {
  private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly out: Writable;
  private constructor(wb: ExcelJS.stream.xlsx.WorkbookWriter, out: Writable) {
    this.wb = wb;
    this.out = out;
  }

  /** Opens a workbook streamed to `out`. */
  static async open(out: Writable): Promise<XlsxStream> {
    const Excel = await loadExcel();
    const wb = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = 'Docket';
    return new XlsxStream(wb, out);
  }

  /** Starts a sheet; the previous one must be committed first. */
  sheet(spec: SheetSpec): TableSheet {
    return new TableSheet(this.wb, this.out, spec);
  }

  /** Finishes the workbook (the output stream ends). */
  async commit(): Promise<void> {
    await this.wb.commit();
  }
}
