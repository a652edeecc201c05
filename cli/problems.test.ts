import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { COUNTY } from '../test/fixtures/first-day-workbooks.ts';

const bin = path.resolve(import.meta.dirname, '..', 'bin', 'docket.js');

async function ledger(file: string, category: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问题台账');
  ws.addRow(['序号', '问题标题', '问题描述', '问题分类', '责任部门', '受理日期']);
  ws.addRow([1, '园区污水管网未接通', '新厂区污水管网尚未接入市政管网', category, COUNTY.office, '2026-01-05']);
  await wb.xlsx.writeFile(file);
}

// `docket problems import`: the ledger import from the command line, a dry run unless --apply (SQLite data directory).
describe('docket problems import', { timeout: 180_000 }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-problems-cli-'));
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], { encoding: 'utf8' });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('reports a wrong cell by row and column and writes nothing; a dry run writes nothing; --apply writes', async () => {
    expect(run('init', '--region', COUNTY.region, '--name', COUNTY.office).status).toBe(0);
    const bad = path.join(dataDir, 'bad.xlsx');
    await ledger(bad, '不存在的分类');
    const refused = run('problems', 'import', bad, '--apply');
    expect(refused.status).toBe(2);
    expect(refused.stdout).toContain('未导入（存在错误，未写入任何数据）');
    expect(refused.stdout).toContain('错误  问题台账 第2行 D列：问题分类：“不存在的分类”不在问题分类中');
    const good = path.join(dataDir, 'good.xlsx');
    await ledger(good, '用地');
    const dry = run('problems', 'import', good);
    expect(dry.status, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain('试导入（未写入）: 新增 1');
    const applied = run('problems', 'import', good, '--apply');
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('已导入: 新增 1');
    expect(run('problems', 'import', good, '--apply').stdout).toContain('新增 0，跳过 1');
  });
});
