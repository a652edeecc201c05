import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, login, pickOption, pickTreeOption, settled, shot, startHarness, today, type Harness } from './harness.ts';

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
    await office.page.getByTestId('evaluation-scheme-mode').getByText('查看 JSON').click();
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

  it('edits a scheme in a form: lines with a source and a rule, Chinese checks, the full marks against the total, saved through the API', async () => {
    const month = Math.max(1, today.month - 1);
    const office = await h.newPage();
    const api = await apiAs(office.context, 'office');
    const name = `表单测试方案${Date.now().toString(36)}`;
    const created = await api.post('/evaluation/schemes', { year: today.year, scheme: { name, nodes: [
      { key: 'invest', name: '投资进度', max: 80, children: [
        { key: 'completion', name: '投资完成率排名', source: 'completion_rate', rule: { kind: 'rank_bands', points: [60, 57, 54, 51, 48], rest: 45, order: 'desc' } },
        { key: 'gap', name: '与序时进度差', source: 'gap_points', rule: { kind: 'linear', base: 15, target: 0, per_above: 0.25, per_below: 0.5, min: 0, max: 20 } },
      ] },
      { key: 'start_rate', name: '开工率', source: 'start_rate_to_date', rule: { kind: 'threshold', op: '>=', threshold: 80, pass: 20, fail: 10 } },
    ] } });
    expect(created.status).toBe(201);
    const page = office.page;
    await page.goto(`/evaluation?year=${today.year}&month=${month}`);
    await page.getByRole('tab', { name: '考评方案' }).click();
    await page.getByTestId('evaluation-scheme-select').click();
    await pickOption(page, name);
    const form = page.getByTestId('evaluation-scheme-form');
    await expect.poll(() => form.getByLabel('方案名称').inputValue(), { timeout: 30_000 }).toBe(name);
    const sum = page.getByTestId('evaluation-marks-sum');
    await sum.filter({ hasText: '各指标满分合计 100 分' }).waitFor();
    await form.getByLabel('方案总分').fill('100');
    await sum.filter({ hasText: '与方案总分 100 分一致' }).waitFor();

    // A new line: 入库纳统率 (wired now) passing at 80% for 10 points — 110 in all, which the form and the preview refuse.
    await page.getByTestId('evaluation-add-line').click();
    const line = page.getByTestId('evaluation-scheme-lines').locator('tbody tr.ant-table-row').last();
    await line.getByLabel('指标名称').fill('入库纳统率考核');
    await line.getByLabel('代码').fill('stats');
    await line.getByLabel('数据来源').click();
    await page.keyboard.type('入库纳统');
    await pickOption(page, '入库纳统率（%）');
    await line.getByLabel('计分规则').click();
    await pickOption(page, '达标计分');
    await expect.poll(() => line.getByLabel('达标得分', { exact: true }).inputValue()).toBe('10');
    await sum.filter({ hasText: '各指标满分合计 110 分，与方案总分 100 分不一致' }).waitFor();
    const preview = page.getByTestId('evaluation-preview');
    await preview.getByText('方案：各指标满分合计110分，与方案总分100分不一致').waitFor({ timeout: 30_000 });
    // Required fields are named in Chinese; a duplicate code too.
    await line.getByLabel('指标名称').fill('');
    await line.getByText('请填写指标名称').waitFor();
    await line.getByLabel('指标名称').fill('入库纳统率考核');
    await line.getByLabel('代码').fill('gap');
    await line.getByText('代码“gap”重复').waitFor();
    await line.getByLabel('代码').fill('stats');
    await form.getByLabel('方案总分').fill('110');
    await sum.filter({ hasText: '与方案总分 110 分一致' }).waitFor();
    await preview.locator('tbody tr.ant-table-row').first().waitFor({ timeout: 30_000 });
    await expect(preview.getByText('方案有问题').count()).resolves.toBe(0);
    await shot(page, 'evaluation-scheme-form');

    await page.getByRole('button', { name: /^保\s*存$/ }).click();
    await page.getByText('已保存').first().waitFor();
    const saved = await api.get(`/evaluation/schemes/${created.body.id as number}`);
    const body = saved.body.body as { full_marks: number; nodes: { key: string; source?: string; rule?: unknown }[] };
    expect(body.full_marks).toBe(110);
    expect(body.nodes.map((n) => n.key)).toEqual(['invest', 'start_rate', 'stats']);
    expect(body.nodes[2]).toMatchObject({ name: '入库纳统率考核', source: 'stats_entry_rate', rule: { kind: 'threshold', op: '>=', threshold: 80, pass: 10, fail: 0 } });

    // Auditors read the same scheme as JSON.
    await page.getByTestId('evaluation-scheme-mode').getByText('查看 JSON').click();
    await expect.poll(() => page.getByTestId('evaluation-scheme-json').inputValue()).toContain('"source": "stats_entry_rate"');
    await office.context.close();
  });

  it('records how the city ranks us (上级考核) and shows the year-end comprehensive evaluation', async () => {
    const month = Math.max(1, today.month - 1);
    const { context, page } = await h.newPage();
    await login(page, 'office', 'Docket#2026', `/evaluation?year=${today.year}&month=${month}`);
    await page.getByRole('tab', { name: '上级考核' }).click();
    const form = page.getByTestId('evaluation-upper-form');
    const indicator = `固定资产投资增速${Date.now().toString(36)}`;
    await form.getByLabel('指标').fill(indicator);
    await form.getByLabel('我方名次').fill('12');
    await form.getByLabel('参评单位数').fill('10');
    await page.getByRole('button', { name: /^登\s*记$/ }).click();
    await form.getByText('名次不能大于参评单位数').waitFor();
    await form.getByLabel('参评单位数').fill('13');
    await form.getByLabel('我方得分').fill('71.5');
    await form.getByLabel('第一名得分').fill('92');
    await form.getByLabel('原因分析').fill('新开工项目偏少，投资拉动不足');
    await form.getByLabel('下步举措').fill('加快储备项目转化，督促四季度开工');
    await page.getByRole('button', { name: /^登\s*记$/ }).click();
    // 12th of 13 is in the bottom third: flagged weak without being told; the gap to the leader is printed.
    const row = page.getByTestId('evaluation-upper-table').locator('tbody tr', { hasText: indicator });
    await row.getByText('12/13').waitFor();
    await row.getByText('弱项').waitFor();
    await row.getByText('20.5').waitFor();
    await shot(page, 'evaluation-upper');
    // The weak line becomes a 督办事项 in one step: pick the lead unit, leave title and deadline to the server.
    await row.getByRole('button', { name: '转督办' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('weak-matter-lead').click();
    await pickTreeOption(page, 0);
    await shot(page, 'evaluation-weak-matter');
    await dialog.getByRole('button', { name: /^确\s*定$/ }).click();
    await page.getByText(/已生成督办事项 督办〔\d{4}〕\d+号/).waitFor({ timeout: 30_000 });
    // The line now links to its matter instead of offering a second one.
    await row.getByTestId('evaluation-upper-matter').getByText(/已转督办：督办〔\d{4}〕\d+号/).waitFor();
    expect(await row.getByRole('button', { name: '转督办' }).count()).toBe(0);

    await page.getByRole('tab', { name: '年终总考评' }).click();
    if (today.month - 1 >= 1) {
      const yearEnd = page.getByTestId('evaluation-year-end');
      await yearEnd.getByText(/计入已发布月份：.*月/).waitFor();
      await expect.poll(() => yearEnd.locator('tbody tr.ant-table-row td:nth-child(1)').first().innerText()).toBe('1');
      await shot(page, 'evaluation-year-end');
    }
    await context.close();
  });
});
