import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, login, pickOption, settled, shot, startHarness, type Harness } from './harness.ts';
import { buildUser } from '../factories.ts';
import { clock } from '../../server/clock.ts';
import { chinaToday } from '../../core/clock.ts';
import { addDays } from '../../core/calendar.ts';

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
    await pickOption(page, '已销号');
    await page.keyboard.press('Escape');
    await page.waitForURL(/status=closed/);
    await page.getByText('共 1 个问题').waitFor();
    await expect(page.locator('.ant-table-tbody tr.ant-table-row').count()).resolves.toBe(1);
    // The drawer's timeline shows the moves, the 重办 among them with its reason.
    await page.getByText('能耗指标缺口').click();
    const moves = page.getByTestId('problem-timeline');
    await moves.getByText('回访（不满意，重办）：已答复 → 办理中').waitFor();
    await moves.getByText('指标来源未落实').waitFor();
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

  it('shows a closed matter on its problem and lets the department close the problem in one step with the outcome; a returned matter shows its reason', async () => {
    // The department (住建局, owner of 水电气) gets an account; the office and the department set the matters up over the API.
    const db = h.database.db;
    const dept = await db.selectFrom('units').select('id').where('name', '=', '苏州市住房和城乡建设局').executeTakeFirstOrThrow();
    await buildUser(db, { username: 'build_dept', role: 'reporter', unitId: dept.id });
    const officeSide = await h.newPage();
    const office = await apiAs(officeSide.context, 'office');
    const { context, page } = await h.newPage();
    const handler = await apiAs(context, 'build_dept');
    const find = async (title: string) => ((await office.get(`/problems?q=${encodeURIComponent(title)}`)).body.items as { id: number; title: string }[]).find((x) => x.title === title)!.id;
    const version = async (path: string, key?: string) => {
      const b = (await office.get(path)).body;
      return (key ? (b[key] as { version: number }) : (b as { version: number })).version;
    };
    const ok = async (r: Promise<{ status: number; body: unknown }>) => expect((await r).status).toBe(200);
    // 新厂房用电增容 (办理中): escalated, the matter signed, applied to close with its outcome and closed by the office.
    const power = await find('新厂房用电增容');
    const powerMatter = (await office.post(`/problems/${power}/escalate`, { version: await version(`/problems/${power}`), reason: '涉及电网改造，需区级协调', lead_unit_id: dept.id })).body.matter_id as number;
    await ok(handler.post(`/matters/${powerMatter}/actions`, { action: 'sign', version: await version(`/matters/${powerMatter}`, 'matter') }));
    await ok(handler.post(`/matters/${powerMatter}/actions`, { action: 'apply_close', reason: '已完成 2000 千伏安增容并送电', version: await version(`/matters/${powerMatter}`, 'matter') }));
    await ok(office.post(`/matters/${powerMatter}/actions`, { action: 'approve_close', version: await version(`/matters/${powerMatter}`, 'matter') }));
    // 员工子女入学 (待受理): escalated and sent back by the department with a reason.
    const school = await find('员工子女入学');
    const schoolMatter = (await office.post(`/problems/${school}/escalate`, { version: await version(`/problems/${school}`), reason: '涉及教育部门', lead_unit_id: dept.id })).body.matter_id as number;
    await ok(handler.post(`/matters/${schoolMatter}/actions`, { action: 'send_back', reason: '应由区教育局牵头办理', version: await version(`/matters/${schoolMatter}`, 'matter') }));

    await page.goto(`/problems?open=${power}`);
    const closed = page.getByTestId('problem-matter-closed');
    await closed.getByText('督办事项已办结：已完成 2000 千伏安增容并送电').waitFor({ timeout: 20_000 });
    await settled(page);
    await shot(page, 'problems-matter-closed');
    await closed.getByTestId('problem-adopt-matter').click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByTestId('problem-timeline').getByText('按督办结果办结：办理中 → 已答复').waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('problem-adopt-matter').count()).resolves.toBe(0);
    await settled(page);
    await shot(page, 'problems-matter-adopted');
    const row = await db.selectFrom('problems').select(['status', 'reply']).where('id', '=', power).executeTakeFirstOrThrow();
    expect(row.status).toBe('replied');
    expect(row.reply).toMatch(/^按督办事项.+办结结果：已完成 2000 千伏安增容并送电$/);

    // The office (which reassigns a returned matter) sees on the problem that its matter came back, and why.
    await officeSide.page.goto(`/problems?open=${school}`);
    await officeSide.page.getByTestId('problem-matter-returned').getByText('督办事项已退回：应由区教育局牵头办理').waitFor({ timeout: 20_000 });
    await settled(officeSide.page);
    await shot(officeSide.page, 'problems-matter-returned');
    await officeSide.context.close();
    await context.close();
  });

  it('shows the problem figures (办结率, 按期办结率, 满意率, 一次性解决率) by department and by source, with definitions, in Chinese and English, and exports them', async () => {
    const { context, page } = await h.newPage();
    const office = await apiAs(context, 'office');
    type Rate = { text: string; numerator: number; denominator: number };
    type Figures = { year: number; solved_in_year: number; total: { total: number; closed_rate: Rate; satisfied_rate: Rate }; groups: { key: string | null; name: string; figures: { total: number } }[] };
    // The page must print what the API computes (the other tests here move problems, so nothing is pinned).
    const byDept = (await office.get('/problem-figures?group_by=department')).body as unknown as Figures;
    await page.goto('/problem-figures');
    const table = page.getByTestId('problem-figures-table');
    const totalRow = table.locator('tr', { hasText: '合计' });
    await totalRow.waitFor({ timeout: 20_000 });
    await page.getByTestId('problem-figures-solved').getByText(`${byDept.year}年共帮助解决问题 ${byDept.solved_in_year} 个`).waitFor();
    const rate = (r: Rate) => (r.text === '—' ? '—' : `${r.text}%`);
    await page.getByTestId('figure-closed_rate').getByText(`${byDept.total.closed_rate.numerator} / ${byDept.total.closed_rate.denominator}（分母：受理件数）`).waitFor();
    await expect(page.getByTestId('figure-satisfied_rate').locator('.ant-statistic-content').textContent()).resolves.toBe(rate(byDept.total.satisfied_rate));
    await expect(totalRow.locator('td').nth(1).textContent()).resolves.toBe(String(byDept.total.total));
    for (const g of byDept.groups) await table.locator('tr', { hasText: g.name }).first().waitFor();
    await page.getByTestId('problem-figures-definitions').getByText('一次性解决率 = 未经重办即销号的件数 ÷ 已销号件数').waitFor();
    await settled(page);
    await shot(page, 'problem-figures-department');
    // By source: the breakdown lands in the URL, the groups are the API's, named in Chinese.
    const bySource = (await office.get(`/problem-figures?year=${byDept.year}&group_by=source`)).body as unknown as Figures;
    await page.getByTestId('problem-figures-group').getByText('按问题来源').click();
    await page.waitForURL(/by=source/);
    await table.locator('th', { hasText: '按问题来源' }).waitFor({ timeout: 20_000 });
    for (const g of bySource.groups) await table.locator('tr', { hasText: g.name }).first().waitFor({ timeout: 20_000 });
    await expect(table.locator('tbody tr.ant-table-row').count()).resolves.toBe(bySource.groups.length + 1);
    await settled(page);
    await shot(page, 'problem-figures-source');
    const download = page.waitForEvent('download');
    await page.getByTestId('problem-figures-export').click();
    expect((await download).suggestedFilename()).toBe(`问题办理统计-${byDept.year}.xlsx`);
    // A group opens the ledger filtered by it and by the year: the problems it counts.
    const first = bySource.groups.find((g) => g.key !== null)!;
    await table.getByRole('link', { name: first.name }).click();
    await page.waitForURL(new RegExp(`/problems\\?.*source=${first.key}`));
    await page.getByTestId('problems-received').getByText(`受理日期 ${byDept.year}-01-01 至 ${byDept.year}-12-31`).waitFor({ timeout: 20_000 });
    await page.getByText(`共 ${first.figures.total} 个问题`).waitFor({ timeout: 20_000 });
    await settled(page);
    await shot(page, 'problem-figures-to-ledger');
    // The same page in English.
    await page.goto('/problem-figures?by=source');
    await page.evaluate(() => localStorage.setItem('docket_locale', 'en'));
    await page.reload();
    await page.getByText('Problem handling figures').first().waitFor({ timeout: 20_000 });
    await page.getByTestId('problem-figures-definitions').getByText('Solved first time = closed without being reopened ÷ closed').waitFor();
    await settled(page);
    await shot(page, 'problem-figures-en');
    await page.evaluate(() => localStorage.setItem('docket_locale', 'zh-CN'));
    await context.close();
  });

  it('lists the attraction leads linked to an enterprise on its page (招商线索)', async () => {
    const { context, page } = await h.newPage();
    const office = await apiAs(context, 'office');
    const enterprise = ((await office.get(`/enterprises?q=${encodeURIComponent('苏州恒瑞精密机械有限公司')}`)).body.items as { id: number; name: string }[])
      .find((e) => e.name === '苏州恒瑞精密机械有限公司')!;
    const leads = (await office.get('/attraction/leads')).body as unknown as { id: number; name: string; version: number; enterprise_id: number | null }[];
    const lead = leads.find((l) => l.enterprise_id === null)!;
    const linked = await office.patch(`/attraction/leads/${lead.id}`, { enterprise_id: enterprise.id, version: lead.version });
    expect(linked.status).toBe(200);
    await page.goto(`/enterprises/${enterprise.id}`);
    const card = page.getByTestId('enterprise-leads');
    await card.getByText(lead.name).waitFor({ timeout: 20_000 });
    await settled(page);
    await shot(page, 'enterprise-leads');
    // The lead's name opens its record.
    await card.getByRole('link', { name: lead.name }).click();
    await page.waitForURL(new RegExp(`/attraction/${lead.id}$`));
    await context.close();
  });

  it('lets the office map categories to departments, edit time limits and link a cadre to an enterprise (问题办理设置)', async () => {
    const { context, page } = await h.newPage();
    await login(page, 'office', undefined, '/problem-settings');
    const map = page.getByTestId('category-map');
    await map.getByText('用地', { exact: true }).waitFor({ timeout: 20_000 });
    await settled(page);
    await shot(page, 'problem-settings-categories');
    await page.getByRole('tab', { name: '办理时限' }).click();
    await page.getByTestId('time-limits').getByText('默认（全部分类、全部层级）').waitFor();
    await page.getByTestId('limit-add').click();
    await page.getByTestId('limits-save').click();
    await page.getByText('已保存').first().waitFor();
    await shot(page, 'problem-settings-limits');
    await page.getByRole('tab', { name: '企业与包联干部' }).click();
    const row = page.getByTestId('enterprise-list').locator('tr', { hasText: '苏州新锐光电科技有限公司' });
    await row.getByRole('button', { name: '包联干部' }).click();
    await page.getByTestId('cadre-add').waitFor({ timeout: 20_000 });
    await page.getByPlaceholder('姓名').fill('设置页测试干部');
    await page.getByPlaceholder('职务').fill('区商务局科长');
    await page.getByTestId('cadre-add').click();
    await page.getByTestId('cadre-list').getByText('设置页测试干部').waitFor({ timeout: 20_000 });
    await settled(page);
    await shot(page, 'problem-settings-cadres');
    // The import wizard offers the problem ledger to the office.
    await page.goto('/import');
    await page.getByTestId('import-page').getByText('问题台账', { exact: true }).click();
    await page.getByTestId('import-list-hint').getByText(/问题台账：问题标题、问题描述、问题分类/).waitFor();
    await context.close();
  });

  it('lets a cadre record a visit and raise a problem on site from a phone (375×812)', async () => {
    const { context, page } = await h.newPage({ width: 375, height: 812 });
    await login(page, 'reporter', undefined, '/visit');
    await page.getByTestId('visit-enterprise').click();
    await pickOption(page, '苏州新锐光电科技有限公司');
    await page.getByLabel('走访内容').fill('了解新产线投产情况，企业反映环评批复慢');
    await page.getByRole('button', { name: '现场提出问题' }).click();
    await page.getByLabel('问题标题').fill('新产线环评批复');
    await page.getByLabel('问题描述').fill('新增产线环评报告已提交一个月');
    await page.getByLabel('分类').click();
    await pickOption(page, '环评');
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

  it("shows a problem's engine timeline and deadlines on its page: the moves it went through, the open 办结时限 with its date, an overdue 交办时限 red (desktop and 375 px)", async () => {
    const { context, page } = await h.newPage();
    const reporter = await apiAs(context, 'reporter');
    const officeSide = await h.newPage();
    const office = await apiAs(officeSide.context, 'office');
    type Deadline = { kind: string; due_on: string; status: string; overdue: boolean; working_days: number };
    type Detail = { version: number; deadlines: Deadline[] };
    const ent = ((await reporter.get('/enterprises?mine=1')).body.items as { id: number; name: string }[]).find((e) => e.name === '苏州新锐光电科技有限公司')!;
    // Two problems raised on a visit: one received today and moved (交办, 签收), one received 40 days ago and left pending.
    const today = chinaToday(clock.now());
    const visit = await reporter.post(`/enterprises/${ent.id}/visits`, {
      visited_on: today, visitors: '时间线测试', content: '了解用水用电情况', problems: [
        { title: '时间线测试：供水管网接入', description: '新厂区供水管网接入', category_code: 'utilities', received_on: today },
        { title: '时间线测试：逾期未交办', description: '四十天前受理，尚未交办', category_code: 'utilities', received_on: addDays(today, -40) },
      ],
    });
    expect(visit.status).toBe(201);
    const [moved, late] = visit.body.problem_ids as [number, number];
    for (const action of ['assign', 'sign']) {
      const version = ((await office.get(`/problems/${moved}`)).body as unknown as Detail).version;
      expect((await office.post(`/problems/${moved}/actions/${action}`, { version })).status).toBe(200);
    }
    const movedDetail = (await office.get(`/problems/${moved}`)).body as unknown as Detail;
    const solve = movedDetail.deadlines.find((d) => d.kind === 'solve' && d.status === 'open')!;
    expect(solve.overdue).toBe(false);
    const route = ((await office.get(`/problems/${late}`)).body as unknown as Detail).deadlines.find((d) => d.kind === 'route')!;
    expect(route).toMatchObject({ status: 'open', overdue: true });

    await login(page, 'office', undefined, `/problems?open=${moved}`);
    const timeline = page.getByTestId('problem-timeline');
    await timeline.getByText('签收：已交办 → 已签收').waitFor({ timeout: 20_000 });
    await timeline.getByText('交办：待受理 → 已交办').waitFor();
    await timeline.getByText('登记：待受理').waitFor();
    // Newest first, as on a matter's page.
    await expect(timeline.locator('.ant-timeline-item').first().textContent()).resolves.toContain('签收：已交办 → 已签收');
    await expect(page.getByTestId('problem-deadlines-solve').textContent()).resolves.toBe(`办结时限 ${solve.due_on} · 剩 ${solve.working_days} 个工作日`);
    await expect(page.getByTestId('problem-deadlines-route').textContent()).resolves.toMatch(/^交办时限 \d{4}-\d{2}-\d{2} · 已完成$/);
    await settled(page);
    await shot(page, 'problem-timeline');

    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`/problems?open=${late}`);
    const overdue = page.getByTestId('problem-deadlines-route');
    await overdue.getByText(`交办时限 ${route.due_on} · 逾期 ${route.working_days} 个工作日`).waitFor({ timeout: 20_000 });
    await expect(overdue.getAttribute('class')).resolves.toContain('ant-tag-red');
    await page.getByTestId('problem-timeline').getByText('登记：待受理').waitFor();
    const width = await page.evaluate(() => document.querySelector('.ant-drawer-content-wrapper')!.getBoundingClientRect().width);
    expect(width).toBeLessThanOrEqual(375);
    await settled(page);
    await shot(page, 'problem-timeline-phone');
    await officeSide.context.close();
    await context.close();
  });
});
