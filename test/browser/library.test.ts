import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { login, pickOption, pickTreeOption, settled, shot, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** 万元 with two decimals and thousands separators, as the table prints it. */
const wan = (yuan: number) => (yuan / 10_000).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

describe('sign-in and the project library', () => {
  it('refuses a wrong password with a Chinese message, then signs in', async () => {
    const { context, page } = await h.newPage();
    await page.goto('/projects');
    await page.waitForURL(/\/login\?next=/);
    await page.locator('#username').fill('office');
    await page.locator('#password').fill('wrong-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/[\u4e00-\u9fa5]/);
    await shot(page, 'login-error');
    await page.locator('#password').fill('Docket#2026');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(/\/projects$/);
    await page.getByTestId('totals-row').waitFor();
    await context.close();
  });

  it('filters by unit, stage and name and shows the matching rows and totals of the whole filter', async () => {
    const { context, page } = await h.newPage();
    await login(page);
    await page.goto('/projects');
    await page.getByTestId('totals-row').waitFor();
    const all = await h.database.db.selectFrom('projects').select((eb) => [eb.fn.countAll<number>().as('n')]).executeTakeFirstOrThrow();
    await expect(page.getByTestId('headline-count').textContent()).resolves.toContain(String(all.n));
    await shot(page, 'projects-desktop');

    // Pick the unit with the most projects so that the filter leaves more than one page.
    const top = await h.database.db.selectFrom('projects').innerJoin('units', 'units.id', 'projects.unit_id')
      .select(['units.id', 'units.name', sql<number>`count(*)`.as('n')]).groupBy(['units.id', 'units.name']).orderBy('n', 'desc').executeTakeFirstOrThrow();

    await page.getByTestId('filter-unit').click();
    await page.keyboard.type(top.name.slice(0, 3));
    await pickTreeOption(page, top.name);
    await page.waitForURL(new RegExp(`unit=${top.id}`));

    await page.getByTestId('filter-stage').click();
    await pickOption(page, '开工在建');
    await page.keyboard.press('Escape');
    await page.waitForURL(/stage=started/);

    const expected = await h.database.db.selectFrom('projects')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('total_investment').as('sum')])
      .where('unit_id', '=', top.id).where('stage', '=', 'started').executeTakeFirstOrThrow();
    expect(Number(expected.n)).toBeGreaterThan(0);
    await page.getByTestId('totals-row').filter({ hasText: `共 ${expected.n} 个项目` }).waitFor();
    await expect(page.getByTestId('totals-investment').textContent()).resolves.toBe(wan(Number(expected.sum)));
    const rows = page.locator('[data-testid="project-table"] tbody tr.ant-table-row');
    await expect(rows.count()).resolves.toBe(Math.min(20, Number(expected.n)));
    for (const cell of await page.locator('[data-testid="project-table"] tbody tr.ant-table-row td:nth-child(4)').allTextContents()) {
      expect(cell).toBe('开工在建');
    }
    await shot(page, 'projects-filtered');

    // Sort by investment descending: the first row holds the largest amount of the filter.
    // One click at a time: the second lands only after the first sort is in the address (a double click raced it in CI).
    await page.locator('th', { hasText: '总投资（万元）' }).click();
    await page.waitForURL(/sort=total_investment/);
    await page.locator('th', { hasText: '总投资（万元）' }).click();
    await page.waitForURL(/order=desc/);
    const max = await h.database.db.selectFrom('projects').select((eb) => eb.fn.max<number>('total_investment').as('m'))
      .where('unit_id', '=', top.id).where('stage', '=', 'started').executeTakeFirstOrThrow();
    await page.locator('[data-testid="project-table"] tbody tr.ant-table-row').first().locator('td', { hasText: wan(Number(max.m)) }).waitFor();

    // A name search narrows further and the URL carries every filter (a shareable link).
    const one = await h.database.db.selectFrom('projects').select(['name']).where('unit_id', '=', top.id).where('stage', '=', 'started').executeTakeFirstOrThrow();
    await page.getByTestId('filter-q').locator('input').fill(one.name);
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=/);
    await page.locator('[data-testid="project-table"] tbody tr.ant-table-row', { hasText: one.name }).first().waitFor();
    await context.close();
  });

  it('exports the filter to Excel, saves it as a view and hides a column', async () => {
    const { context, page } = await h.newPage();
    await login(page);
    const one = await h.database.db.selectFrom('projects').select(['name', 'unit_id']).where('tier', '=', 'implementation').orderBy('id').executeTakeFirstOrThrow();
    await page.goto(`/projects?unit=${one.unit_id}`);
    await page.getByTestId('totals-row').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    const cells: string[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((c) => cells.push(c.text))));
    expect(cells).toContain(one.name);

    await page.getByTestId('saved-views').click();
    await page.getByText('保存当前筛选为视图').click();
    await page.getByLabel('视图名称').fill('本单位项目');
    await page.keyboard.press('Enter');
    await page.goto('/projects');
    await page.getByTestId('totals-row').waitFor();
    await page.getByTestId('saved-views').click();
    await page.getByRole('menuitem', { name: /本单位项目/ }).click();
    await page.waitForURL(new RegExp(`unit=${one.unit_id}`));

    await settled(page);
    await page.getByRole('button', { name: /显示列/ }).click();
    const codeBox = page.getByTestId('column-chooser').getByRole('checkbox', { name: '项目代码' });
    await codeBox.waitFor();
    await settled(page);
    await codeBox.uncheck();
    await page.getByRole('columnheader', { name: '项目代码' }).waitFor({ state: 'detached' });
    await page.reload();
    await page.getByTestId('totals-row').waitFor();
    await expect(page.getByRole('columnheader', { name: '项目代码' }).count()).resolves.toBe(0);
    await context.close();
  });

  it('stays usable at 375 px wide', async () => {
    const { context, page } = await h.newPage({ width: 375, height: 812 });
    await login(page);
    await page.goto('/projects');
    await page.getByTestId('totals-row').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'projects-375');
    await page.getByRole('button', { name: '菜单' }).click();
    await page.locator('.ant-drawer .ant-menu-item', { hasText: '项目库' }).waitFor();
    await shot(page, 'menu-375');
    await context.close();
  });
});
