import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { AppError } from '../../errors.ts';

/** Limits that keep a hostile or oversized upload from harming the server. */
export interface UploadLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Largest total uncompressed size of an .xlsx (its zip entries), in bytes. */
  maxUncompressedBytes: number;
  /** Most rows read from one file (all sheets together). */
  maxRows: number;
}

export const DEFAULT_LIMITS: UploadLimits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxUncompressedBytes: 600 * 1024 * 1024,
  maxRows: 150_000,
};

export type FileFormat = 'xlsx' | 'csv';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** Formats a byte count for a Chinese message: 52428800 → "50 MB". */
export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

/**
 * Decides what an upload is from its bytes (the name only breaks ties for text), refusing what cannot be read:
 * legacy .xls, password-protected workbooks (both are OLE compound files), HTML passed off as .xls, empty files.
 */
export function sniffFormat(buf: Buffer, fileName: string, limits: UploadLimits = DEFAULT_LIMITS): FileFormat {
  if (buf.length === 0) throw new AppError('unprocessable', '文件为空，请选择有内容的 .xlsx 或 .csv 文件');
  if (buf.length > limits.maxFileBytes) {
    throw new AppError('payload_too_large', `文件大小 ${formatBytes(buf.length)} 超过上限 ${formatBytes(limits.maxFileBytes)}，请拆分后分批导入`);
  }
  if (buf.subarray(0, 4).equals(ZIP_MAGIC)) return 'xlsx';
  if (buf.subarray(0, 8).equals(CFB_MAGIC)) {
    // Encrypted OOXML lives inside a compound file with these stream names (UTF-16LE directory entries).
    if (buf.includes(Buffer.from('EncryptionInfo', 'utf16le')) || buf.includes(Buffer.from('EncryptedPackage', 'utf16le'))) {
      throw new AppError('unprocessable', '文件设置了打开密码（已加密），无法读取。请在 Excel 中取消密码后另存为 .xlsx 再导入');
    }
    throw new AppError('unprocessable', '这是旧版 Excel 97-2003 (.xls) 文件，请在 Excel 或 WPS 中“另存为” .xlsx 格式后再导入');
  }
  const head = buf.subarray(0, 512).toString('latin1').trimStart().toLowerCase();
  if (head.startsWith('<html') || head.startsWith('<!doctype') || head.startsWith('<table') || head.startsWith('<?xml')) {
    throw new AppError('unprocessable', '该文件实为网页或 XML 格式（常见于其他系统导出的 .xls），请用 Excel 打开后另存为 .xlsx 再导入');
  }
  if (/\.xlsx?$|\.xlsm$|\.et$/i.test(fileName)) throw corruptWorkbook();
  // Text with NUL bytes that is not UTF-16 is binary.
  const isUtf16 = (buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff);
  if (!isUtf16 && buf.subarray(0, 4096).includes(0)) throw new AppError('unprocessable', '无法识别的文件格式，请上传 .xlsx 或 .csv 文件');
  return 'csv';
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

/** The one answer to a workbook that cannot be read; `cause` (a parser's own message) goes into the details for support staff. */
export function corruptWorkbook(cause?: unknown): AppError {
  return new AppError('unprocessable', '文件已损坏或不是有效的 Excel 文件，无法读取',
    cause === undefined ? undefined : { reason: cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : JSON.stringify(cause) });
}

/** The entries of a zip's central directory (ZIP64 aware), without inflating anything. */
export function listZipEntries(buf: Buffer): ZipEntry[] {
  return readZipDirectory(buf).entries;
}

/** The central directory: its entries and where it starts (right after the last entry's data). */
export function readZipDirectory(buf: Buffer): { entries: ZipEntry[]; directoryOffset: number } {
  const min = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corruptWorkbook();
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== 0x07064b50) throw corruptWorkbook();
    const z64 = Number(buf.readBigUInt64LE(locator + 8));
    if (z64 + 56 > buf.length || buf.readUInt32LE(z64) !== 0x06064b50) throw corruptWorkbook();
    count = Number(buf.readBigUInt64LE(z64 + 32));
    cdOffset = Number(buf.readBigUInt64LE(z64 + 48));
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw corruptWorkbook();
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let compressedSize = buf.readUInt32LE(p + 20);
    let uncompressedSize = buf.readUInt32LE(p + 24);
    let localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    // ZIP64 extra field: 8-byte values for whichever fields are saturated, in this order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = buf.readUInt16LE(e);
      const size = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === 0xffffffff) { uncompressedSize = Number(buf.readBigUInt64LE(q)); q += 8; }
        if (compressedSize === 0xffffffff) { compressedSize = Number(buf.readBigUInt64LE(q)); q += 8; }
        if (localOffset === 0xffffffff) { localOffset = Number(buf.readBigUInt64LE(q)); }
      }
      e += 4 + size;
    }
    entries.push({ name, method: buf.readUInt16LE(p + 10), compressedSize, uncompressedSize, localOffset });
    p = extraEnd + commentLen;
  }
  return { entries, directoryOffset: cdOffset };
}

