import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { login, startHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ projects: 120 });
});
afterAll(async () => {
  await h?.close();
});

/** Clicks an 导出Excel link once it has its URL and reads the downloaded workbook. */
async function downloadFrom(page: Page, testId: string): Promise<{ name: string; workbook: ExcelJS.Workbook }> {
  const link = page.getByTestId(testId);
  await page.waitForFunction((id) => !!document.querySelector(`[data-testid="${id}"]`)?.getAttribute('href'), testId);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  return { name: download.suggestedFilename(), workbook };
}

describe('导出Excel buttons on the report pages', () => {
  it('downloads the monthly progress table from 月度填报 and the indicator table from 工作台', async () => {
    const { context, page } = await h.newPage();
    await login(page, 'office', 'Docket#2026', '/reports');
    const progress = await downloadFrom(page, 'export-monthly-progress');
    expect(progress.name).toMatch(/^重点项目月度进展表-\d{4}年\d{1,2}月\.xlsx$/);
    const sheet = progress.workbook.getWorksheet('月度进展')!;
    expect(sheet.getCell(3, 2).value).toBe('项目名称');
    expect(sheet.getCell(sheet.rowCount, 1).value).toBe('合计');
    expect(sheet.rowCount).toBeGreaterThan(10);

    await page.goto('/dashboard');
    const indicators = await downloadFrom(page, 'export-indicators');
    const table = indicators.workbook.getWorksheet('指标分组')!;
    expect(table.getCell(4, 1).value).toBe('一、按建设性质分');
    await context.close();
  });
});
