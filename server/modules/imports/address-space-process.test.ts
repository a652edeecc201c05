import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './file-guard.ts';
import { STREAM_THRESHOLD_BYTES } from './sheet-reader.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');

/** A stored-deflate zip with real CRCs (what a spreadsheet program writes), from name → text. */
function zip(entries: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [fileName, text] of Object.entries(entries)) {
    const name = Buffer.from(fileName);
    const data = Buffer.from(text);
    const packed = zlib.deflateRawSync(data);
    const header = (size: number) => {
      const b = Buffer.alloc(size);
      return b;
    };
    const local = header(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(zlib.crc32(data), 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(name.length, 26);
    const dir = header(46);
    dir.writeUInt32LE(0x02014b50, 0); dir.writeUInt16LE(20, 4); dir.writeUInt16LE(20, 6); dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(zlib.crc32(data), 16); dir.writeUInt32LE(packed.length, 20); dir.writeUInt32LE(data.length, 24); dir.writeUInt16LE(name.length, 28); dir.writeUInt32LE(offset, 42);
    parts.push(local, name, packed);
    central.push(dir, name);
    offset += 30 + name.length + packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(central.length / 2, 8); end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

/** A one-sheet project list of `rows` rows (names random, so the file does not compress below the streaming size). */
function bigProjectList(rows: number): Buffer {
  const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
  const lines = [`<row r="1">${cell('A1', '项目名称')}${cell('B1', '总投资（万元）')}</row>`];
  for (let i = 2; i <= rows + 1; i++) lines.push(`<row r="${i}">${cell(`A${i}`, `项目${crypto.randomBytes(12).toString('base64url')}`)}<c r="B${i}"><v>${i}</v></c></row>`);
  return zip({
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    '_rels/.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml': '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="项目清单" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${lines.join('')}</sheetData></worksheet>`,
  });
}

// Issue 14, item 12, end to end: the real `docket` command (bin/docket.js running the compiled build, as
// production does) in a child process whose address space is limited to 4 GB (`ulimit -v 4194304`, as on the
// office's server) refuses a workbook over the row limit in Chinese and exits normally. From the TypeScript sources
// it died with a V8 out-of-memory in most runs (exit 133, no message): Node's type stripping is a WebAssembly module
// whose memory reserves ~8 GB of address space in each process and worker that loads a .ts file (measured VmSize of
// a one-line script: 1.1 GB as .cjs, 9.8 GB as .ts). The build goes to a private directory laid out like the
// repository (bin/, dist/server/, the sources and node_modules linked), so the test neither reads nor writes the
// checkout's dist/.
describe.runIf(process.platform === 'linux')('an import under a 4 GB address-space limit', () => {
  let dir: string;
  let file: string;
  let tree: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-ulimit-'));
    file = path.join(dir, 'big.xlsx');
    const buf = bigProjectList(DEFAULT_LIMITS.maxRows + 10_000);
    expect(buf.length).toBeGreaterThan(STREAM_THRESHOLD_BYTES); // read by the streaming reader, as a large upload is
    fs.writeFileSync(file, buf);
    tree = path.join(dir, 'docket');
    fs.mkdirSync(path.join(tree, 'bin'), { recursive: true });
    fs.copyFileSync(path.join(root, 'bin/docket.js'), path.join(tree, 'bin/docket.js'));
    for (const link of ['server', 'core', 'cli', 'node_modules', 'package.json']) fs.symlinkSync(path.join(root, link), path.join(tree, link));
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    await run(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', path.join(tree, 'dist/server')], { cwd: root, timeout: 400_000 });
    expect(fs.existsSync(path.join(tree, 'dist/server/cli/main.js'))).toBe(true);
    expect(fs.existsSync(path.join(tree, 'dist/server/server/modules/imports/sheet-worker.js'))).toBe(true);
  }, 450_000);
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 文件行数超过上限 in Chinese instead of dying', async () => {
    const docket = path.join(tree, 'bin/docket.js');
    const script = `ulimit -v 4194304 && exec "$0" "$@"`;
    const env = { ...process.env, DATABASE_URL: '', DOCKET_LOG_LEVEL: 'warn', DOCKET_FROM_SOURCE: '' };
    const result = await run('sh', ['-c', script, process.execPath, docket, '--data-dir', path.join(dir, 'data'), 'import', file, '--dry-run'], { env, cwd: tree, timeout: 240_000 })
      .then((r) => ({ code: 0, signal: null, ...r }), (e: { code: number | null; signal: string | null; stdout: string; stderr: string }) => e);
    const said = `${result.stdout}\n${result.stderr}`;
    expect(said).not.toContain('older than the sources'); // the compiled build ran, not the sources
    expect(said, `exit ${result.code} ${result.signal ?? ''}`).toContain(`文件行数超过上限 ${DEFAULT_LIMITS.maxRows.toLocaleString('en-US')} 行`);
    expect(result.signal).toBeNull();
    expect(result.code).not.toBe(133);
  }, 300_000);
});
