import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, shot, startHarness, type Harness } from './harness.ts';
import { buildWorkbook } from '../workbooks.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ projects: 20 });
});
afterAll(async () => {
  await h?.close();
});

describe('the import wizard and the export button', () => {
  it('uploads a workbook, shows the dry-run report with located problems, then imports after the fix', async () => {
    const unit = await h.database.db.selectFrom('units').select('name').where('kind', '=', 'township').orderBy('id').executeTakeFirstOrThrow();
    const rows = (bad: boolean) => [
      ['吴中区2026年重点项目清单'],
      [null, null, null, null, '单位：万元'],
      ['序号', '项目名称', '所属地区', '责任单位', '总投资'],
      ['一、投产达产'],
      [1, '浏览器导入测试项目', '吴中区', unit.name, bad ? '十二点' : '1,234.5'],
      ['合计', null, null, null, 1234.5],
    ];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-import-'));
    const badFile = path.join(dir, '清单-有误.xlsx');
    const goodFile = path.join(dir, '清单.xlsx');
    fs.writeFileSync(badFile, await buildWorkbook([{ name: '清单', rows: rows(true) }]));
    fs.writeFileSync(goodFile, await buildWorkbook([{ name: '清单', rows: rows(false) }]));

    const { context, page } = await h.newPage();
    await login(page);
    await page.goto('/import');
    await page.locator('input[type=file]').setInputFiles(badFile);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-problems').getByText('无法识别的金额').waitFor();
    await expect(page.getByTestId('import-problems').textContent()).resolves.toMatch(/清单.*5.*E.*错误/);
    await expect(page.getByTestId('import-apply').isDisabled()).resolves.toBe(true);
    await shot(page, 'import-report-errors');

    await page.getByRole('button', { name: '导入其他文件' }).click();
    await page.locator('input[type=file]').setInputFiles(goodFile);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-created').filter({ hasText: '1' }).waitFor();
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-applied').waitFor();
    const p = await h.database.db.selectFrom('projects').selectAll().where('name', '=', '浏览器导入测试项目').executeTakeFirstOrThrow();
    expect(p).toMatchObject({ total_investment: 12_345_000, campaign_group: '投产达产', region_code: '320506' });
    await shot(page, 'import-applied');

    await page.goto('/projects?q=浏览器导入');
    const href = await page.getByTestId('export-xlsx').getAttribute('href');
    expect(href).toContain('/api/v1/exports/projects.xlsx?q=');
    const res = await context.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('spreadsheetml');
    await context.close();
  });

  it('lists repeated projects, re-checks with them skipped and imports the rest; monthly imports offer the report status', async () => {
    const unit = await h.database.db.selectFrom('units').select('name').where('kind', '=', 'township').orderBy('id').executeTakeFirstOrThrow();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-import-'));
    const file = path.join(dir, '清单-重复.xlsx');
    fs.writeFileSync(file, await buildWorkbook([{ name: '清单', rows: [
      ['项目名称', '所属地区', '责任单位', '总投资（万元）'],
      ['浏览器重复行项目', '吴中区', unit.name, 100],
      ['浏览器其余行项目', '吴中区', unit.name, 200],
      ['浏览器重复行项目', '吴中区', unit.name, 300],
    ] }]));
    const { context, page } = await h.newPage();
    await login(page);
    await page.goto('/import');
    await page.getByTestId('import-skip-duplicates').waitFor();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-duplicates-alert').waitFor();
    await expect(page.getByTestId('import-apply').isDisabled()).resolves.toBe(true);
    await page.getByTestId('import-skip-recheck').click();
    await page.getByTestId('import-skipped').filter({ hasText: '1' }).waitFor();
    await page.getByRole('tab', { name: /重复项目/ }).click();
    await expect(page.getByTestId('import-duplicates').textContent()).resolves.toMatch(/2、4.*浏览器重复行项目.*以第 2 行为准/);
    await shot(page, 'import-duplicates-skipped');
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-applied').waitFor();
    const stored = await h.database.db.selectFrom('projects').select(['name', 'total_investment']).where('name', 'like', '浏览器%行项目').orderBy('name').execute();
    expect(stored).toEqual([{ name: '浏览器其余行项目', total_investment: 2_000_000 }, { name: '浏览器重复行项目', total_investment: 1_000_000 }]);

    await page.getByRole('button', { name: '导入其他文件' }).click();
    await page.getByText('月度进度').click();
    await page.getByTestId('import-status').getByText('直接报送').click();
    await page.getByText('导入即报送，立即计入指标').waitFor();
    await shot(page, 'import-monthly-status');
    await context.close();
  });
});
