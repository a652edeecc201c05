import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, login, settled, shot, startHarness, today, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ projects: 120 });
});
afterAll(async () => {
  await h?.close();
});

describe('考评讲评 page', () => {
  // The demo publishes the last completed month under its adopted scheme (none in January).
  const month = today.month - 1;

  it('shows the published ranking, drills from a score to its records, and shows a correction as a diff', async () => {
    const leader = await h.newPage();
    await login(leader.page, 'leader', 'Docket#2026', `/evaluation?year=${today.year}&month=${Math.max(1, month)}`);
    if (month < 1) {
      await leader.page.getByText('本月讲评尚未生成').waitFor();
      return;
    }
    await leader.page.getByTestId('evaluation-status').filter({ hasText: '已发布' }).waitFor();
    const table = leader.page.getByTestId('evaluation-ranking');
    await table.locator('tbody tr.ant-table-row').nth(2).waitFor();
    const ranks = await table.locator('tbody tr.ant-table-row td:nth-child(2)').allInnerTexts();
    expect(ranks[0]).toBe('1');
    expect(ranks.map(Number)).toEqual([...ranks.map(Number)].sort((a, b) => a - b));
    await leader.page.getByText('先进与后进单位').waitFor();
    // Drill down from the leader's score to the figures and rules behind it.
    await table.locator('tbody tr.ant-table-row').first().click();
    const drill = leader.page.getByTestId('evaluation-drill');
    await drill.getByText('投资进度 › 投资完成率排名').waitFor();
    await drill.getByText(/^第\d+名，\d+\.\d分$/).first().waitFor();
    await drill.getByRole('link', { name: '该单位项目' }).first().waitFor();
    await shot(leader.page, 'evaluation-ranking');

    // The office books a bonus after publication: the page shows what a recomputation would change.
    const office = await h.newPage();
    const api = await apiAs(office.context, 'office');
    const m = await api.get(`/evaluation/months/${today.year}/${month}`);
    const units = (m.body.snapshot as { units: { key: string; name: string }[] }).units;
    const last = units[units.length - 1]!;
    const added = await api.post('/evaluation/ledger', { year: today.year, month, unit_id: Number(last.key), points: 3, reason: '重大项目集中开工', doc_number: '苏重项办〔2026〕9号', approver: '王主任' });
    expect(added.status).toBe(201);
    // Signed in already through apiAs (the same cookie jar).
    await office.page.goto(`/evaluation?year=${today.year}&month=${month}`);
    const diff = office.page.getByTestId('evaluation-diff');
    await diff.getByText(new RegExp(`${last.name} 总分：`)).waitFor();
    await shot(office.page, 'evaluation-diff');
    await diff.getByRole('button', { name: '更正重发' }).click();
    await settled(office.page);
    await office.page.getByTestId('evaluation-reason').fill('补记加分');
    await office.page.locator('.ant-modal-confirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    await diff.waitFor({ state: 'detached' });

    // The scheme editor previews live and names problems in Chinese.
    await office.page.getByRole('tab', { name: '考评方案' }).click();
    const json = office.page.getByTestId('evaluation-scheme-json');
    await json.waitFor();
    const preview = office.page.getByTestId('evaluation-preview');
    await preview.locator('tbody tr.ant-table-row').first().waitFor();
    const text = await json.inputValue();
    await json.fill(text.replace('"source": "overdue_starts"', '"source": "land_supply_rate"'));
    await preview.getByText('数据来源“land_supply_rate”不存在').waitFor();
    await shot(office.page, 'evaluation-scheme');
    await office.context.close();

    // A leader on a phone reads the ranking.
    const phone = await h.newPage({ width: 375, height: 812 });
    await login(phone.page, 'leader', 'Docket#2026', `/evaluation?year=${today.year}&month=${month}`);
    await phone.page.getByTestId('evaluation-ranking').locator('tbody tr.ant-table-row').first().waitFor();
    await shot(phone.page, 'evaluation-phone');
    await phone.context.close();
    await leader.context.close();
  });
});
