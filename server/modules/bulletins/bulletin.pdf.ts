// PDF through LibreOffice when the server has it (`soffice --headless --convert-to pdf`), with the CJK fonts of
// the machine (fonts-noto-cjk stands in for 仿宋/黑体/小标宋 when those are not installed). Each conversion uses its
// own temporary profile directory: concurrent soffice processes sharing one profile block or fail.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { AppError } from '../../errors.ts';

const run = promisify(execFile);

/** The LibreOffice binary: DOCKET_SOFFICE, else the first soffice/libreoffice on PATH; undefined when none. */
export async function findSoffice(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (env.DOCKET_SOFFICE) return (await isExecutable(env.DOCKET_SOFFICE)) ? env.DOCKET_SOFFICE : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of ['soffice', 'libreoffice']) {
      const file = path.join(dir, name);
      if (await isExecutable(file)) return file;
    }
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The message when LibreOffice is missing: what still works and what the administrator installs. */
export const NO_LIBREOFFICE = '服务器未安装 LibreOffice，暂不能生成 PDF。请先下载 Word 文档（.docx）；如需 PDF，请系统管理员安装 libreoffice-writer-nogui 和 fonts-noto-cjk（scripts/install-system.sh）。';

/** Converts .docx bytes to PDF bytes; 503 with a Chinese message when LibreOffice is not installed. */
export async function docxToPdf(docx: Buffer, opts: { soffice?: string; timeoutMs?: number } = {}): Promise<Buffer> {
  const soffice = opts.soffice ?? (await findSoffice());
  if (!soffice) throw new AppError('unavailable', NO_LIBREOFFICE);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'docket-pdf-'));
  try {
    const input = path.join(dir, 'bulletin.docx');
    await fs.writeFile(input, docx);
    try {
      await run(soffice, [
        `-env:UserInstallation=${pathToFileURL(path.join(dir, 'profile')).href}`, '--headless', '--norestore', '--nolockcheck',
        '--convert-to', 'pdf', '--outdir', dir, input,
      ], { timeout: opts.timeoutMs ?? 120_000, env: { ...process.env, HOME: dir } });
    } catch (err) {
      throw new AppError('internal', `LibreOffice 转换 PDF 失败：${err instanceof Error ? err.message.slice(0, 300) : String(err)}`);
    }
    try {
      return await fs.readFile(path.join(dir, 'bulletin.pdf'));
    } catch {
      throw new AppError('internal', 'LibreOffice 未能生成 PDF（文档可能已损坏）');
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
