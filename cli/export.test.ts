import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { buildProject, buildRegions, buildUnit } from '../test/factories.ts';
import { buildPlan, buildReport } from '../test/indicator-factories.ts';
import { readWorkbook } from '../test/workbooks.ts';

const bin = path.resolve(import.meta.dirname, '..', 'bin', 'docket.js');

// Each case spawns the real command (a second or more each on a busy machine).
describe('docket export <view> (SQLite data directory)', { timeout: 120_000 }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-cli-export-'));
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], { encoding: 'utf8' });
  const file = (name: string) => path.join(dataDir, name);

  beforeAll(async () => {
    const database = openDatabase({ dataDir, databaseUrl: undefined });
    await migrateToLatest(database.db);
    await buildRegions(database.db);
    const unit = await buildUnit(database.db, { name: '甪直镇' });
    const a = await buildProject(database.db, { name: '甪直智能装备产业园', unit_id: unit.id, total_investment: 300_000_000, campaign_group: '加快建设', nature: 'new' });
    const b = await buildProject(database.db, { name: '@甪直污水厂', unit_id: unit.id, total_investment: 12_345, campaign_group: '投产达产', nature: 'new' });
    await buildPlan(database.db, { project_id: a, year: 2026, planned_investment: 100_000_000 });
    await buildPlan(database.db, { project_id: b, year: 2026, planned_investment: 10_000 });
    await buildReport(database.db, { project_id: a, year: 2026, month: 5, amount_ytd: 45_540_000, status: 'approved' });
    await database.destroy();
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('writes the monthly progress table grouped by campaign group, and the indicator table', async () => {
    const progress = run('export', 'monthly-progress', '--year', '2026', '--month', '5', '--group-by', 'campaign_group', '-o', file('progress.xlsx'));
    expect(progress.status, progress.stderr).toBe(0);
    expect(progress.stdout).toContain('已导出 / exported 2 行');
    const ws = (await readWorkbook(fs.readFileSync(file('progress.xlsx')))).getWorksheet('月度进展')!;
    const first = Array.from({ length: ws.rowCount - 3 }, (_, i) => ws.getCell(i + 4, 1).value);
    expect(first).toEqual(['一、投产达产（项目共计：1个）', 1, '小计', '二、加快建设（项目共计：1个）', 2, '小计', '合计']);
    expect(ws.getCell(5, 2).value).toBe("'@甪直污水厂");
    expect(ws.getCell(8, 8).value).toBe(4_554);
    expect(ws.getCell(10, 5).value).toBe(30_001.2345);

    const indicators = run('export', 'indicators', '--year', '2026', '--month', '5', '--breakdown', 'nature', '-o', file('indicators.xlsx'));
    expect(indicators.status, indicators.stderr).toBe(0);
    const sheet = (await readWorkbook(fs.readFileSync(file('indicators.xlsx')))).getWorksheet('指标分组')!;
    expect(sheet.getCell(5, 1).value).toBe('新建');
    // 4,554 万 of a 10,001 万 plan: 45.535…% → 45.5.
    expect([sheet.getCell(6, 1).value, sheet.getCell(6, 5).value, sheet.getCell(6, 6).value]).toEqual(['合计', 4_554, 45.5]);
  });

  it('honours --group-by for the indicator table and refuses options a view does not use', async () => {
    const byUnit = run('export', 'indicators', '--year', '2026', '--month', '5', '--group-by', 'unit', '-o', file('by-unit.xlsx'));
    expect(byUnit.status, byUnit.stderr).toBe(0);
    const sheet = (await readWorkbook(fs.readFileSync(file('by-unit.xlsx')))).getWorksheet('指标分组')!;
    expect([sheet.getCell(4, 1).value, sheet.getCell(5, 1).value]).toEqual(['一、按责任单位分', '甪直镇']);
    const month = run('export', 'projects', '--month', '5', '-o', file('x.xlsx'));
    expect(month.status).toBe(1);
    expect(month.stderr).toContain('导出 projects 不使用选项 --month');
    const region = run('export', 'missing', '--year', '2026', '--month', '5', '--region', '320506', '--light', 'red', '-o', file('x.xlsx'));
    expect(region.status).toBe(1);
    expect(region.stderr).toContain('--region、--light');
    const both = run('export', 'indicators', '--year', '2026', '--month', '5', '--group-by', 'unit', '--breakdown', 'nature', '-o', file('x.xlsx'));
    expect(both.stderr).toContain('请只用其一');
    const badGroup = run('export', 'indicators', '--year', '2026', '--month', '5', '--group-by', 'campaign_group', '-o', file('x.xlsx'));
    expect(badGroup.stderr).toContain('不支持的分组');
    expect(fs.existsSync(file('x.xlsx'))).toBe(false);
  });

  it('keeps the project list as the default view and refuses bad options in Chinese', async () => {
    const list = run('export', '-o', file('projects.xlsx'));
    expect(list.status, list.stderr).toBe(0);
    expect((await readWorkbook(fs.readFileSync(file('projects.xlsx')))).getWorksheet('项目清单')!.getCell(6, 1).value).toBe('合计');
    const noMonth = run('export', 'lights', '--year', '2026', '-o', file('x.xlsx'));
    expect(noMonth.status).toBe(1);
    expect(noMonth.stderr).toContain('请指定月份');
    const unknown = run('export', 'bulletin', '-o', file('x.xlsx'));
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('不支持导出“bulletin”');
    expect(fs.existsSync(file('x.xlsx'))).toBe(false);
  });
});
