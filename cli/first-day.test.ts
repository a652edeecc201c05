import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COUNTY, countyUnitsWorkbook, countyUsersWorkbook, countyWorkbook } from '../test/fixtures/first-day-workbooks.ts';
import { readWorkbook } from '../test/workbooks.ts';

const bin = path.resolve(import.meta.dirname, '..', 'bin', 'docket.js');

// A fresh data directory through the real command: init, dry run, apply with the missing units, indicators.
describe('docket init, import and indicators on an empty install (SQLite data directory)', { timeout: 180_000 }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-first-day-cli-'));
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], { encoding: 'utf8' });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('answers for the latest period with data once the county list is imported', async () => {
    const file = path.join(dataDir, COUNTY.fileName);
    fs.writeFileSync(file, await countyWorkbook());
    const empty = run('indicators');
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('尚无月度数据');
    const init = run('init', '--region', COUNTY.region, '--name', COUNTY.office);
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain(`${COUNTY.office}，辖区 内蒙古自治区呼和浩特市和林格尔县（150123）`);
    const refused = run('import', file, '--dry-run');
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('系统中尚无的单位 7 个（将建在 和林格尔县发展和改革局 下）');
    const dry = run('import', file, '--dry-run', '--create-missing');
    expect(dry.status, dry.stdout).toBe(0);
    expect(dry.stdout).toContain('期间：2025年1-5月（年度取自列标题，月份取自列标题）');
    const applied = run('import', file, '--create-missing');
    expect(applied.status, applied.stdout).toBe(0);
    expect(applied.stdout).toContain('2025年1-5月进度：8 个项目，新写入月报 8 份');
    const table = run('indicators');
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toContain('2025年重点项目1–5月推进情况');
    expect(table.stdout).toMatch(/投资完成率\s+37\.8%/);
    expect(table.stdout).toContain('低于序时进度 3.8 个百分点');
  });

  it('imports the unit list, then the reporters with --sheet, writing their first-login passwords to an .xlsx once', async () => {
    const units = path.join(dataDir, '单位名单.xlsx');
    fs.writeFileSync(units, await countyUnitsWorkbook());
    const u = run('import', units, '--kind', 'units');
    expect(u.status, u.stdout).toBe(0);
    expect(u.stdout).toContain('已导入: 新增 1，更新');
    const users = path.join(dataDir, '人员名单.xlsx');
    fs.writeFileSync(users, await countyUsersWorkbook({ extraSheet: true }));
    const refused = run('import', users, '--kind', 'users');
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('工作簿中有 2 个工作表含人员名单：「填报人员」（6 行）、「乡镇联络员」（1 行）');
    const out = path.join(dataDir, 'passwords.xlsx');
    const applied = run('import', users, '--kind', 'users', '--sheet', '填报人员', '--passwords-out', out, '--report', path.join(dataDir, 'report.json'));
    expect(applied.status, applied.stdout).toBe(0);
    expect(applied.stdout).toContain(`6 个账号的首次登录密码已写入 ${out}`);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const ws = (await readWorkbook(fs.readFileSync(out))).worksheets[0]!;
    const password = ws.getRow(3).getCell(6).text;
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(applied.stdout).not.toContain(password);
    expect(fs.readFileSync(path.join(dataDir, 'report.json'), 'utf8')).not.toContain(password);
  });
});
