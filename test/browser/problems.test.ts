import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, settled, shot, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ projects: 20 });
});
afterAll(async () => {
  await h?.close();
});

describe('problems (问题台账) and cadre visits', () => {
  it('lists the demo problems with filters, opens one and exports the ledger', async () => {
    const { context, page } = await h.newPage();
    await login(page, 'office', undefined, '/problems');
    await page.getByText('二期扩产用地指标不足').waitFor();
    await expect(page.getByText(/共 \d+ 个问题/).textContent()).resolves.toBe('共 6 个问题');
    await settled(page);
    await shot(page, 'problems-ledger');
    // Filter by status through the URL-backed select.
    await page.getByTestId('problems-status').click();
    await page.locator('.ant-select-item-option', { hasText: '已销号' }).click();
    await page.keyboard.press('Escape');
    await page.waitForURL(/status=closed/);
    await page.getByText('共 1 个问题').waitFor();
    await expect(page.locator('.ant-table-tbody tr.ant-table-row').count()).resolves.toBe(1);
    // The drawer shows the moves, the 重办 among them.
    await page.getByText('能耗指标缺口').click();
    await page.locator('.ant-drawer').getByText('回访 → 办理中：指标来源未落实').waitFor();
    await settled(page);
    await shot(page, 'problems-drawer');
    const download = page.waitForEvent('download');
    await page.keyboard.press('Escape');
    await page.getByTestId('problems-export').click();
    expect((await download).suggestedFilename()).toMatch(/^问题台账-\d{4}-\d{2}-\d{2}\.xlsx$/);
    await context.close();
  });

  it('escalates a major problem into a supervised matter with one click and shows the matter on the problem', async () => {
    const { context, page } = await h.newPage();
    await login(page, 'office', undefined, '/problems?q=' + encodeURIComponent('二期扩产用地指标不足'));
    await page.getByText('二期扩产用地指标不足').click();
    await page.getByTestId('problem-escalate').click();
    const card = page.getByTestId('problem-matter');
    await card.getByText('待签收', { exact: true }).waitFor({ timeout: 20_000 });
    await card.getByText('督办进展').waitFor();
    await expect(page.getByTestId('problem-escalate').count()).resolves.toBe(0);
    await settled(page);
    await shot(page, 'problems-escalated');
    // The matter's number links to the matter's page, whose source is the problem.
    await card.locator('a[href^="/matters/"]').click();
    await page.waitForURL(/\/matters\/\d+/);
    await page.getByText('二期扩产用地指标不足').first().waitFor();
    await context.close();
  });

  it('lets a cadre record a visit and raise a problem on site from a phone (375×812)', async () => {
    const { context, page } = await h.newPage({ width: 375, height: 812 });
    await login(page, 'reporter', undefined, '/visit');
    await page.getByTestId('visit-enterprise').click();
    await page.locator('.ant-select-item-option', { hasText: '苏州新锐光电科技有限公司' }).click();
    await page.getByLabel('走访内容').fill('了解新产线投产情况，企业反映环评批复慢');
    await page.getByRole('button', { name: '现场提出问题' }).click();
    await page.getByLabel('问题标题').fill('新产线环评批复');
    await page.getByLabel('问题描述').fill('新增产线环评报告已提交一个月');
    await page.getByLabel('分类').click();
    await page.locator('.ant-select-item-option', { hasText: '环评' }).click();
    await settled(page);
    await shot(page, 'visit-phone-form');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await page.getByRole('button', { name: '提交走访记录' }).click();
    await page.getByText('同时提出问题 1 个，已进入问题台账待受理').waitFor();
    await shot(page, 'visit-phone-saved');
    // The enterprise page shows the visit and the problem raised on it.
    const ent = await page.evaluate(async () => (await (await fetch('/api/v1/enterprises?mine=1')).json()) as { items: { id: number; name: string }[] });
    const id = ent.items.find((e) => e.name === '苏州新锐光电科技有限公司')!.id;
    await page.goto(`/enterprises/${id}`);
    await page.getByText('了解新产线投产情况，企业反映环评批复慢').waitFor();
    await page.getByText('新产线环评批复').waitFor();
    await settled(page);
    await shot(page, 'enterprise-phone');
    await context.close();
  });
});
