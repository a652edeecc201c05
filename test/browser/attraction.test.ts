import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkbook } from '../workbooks.ts';
import { login, pickOption, settled, shot, startHarness, type Harness } from './harness.ts';

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
    await pickOption(page, '签约');
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
    // The fields card's header (team and region) wraps instead of being cut at the right edge of a 375 px phone.
    const title = page.getByTestId('lead-fields').locator('.ant-card-head-title');
    const fits = await title.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().right <= window.innerWidth);
    expect(fits).toBe(true);
    await settled(page);
    await shot(page, 'attraction-record-phone');
    await context.close();
  });

  it('imports the ledger through the wizard (dry run with row and column errors, then apply) and keeps the office settings', async () => {
    const team = await h.database.db.selectFrom('attraction_leads').innerJoin('units', 'units.id', 'attraction_leads.team_id').select('units.name').executeTakeFirstOrThrow();
    const tag = Date.now().toString(36);
    const header = ['序号', '项目名称', '招商小分队', '所属产业', '投资方', '当前阶段', '意向投资额（万元）', '签约额（万元）', '线索日期', '在谈日期', '签约日期'];
    const good = [1, `台账导入项目甲${tag}`, team.name, '新材料', '某材料集团', '签约', 50000, 42000.5, '2026-01-05', '2026-02-01', '2026-03-10'];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-leads-'));
    const bad = path.join(dir, '招商台账-有误.xlsx');
    fs.writeFileSync(bad, await buildWorkbook([{ name: '招商项目台账', rows: [header, good, [2, `台账导入项目乙${tag}`, '没有这个小分队', '新材料', null, '在谈', '一些', null, '2026-01-05', '2026-02-01', null]] as never }]));
    const clean = path.join(dir, '招商台账.xlsx');
    fs.writeFileSync(clean, await buildWorkbook([{ name: '招商项目台账', rows: [header, good] as never }]));

    const { context, page } = await h.newPage();
    await login(page, 'office', undefined, '/attraction');
    await page.getByTestId('lead-import').click();
    await page.getByTestId('import-list-hint').getByText('招商项目台账：', { exact: false }).waitFor();
    await page.locator('input[type=file]').setInputFiles(bad);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-errorRows').getByText('1', { exact: true }).waitFor({ timeout: 60_000 });
    const body = page.locator('body');
    await expect(body.textContent()).resolves.toContain('招商小分队（责任单位）“没有这个小分队”不存在或不在您的数据范围内');
    await expect(body.textContent()).resolves.toContain('意向投资额“一些”无法识别');
    await expect(page.getByTestId('import-apply').isDisabled()).resolves.toBe(true);
    await settled(page);
    await shot(page, 'attraction-import-errors');

    await page.getByText('导入其他文件').click();
    await page.locator('input[type=file]').setInputFiles(clean);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-created').getByText('1', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-applied').waitFor({ timeout: 60_000 });
    const stored = await h.database.db.selectFrom('attraction_leads').select(['stage', 'signed_amount']).where('name', '=', `台账导入项目甲${tag}`).executeTakeFirstOrThrow();
    expect(stored).toEqual({ stage: 'signed', signed_amount: 420_005_000 });

    // The office settings on the figures tab: saved, and the lists' titles follow.
    await page.goto('/attraction?tab=figures');
    const settings = page.getByTestId('lead-settings');
    await settings.waitFor();
    await page.getByTestId('lead-settings-stale').fill('21');
    await page.getByTestId('lead-settings-save').click();
    await page.locator('.ant-message').getByText('设置已保存').waitFor();
    await page.getByText('跟进超期（超过 21 天未跟进）').waitFor();
    await settings.scrollIntoViewIfNeeded();
    await settled(page);
    await shot(page, 'attraction-settings');
    // English.
    await page.getByTestId('lang-switch').click();
    await settings.getByText('Figure settings').waitFor();
    await settled(page);
    await shot(page, 'attraction-settings-en');
    await page.getByTestId('lang-switch').click();
    await context.close();
  });
});
