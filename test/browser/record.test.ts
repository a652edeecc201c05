import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { apiAs, login, pickOption, pickTreeOption, settled, shot, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ projects: 300 });
});
afterAll(async () => {
  await h?.close();
});

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 375, height: 812 };

/** Types into a picker (TreeSelect) and clicks the option with exactly that title. */
async function pick(page: Page, testId: string, typed: string, title: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(typed);
  await pickTreeOption(page, title);
  await settled(page);
}

describe('the 五定 record, a new project and library moves', () => {
  it('shows the whole record grouped: leader, builder with USCC and contact, schedule, levels, funds and 纳统', async () => {
    const db = h.database.db;
    const p = await db.selectFrom('projects').selectAll()
      .where('leader_name', 'is not', null).where('builder_uscc', 'is not', null).where('stats_entered', '=', 1).where('planned_start_date', 'is not', null)
      .where('id', 'in', db.selectFrom('project_levels').select('project_id')).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const level = (await db.selectFrom('project_levels').select('level').where('project_id', '=', p.id).orderBy('level').executeTakeFirstOrThrow()).level;
    const levelName = { national: '国家重点', province: '省重点', city: '市重点', county: '县重点' }[level]!;
    for (const [viewport, name] of [[DESKTOP, 'project-record'], [PHONE, 'project-record-375']] as const) {
      const { context, page } = await h.newPage(viewport);
      await login(page, 'office', 'Docket#2026', `/projects/${p.id}`);
      const record = page.getByTestId('project-basic');
      await record.waitFor();
      await page.getByTestId('record-leader').filter({ hasText: p.leader_name! }).waitFor();
      if (p.leader_post) await page.getByTestId('record-leader').filter({ hasText: p.leader_post }).waitFor();
      await page.getByTestId('record-people').getByText(p.builder_uscc!).waitFor();
      await page.getByTestId('record-builder').filter({ hasText: p.builder_name! }).waitFor();
      if (p.builder_phone) await page.getByTestId('record-people').getByText(p.builder_phone).waitFor();
      await page.getByTestId('record-start').filter({ hasText: `计划 ${p.planned_start_date!}` }).waitFor();
      await page.getByTestId('record-levels').getByText(levelName).waitFor();
      await page.getByTestId('record-stats').filter({ hasText: '已入库纳统' }).waitFor();
      await page.getByTestId('record-stats-section').getByText(p.stats_category!).waitFor();
      await page.getByTestId('record-money').getByText('总投资（万元）').waitFor();
      if (viewport === PHONE) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
      }
      await shot(page, name);
      await context.close();
    }
  });

  it('creates a project from the list (pickers searched by pinyin and short name, 1.2亿元), withdraws and restores it', async () => {
    const { context, page } = await h.newPage(DESKTOP);
    await login(page, 'office', 'Docket#2026', '/projects');
    await page.getByTestId('new-project').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('new-name').fill('吴中区智慧停车示范工程');
    // The region picker starts at the jurisdiction (苏州市, derived from the data) and finds 吴中区 by its pinyin.
    await pick(page, 'new-region', 'wuzhong', '吴中区');
    const unit = await h.database.db.selectFrom('units').select(['id', 'name', 'short_name']).where('short_name', 'like', '%住建%').executeTakeFirstOrThrow();
    await pick(page, 'new-unit', '住建', unit.name);
    await dialog.getByTestId('new-total').fill('12亿万');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText(/金额格式不正确：无法识别的金额：12亿万/).waitFor();
    await shot(page, 'new-project-validation');
    await dialog.getByTestId('new-total').fill('1.2亿元');
    // Both pickers hold their choice before saving (a pick lost under load would only show as a missing navigation).
    await dialog.getByTestId('new-region').filter({ hasText: '吴中区' }).waitFor();
    await dialog.getByTestId('new-unit').filter({ hasText: unit.name }).waitFor();
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/projects'),
      dialog.getByRole('button', { name: /保\s*存/ }).click(),
    ]);
    expect(created.status(), await created.text()).toBe(201);
    await page.waitForURL(/\/projects\/\d+$/);
    await page.getByTestId('project-title').filter({ hasText: '吴中区智慧停车示范工程' }).waitFor();
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const stored = await h.database.db.selectFrom('projects').select(['total_investment', 'region_code', 'unit_id', 'tier']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ total_investment: 120_000_000, region_code: '320506', unit_id: unit.id, tier: 'implementation' });

    // 退库 needs a reason; 恢复 returns it to the tier it left.
    await page.getByTestId('tier-actions').click();
    await page.getByTestId('tier-withdrawn').click();
    await settled(page);
    await page.getByRole('dialog').getByRole('button', { name: /^退\s*库$/ }).click();
    await page.getByRole('dialog').getByText('退库须填写原因').waitFor();
    await page.getByTestId('tier-reason').fill('建设条件发生变化，暂缓实施');
    await page.getByRole('dialog').getByRole('button', { name: /^退\s*库$/ }).click();
    await page.getByTestId('record-tier').filter({ hasText: '退库' }).waitFor();
    await page.getByText('该项目已退库：建设条件发生变化，暂缓实施').waitFor();
    await shot(page, 'project-withdrawn');
    await page.getByTestId('tier-actions').click();
    await page.getByTestId('tier-restore').click();
    await settled(page);
    await page.getByRole('dialog').getByRole('button', { name: '恢复到实施库' }).click();
    await page.getByTestId('record-tier').filter({ hasText: '实施库' }).waitFor();
    expect((await h.database.db.selectFrom('projects').select('tier').where('id', '=', id).executeTakeFirstOrThrow()).tier).toBe('implementation');
    await context.close();
  });

  it('moves a reserve project through 初审 and 终审 into the implementation library', async () => {
    const { context, page } = await h.newPage(DESKTOP);
    const api = await apiAs(await h.browser.newContext({ baseURL: h.baseUrl }));
    const unit = await h.database.db.selectFrom('units').select('id').where('parent_id', 'is not', null).executeTakeFirstOrThrow();
    const created = await api.post('/projects', { name: '储备库审核示范项目', region_code: '320506', unit_id: unit.id, total_investment: 10_000_000, tier: 'reserve' });
    expect(created.status).toBe(201);
    await login(page, 'office', 'Docket#2026', `/projects/${String(created.body.id)}`);
    for (const [action, button] of [['initial', '通过初审'], ['final', '通过终审'], ['implementation', '转入实施库']] as const) {
      await page.getByTestId('tier-actions').click();
      await page.getByTestId(`tier-${action}`).click();
      await settled(page);
      await page.getByRole('dialog').getByRole('button', { name: button }).click();
      await page.getByText(`已${button}`).first().waitFor();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
    }
    await page.getByTestId('record-tier').filter({ hasText: '实施库' }).waitFor();
    const stored = await h.database.db.selectFrom('projects').select(['tier', 'reserve_review', 'stage']).where('id', '=', Number(created.body.id)).executeTakeFirstOrThrow();
    expect(stored).toEqual({ tier: 'implementation', reserve_review: 'final', stage: 'preliminary' });
    await context.close();
  });

  it('corrects an approved report with a reason and shows its revisions', async () => {
    const { context, page } = await h.newPage(DESKTOP);
    const db = h.database.db;
    const report = await db.selectFrom('monthly_reports').selectAll().where('status', '=', 'approved').orderBy('year', 'desc').orderBy('month', 'desc').orderBy('id').executeTakeFirstOrThrow();
    // Approved months are closed in the demo: the office reopens the month first, as it would for a correction.
    const api = await apiAs(await h.browser.newContext({ baseURL: h.baseUrl }));
    expect((await api.patch(`/reporting/periods/${report.year}/${report.month}`, { status: 'open' })).status).toBe(200);
    await login(page, 'office', 'Docket#2026', `/projects/${report.project_id}?tab=reports`);
    await page.getByRole('spinbutton', { name: '年度' }).fill(String(report.year));
    await page.getByTestId(`correct-${report.month}`).click();
    const form = page.getByTestId('correct-form');
    const corrected = report.amount_ytd + 1_000_000;
    await form.getByTestId('correct-ytd').fill(`${corrected / 10_000}`);
    await page.getByRole('dialog').getByRole('button', { name: /^更\s*正$/ }).click();
    await form.getByText('请填写更正原因').waitFor();
    await form.getByTestId('correct-reason').fill('统计局核定数据调整');
    await page.getByRole('dialog').getByRole('button', { name: /^更\s*正$/ }).click();
    await page.getByText('已更正，当前为第 2 版').waitFor();
    const stored = await db.selectFrom('monthly_reports').select(['amount_ytd', 'revision']).where('id', '=', report.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ amount_ytd: corrected, revision: 2 });
    await page.getByTestId(`revisions-${report.month}`).click();
    const table = page.getByTestId('revisions-table');
    await table.getByText('当前（第 2 版）').waitFor();
    await table.getByText('第 1 版').waitFor();
    await table.getByText('统计局核定数据调整').waitFor();
    await shot(page, 'report-revisions');
    await context.close();
  });
});

