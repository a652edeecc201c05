import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday } from '../../core/clock.ts';
import { periodInForce } from '../../core/period-in-force.ts';
import { clock } from '../../server/clock.ts';
import { login, shot, startHarness, type Harness } from './harness.ts';

let h: Harness;
let year = 0;
let month = 0;

beforeAll(async () => {
  h = await startHarness({ projects: 150 });
  // The dashboard opens at the period in force: the latest month closed or past its deadline (not today's month).
  const today = chinaToday(clock.now());
  const periods = await h.database.db.selectFrom('reporting_periods').selectAll().where('year', 'in', [Number(today.slice(0, 4)) - 1, Number(today.slice(0, 4))]).execute();
  ({ year, month } = periodInForce(periods, today)!);
});
afterAll(async () => {
  await h?.close();
});

describe('the dashboard (工作台)', () => {
  it('shows the scope\'s figures from the reports, loads no asset from outside, and each figure opens its projects', async () => {
    const { context, page } = await h.newPage();
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(h.baseUrl) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) outside.push(r.url());
    });
    await login(page, 'office', 'Docket#2026', '/');
    await page.waitForURL(/\/dashboard$/);
    await page.getByTestId('chart-unit').locator('canvas').waitFor();
    await page.getByTestId('chart-trend').locator('canvas').waitFor();

    // Ground truth from the tables: this year's plans and each project's latest counted report up to this month.
    const db = h.database.db;
    const plans = await db.selectFrom('annual_plans').innerJoin('projects', 'projects.id', 'annual_plans.project_id')
      .where('annual_plans.year', '=', year).where('projects.deleted_at', 'is', null)
      .select((eb) => eb.fn.sum<number>('annual_plans.planned_investment').as('s')).executeTakeFirstOrThrow();
    const reports = await db.selectFrom('monthly_reports').select(['project_id', 'month', 'amount_ytd'])
      .where('year', '=', year).where('month', '<=', month).where('status', 'in', ['submitted', 'approved']).orderBy('month').execute();
    const latest = new Map<number, number>();
    for (const r of reports) latest.set(r.project_id, r.amount_ytd);
    const live = new Set((await db.selectFrom('projects').select('id').where('deleted_at', 'is', null).execute()).map((p) => p.id));
    const completed = [...latest].filter(([id]) => live.has(id)).reduce((s, [, v]) => s + v, 0);

    await expect(page.getByTestId('kpi-planned').getAttribute('data-yuan')).resolves.toBe(String(Number(plans.s)));
    await expect(page.getByTestId('kpi-completed').getAttribute('data-yuan')).resolves.toBe(String(completed));
    const rate = (completed / Number(plans.s)) * 100;
    await page.getByTestId('kpi-rate').getByText(`${rate.toFixed(1)}%`).waitFor();
    await page.getByTestId('kpi-rate').getByText(`序时进度 ${((month / 12) * 100).toFixed(1)}%`).waitFor();
    await page.waitForTimeout(1500); // let the charts finish their entry animation before the screenshot
    await shot(page, 'dashboard');

    // A figure opens the projects behind it: the list filtered to this year's plan, with the same plan total.
    await page.getByTestId('kpi-planned').click();
    await page.waitForURL(new RegExp(`/projects\\?year=${year}`));
    await page.getByTestId('totals-planned').waitFor();
    const planned = (Number(plans.s) / 10_000).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    await expect(page.getByTestId('totals-planned').textContent()).resolves.toBe(planned);
    await page.getByTestId('active-filters').getByText(`计划年度：${year}`).waitFor();

    // The lights figure opens the lights list of the same month.
    await page.goBack();
    await page.getByTestId('kpi-lights').click();
    await page.waitForURL(/\/lights\?/);
    await page.getByTestId('lights-table').waitFor();
    await shot(page, 'lights');
    expect(outside).toEqual([]);
    await context.close();
  });

  it('fits a 375 px phone', async () => {
    const { context, page } = await h.newPage({ width: 375, height: 812 });
    await login(page, 'office', 'Docket#2026', '/dashboard');
    await page.getByTestId('chart-unit').locator('canvas').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.waitForTimeout(1500);
    await shot(page, 'dashboard-375');
    await context.close();
  });

  // Last in the file: it renames every unit. The chart tooltips are set as innerHTML by ECharts; stored markup must
  // arrive as text (issue #14 item 7). Fails when chart-tooltips.ts stops escaping.
  it('shows markup stored in a unit name as text in the chart tooltip, never as HTML', async () => {
    const markup = '<img src=x onerror="window.__xss=1"><b>粗体</b>';
    await h.database.db.updateTable('units').set((eb) => ({ name: eb('name', '||', markup) })).execute();
    const { context, page } = await h.newPage();
    await login(page, 'office', 'Docket#2026', '/dashboard');
    const chart = page.getByTestId('chart-unit');
    const canvas = chart.locator('canvas');
    await canvas.waitFor();
    await page.waitForTimeout(800); // the bars' entry animation
    const box = (await canvas.boundingBox())!;
    // The first bar band (the category axis is inverted: the first unit is on top, under the 32 px legend).
    await page.mouse.move(box.x + box.width * 0.6, box.y + 40);
    await page.mouse.move(box.x + box.width * 0.6, box.y + 44);
    await chart.getByText('<b>粗体</b>', { exact: false }).waitFor();
    await expect(chart.locator('img, b').count()).resolves.toBe(0);
    await expect(page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).resolves.toBeUndefined();
    await shot(page, 'dashboard-tooltip-escaped');
    await context.close();
  });
});
