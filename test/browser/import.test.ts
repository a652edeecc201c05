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
    const href = await page.getByTestId('export-button').locator('a').first().getAttribute('href');
    expect(href).toContain('/api/v1/exports/projects.xlsx?q=');
    const res = await context.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('spreadsheetml');
    await context.close();
  });
});