describe('the list, search and scope pickers', () => {
  it('finds projects with two words, each matched by name or region, and shows 完成率 and 灯色 of the period in force', async () => {
    const { context, page } = await h.newPage(DESKTOP);
    const db = h.database.db;
    // A two-character word of a project name in 吴中区 or its towns that other districts' names use too.
    const all = await db.selectFrom('projects').innerJoin('regions', 'regions.code', 'projects.region_code').select(['projects.name', 'regions.path']).execute();
    const isWuzhong = (path: string) => path.startsWith('/320000/320500/320506/');
    let word = '';
    let wuzhong = '';
    for (const p of all.filter((x) => isWuzhong(x.path))) {
      for (let i = 0; i + 2 <= p.name.length && !word; i++) {
        const w = p.name.slice(i, i + 2);
        if (/^[\u4e00-\u9fa5]{2}$/.test(w) && !'吴中'.includes(w[0]!) && all.some((x) => !isWuzhong(x.path) && x.name.includes(w))) {
          word = w;
          wuzhong = p.name;
        }
      }
      if (word) break;
    }
    expect(word).not.toBe('');
    const inWuzhong = { n: all.filter((x) => isWuzhong(x.path) && x.name.includes(word)).length };
    await login(page, 'office', 'Docket#2026', `/projects?q=${encodeURIComponent(`${word} 吴中`)}`);
    await page.getByTestId('totals-row').waitFor();
    await page.getByRole('link', { name: wuzhong }).first().waitFor();
    // Every match is in 吴中区 (or one of its towns, or a unit named with 吴中): at least the name-and-region ones.
    const shown = Number((await page.getByTestId('headline-count').textContent())!.replace(/\D/g, ''));
    expect(shown).toBeGreaterThanOrEqual(Number(inWuzhong.n));
    const single = (await (await apiAs(await h.browser.newContext({ baseURL: h.baseUrl }))).get(`/projects?q=${encodeURIComponent(word)}`)).body as { totals: { count: number } };
    expect(shown).toBeLessThan(single.totals.count);
    await page.getByRole('columnheader', { name: /完成率（1–\d+月）/ }).waitFor();
    await page.getByRole('columnheader', { name: /灯色（1–\d+月）/ }).waitFor();
    await page.getByTestId('row-light').first().waitFor();
    await shot(page, 'projects-search-two-words');
    await context.close();
  });

  it('filters by 重中之重, 批次 and 专项行动 from the filter bar', async () => {
    const { context, page } = await h.newPage(DESKTOP);
    const db = h.database.db;
    const count = async (where: (q: ReturnType<typeof base>) => ReturnType<typeof base>) => Number((await where(base()).executeTakeFirstOrThrow()).n);
    const shows = async (n: number) => page.getByTestId('headline-count').filter({ hasText: new RegExp(`\\D${n}$`) }).waitFor();
    const base = () => db.selectFrom('projects').select(sql<number>`count(*)`.as('n')).where('deleted_at', 'is', null);
    await login(page, 'office', 'Docket#2026', '/projects');
    await page.getByRole('button', { name: /更多筛选/ }).click();
    await page.getByTestId('filter-key-of-key').click();
    await pickOption(page, '重中之重项目');
    await page.waitForURL(/is_key_of_key=true/);
    await shows(await count((q) => q.where('is_key_of_key', '=', 1)));
    await page.getByTestId('filter-key-of-key').locator('.ant-select-clear').click({ force: true });
    await page.waitForURL((u) => !u.search.includes('is_key_of_key'));
    await page.getByRole('combobox', { name: '专项行动' }).click();
    await pickOption(page, '加快建设');
    await page.keyboard.press('Escape');
    await page.waitForURL(/campaign_group=/);
    await shows(await count((q) => q.where('campaign_group', '=', '加快建设')));
    await page.getByTestId('filter-batch').fill('增补');
    await page.getByTestId('filter-batch').press('Enter');
    await page.waitForURL(/batch=/);
    await shows(await count((q) => q.where('campaign_group', '=', '加快建设').where('batch', '=', '增补')));
    await context.close();
  });

  it('finds a unit by its short name and a region by pinyin, and scopes the dashboard', async () => {
    const { context, page } = await h.newPage(DESKTOP);
    await login(page, 'office', 'Docket#2026', '/dashboard');
    await page.getByTestId('kpi-count').waitFor();
    const before = Number((await page.getByTestId('kpi-count').textContent())!.replace(/\D/g, ''));
    await pick(page, 'scope-region', 'wz', '吴中区');
    await page.waitForURL(/region=320506/);
    await page.waitForFunction((n) => {
      const el = document.querySelector('[data-testid="kpi-count"]');
      return el && Number(el.textContent.replace(/\D/g, '')) !== n;
    }, before);
    const after = Number((await page.getByTestId('kpi-count').textContent())!.replace(/\D/g, ''));
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(before);
    // The figures link to the same scope.
    await expect(page.getByTestId('kpi-count').getAttribute('href')).resolves.toContain('region=320506');
    await page.getByTestId('chart-unit').locator('canvas').waitFor();
    await page.waitForTimeout(1200);
    await shot(page, 'dashboard-scoped');
    await context.close();

    const phone = await h.newPage(PHONE);
    await login(phone.page, 'office', 'Docket#2026', '/projects');
    await pick(phone.page, 'filter-unit', '住建', (await h.database.db.selectFrom('units').select('name').where('short_name', 'like', '%住建%').executeTakeFirstOrThrow()).name);
    await phone.page.waitForURL(/unit=\d+/);
    await phone.page.getByTestId('totals-row').waitFor();
    await shot(phone.page, 'projects-unit-375');
    await phone.context.close();
  });
});
