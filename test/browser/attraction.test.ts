import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, settled, shot, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ projects: 150 });
});
afterAll(async () => {
  await h?.close();
});

describe('investment attraction (招商引资)', () => {
  it('shows the board by stage, approves a waiting move on the record page and explains a refused skip', async () => {
    const { context, page } = await h.newPage();
    await login(page, 'office', undefined, '/attraction');
    const board = page.getByTestId('lead-board');
    await board.getByTestId('lead-card').first().waitFor();
    for (const stage of ['线索', '在谈', '签约', '过审', '落地', '开工', '投产']) await expect(board.textContent()).resolves.toContain(stage);
    expect(await board.getByTestId('lead-card').count()).toBe(38); // 40 demo records, 2 ended
    await settled(page);
    await shot(page, 'attraction-board');

    // A record waiting for review: the office approves it and the stage moves on the timeline.
    const waiting = board.getByTestId('lead-card').filter({ hasText: '申请进入' }).first();
    const name = (await waiting.locator('a').textContent())!;
    await waiting.locator('a').click();
    await page.getByTestId('lead-page').waitFor();
    await expect(page.getByTestId('lead-review').textContent()).resolves.toContain('待审核');
    const before = await page.getByTestId('lead-steps').locator('.ant-steps-item-finish').count();
    await page.getByTestId('lead-approve').click();
    await page.getByTestId('lead-review').waitFor({ state: 'detached' });
    expect(await page.getByTestId('lead-steps').locator('.ant-steps-item-finish').count()).toBe(before + 1);
    await expect(page.locator('h3').textContent()).resolves.toContain(name);
    await settled(page);
    await shot(page, 'attraction-record');

    // Skipping a stage without a reason is explained before submitting, and refused by the server in Chinese.
    await page.goto('/attraction');
    await board.getByTestId('stage-lead').getByTestId('lead-card').first().locator('a').click();
    await page.getByTestId('lead-move').waitFor();
    await page.getByTestId('lead-move-to').click();
    await page.locator('.ant-select-item-option', { hasText: '签约' }).click();
    await expect(page.getByTestId('lead-move').textContent()).resolves.toContain('跳过了在谈阶段，须说明理由');
    await page.getByTestId('lead-move-submit').click();
    await page.locator('.ant-message').getByText('须说明理由').waitFor();
    await shot(page, 'attraction-skip-refused');

    // The figures: the funnel chart and the written definitions.
    await page.goto('/attraction?tab=figures');
    await page.getByTestId('lead-funnel').locator('canvas').waitFor();
    await expect(page.getByTestId('lead-figures').textContent()).resolves.toContain('合计');
    await expect(page.locator('body').textContent()).resolves.toContain('分母');
    await settled(page);
    await shot(page, 'attraction-figures');
    await context.close();
  });

  it('fits a phone: the reporter sees its own team\'s records on the board', async () => {
    const { context, page } = await h.newPage({ width: 375, height: 812 });
    await login(page, 'reporter', undefined, '/attraction');
    const cards = page.getByTestId('lead-board').getByTestId('lead-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBeLessThan(38);
    await settled(page);
    await shot(page, 'attraction-board-phone');
    await cards.first().locator('a').click();
    await page.getByTestId('lead-steps').waitFor();
    await settled(page);
    await shot(page, 'attraction-record-phone');
    await context.close();
  });
});
