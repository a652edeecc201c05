import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, pickOption, settled, shot, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ projects: 20 });
});
afterAll(async () => {
  await h?.close();
});

describe('the working-day calendar page', () => {
  it('shows the preset 2026 schedule to the office and refuses a weekday entered as 调休, in Chinese', async () => {
    const { context, page } = await h.newPage();
    await login(page, 'office', undefined, '/admin/calendar');
    await page.getByTestId('calendar-year').click();
    await pickOption(page, '2026');
    const row = page.locator('tr:has(input[value="2026-02-14"])');
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/周六.*调休上班/);
    await expect(row.getByLabel('节日').inputValue()).resolves.toBe('春节');
    await settled(page);
    await shot(page, 'calendar-2026');
    // The page also carries the 月度填报设置 card with its own 保存: act within the calendar's card.
    const days = page.locator('.ant-card').filter({ hasText: '工作日历（节假日与调休）' });
    await days.getByRole('button', { name: '添加一天' }).click();
    const last = days.locator('tbody tr').last();
    await last.getByLabel('日期').fill('2026-03-04');
    await last.locator('.ant-select').click();
    await pickOption(page, '调休上班');
    await last.getByLabel('节日').fill('测试');
    await days.getByRole('button', { name: /保\s*存/ }).click();
    await expect(days.getByRole('alert').textContent()).resolves.toContain('调休上班日应为周六或周日');
    await shot(page, 'calendar-refused');
    await context.close();
  });
});
