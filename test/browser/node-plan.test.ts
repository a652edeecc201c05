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
    await expect.poll(() => page.getByTestId('node-finish-14').innerText()).toBe('2027-06-30');
    expect(await page.getByTestId('node-finish-13').innerText()).toBe('2027-06-16');

    // 立项 is completed with a file of evidence and a statement, then confirmed.
    await page.getByTestId('node-complete-1').click();
    await settled(page);
    await page.locator('.ant-modal:visible input[type=file]').setInputFiles({ name: '可研批复.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 approval') });
    await page.getByTestId('node-complete-text').fill('已取得可研批复');
    const completed = page.waitForResponse((r) => /\/api\/v1\/plan-nodes\/\d+\/complete$/.test(r.url()));
    await page.getByTestId('node-complete-ok').click();
    expect((await completed).status()).toBe(200);
    await expect.poll(() => page.getByTestId('node-status-1').innerText()).toContain('已完成');
    await settled(page);
    const confirmed = page.waitForResponse((r) => /\/api\/v1\/plan-nodes\/\d+\/confirm$/.test(r.url()));
    await page.getByTestId('node-confirm-1').click();
    expect((await confirmed).status()).toBe(200);
    await expect.poll(() => page.getByTestId('node-status-1').innerText()).toContain('已确认');
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
});
