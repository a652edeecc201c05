import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, login, shot, startHarness, today, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("待办: a reporter's report due and return to fix", () => {
  it('the inbox lists both with the header count; each deep link opens the report grid where the work is; resubmitting clears the return', async () => {
    const { year, month } = today;
    // The office returns one report of the demo reporter's unit.
    const setup = await h.newPage();
    const reporterApi = await apiAs(setup.context, 'reporter');
    const grid = await reporterApi.get(`/reporting/periods/${year}/${month}/grid`);
    const rows = grid.body.rows as Array<{ project: { id: number; name: string } }>;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const project = rows[0]!.project;
    const saved = await reporterApi.put(`/projects/${project.id}/reports/${year}/${month}`, { amount_month: 1_000_000, progress_text: '主体结构施工' });
    expect(saved.status).toBe(200);
    expect((await reporterApi.post(`/reports/${saved.body.id as number}/submit`, { version: saved.body.version })).status).toBe(200);
    await setup.context.close();
    const officeCtx = await h.newPage();
    const officeApi = await apiAs(officeCtx.context, 'office');
    const submitted = await officeApi.get(`/reports/${saved.body.id as number}`);
    const returned = await officeApi.post(`/reports/${saved.body.id as number}/return`, { version: submitted.body.version, reason: '形象进度描述过简，请补充' });
    expect(returned.status).toBe(200);
    await officeCtx.context.close();

    const desk = await h.newPage();
    await login(desk.page, 'reporter', 'Docket#2026', '/todos');
    const fix = desk.page.getByTestId('todo-report.return');
    const due = desk.page.getByTestId('todo-report.due');
    await fix.waitFor();
    expect(await fix.innerText()).toContain(`退回修改：${project.name}`);
    expect(await due.innerText()).toMatch(/月报：\d+个项目待报送/);
    expect(Number(await desk.page.getByTestId('todo-badge').locator('.ant-badge-count').getAttribute('title'))).toBeGreaterThanOrEqual(2);
    await shot(desk.page, 'todos-reports-desktop');
    await fix.click();
    await desk.page.getByTestId('grid-one-project').getByText(project.name).waitFor();
    expect(new URL(desk.page.url()).searchParams.get('project')).toBe(String(project.id));
    await desk.page.getByTestId('report-grid').getByText('形象进度描述过简').waitFor();
    expect(await desk.page.getByTestId('report-grid').locator('tbody tr.ant-table-row').count()).toBe(1);
    await shot(desk.page, 'todos-report-return-desktop');
    await desk.page.goto('/todos');
    await due.click();
    await desk.page.getByTestId('grid-todo').waitFor();
    expect(desk.page.url()).toContain('view=todo');
    await desk.context.close();

    const phone = await h.newPage({ width: 375, height: 812 });
    await login(phone.page, 'reporter', 'Docket#2026', '/todos');
    await phone.page.getByTestId('todo-report.return').waitFor();
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(phone.page, 'todos-reports-phone');
    await phone.page.getByTestId('todo-report.return').click();
    await phone.page.getByTestId(`grid-card-${project.id}`).getByText('形象进度描述过简').waitFor();
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(phone.page, 'todos-report-return-phone');
    // Resubmitted: the return to fix is gone from the inbox.
    const api = await apiAs(phone.context, 'reporter');
    const current = await api.get(`/reports/${saved.body.id as number}`);
    const resubmit = await api.post(`/reports/${saved.body.id as number}/submit`, { version: current.body.version });
    expect(resubmit.status).toBe(200);
    await phone.page.goto('/todos');
    await phone.page.getByTestId('todo-report.due').waitFor();
    expect(await phone.page.getByTestId('todo-report.return').count()).toBe(0);
    await phone.context.close();
  });
});
