import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnit, buildUser } from '../factories.ts';
import { buildWorkbook } from '../workbooks.ts';
import { COUNTY, countyUnitsWorkbook, countyUsersWorkbook, countyWorkbook } from '../fixtures/first-day-workbooks.ts';
import { login, pickOption, settled, shot, startHarness, type Harness } from './harness.ts';

let h: Harness;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-first-day-'));

beforeAll(async () => {
  h = await startHarness({ demo: false });
  await buildUser(h.database.db, { username: 'admin', role: 'sysadmin' });
  await buildUser(h.database.db, { username: 'office', role: 'office' });
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('an office\'s first day in the web app (no demo data)', () => {
  it('first-run page, import wizard with unit proposals, dashboard showing the workbook\'s completion rate', async () => {
    // The system administrator lands on the first-run page and says who the office is.
    const admin = await h.newPage();
    await login(admin.page, 'admin');
    await admin.page.waitForURL(/\/setup$/);
    await admin.page.getByTestId('setup-office').fill(COUNTY.office);
    await admin.page.getByTestId('setup-region').fill(COUNTY.region);
    await admin.page.getByText('内蒙古自治区 › 呼和浩特市 › 和林格尔县').waitFor();
    await admin.page.getByTestId('setup-save').click();
    await admin.page.getByTestId('setup-done').getByText(`已设置：${COUNTY.office}，辖区 和林格尔县（${COUNTY.region}）`).waitFor();
    await shot(admin.page, 'first-day-setup');
    await admin.context.close();

    // The office imports its own list: the dry run proposes the missing units, one is mapped, then apply.
    const file = path.join(dir, COUNTY.fileName);
    fs.writeFileSync(file, await countyWorkbook());
    // The browser's calendar at the list's period, so the dashboard opens on 2025年1-5月.
    const { context, page } = await h.newPage();
    await context.clock.install({ time: new Date('2025-05-26T10:00:00+08:00') });
    await login(page, 'office', 'Docket#2026', '/import');
    await page.getByTestId('import-options').waitFor();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('import-check').click();
    const units = page.getByTestId('import-units');
    await units.waitFor();
    for (const name of COUNTY.newUnits) await units.getByText(name, { exact: true }).waitFor();
    await page.getByTestId('import-period').getByText('2025年1-5月（年度取自列标题，月份取自列标题）').waitFor();
    await expect(page.getByTestId('import-errorRows').textContent()).resolves.toContain('0');
    await settled(page);
    await shot(page, 'first-day-import-units');
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-applied').waitFor();
    await page.getByTestId('import-progress').getByText('已写入2025年1-5月进度 8 个项目').waitFor();

    const db = h.database.db;
    expect(await db.selectFrom('projects').select('id').execute()).toHaveLength(COUNTY.projects);
    expect((await db.selectFrom('units').select('name').execute()).map((u) => u.name).sort()).toEqual([COUNTY.office, ...COUNTY.newUnits].sort());

    // The dashboard shows the list's published completion rate at once.
    await page.goto('/dashboard?year=2025&month=5');
    await page.getByTestId('kpi-rate').getByText(`${COUNTY.published.all.completion}%`).waitFor();
    await page.getByTestId('kpi-rate').getByText('序时进度 41.7%').waitFor();
    // The office's jurisdiction is the dashboard's default scope.
    await page.getByTestId('scope-region').getByText('和林格尔县').waitFor();
    await page.waitForTimeout(1500);
    await shot(page, 'first-day-dashboard');
    // 1–3月 precedes the list's 1-5月 figures: unknown and said so, not 0%.
    await page.goto('/dashboard?year=2025&month=3');
    await page.getByTestId('unrecorded-note').getByText(/1–5月累计数据起录入，1–3月的完成投资未纳入系统/).waitFor();
    await page.getByTestId('kpi-rate').getByText('—').waitFor();
    // The 口径 footnote says the same rather than "累计完成 0.00 万元".
    await page.getByTestId('dashboard-footnote').getByText('口径：1–3月的完成投资未纳入系统（本年进度自导入的1–5月累计数据起录入），年度计划 102,000.00 万元', { exact: false }).waitFor();
    await settled(page);
    await shot(page, 'first-day-dashboard-before-records');

    // The new-project form's region field takes the office's own words: 县直 is the jurisdiction, 鼓楼区 names candidates.
    await page.goto('/projects');
    await page.getByTestId('new-project').click();
    const regionField = page.getByTestId('new-region');
    await regionField.click();
    await page.keyboard.type('县直');
    await page.getByTestId('region-resolved').getByText('使用：呼和浩特市和林格尔县（150123）').waitFor();
    await settled(page);
    await shot(page, 'first-day-region-resolve');
    await page.getByTestId('region-resolved').click();
    await regionField.getByText('和林格尔县').waitFor();
    await regionField.click();
    await page.keyboard.type('鼓楼区');
    await page.getByTestId('region-unresolved').getByText(/对应多个行政区划/).waitFor();
    await page.getByTestId('region-unresolved').getByRole('button', { name: '福州市鼓楼区 350102' }).waitFor();
    await context.close();
  });

  it('unit list, then the reporters\' accounts from a two-sheet workbook: sheet choice, passwords shown once', async () => {
    const unitsFile = path.join(dir, '责任单位名单.xlsx');
    fs.writeFileSync(unitsFile, await countyUnitsWorkbook());
    const usersFile = path.join(dir, '填报人员名单.xlsx');
    fs.writeFileSync(usersFile, await countyUsersWorkbook({ extraSheet: true }));
    const { context, page } = await h.newPage();
    await login(page, 'admin', 'Docket#2026', '/import');
    // The unit list: most units came with the project list (unchanged), one is new (县城乡规划服务中心).
    await page.getByText('单位名单', { exact: true }).click();
    await page.getByTestId('import-list-hint').waitFor();
    await page.locator('input[type=file]').setInputFiles(unitsFile);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-created').getByText('1', { exact: true }).waitFor();
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-applied').waitFor();
    await page.getByText('导入其他文件').click();

    // The user list holds two sheets: nothing is imported until one is chosen.
    await page.getByText('人员名单', { exact: true }).click();
    await page.locator('input[type=file]').setInputFiles(usersFile);
    await page.getByTestId('import-check').click();
    const sheets = page.getByTestId('import-sheets');
    await sheets.getByText('工作簿中有 2 个工作表含表格，请选择要导入的一个').waitFor();
    await expect(page.getByTestId('import-apply').isDisabled()).resolves.toBe(true);
    await page.getByTestId('import-sheet').click();
    await pickOption(page, '填报人员（6 行）');
    await page.getByTestId('import-created').getByText('6', { exact: true }).waitFor();
    await settled(page);
    await shot(page, 'first-day-import-sheets');
    await page.getByTestId('import-apply').click();
    const credentials = page.getByTestId('import-credentials');
    await credentials.getByText('已建立 6 个账号').waitFor();
    await credentials.getByText('13847100001', { exact: true }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByTestId('import-credentials-download').click();
    expect((await download).suggestedFilename()).toBe('首次登录密码.xlsx');
    await settled(page);
    await shot(page, 'first-day-credentials');
    const stored = await h.database.db.selectFrom('users').select(['username', 'must_change_password']).where('username', 'like', '138471%').execute();
    expect(stored).toHaveLength(6);
    expect(stored.every((u) => u.must_change_password === 1)).toBe(true);
    await context.close();
  });

  it('moves a stored unit under the parent a unit list names only when 按名单移动单位 is ticked', async () => {
    // Units of this test only (names no other test uses): 规划站 stored under 甲局, the list places it under 乙局.
    const db = h.database.db;
    const first = await buildUnit(db, { name: '移动测试甲局' });
    const second = await buildUnit(db, { name: '移动测试乙局' });
    const station = await buildUnit(db, { name: '移动测试规划站', parentId: first.id });
    const file = path.join(dir, '单位隶属调整名单.xlsx');
    fs.writeFileSync(file, await buildWorkbook([{ name: '单位', rows: [['单位全称', '上级单位'], ['移动测试规划站', '移动测试乙局']] }]));
    const stationRow = () => db.selectFrom('units').select(['parent_id', 'path']).where('id', '=', station.id).executeTakeFirstOrThrow();
    const { context, page } = await h.newPage();
    await login(page, 'admin', 'Docket#2026', '/import');
    await page.getByText('单位名单', { exact: true }).click();
    const move = page.getByTestId('import-move-units');
    await move.waitFor();
    expect(await move.isChecked()).toBe(false);

    // Unticked: the dry run says what it would move, and applying moves nothing.
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-problems').getByText('“移动测试规划站”在系统中的上级单位是“移动测试甲局”，名单为“移动测试乙局”：选择“按名单移动单位”后移动').waitFor();
    await page.getByTestId('import-updated').getByText('0', { exact: true }).waitFor();
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-applied').waitFor();
    expect(await stationRow()).toEqual({ parent_id: first.id, path: station.path });

    // Ticked: the dry run lists the move as a change of the row, and applying moves it.
    await page.getByText('导入其他文件').click();
    await move.check();
    expect(await move.isChecked()).toBe(true);
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-updated').getByText('1', { exact: true }).waitFor();
    await page.getByRole('tab', { name: /逐行结果/ }).click();
    await page.getByTestId('import-outcomes').getByText('上级单位：移动测试甲局 → 移动测试乙局').waitFor();
    await settled(page);
    await shot(page, 'first-day-import-move-units');
    expect(await stationRow()).toEqual({ parent_id: first.id, path: station.path });
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-applied').waitFor();
    expect(await stationRow()).toEqual({ parent_id: second.id, path: `${second.path}${station.id}/` });
    const audit = await db.selectFrom('audit_log').select('after_json').where('action', '=', 'unit.move').where('entity_id', '=', String(station.id)).execute();
    expect(audit).toHaveLength(1);
    await context.close();
  });

  it('says in the dry run how many new projects have a blank 是否入库纳统 cell and are imported as not entered', async () => {
    // A unit and project names of this test only; a dry run writes nothing, so the other tests see no trace of it.
    await buildUnit(h.database.db, { name: '纳统浏览器测试局', regionCode: '150123' });
    const file = path.join(dir, '纳统空白测试.xlsx');
    fs.writeFileSync(file, await buildWorkbook([{ name: '项目', rows: [
      ['年度', '项目名称', '所属地区', '责任单位', '总投资（万元）', '实际开工时间', '是否入库纳统'],
      [2025, '纳统浏览器测试一号厂房', '150123', '纳统浏览器测试局', 12_000, '2023-05-10', '是'],
      [2025, '纳统浏览器测试二号厂房', '150123', '纳统浏览器测试局', 8_000, '2023-05-10', null],
      [2025, '纳统浏览器测试三号厂房', '150123', '纳统浏览器测试局', 5_000, '2023-05-10', null],
    ] }]));
    const { context, page } = await h.newPage();
    await login(page, 'office', 'Docket#2026', '/import');
    await page.getByTestId('import-options').waitFor();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-stats-blank').getByText('；“是否入库纳统”列为空的新项目 2 个，按“未入库纳统”导入').waitFor({ timeout: 30_000 });
    await page.getByTestId('import-created').getByText('3', { exact: true }).waitFor();
    await expect(page.getByTestId('import-errorRows').textContent()).resolves.toContain('0');
    await settled(page);
    await shot(page, 'first-day-import-stats-blank');
    const stored = await h.database.db.selectFrom('projects').select('id').where('name', 'like', '纳统浏览器测试%').execute();
    expect(stored).toHaveLength(0);
    await context.close();
  });
});
