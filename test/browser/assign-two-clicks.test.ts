import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, login, settled, shot, startHarness, today, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('交办 in two clicks from a lagging unit and from a report\'s 需协调问题', () => {
  it('a leader assigns from the unit ranking: the matter is prefilled with the unit and links back to the ranking', async () => {
    const { page, context } = await h.newPage();
    await login(page, 'leader', 'Docket#2026', '/bulletins?tab=ranking');
    const button = page.getByTestId('ranking-table').locator('[data-testid^="assign-unit-"]').last();
    await button.waitFor();
    const unitName = (await page.getByTestId('ranking-table').locator('tbody tr.ant-table-row').last().locator('td').nth(1).innerText()).trim();
    await shot(page, 'assign-ranking-desktop');
    await button.click(); // click 1
    await settled(page);
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/matters') && r.request().method() === 'POST');
    await page.getByTestId('matter-create-ok').click(); // click 2
    expect((await created).status()).toBe(200);
    await page.getByTestId('matter-page').waitFor();
    expect(await page.getByTestId('matter-title').innerText()).toContain(`${unitName}`);
    const back = page.getByTestId('matter-source-link');
    expect(await back.getAttribute('href')).toMatch(/^\/bulletins\?tab=ranking&year=\d{4}&month=\d+$/);
    expect(await back.innerText()).toContain('滞后单位');
    await context.close();
  });

  it('the office assigns from the 催报 tab of the review page; the link back opens that tab', async () => {
    const { page, context } = await h.newPage();
    // The tab asks for one page of the units that owe something, five names each (issue 16), and shows it.
    const answer = page.waitForResponse((r) => /\/reporting\/periods\/\d+\/\d+\/missing\?/.test(r.url()) && r.request().method() === 'GET');
    await login(page, 'office', 'Docket#2026', '/review?tab=missing');
    const res = await answer;
    expect(res.status()).toBe(200);
    const asked = new URL(res.url()).searchParams;
    expect([asked.get('page'), asked.get('page_size'), asked.get('per_unit')]).toEqual(['1', '50', '5']);
    const body = await res.json() as { total: number; units: Array<{ missing: unknown[]; missing_count: number; late_count: number }> };
    expect(body.units.length).toBeGreaterThan(0);
    expect(body.units.every((u) => u.missing.length <= 5 && (u.missing_count > 0 || u.late_count > 0))).toBe(true);
    const table = page.getByTestId('missing-table');
    const button = table.locator('[data-testid^="assign-unit-"]').first();
    await button.waitFor();
    expect(await table.locator('tbody tr.ant-table-row').count()).toBe(Math.min(50, body.total));
    await shot(page, 'assign-missing-desktop');
    await button.click();
    await settled(page);
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/matters') && r.request().method() === 'POST');
    await page.getByTestId('matter-create-ok').click();
    expect((await created).status()).toBe(200);
    await page.getByTestId('matter-page').waitFor();
    expect(await page.getByTestId('matter-title').innerText()).toContain('月报报送滞后');
    await page.getByTestId('matter-source-link').click();
    await page.getByTestId('missing-table').waitFor();
    expect(page.url()).toContain('tab=missing');
    await context.close();

    const phone = await h.newPage({ width: 375, height: 812 });
    await login(phone.page, 'office', 'Docket#2026', '/review?tab=missing');
    await phone.page.getByTestId('missing-table').locator('[data-testid^="assign-unit-"]').first().waitFor();
    await shot(phone.page, 'assign-missing-phone');
    await phone.context.close();
  });

  it('the office turns a report\'s 需协调问题 into a matter from the review queue; the report then shows 已转督办 and a second one is refused', async () => {
    const { year, month } = today;
    const setup = await h.newPage();
    const reporter = await apiAs(setup.context, 'reporter');
    const rows = (await reporter.get(`/reporting/periods/${year}/${month}/grid`)).body.rows as Array<{ project: { id: number; name: string } }>;
    const project = rows[0]!.project;
    const saved = await reporter.put(`/projects/${project.id}/reports/${year}/${month}`, { amount_month: 2_000_000, problems: '施工用电增容需供电公司协调' });
    expect(saved.status).toBe(200);
    const reportId = saved.body.id as number;
    expect((await reporter.post(`/reports/${reportId}/submit`, { version: saved.body.version })).status).toBe(200);
    await setup.context.close();

    const { page, context } = await h.newPage();
    await login(page, 'office', 'Docket#2026', '/review');
    const row = page.getByTestId('review-table').locator('tr.ant-table-row').filter({ hasText: project.name });
    await row.locator('.ant-table-row-expand-icon').click();
    await page.getByTestId(`report-to-matter-${reportId}`).click(); // click 1 (after opening the row)
    await settled(page);
    expect(await page.getByTestId('matter-title').inputValue()).toContain(project.name);
    const created = page.waitForResponse((r) => r.url().endsWith(`/api/v1/reports/${reportId}/matter`));
    await page.getByTestId('matter-create-ok').click(); // click 2
    expect((await created).status()).toBe(201);
    await page.getByTestId('matter-page').waitFor();
    expect(await page.getByTestId('matter-source-link').getAttribute('href')).toBe(`/projects/${project.id}?tab=reports&year=${year}`);
    await page.goto('/review');
    await page.getByTestId('review-table').locator('tr.ant-table-row').filter({ hasText: project.name }).locator('.ant-table-row-expand-icon').click();
    await page.getByTestId(`report-matter-${reportId}`).getByText(/已转督办：督办〔\d{4}〕\d+号/).waitFor();
    await shot(page, 'assign-report-problem-desktop');
    const api = await apiAs(context, 'office');
    const again = await api.post(`/reports/${reportId}/matter`, {});
    expect(again.status).toBe(409);
    // The project's reports show it too, for the leader.
    await context.close();
    const leader = await h.newPage();
    await login(leader.page, 'leader', 'Docket#2026', `/projects/${project.id}?tab=reports`);
    await leader.page.getByTestId('reports-table').locator('tr.ant-table-row').filter({ hasText: `${month}月` }).first().locator('.ant-table-row-expand-icon').click();
    await leader.page.getByTestId(`report-matter-${reportId}`).waitFor();
    await leader.context.close();
  });
});
