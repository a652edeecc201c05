import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, shot, startHarness, type Harness } from './harness.ts';
import { buildUser } from '../factories.ts';

let h: Harness;
const suffix = Date.now().toString(36);
const holder = `tok.office.${suffix}`;
beforeAll(async () => {
  h = await startHarness({ projects: 20 });
  await buildUser(h.database.db, { username: holder, role: 'office' });
});
afterAll(async () => {
  await h?.close();
});

describe('my API tokens (phone width)', () => {
  it('creates a token with chosen permissions, shows the secret once, lists it and revokes it', async () => {
    const { context, page } = await h.newPage({ width: 375, height: 812 });
    await login(page, holder, undefined, '/account/tokens');
    await page.waitForURL(/\/account\/tokens/);
    await page.getByTestId('token-list').waitFor();
    await expect(page.getByText('还没有令牌').count()).resolves.toBe(1);
    // Only the account's own permissions are offered; nothing beyond its role (an office has no user.admin).
    await page.getByTestId('perm-project.read').waitFor();
    await expect(page.getByTestId('perm-user.admin').count()).resolves.toBe(0);
    await page.getByTestId('token-create').click();
    await page.getByText('请输入名称').waitFor();
    const name = `大屏对接${suffix}`;
    await page.getByTestId('token-name').fill(name);
    await page.getByTestId('perm-project.read').click();
    await page.getByTestId('token-create').click();
    const secret = (await page.getByTestId('token-secret').textContent({ timeout: 20_000 }))?.trim() ?? '';
    expect(secret).toMatch(/^dkt_/);
    await shot(page, 'tokens-secret-phone');
    await page.getByRole('button', { name: /我已保存/ }).click();
    await page.getByTestId('token-secret').waitFor({ state: 'hidden' });
    const item = page.getByTestId(`token-${name}`);
    await item.getByText('有效').waitFor();
    await item.getByText('project.read').waitFor();
    // The page fits the phone: nothing wider than the screen.
    // (Polled: while the dialog closes, its scroll lock still holds the page.)
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), { timeout: 15_000 }).toBeLessThanOrEqual(0);
    await shot(page, 'tokens-phone');

    // The token works for what it was given, and nothing else.
    const bearer = { Authorization: `Bearer ${secret}` };
    expect((await context.request.get('/api/v1/projects?page_size=1', { headers: bearer })).status()).toBe(200);
    expect((await context.request.get('/api/v1/reports/2026/1', { headers: bearer })).status()).not.toBe(200);

    await page.getByTestId(`revoke-${name}`).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    await item.getByText('已吊销').waitFor({ timeout: 20_000 });
    await expect(page.getByTestId(`revoke-${name}`).count()).resolves.toBe(0);
    expect((await context.request.get('/api/v1/projects?page_size=1', { headers: bearer })).status()).toBe(401);
    const row = await h.database.db.selectFrom('api_tokens').select(['name', 'revoked_at']).where('name', '=', name).executeTakeFirstOrThrow();
    expect(row.revoked_at).not.toBeNull();
    await context.close();
  }, 180_000);
});
