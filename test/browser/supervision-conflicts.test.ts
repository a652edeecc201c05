import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, pickOption, settled, shot, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ projects: 20 });
});
afterAll(async () => {
  await h?.close();
});

/** Another clerk working through the API (their own session): every verb, with the CSRF token. */
async function otherClerk(context: BrowserContext, username = 'office') {
  const login = await context.request.post('/api/v1/auth/login', { data: { username, password: 'Docket#2026' } });
  if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
  const headers = async (): Promise<Record<string, string>> => {
    const token = (await context.cookies()).find((c) => c.name === 'docket_csrf')?.value;
    return token ? { 'X-CSRF-Token': token } : {};
  };
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, data?: unknown) => {
    const r = await context.request.fetch(`/api/v1${path}`, { method, data, headers: method === 'GET' ? {} : await headers() });
    return { status: r.status(), body: await r.json() as Record<string, unknown> };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, data: unknown) => call('POST', path, data),
    put: (path: string, data: unknown) => call('PUT', path, data),
    del: (path: string) => call('DELETE', path),
  };
}

// Issue 17: a decision's change and a settings change name the version they were made on; when another clerk saved
// first, the page shows what they saved next to mine and lets me discard mine or reapply it on the latest.
describe('督查督办: stale decision and settings saves open a conflict dialog instead of losing a save', () => {
  it('a decision corrected by someone else meanwhile: the dialog shows both, reapply saves mine on the latest; a decision deleted meanwhile cannot be reapplied', async () => {
    const probe = await h.newPage();
    const other = await otherClerk(probe.context);
    const title = `并发议定事项会-${Date.now().toString(36)}`;
    const created = await other.post('/meetings', { kind: 'coordination', title, held_on: '2026-01-05', decisions: ['推进城东片区征迁', '协调园区供水管网接入'] });
    expect(created.status).toBe(200);
    const id = created.body.id as number;
    const { page } = await h.newPage();
    await login(page, 'office', undefined, `/meetings/${id}`);
    await page.getByTestId('decision-2').waitFor({ timeout: 30_000 });

    // The other clerk corrects decision 1 after this page loaded version 1.
    const opened = (await other.get(`/meetings/${id}`)).body as { meeting: { version: number }; decisions: { id: number; seq: number }[] };
    const [d1, d2] = opened.decisions;
    expect((await other.put(`/meetings/${id}/decisions/${d1!.id}`, { version: opened.meeting.version, text: '加快推进城东片区征迁扫尾' })).status).toBe(200);

    await page.getByTestId('decision-edit-1').click();
    await page.getByTestId('decision-edit-text').fill('推进城东片区征迁，月底前完成签约');
    // The save names the version this page loaded; the server answers 409 (the page's dialog follows from it).
    const refused = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes(`/meetings/${id}/decisions/${d1!.id}`), { timeout: 30_000 });
    await page.getByTestId('decision-edit-ok').click();
    expect((await refused).status()).toBe(409);
    const dialog = page.getByTestId('decision-conflict');
    await dialog.getByTestId('decision-conflict-message').getByText('该会议已被他人修改（议定事项第1项的内容与您提交的不同），请查看最新内容后重新提交').waitFor({ timeout: 30_000 });
    await dialog.getByTestId('decision-conflict-table').getByText('加快推进城东片区征迁扫尾').waitFor();
    await dialog.getByTestId('decision-conflict-table').getByText('推进城东片区征迁，月底前完成签约').waitFor();
    await settled(page);
    await shot(page, 'meeting-decision-conflict');
    await dialog.getByTestId('decision-conflict-reapply').click();
    await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
    await page.getByTestId('decision-1').getByText('推进城东片区征迁，月底前完成签约').waitFor({ timeout: 30_000 });
    const after = (await other.get(`/meetings/${id}`)).body as { meeting: { version: number }; decisions: { seq: number; text: string }[] };
    expect(after.meeting.version).toBe(3);
    expect(after.decisions.map((d) => [d.seq, d.text])).toEqual([[1, '推进城东片区征迁，月底前完成签约'], [2, '协调园区供水管网接入']]);

    // The other clerk deletes decision 2; this page (still on version 3) tries to delete it too.
    expect((await other.del(`/meetings/${id}/decisions/${d2!.id}?version=3`)).status).toBe(200);
    await page.getByTestId('decision-delete-2').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    await dialog.getByTestId('decision-conflict-message').getByText('该会议已被他人修改（该议定事项已被删除），请查看最新内容后重新提交').waitFor({ timeout: 30_000 });
    await dialog.getByTestId('decision-conflict-table').getByText('（已被删除）').waitFor();
    await expect(dialog.getByTestId('decision-conflict-reapply').isDisabled()).resolves.toBe(true);
    await dialog.getByTestId('decision-conflict-discard').click();
    await page.getByTestId('decision-2').waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('decision-1').waitFor();
    await page.context().close();
    await probe.context.close();
  });

  it('settings changed by someone else meanwhile: the same setting opens the dialog (theirs and mine), another setting is saved on the latest without asking', async () => {
    const probe = await h.newPage();
    const other = await otherClerk(probe.context);
    const { page } = await h.newPage();
    await login(page, 'office', undefined, '/supervision-settings');
    await page.getByTestId('supervision-settings').waitFor({ timeout: 30_000 });
    await page.getByTestId('escalation-rules').waitFor({ timeout: 30_000 });
    await page.getByLabel('督办函答复期限').fill('6');

    // The other clerk sets the reply period to 4 first.
    const v = ((await other.get('/supervision/settings')).body.version as number);
    expect((await other.put('/supervision/settings', { version: v, reply_working_days: 4 })).status).toBe(200);
    await page.getByTestId('supervision-settings-save').click();
    const dialog = page.getByTestId('settings-conflict');
    const table = dialog.getByTestId('settings-conflict-table');
    await table.getByText('答复期限').waitFor({ timeout: 30_000 });
    await table.getByRole('cell', { name: '6', exact: true }).waitFor();
    await table.locator('del', { hasText: '3' }).waitFor();
    await settled(page);
    await shot(page, 'supervision-settings-conflict');
    await dialog.getByTestId('settings-conflict-reapply').click();
    await page.getByText('督办设置已保存').waitFor({ timeout: 30_000 });
    expect((await other.get('/supervision/settings')).body).toMatchObject({ reply_working_days: 6, version: v + 2 });

    // While this page edits a 文号 prefix, the other clerk changes the reply period: no overlap, saved without a dialog.
    await page.reload();
    const card = page.getByTestId('number-prefixes');
    await card.getByTestId('prefix-press').waitFor({ timeout: 30_000 });
    await card.getByTestId('prefix-press').fill('区督办函');
    const w = ((await other.get('/supervision/settings')).body.version as number);
    expect((await other.put('/supervision/settings', { version: w, reply_working_days: 5 })).status).toBe(200);
    await card.getByTestId('prefixes-save').click();
    await page.getByText('文号前缀已保存').waitFor({ timeout: 30_000 });
    await expect(dialog.isVisible()).resolves.toBe(false);
    const saved = (await other.get('/supervision/settings')).body as { reply_working_days: number; letter_prefixes: { press: string }; version: number };
    expect(saved).toMatchObject({ reply_working_days: 5, letter_prefixes: { press: '区督办函' }, version: w + 2 });
    await page.context().close();
    await probe.context.close();
  });

  it('a year\'s escalation rules saved by someone else meanwhile: the second page shows theirs and mine, choosing mine saves it on their version', async () => {
    const probe = await h.newPage();
    const other = await otherClerk(probe.context);
    const year = (await other.get('/supervision/settings/next-numbers')).body.year as number;
    const open = async () => {
      const { page } = await h.newPage();
      await login(page, 'office', undefined, '/supervision-settings');
      const card = page.getByTestId('escalation-rules');
      await card.getByTestId('rules-source').getByText(`${year}年`).first().waitFor({ timeout: 30_000 });
      return { page, card };
    };
    // Two clerks open the same year's rules; both rename the overdue step.
    const a = await open();
    const b = await open();
    const before = (await other.get(`/supervision/rules/${year}`)).body as { version: number };
    await a.card.getByTestId('step-ladder-2').getByTestId('step-label').fill('逾期督办（甲）');
    const putA = a.page.waitForResponse((r) => r.url().endsWith(`/api/v1/supervision/rules/${year}`) && r.request().method() === 'PUT');
    await a.card.getByTestId('rules-save').click();
    expect((await putA).status()).toBe(200);
    const afterA = (await other.get(`/supervision/rules/${year}`)).body as { version: number };
    expect(afterA.version).toBe(before.version + 1);

    await b.card.getByTestId('step-ladder-2').getByTestId('step-label').fill('逾期督办（乙）');
    const stale = b.page.waitForResponse((r) => r.url().endsWith(`/api/v1/supervision/rules/${year}`) && r.request().method() === 'PUT');
    await b.card.getByTestId('rules-save').click();
    expect((await stale).status()).toBe(409);
    const dialog = b.page.getByTestId('settings-conflict');
    await dialog.getByText(`${year}年督办规则已被他人修改`).waitFor({ timeout: 30_000 });
    const table = dialog.getByTestId('settings-conflict-table');
    await table.getByText('逐级督办步骤').waitFor();
    await table.getByText(/逾期督办（甲）/).waitFor();
    await table.getByText(/逾期督办（乙）/).waitFor();
    await settled(b.page);
    await shot(b.page, 'supervision-year-rules-conflict');
    const mine = b.page.waitForResponse((r) => r.url().endsWith(`/api/v1/supervision/rules/${year}`) && r.request().method() === 'PUT');
    await dialog.getByTestId('settings-conflict-reapply').click();
    const saved = await mine;
    expect(saved.status()).toBe(200);
    expect(JSON.parse(saved.request().postData() ?? '{}')).toMatchObject({ version: afterA.version });
    await b.page.getByText(`${year}年督办规则已保存`).waitFor({ timeout: 30_000 });
    const stored = (await other.get(`/supervision/rules/${year}`)).body as { version: number; ladder: { label: string }[] };
    expect(stored.version).toBe(afterA.version + 1);
    expect(stored.ladder[1]!.label).toBe('逾期督办（乙）');
    await a.page.context().close();
    await b.page.context().close();
    await probe.context.close();
  });

  it('filters the meetings list by kind and a word, and exports what the filters keep as .xlsx', async () => {
    const probe = await h.newPage();
    const other = await otherClerk(probe.context);
    const word = `筛选会-${Date.now().toString(36)}`;
    expect((await other.post('/meetings', { kind: 'special', title: `${word}园区供水专题会`, chair: '张副市长', held_on: '2026-01-06', decisions: ['一'] })).status).toBe(200);
    expect((await other.post('/meetings', { kind: 'weekly', title: `${word}周例会`, held_on: '2026-01-07', decisions: [] })).status).toBe(200);
    const { context, page } = await h.newPage();
    await login(page, 'office', undefined, '/meetings');
    await page.getByTestId('meetings-filters').waitFor({ timeout: 30_000 });
    await page.getByTestId('meetings-filter-q').locator('input').fill(word);
    await page.getByTestId('meetings-filter-q').locator('input').press('Enter');
    await page.getByText(`${word}周例会`).waitFor({ timeout: 30_000 });
    await page.getByText(`${word}园区供水专题会`).waitFor();
    await page.getByTestId('meetings-filter-kind').click();
    await pickOption(page, '专题会');
    await page.getByText(`${word}周例会`).waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByText(`${word}园区供水专题会`).waitFor();
    const href = await page.getByTestId('meetings-export').getAttribute('href');
    expect(href).toContain('kind=special');
    expect(decodeURIComponent(href!)).toContain(`q=${word}`);
    const file = await context.request.get(href!);
    expect(file.status()).toBe(200);
    expect((await file.body()).subarray(0, 2).toString()).toBe('PK');
    await settled(page);
    await shot(page, 'meetings-filtered');
    await context.close();
    await probe.context.close();
  });
});
