import fs from 'node:fs';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { loadExcel } from '../../excel.ts';
import { AppError } from '../../errors.ts';
import { flattenCellValue, columnNumber, type CellScalar } from './cell.ts';
import { checkZip, corruptWorkbook, decodeText, DEFAULT_LIMITS, delimitedRows, readZipDirectory, sniffFormat, type FileFormat, type UploadLimits } from './file-guard.ts';

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
  /** 'stream' reads on a worker thread (see sheet-worker.ts). */
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
  const wb = new (await loadExcel()).Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw corruptWorkbook();
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

/** What the streaming reader must have seen before a worksheet to parse it as it arrives. */
const READ_FIRST = ['_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml'];

/**
 * The zip's entries with the workbook's relations, shared strings and styles moved before the worksheets. Excel,
 * WPS and exceljs all write sharedStrings.xml after the sheets, and exceljs's streaming reader then inflates each
 * sheet to a temporary file and parses it afterwards (measured: 1.3 s of a 100k-row file's 3.5 s). The upload is
 * in memory anyway, so its entries can be handed over in any order. Returns the file unchanged if its entries
 * are not laid out back to back as the central directory says.
 */
export function inReadingOrder(buf: Buffer): Buffer[] {
  try {
    const { entries, directoryOffset } = readZipDirectory(buf);
    const sorted = [...entries].sort((a, b) => a.localOffset - b.localOffset);
    const spans = sorted.map((e, i) => ({ name: e.name, start: e.localOffset, end: sorted[i + 1]?.localOffset ?? directoryOffset }));
    const contiguous = spans.length > 0 && spans[0]!.start === 0 && spans.every((s) => s.end > s.start && s.end <= buf.length && buf.readUInt32LE(s.start) === 0x04034b50);
    if (!contiguous) return [buf];
    const rank = (name: string) => {
      const i = READ_FIRST.indexOf(name);
      return i < 0 ? READ_FIRST.length : i;
    };
    const ordered = spans.map((s, i) => ({ ...s, i })).sort((a, b) => rank(a.name) - rank(b.name) || a.i - b.i);
    return [...ordered.map((s) => buf.subarray(s.start, s.end)), buf.subarray(directoryOffset)];
  } catch {
    return [buf];
  }
}

