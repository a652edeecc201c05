import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHEME } from '../../server/modules/evaluation/index.ts';
import { buildUser } from '../factories.ts';
import { apiAs, login, settled, shot, startHarness, today, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ projects: 120 });
});
afterAll(async () => {
  await h?.close();
});

type Unit = { key: string; name: string; rank: number; nodes: Record<string, { value_text: string }> };
type Month = { status: string; snapshot: { units: Unit[] }; objections: { id: number; leaf_key: string | null; status: string; corrected_value: string | null }[] };

/** The page scrolls sideways when its content is wider than the window (a table may scroll inside itself). */
const pageOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('考评 month view: objections per indicator line, 转督办 per line, phone and 1366 px layouts', () => {
  it('a unit objects to one line on a phone, the office accepts it with the corrected value, the line turns into one matter', async () => {
    const office = await h.newPage();
    const api = await apiAs(office.context, 'office');
    // The demo leaves the month before last as a draft (from March on); otherwise this month is computed here. In
    // January the year has no scheme yet: the demo's scheme is adopted first.
    const month = today.month >= 3 ? today.month - 2 : today.month;
    if (((await api.get(`/evaluation/schemes?year=${today.year}`)).body as unknown as unknown[]).length === 0) {
      const s = await api.post('/evaluation/schemes', { year: today.year, scheme: DEMO_SCHEME });
      expect((await api.post(`/evaluation/schemes/${s.body.id as number}/adopt`, {})).status).toBe(200);
    }
    if ((await api.get(`/evaluation/months/${today.year}/${month}`)).body.status === 'none') {
      expect((await api.post(`/evaluation/months/${today.year}/${month}/compute`, {})).status).toBe(200);
    }
    // A window far ahead: no day boundary during the run can close it.
    const opened = await api.post(`/evaluation/months/${today.year}/${month}/objection-window`, { until: '2099-12-31' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const before = opened.body as unknown as Month;
    const unit = before.snapshot.units[before.snapshot.units.length - 1]!;
    const username = `evalrep${Date.now().toString(36)}`;
    await buildUser(h.database.db, { username, role: 'reporter', unitId: Number(unit.key) });

    // The unit's reporter, on a phone, objects to its 投资完成率排名 line.
    const phone = await h.newPage({ width: 375, height: 812 });
    await login(phone.page, username, 'Docket#2026', `/evaluation?year=${today.year}&month=${month}`);
    await phone.page.getByTestId('evaluation-status').filter({ hasText: '异议期' }).waitFor();
    await phone.page.getByTestId('evaluation-ranking').locator('tbody tr.ant-table-row').first().waitFor();
    await phone.page.getByTestId('evaluation-ranking').locator('tbody tr.ant-table-row', { hasText: unit.name }).click();
    await phone.page.getByTestId('evaluation-line-object-completion').click();
    await settled(phone.page);
    await phone.page.locator('.ant-modal-confirm').getByText(`${unit.name} · 投资完成率排名：本月数值`).waitFor();
    await phone.page.getByTestId('evaluation-reason').fill('本月完成投资少计2亿元，统计局已核定');
    await shot(phone.page, 'evaluation-line-objection-phone');
    await phone.page.locator('.ant-modal-confirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    await phone.page.getByText('异议已提交').first().waitFor();
    await phone.page.getByTestId('evaluation-drill').getByText('待复核').waitFor();
    // Measured once the dialog is gone (while open, its scroll lock narrows the body by the scrollbar).
    await phone.page.locator('.ant-modal-confirm').waitFor({ state: 'detached' });
    await settled(phone.page);
    await expect.poll(() => pageOverflow(phone.page), { timeout: 30_000 }).toBeLessThanOrEqual(0);
    await shot(phone.page, 'evaluation-line-objected-phone');
    // The reporter may not turn lines into matters.
    expect(await phone.page.getByTestId('evaluation-line-to-matter-completion').count()).toBe(0);
    await phone.context.close();

    // The office accepts it with the corrected value: the line is recomputed, and so is the ranking.
    await office.page.goto(`/evaluation?year=${today.year}&month=${month}`);
    const objections = office.page.getByTestId('evaluation-objections');
    const row = objections.locator('tbody tr', { hasText: '投资完成率排名' });
    await row.getByText(unit.name).waitFor();
    await row.getByRole('button', { name: /^采\s*纳$/ }).click();
    await settled(office.page);
    await office.page.getByTestId('evaluation-corrected-value').fill('99.5');
    await office.page.getByTestId('evaluation-reason').fill('经统计局核定，完成率更正为99.5%');
    await shot(office.page, 'evaluation-line-accept');
    await office.page.locator('.ant-modal-confirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    await row.getByText('→ 99.5').waitFor();
    await row.getByText('经统计局核定，完成率更正为99.5%').waitFor();
    const after = (await api.get(`/evaluation/months/${today.year}/${month}`)).body as unknown as Month;
    const corrected = after.snapshot.units.find((u) => u.key === unit.key)!;
    expect(corrected.nodes.completion!.value_text).toBe('99.5');
    expect(corrected.rank).toBeLessThanOrEqual(unit.rank);
    expect(after.objections.find((o) => o.leaf_key === 'completion')).toMatchObject({ status: 'accepted', corrected_value: '99.5' });

    // 转督办 from the unit's 与序时进度差 line; the line then links to its matter, and a second one is refused.
    await office.page.getByTestId('evaluation-ranking').locator('tbody tr.ant-table-row', { hasText: unit.name }).click();
    await office.page.getByTestId('evaluation-line-to-matter-gap').click();
    await settled(office.page);
    await office.page.locator('.ant-modal-confirm-title', { hasText: `将“${unit.name} · 与序时进度差”转为督办事项？` }).waitFor();
    await office.page.locator('.ant-modal-confirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    await office.page.getByText(/已生成督办事项 督办〔\d{4}〕\d+号/).waitFor({ timeout: 30_000 });
    const link = office.page.getByTestId('evaluation-line-matter-gap');
    await link.getByText(/已转督办：督办〔\d{4}〕\d+号/).waitFor();
    expect(await office.page.getByTestId('evaluation-line-to-matter-gap').count()).toBe(0);
    await shot(office.page, 'evaluation-line-matter');
    const again = await api.post(`/evaluation/months/${today.year}/${month}/units/${unit.key}/matter`, { leaf: 'gap' });
    expect(again.status).toBe(409);
    expect((again.body.error as { message: string }).message).toMatch(new RegExp(`^${unit.name}与序时进度差已转为督办事项督办〔\\d{4}〕\\d+号，不能重复转办$`));
    await link.click();
    await office.page.waitForURL(/\/matters\/\d+/);
    await office.context.close();
  });

  it('fits the 年终总考评 and 上级考核 tabs on a 375 px phone and the scheme form in 1366 px without sideways scrolling', async () => {
    const month = Math.max(1, today.month - 1);
    const phone = await h.newPage({ width: 375, height: 812 });
    await login(phone.page, 'office', 'Docket#2026', `/evaluation?year=${today.year}&month=${month}`);
    await phone.page.getByRole('tab', { name: '上级考核' }).click();
    await phone.page.getByTestId('evaluation-upper-form').waitFor();
    await settled(phone.page);
    await shot(phone.page, 'evaluation-upper-phone');
    expect(await pageOverflow(phone.page)).toBeLessThanOrEqual(0);
    await phone.page.getByRole('tab', { name: '年终总考评' }).click();
    if (today.month - 1 >= 1) await phone.page.getByTestId('evaluation-year-end').locator('tbody tr.ant-table-row').first().waitFor();
    await settled(phone.page);
    await shot(phone.page, 'evaluation-year-end-phone');
    expect(await pageOverflow(phone.page)).toBeLessThanOrEqual(0);
    // The total is on screen, not behind a sideways scroll; a row opens the parts of the total.
    if (today.month - 1 >= 1) {
      const first = phone.page.getByTestId('evaluation-year-end').locator('tbody tr.ant-table-row').first();
      expect(await first.evaluate((el) => el.scrollWidth <= (el.closest('.ant-table-content') ?? el).clientWidth)).toBe(true);
      await first.click();
      await phone.page.getByTestId('evaluation-year-end').getByText('月度平均分').first().waitFor();
    }
    await phone.context.close();

    const desk = await h.newPage({ width: 1366, height: 768 });
    await login(desk.page, 'office', 'Docket#2026', `/evaluation?year=${today.year}&month=${month}`);
    await desk.page.getByRole('tab', { name: '考评方案' }).click();
    await desk.page.getByTestId('evaluation-scheme-lines').locator('tbody tr.ant-table-row').first().waitFor();
    await settled(desk.page);
    await shot(desk.page, 'evaluation-scheme-1366');
    expect(await pageOverflow(desk.page)).toBeLessThanOrEqual(0);
    // Nor does the lines table scroll inside itself.
    const lines = desk.page.getByTestId('evaluation-scheme-lines').locator('.ant-table-content').first();
    expect(await lines.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    await desk.context.close();
  });
});
