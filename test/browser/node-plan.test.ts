import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, login, settled, shot, startHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ projects: 40 });
});
afterAll(async () => {
  await h?.close();
});

describe('节点计划 (倒排工期) on a project page', () => {
  it('the office creates a plan from the template, sets the target date, sees the dates counted backwards, completes and confirms a node, and 交办 an overdue one', async () => {
    const { page, context } = await h.newPage({ width: 1600, height: 900 });
    const other = await h.newPage();
    const api = await apiAs(other.context, 'office');
    const project = ((await api.get('/projects?page_size=1&sort=id&order=asc')).body as { items: { id: number }[] }).items[0]!;
    await other.context.close();
    await login(page, 'office', 'Docket#2026', `/projects/${project.id}?tab=nodes`);

    const created = page.waitForResponse((r) => r.url().endsWith(`/api/v1/projects/${project.id}/node-plan`) && r.request().method() === 'POST');
    await page.getByTestId('nodes-from-template').click();
    expect((await created).status()).toBe(201);
    await page.getByTestId('node-status-14').waitFor();

    // Target: 投产 on Wednesday 30 June 2027; 投产 takes 10 working days, so 竣工验收 must finish by 16 June.
    await page.getByTestId('nodes-target-on').click();
    await page.getByTestId('nodes-target-on').fill('2027-06-30');
    await page.keyboard.press('Enter');
    await settled(page);
    const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/projects/${project.id}/node-plan`) && r.request().method() === 'PUT');
    await page.getByTestId('nodes-save-plan').click();
    expect((await saved).status()).toBe(200);
    await expect.poll(() => page.getByTestId('node-finish-14').innerText(), { timeout: 10_000 }).toBe('2027-06-30');
    expect(await page.getByTestId('node-finish-13').innerText()).toBe('2027-06-16');

    // 立项 is completed with a file of evidence and a statement, then confirmed.
    await page.getByTestId('node-complete-1').click();
    await settled(page);
    await page.locator('.ant-modal:visible input[type=file]').setInputFiles({ name: '可研批复.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 approval') });
    await page.getByTestId('node-complete-text').fill('已取得可研批复');
    const completed = page.waitForResponse((r) => /\/api\/v1\/plan-nodes\/\d+\/complete$/.test(r.url()));
    await page.getByTestId('node-complete-ok').click();
    expect((await completed).status()).toBe(200);
    await expect.poll(() => page.getByTestId('node-status-1').innerText(), { timeout: 10_000 }).toContain('已完成');
    await settled(page);
    const confirmed = page.waitForResponse((r) => /\/api\/v1\/plan-nodes\/\d+\/confirm$/.test(r.url()));
    await page.getByTestId('node-confirm-1').click();
    expect((await confirmed).status()).toBe(200);
    await expect.poll(() => page.getByTestId('node-status-1').innerText(), { timeout: 10_000 }).toContain('已确认');
    expect(await page.getByText('可研批复.pdf').count()).toBe(1);

    // A target long past: the open nodes are overdue and marked red.
    await page.getByTestId('nodes-target-on').click();
    await page.getByTestId('nodes-target-on').fill('2026-06-30');
    await page.keyboard.press('Enter');
    await settled(page);
    const moved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/projects/${project.id}/node-plan`) && r.request().method() === 'PUT');
    await page.getByTestId('nodes-save-plan').click();
    expect((await moved).status()).toBe(200);
    await page.getByTestId('node-overdue-2').waitFor();
    await shot(page, 'node-plan-desktop');

    // Two clicks: 转督办 on the overdue node, then 确定 on the prefilled form.
    await page.getByTestId('node-matter-2').click();
    await settled(page);
    const assigned = page.waitForResponse((r) => /\/api\/v1\/plan-nodes\/\d+\/matter$/.test(r.url()));
    await page.getByTestId('matter-create-ok').click();
    expect((await assigned).status()).toBe(201);
    await page.getByTestId('matter-page').waitFor();
    expect(await page.getByTestId('matter-source-link').getAttribute('href')).toBe(`/projects/${project.id}?tab=nodes`);
    await context.close();
  });

  it('a unit leading a node of a project outside its scope opens the plan from its to-do, sees the project\'s facts and completes its node; another project stays 404', async () => {
    const setup = await h.newPage();
    const office = await apiAs(setup.context, 'office');
    const reporterCtx = await h.newPage();
    const reporterApi = await apiAs(reporterCtx.context, 'reporter');
    const unitId = ((await reporterApi.get('/auth/me')).body as { user: { unitId: number } }).user.unitId;
    // Two projects the reporter's unit cannot see: one gets a node led by it, the other stays unrelated.
    const all = ((await office.get('/projects?page_size=100&sort=id&order=desc')).body as { items: { id: number; name: string }[] }).items;
    const hidden: { id: number; name: string }[] = [];
    for (const p of all) {
      if (hidden.length === 2) break;
      if ((await reporterApi.get(`/projects/${p.id}`)).status === 404) hidden.push(p);
    }
    const [project, unrelated] = hidden as [{ id: number; name: string }, { id: number; name: string }];
    expect((await office.post(`/projects/${project.id}/node-plan`, { template: 'default', target_on: '2027-09-30', target_label: '计划开工' })).status).toBe(201);
    const plan = (await office.get(`/projects/${project.id}/node-plan`)).body as { nodes: { id: number; name: string; duration_days: number; predecessor_ids: number[]; evidence: string | null }[] };
    const land = plan.nodes[1]!;
    expect((await office.put(`/plan-nodes/${land.id}`, { name: land.name, duration_days: land.duration_days, predecessor_ids: land.predecessor_ids, evidence: land.evidence, unit_id: unitId })).status).toBe(200);
    await setup.context.close();
    const todos = ((await reporterApi.get('/todos')).body as { items: { key: string; link: string }[] }).items;
    const todo = todos.find((x) => x.key === `plan_node:${land.id}:complete`)!;
    expect(todo.link).toBe(`/projects/${project.id}?tab=nodes`);
    expect((await reporterApi.get(`/projects/${unrelated.id}/node-plan`)).status).toBe(404);
    await reporterCtx.context.close();

    const { page, context } = await h.newPage({ width: 1600, height: 900 });
    await login(page, 'reporter', 'Docket#2026', '/todos');
    await page.getByText(`完成节点：${project.name}·${land.name}`).click();
    await page.waitForURL(`**/projects/${project.id}?tab=nodes`);
    await page.getByTestId('nodes-outside').waitFor();
    expect(await page.getByTestId('project-title').innerText()).toBe(project.name);
    await page.getByTestId('plan-project-facts').waitFor();
    // Its own node can be completed; nothing else is offered.
    expect(await page.getByTestId('node-complete-1').count()).toBe(0);
    expect(await page.getByTestId('node-edit-2').count()).toBe(0);
    expect(await page.getByTestId('nodes-save-plan').count()).toBe(0);
    await shot(page, 'node-plan-outside-scope');
    await page.getByTestId('node-complete-2').click();
    await settled(page);
    await page.locator('.ant-modal:visible input[type=file]').setInputFiles({ name: '用地预审意见.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 land') });
    await page.getByTestId('node-complete-text').fill('已取得用地预审与选址意见书');
    const completed = page.waitForResponse((r) => /\/api\/v1\/plan-nodes\/\d+\/complete$/.test(r.url()));
    await page.getByTestId('node-complete-ok').click();
    expect((await completed).status()).toBe(200);
    await expect.poll(() => page.getByTestId('node-status-2').innerText(), { timeout: 10_000 }).toContain('已完成');
    // An unrelated project: still not found.
    await page.goto(`/projects/${unrelated.id}?tab=nodes`);
    await page.getByText('项目不存在或无权访问').first().waitFor();
    expect(await page.getByTestId('nodes-outside').count()).toBe(0);
    await context.close();
  });

  it('the office edits its default node template; a stale save shows theirs versus mine and saves mine on the latest version', async () => {
    const { page, context } = await h.newPage({ width: 1600, height: 900 });
    await login(page, 'office', 'Docket#2026', '/node-template');
    await page.getByTestId('tpl-name-14').waitFor();
    // A duplicate name is named before saving.
    await page.getByTestId('tpl-name-14').fill('开工');
    await page.getByTestId('tpl-problems').waitFor();
    expect(await page.getByTestId('tpl-problems').innerText()).toContain('节点名称“开工”重复');
    expect(await page.getByTestId('tpl-save').isDisabled()).toBe(true);
    await page.getByTestId('tpl-name-14').fill('投产达产');
    // Meanwhile another clerk saves the template.
    const other = await h.newPage();
    const api = await apiAs(other.context, 'office');
    const tpl = (await api.get('/node-plans/template')).body as { version: number; nodes: { name: string; duration_days: number; predecessors: number[]; unit_id: number | null; evidence: string }[] };
    expect((await api.put('/node-plans/template', { version: tpl.version, nodes: tpl.nodes.map((n, i) => ({ name: n.name, duration_days: i === 0 ? 30 : n.duration_days, predecessors: n.predecessors, unit_id: n.unit_id, evidence: n.evidence })) })).status).toBe(200);
    await other.context.close();
    const stale = page.waitForResponse((r) => r.url().endsWith('/api/v1/node-plans/template') && r.request().method() === 'PUT');
    await page.getByTestId('tpl-save').click();
    expect((await stale).status()).toBe(409);
    await page.getByTestId('settings-conflict-table').waitFor();
    expect(await page.getByTestId('settings-conflict-table').innerText()).toContain('投产达产');
    await shot(page, 'node-template-conflict');
    const mine = page.waitForResponse((r) => r.url().endsWith('/api/v1/node-plans/template') && r.request().method() === 'PUT');
    await page.getByTestId('settings-conflict-reapply').click();
    expect((await mine).status()).toBe(200);
    await expect.poll(async () => page.getByTestId('tpl-name-14').inputValue(), { timeout: 10_000 }).toBe('投产达产');
    await shot(page, 'node-template');
    await context.close();
  });

  it('the working-day calendar page carries the reporting settings: the reminder lead is checked (0–10) and saved', async () => {
    const { page, context } = await h.newPage({ width: 1366, height: 900 });
    await login(page, 'office', 'Docket#2026', '/admin/calendar');
    await page.getByTestId('rep-remind-days').waitFor();
    expect(await page.getByTestId('rep-remind-days').inputValue()).toBe('2');
    await page.getByTestId('rep-remind-days').fill('11');
    await page.getByTestId('rep-remind-days').press('Tab');
    await page.getByTestId('rep-settings-save').click();
    await page.getByText('提前提醒应为 0–10 个工作日').waitFor();
    await page.getByTestId('rep-remind-days').fill('3');
    await page.getByTestId('rep-remind-days').press('Tab');
    await expect.poll(() => page.getByText('提前提醒应为 0–10 个工作日').count(), { timeout: 10_000 }).toBe(0);
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/reporting/settings') && r.request().method() === 'PUT');
    await page.getByTestId('rep-settings-save').click();
    const res = await saved;
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({ remind_working_days: 3, deadline_day: 25 });
    await shot(page, 'reporting-settings');
    await context.close();
  });
});
