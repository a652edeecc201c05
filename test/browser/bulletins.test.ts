import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, settled, shot, startHarness, today, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ projects: 120 });
});
afterAll(async () => {
  await h?.close();
});

describe('通报与讲评 page', () => {
  it('drafts a bulletin, submits it, the leader signs it, and the 月讲评 ranking shows and exports', async () => {
    const month = Math.max(1, today.month - 1);
    const office = await h.newPage();
    await login(office.page, 'office', 'Docket#2026', `/bulletins?year=${today.year}&month=${month}`);
    await office.page.getByTestId('bulletin-new').click();
    const row = office.page.locator('tr', { hasText: `${today.year}年重点项目` }).first();
    await row.waitFor();
    const id = await office.page.locator('[data-testid^="bulletin-submit-"]').first().getAttribute('data-testid');
    const bulletinId = Number(id!.replace('bulletin-submit-', ''));
    // The draft's Word document downloads with its figures.
    const [draft] = await Promise.all([office.page.waitForEvent('download'), office.page.getByTestId(`bulletin-docx-${bulletinId}`).click()]);
    expect(draft.suggestedFilename()).toMatch(/（草稿）\.docx$/);
    await office.page.getByTestId(`bulletin-submit-${bulletinId}`).click();
    await office.page.getByText('待审核签发').first().waitFor();
    await office.context.close();

    const leader = await h.newPage();
    await login(leader.page, 'leader', 'Docket#2026', '/bulletins');
    await leader.page.getByTestId(`bulletin-sign-${bulletinId}`).click();
    await settled(leader.page);
    await leader.page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    await leader.page.getByText('已签发').first().waitFor();
    await leader.page.locator('.ant-table-row-expand-icon').first().click();
    await leader.page.getByText(/第1版 · 第\d+期/).waitFor();
    await shot(leader.page, 'bulletins-list');

    await leader.page.goto(`/bulletins?tab=ranking&year=${today.year}&month=${month}`);
    const table = leader.page.getByTestId('ranking-table');
    await table.locator('tbody tr').nth(2).waitFor();
    const ranks = await table.locator('tbody tr td:first-child').allInnerTexts();
    expect(ranks[0]).toBe('1');
    const [xlsx] = await Promise.all([leader.page.waitForEvent('download'), leader.page.getByTestId('ranking-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^重点项目单位排名-\d{4}年1(–\d+)?月\.xlsx$/);
    await shot(leader.page, 'bulletins-ranking');

    await leader.page.goto('/bulletins?tab=template');
    await leader.page.getByTestId('template-json').waitFor();
    await shot(leader.page, 'bulletins-template');
    await leader.context.close();
  });
});