/** The streaming reader itself; `openUpload` runs it on a worker thread (sheet-worker.ts). */
export async function* streamSheets(buf: Buffer, limits: UploadLimits): AsyncGenerator<SheetSource> {
  const Excel = await loadExcel();
  const reader = new Excel.stream.xlsx.WorkbookReader(Readable.from(inReadingOrder(buf)), {
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
    throw corruptWorkbook(err);
  }
}

/** The sheet worker's heap bound, in MB. */
const WORKER_HEAP_MB = 512;

/**
 * Address space a worker needs beyond its heap bound: V8 reserves a code range, young-generation spaces and, for
 * Node's TypeScript stripping (a WebAssembly module) in the new isolate, a WebAssembly memory. Under an
 * address-space limit (ulimit -v, RLIMIT_AS) such a reservation failing is a fatal process OOM in V8 — the whole
 * server died without a word importing a large workbook under a 4 GB limit — not a catchable worker error.
 */
const WORKER_RESERVE_MB = 1536;

/**
 * False when the process runs under an address-space limit without room for one more worker isolate: the sheet is
 * then read by the same streaming reader on the main thread (same rows, same Chinese refusals, only not in
 * parallel). Linux only (/proc); elsewhere true.
 */
export function hasAddressSpaceForWorker(heapMb: number, status = readProc('/proc/self/status'), limits = readProc('/proc/self/limits')): boolean {
  const limit = /^Max address space\s+(\S+)/m.exec(limits ?? '')?.[1];
  if (!limit || limit === 'unlimited') return true;
  const used = Number(/^VmSize:\s+(\d+) kB/m.exec(status ?? '')?.[1] ?? 0) * 1024;
  return Number(limit) - used > (heapMb + WORKER_RESERVE_MB) * 1024 * 1024;
}

function readProc(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Messages from the sheet worker (see sheet-worker.ts). */
export type WorkerMessage =
  | { t: 'sheet'; name: string }
  | { t: 'rows'; rows: SheetRow[] }
  | { t: 'end' }
  | { t: 'error'; code: AppError['code']; message: string; details: unknown };

/**
 * The streaming reader on a worker thread, seen as the same sheets: parsing runs beside the caller's work on each
 * row instead of before it. The worker is stopped when the caller finishes or gives up.
 */
async function* workerSheets(buf: Buffer, limits: UploadLimits, heapMb = WORKER_HEAP_MB): AsyncGenerator<SheetSource> {
  // The heap bound keeps a pathological workbook from growing the server (a 100k-row file needs well under 256 MB;
  // without a bound V8 lets the heap grow lazily towards gigabytes, measured +50 MB peak RSS for that file).
  // Compiled (dist/server, .js) the worker is compiled too: a .ts worker would load Node's type stripping, whose
  // WebAssembly memory reserves ~8 GB of address space in the worker (fatal under ulimit -v).
  const worker = new Worker(new URL(import.meta.url.endsWith('.js') ? './sheet-worker.js' : './sheet-worker.ts', import.meta.url), {
    workerData: { buf: new Uint8Array(buf), limits }, resourceLimits: { maxOldGenerationSizeMb: heapMb, codeRangeSizeMb: 16 },
  });
  const inbox: WorkerMessage[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (m: WorkerMessage) => {
    inbox.push(m);
    notify();
  });
  worker.on('error', (err: Error & { code?: string }) => {
    failure ??= err.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? new AppError('payload_too_large', `读取该文件所需内存超过上限 ${heapMb} MB（内容过多或结构异常），请拆分后分批导入`)
      : corruptWorkbook(err);
    notify();
  });
  worker.on('exit', () => {
    failure ??= new AppError('internal', '读取文件的线程意外退出，请重试');
    notify();
  });
  const receive = async (): Promise<WorkerMessage> => {
    for (;;) {
      const m = inbox.shift();
      if (m) {
        if (m.t === 'error') throw new AppError(m.code, m.message, m.details);
        return m;
      }
      if (failure) throw failure;
      await new Promise<void>((resolve) => { wake = resolve; });
    }
  };
  try {
    let m = await receive();
    while (m.t === 'sheet') {
      let after: WorkerMessage | undefined;
      const rows = (async function* (): AsyncGenerator<SheetRow> {
        for (;;) {
          const next = await receive();
          if (next.t !== 'rows') {
            after = next;
            return;
          }
          worker.postMessage({ t: 'more' });
          yield* next.rows;
        }
      })();
      yield { name: m.name, merges: null, rows };
      // A caller that moved on without reading every row: skip the rest of this sheet.
      while (!after) {
        const next = await receive();
        if (next.t === 'rows') worker.postMessage({ t: 'more' });
        else after = next;
      }
      m = after;
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * A CSV as one sheet, parsed as its rows are taken (not all at once before the first): the import's read loop
 * yields to the event loop between batches, so parsing 100k rows no longer holds the server for seconds (issue 23).
 * Past the row limit the rows stop with the same refusal as a workbook's.
 */
function csvSheets(buf: Buffer, limits: UploadLimits): { info: ReadInfo; sheets: AsyncGenerator<SheetSource> } {
  const { text, encoding } = decodeText(buf);
  const rows = async function* (): AsyncGenerator<SheetRow> {
    let number = 0;
    for (const fields of delimitedRows(text)) {
      if (++number > limits.maxRows) throw tooManyRows(limits);
      const cells: CellScalar[] = fields.map((f) => (f.trim() === '' ? null : f));
      while (cells.length && cells[cells.length - 1] === null) cells.pop();
      if (cells.length) yield { number, cells };
    }
  };
  return {
    info: { format: 'csv', reader: 'csv', encoding },
    sheets: (async function* () { yield { name: 'CSV', merges: null, rows: rows() }; })(),
  };
}

/**
 * Opens an upload after the guards (format, size, zip bound) and yields its visible sheets. Small workbooks are
 * read in memory (merges known); large ones, or `mode: 'stream'`, with the streaming reader.
 */
export async function openUpload(buf: Buffer, fileName: string, opts: { limits?: UploadLimits; mode?: 'memory' | 'stream'; workerHeapMb?: number } = {}): Promise<{ info: ReadInfo; sheets: AsyncGenerator<SheetSource> }> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const format = sniffFormat(buf, fileName, limits);
  if (format === 'csv') return csvSheets(buf, limits);
  await checkZip(buf, limits);
  const mode = opts.mode ?? (buf.length > STREAM_THRESHOLD_BYTES ? 'stream' : 'memory');
  return {
    info: { format, reader: mode },
    sheets: mode === 'memory' ? memorySheets(buf, limits) : hasAddressSpaceForWorker(opts.workerHeapMb ?? WORKER_HEAP_MB) ? workerSheets(buf, limits, opts.workerHeapMb) : streamSheets(buf, limits),
  };
}
