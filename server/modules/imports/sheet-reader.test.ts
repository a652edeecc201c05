import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { buildWorkbook } from '../../../test/workbooks.ts';
import { readZipDirectory } from './file-guard.ts';
import { inReadingOrder, openUpload, type SheetRow } from './sheet-reader.ts';

/** The entry names of zip pieces, from each local header. */
function localNames(pieces: Buffer[]): string[] {
  return pieces.filter((p) => p.readUInt32LE(0) === 0x04034b50).map((p) => p.toString('utf8', 30, 30 + p.readUInt16LE(26)));
}

async function collect(buf: Buffer, mode: 'stream' | 'memory' = 'stream'): Promise<{ name: string; rows: SheetRow[] }[]> {
  const { sheets } = await openUpload(buf, 'x.xlsx', { mode });
  const out: { name: string; rows: SheetRow[] }[] = [];
  for await (const s of sheets) {
    const rows: SheetRow[] = [];
    for await (const r of s.rows) rows.push(r);
    out.push({ name: s.name, rows });
  }
  return out;
}

const rows = (n: number, tag: string) => [['项目名称', '总投资（万元）'], ...Array.from({ length: n }, (_, i) => [`${tag}项目${i}`, i * 1.5])];

describe('the streaming sheet reader', () => {
  it('hands the shared strings over before the sheets, and reads the same rows either way', async () => {
    const file = await buildWorkbook([{ name: '清单', rows: rows(30, '甲') }]);
    const original = readZipDirectory(file).entries.map((e) => e.name);
    // The precondition the reordering exists for: the writer put the shared strings after the sheet.
    expect(original.indexOf('xl/sharedStrings.xml')).toBeGreaterThan(original.indexOf('xl/worksheets/sheet1.xml'));
    const pieces = inReadingOrder(file);
    const names = localNames(pieces);
    expect(names.slice(0, 5)).toEqual(['_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml']);
    expect(names.sort()).toEqual([...original].sort());
    expect(Buffer.concat(pieces).length).toBe(file.length);

    // The reordered file, streamed on the worker thread, reads as the in-memory reader reads the original.
    const [sheet] = await collect(file);
    const [inMemory] = await collect(file, 'memory');
    expect(sheet!.rows).toEqual(inMemory!.rows);
    expect(sheet!.rows).toHaveLength(31);
    expect(sheet!.rows[30]).toEqual({ number: 31, cells: ['甲项目29', 43.5] });
  });

  it('leaves a zip whose entries are not back to back as it is', () => {
    const file = Buffer.from('not a zip at all, but long enough to have no directory');
    expect(inReadingOrder(file)).toEqual([file]);
  });

  it('reads every sheet on the worker thread in order, also when the caller skips one', async () => {
    const file = await buildWorkbook([{ name: '一', rows: rows(2500, '一') }, { name: '二', rows: rows(10, '二') }]);
    const { info, sheets } = await openUpload(file, 'x.xlsx', { mode: 'stream' });
    expect(info.reader).toBe('stream');
    const seen: string[] = [];
    for await (const s of sheets) {
      if (s.name === '一') continue; // never reads its 2,501 rows
      for await (const r of s.rows) seen.push(r.cells[0] as string);
    }
    expect(seen).toEqual(['项目名称', ...Array.from({ length: 10 }, (_, i) => `二项目${i}`)]);
  });

  it('stops the worker when the caller gives up, and reports a broken sheet as an AppError in Chinese', async () => {
    const file = await buildWorkbook([{ name: '一', rows: rows(3000, '一') }]);
    const { sheets } = await openUpload(file, 'x.xlsx', { mode: 'stream' });
    for await (const s of sheets) {
      for await (const r of s.rows) {
        expect(r.number).toBe(1);
        break;
      }
      break;
    }
    // The deflated sheet with its bytes flipped: the central directory is intact, the content is not.
    const broken = Buffer.from(file);
    const sheet = readZipDirectory(broken).entries.find((e) => e.name === 'xl/worksheets/sheet1.xml')!;
    const dataStart = sheet.localOffset + 30 + broken.readUInt16LE(sheet.localOffset + 26) + broken.readUInt16LE(sheet.localOffset + 28);
    for (let i = dataStart + 10; i < dataStart + 200; i++) broken[i] = broken[i]! ^ 0xff;
    const failure = await collect(broken).then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).message).toMatch(/文件已损坏/);
  });

  it('refuses a workbook whose reading outgrows the worker\'s heap bound, in Chinese, and reads the next file normally', async () => {
    const file = await buildWorkbook([{ name: '一', rows: rows(20_000, '一') }]);
    const { sheets } = await openUpload(file, 'x.xlsx', { mode: 'stream', workerHeapMb: 4 });
    const failure = await (async () => {
      for await (const s of sheets) for await (const r of s.rows) void r;
    })().then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('payload_too_large');
    expect((failure as AppError).message).toMatch(/内存超过上限 4 MB.*拆分/);
    expect((await collect(file))[0]!.rows).toHaveLength(20_001);
  });
});