/** Inflates one entry, counting bytes and stopping as soon as it exceeds what the directory declared. */
async function inflatedSize(buf: Buffer, entry: ZipEntry, budget: number): Promise<number> {
  const p = entry.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== 0x04034b50) throw corruptWorkbook();
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data.length;
  if (entry.method !== 8) throw new AppError('unprocessable', '文件使用了不支持的压缩方式，请用 Excel 另存为 .xlsx 后再导入');
  const limit = Math.min(entry.uncompressedSize, budget);
  return new Promise((resolve, reject) => {
    let total = 0;
    const inflate = zlib.createInflateRaw();
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        inflate.destroy();
        reject(new AppError('unprocessable', '文件解压后的大小异常（疑似压缩炸弹），已拒绝读取'));
      }
    });
    inflate.on('error', () => reject(corruptWorkbook()));
    inflate.on('end', () => resolve(total));
    Readable.from([data]).pipe(inflate);
  });
}

/**
 * Bounds an .xlsx before any parser sees it: the central directory's declared sizes must stay under the limit,
 * and every entry is inflated (streaming, nothing kept) to prove it is no larger than declared. A zip bomb is
 * refused after reading at most the limit.
 */
export async function checkZip(buf: Buffer, limits: UploadLimits = DEFAULT_LIMITS): Promise<void> {
  const entries = listZipEntries(buf);
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) {
    throw new AppError('unprocessable', '压缩包中没有 Excel 工作簿（不是有效的 .xlsx 文件）');
  }
  const declared = entries.reduce((s, e) => s + e.uncompressedSize, 0);
  if (declared > limits.maxUncompressedBytes) {
    throw new AppError('unprocessable', `文件解压后达 ${formatBytes(declared)}，超过上限 ${formatBytes(limits.maxUncompressedBytes)}（疑似压缩炸弹或数据过多），请拆分后分批导入`);
  }
  let budget = limits.maxUncompressedBytes;
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    budget -= await inflatedSize(buf, entry, budget);
  }
}

/** Decodes CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, otherwise GBK/GB18030 as older systems write. */
export function decodeText(buf: Buffer): { text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' } {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: buf.subarray(2).toString('utf16le'), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(buf, 'gb18030'), encoding: 'gb18030' };
  }
}

/**
 * Parses delimited text (RFC 4180 quoting; comma, tab or semicolon, whichever the first line has most) one row at a
 * time, so a caller can stop between rows (the CSV import yields to the event loop every thousand rows: issue 23).
 */
export function* delimitedRows(text: string): Generator<string[]> {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', '\t', ';'].map((d) => [d, firstLine.split(d).length] as const);
  const delimiter = counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else { quoted = false; }
      } else {
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      yield row;
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    yield row;
  }
}
