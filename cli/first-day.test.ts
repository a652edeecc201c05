import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COUNTY, countyWorkbook } from '../test/fixtures/first-day-workbooks.ts';

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
});
