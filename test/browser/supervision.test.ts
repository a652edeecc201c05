import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, login, settled, shot, startHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ projects: 40 });
});
afterAll(async () => {
  await h?.close();
});

describe('督查督办: a matter from a project, signed and answered on a phone', () => {
  it('office assigns from the project page in two clicks; the unit signs and reports progress on a phone; the timeline shows it', async () => {
    // A project of the demo reporter's unit.
    const probe = await h.newPage();
    const api = await apiAs(probe.context, 'reporter');
    const list = await api.get('/projects?limit=1');
    const project = (list.body.items as { id: number; name: string }[])[0]!;
    await probe.context.close();

    const office = await h.newPage();
    await login(office.page, 'office', 'Docket#2026', `/projects/${project.id}`);
    await office.page.getByTestId('assign-matter').click(); // click 1
    await settled(office.page);
    await office.page.getByTestId('matter-create-ok').click(); // click 2
    await office.page.getByTestId('matter-page').waitFor();
    expect(await office.page.getByTestId('matter-title').innerText()).toContain(project.name);
    const matterId = Number(office.page.url().split('/').pop());
    await office.page.goto('/matters?box=all');
    await office.page.getByTestId(`matter-link-${matterId}`).waitFor();
    await shot(office.page, 'supervision-office-list');
    await office.context.close();

    const phone = await h.newPage({ width: 375, height: 812 });
    await login(phone.page, 'reporter', 'Docket#2026', '/todos');
    const todo = phone.page.getByTestId('todo-matter.sign').filter({ hasText: '推进滞后督办' });
    await todo.waitFor();
    expect(Number(await phone.page.getByTestId('todo-badge').locator('.ant-badge-count').getAttribute('title'))).toBeGreaterThanOrEqual(1);
    await todo.click();
    await phone.page.getByTestId('act-sign').click();
    await phone.page.getByTestId('feedback-text').waitFor();
    await phone.page.getByTestId('feedback-text').fill('已召开现场协调会，明确征迁时间表');
    await phone.page.getByTestId('feedback-submit').click();
    await phone.page.getByTestId('matter-timeline').getByText('已召开现场协调会').waitFor();
    await phone.page.getByTestId('matter-timeline').getByText(/签收：待签收 → 办理中/).waitFor();
    // Nothing overflows the phone's width.
    const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await shot(phone.page, 'supervision-matter-phone');
    await phone.page.goto('/matters');
    await phone.page.getByTestId(`matter-link-${matterId}`).waitFor({ state: 'detached' }).catch(() => undefined);
    await phone.page.getByText('办理中').first().click();
    await phone.page.getByTestId(`matter-link-${matterId}`).waitFor();
    await shot(phone.page, 'supervision-inbox-phone');
    await phone.context.close();
  });
});
