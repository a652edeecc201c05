import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../errors.ts';
import { flattenCellValue, columnNumber, type CellScalar } from './cell.ts';
import { checkZip, decodeText, DEFAULT_LIMITS, parseDelimited, sniffFormat, type FileFormat, type UploadLimits } from './file-guard.ts';

/** One row as read: its 1-based number and its cells (index 0 is column A). */
export interface SheetRow {
  number: number;
  cells: CellScalar[];
}

/** A merged range, 1-based and inclusive. */
export interface MergeRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/**
 * One sheet. `merges` is known for the in-memory reader (whose merged cells already carry their master's value)
 * and null for the streaming reader and CSV, where merged headers must be inferred.
 */
export interface SheetSource {
  name: string;
  merges: MergeRange[] | null;
  rows: AsyncIterable<SheetRow>;
}

/** How a file was read, for the report. */
export interface ReadInfo {
  format: FileFormat;
  reader: 'memory' | 'stream' | 'csv';
  encoding?: string;
}

/** Files above this size are read with the streaming reader: the in-memory one needs ~20× the file in RAM. */
export const STREAM_THRESHOLD_BYTES = 3 * 1024 * 1024;

function parseRange(ref: string): MergeRange | undefined {
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(ref);
  if (!m) return undefined;
  return { left: columnNumber(m[1]!), top: Number(m[2]), right: columnNumber(m[3]!), bottom: Number(m[4]) };
}

function rowCells(values: unknown): CellScalar[] {
  // exceljs rows are sparse arrays indexed from 1.
  const arr = Array.isArray(values) ? values : [];
  const cells: CellScalar[] = [];
  for (let c = 1; c < arr.length; c++) cells.push(flattenCellValue(arr[c]));
  while (cells.length && cells[cells.length - 1] === null) cells.pop();
  return cells;
}

function tooManyRows(limits: UploadLimits): AppError {
  return new AppError('payload_too_large', `文件行数超过上限 ${limits.maxRows.toLocaleString('en-US')} 行，请拆分后分批导入`);
}

async function* memorySheets(buf: Buffer, limits: UploadLimits): AsyncGenerator<SheetSource> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new AppError('unprocessable', '文件已损坏或不是有效的 Excel 文件，无法读取');
  }
  let total = 0;
  for (const ws of wb.worksheets) {
    if (ws.state === 'hidden' || ws.state === 'veryHidden') continue;
    const merges = (ws.model.merges ?? []).map(parseRange).filter((r): r is MergeRange => !!r);
    const rows: SheetRow[] = [];
    ws.eachRow({ includeEmpty: false }, (row, number) => {
      rows.push({ number, cells: rowCells(row.values) });
    });
    total += rows.length;
    if (total > limits.maxRows) throw tooManyRows(limits);
    yield { name: ws.name, merges, rows: (async function* () { yield* rows; })() };
  }
}

async function* streamSheets(buf: Buffer, limits: UploadLimits): AsyncGenerator<SheetSource> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), {
    sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'ignore',
  });
  let total = 0;
  try {
    for await (const ws of reader) {
      const name = (ws as unknown as { name: string }).name;
      const rows = (async function* () {
        for await (const row of ws) {
          if (++total > limits.maxRows) throw tooManyRows(limits);
          yield { number: row.number, cells: rowCells(row.values) };
        }
      })();
      yield { name, merges: null, rows };
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    // The parser's own message helps support staff tell a truncated upload from a foreign format.
    throw new AppError('unprocessable', '文件已损坏或不是有效的 Excel 文件，无法读取', { reason: err instanceof Error ? err.message : String(err) });
  }
}

function csvSheets(buf: Buffer, limits: UploadLimits): { info: ReadInfo; sheets: AsyncGenerator<SheetSource> } {
  const { text, encoding } = decodeText(buf);
  const table = parseDelimited(text);
  if (table.length > limits.maxRows) throw tooManyRows(limits);
  const rows: SheetRow[] = [];
  table.forEach((fields, i) => {
    const cells: CellScalar[] = fields.map((f) => (f.trim() === '' ? null : f));
    while (cells.length && cells[cells.length - 1] === null) cells.pop();
    if (cells.length) rows.push({ number: i + 1, cells });
  });
  return {
    info: { format: 'csv', reader: 'csv', encoding },
    sheets: (async function* () { yield { name: 'CSV', merges: null, rows: (async function* () { yield* rows; })() }; })(),
  };
}

/**
 * Opens an upload after the guards (format, size, zip bound) and yields its visible sheets. Small workbooks are
 * read in memory (merges known); large ones, or `mode: 'stream'`, with the streaming reader.
 */
export async function openUpload(buf: Buffer, fileName: string, opts: { limits?: UploadLimits; mode?: 'memory' | 'stream' } = {}): Promise<{ info: ReadInfo; sheets: AsyncGenerator<SheetSource> }> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const format = sniffFormat(buf, fileName, limits);
  if (format === 'csv') return csvSheets(buf, limits);
  await checkZip(buf, limits);
  const mode = opts.mode ?? (buf.length > STREAM_THRESHOLD_BYTES ? 'stream' : 'memory');
  return {
    info: { format, reader: mode },
    sheets: mode === 'memory' ? memorySheets(buf, limits) : streamSheets(buf, limits),
  };
}
