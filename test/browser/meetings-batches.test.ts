import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, login, pickOption, settled, shot, startHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ projects: 20 });
});
afterAll(async () => {
  await h?.close();
});

// 督查督办 (issue 17): a meeting's decision becomes two units' matters, this week's 周交办 is issued with its 交办单,
// letters are downloadable from the matter page, and a co-unit signs on a phone.
describe('会议 → 议定事项 → 督办事项, 周交办 and letters', () => {
  it('records a meeting, turns a decision into matters for two units, issues the weekly batch, and a co-unit signs', async () => {
    const stamp = Date.now().toString(36);
    const probe = await h.newPage();
    const reporterUnit = ((await (await apiAs(probe.context, 'reporter')).get('/auth/me')).body as { user: { unitId: number } }).user.unitId;
    await probe.context.clearCookies();
    const officeApi = await apiAs(probe.context, 'office');
    const unitList = (await officeApi.get('/units')).body.items as { id: number; name: string }[];

    const office = await h.newPage();
    await login(office.page, 'office', 'Docket#2026', '/meetings');
    await office.page.getByTestId('meeting-new').click();
    await settled(office.page);
    await office.page.getByTestId('meeting-title').fill(`重点项目调度会-${stamp}`);
    await office.page.getByTestId('meeting-decisions').fill('加快推进城东片区征迁\n协调园区供水管网接入');
    await office.page.getByTestId('meeting-create-ok').click();
    await office.page.getByTestId('meeting-page').waitFor();
    await office.page.getByTestId('decision-1').waitFor();
    expect(await office.page.getByTestId('meeting-summary').innerText()).toContain('议定事项2项，已办结0项');

    // 转为督办事项: two lead units, the reporter's unit as co-unit of the other one.
    const meetingId = Number(office.page.url().split('/').pop());
    const other = unitList.find((u) => u.id !== reporterUnit)!;
    await office.page.getByTestId('decision-assign-1').click();
    await settled(office.page);
    const leads = office.page.getByTestId('decision-lead-units');
    await leads.click();
    await office.page.keyboard.type(other.name);
    await pickOption(office.page, other.name);
    await leads.locator('.ant-select-selection-item', { hasText: other.name }).waitFor();
    // Close the dropdown by clicking the dialog's title: an Escape that arrives after the dropdown has closed closes
    // the dialog itself.
    const title = office.page.locator('.ant-modal-title:visible');
    await title.click();
    await settled(office.page);
    const co = office.page.locator('.ant-modal .ant-form-item').filter({ hasText: '协办单位' }).locator('.ant-select');
    await co.click();
    const reporterUnitName = unitList.find((u) => u.id === reporterUnit)!.name;
    await office.page.keyboard.type(reporterUnitName);
    await pickOption(office.page, reporterUnitName);
    await co.locator('.ant-select-selection-item', { hasText: reporterUnitName }).waitFor();
    await title.click();
    await settled(office.page);
    await office.page.getByTestId('decision-assign-ok').click();
    await office.page.getByTestId('decision-1').getByText(other.name).waitFor({ timeout: 30_000 });
    await shot(office.page, 'supervision-meeting');
    const detail = (await officeApi.get(`/meetings/${meetingId}`)).body as { decisions: { matters: { id: number }[] }[] };
    await probe.context.close();
    const matterId = detail.decisions[0]!.matters[0]!.id;

    // 周交办: issue this week's batch with the new matter ticked.
    await office.page.goto('/batches');
    await office.page.getByTestId('batch-new').click();
    await settled(office.page);
    await office.page.getByTestId(`batch-pick-${matterId}`).waitFor();
    await office.page.getByTestId('batch-create-ok').click();
    await office.page.getByTestId('batch-page').waitFor({ timeout: 30_000 });
    await office.page.getByTestId('batch-table').getByText(`加快推进城东片区征迁`).first().waitFor();
    expect(await office.page.getByTestId('batch-title').innerText()).toMatch(/周交办单（\d{4}年第\d+期）/);
    const docx = await office.context.request.get(await office.page.getByTestId('batch-docx').getAttribute('href') as string);
    expect(docx.status()).toBe(200);
    expect((await docx.body()).subarray(0, 2).toString()).toBe('PK');
    await shot(office.page, 'supervision-batch');

    // The matter page lists the 交办函 with a download link, and the office issues a 督办函 by hand.
    await office.page.goto(`/matters/${matterId}`);
    await office.page.getByTestId('letter-assign').waitFor();
    await office.page.getByTestId('letter-kind').click();
    await pickOption(office.page, '督办函');
    await office.page.getByTestId('letter-issue').click();
    await office.page.getByTestId('letter-press').waitFor();
    const letter = await office.context.request.get(await office.page.getByTestId('letter-press').getAttribute('href') as string);
    expect(letter.status()).toBe(200);
    await shot(office.page, 'supervision-letters');
    await office.context.close();

    // The co-unit signs on a phone.
    const phone = await h.newPage({ width: 375, height: 812 });
    await login(phone.page, 'reporter', 'Docket#2026', `/matters/${matterId}`);
    await phone.page.getByTestId('act-co-sign').click();
    await phone.page.getByText(/已签收/).first().waitFor();
    await phone.page.getByTestId('act-co-sign').waitFor({ state: 'detached' });
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(phone.page, 'supervision-co-sign-phone');
    await phone.context.close();
  });

  it('filters the 周交办 list by year, status and 期号 kept in the URL, and exports the filtered list', async () => {
    const { page, context } = await h.newPage();
    const api = await apiAs(context, 'office');
    // This week's batch (the test above may have issued it already: one a week).
    const made = await api.post('/batches', { matter_ids: [] });
    expect([200, 409]).toContain(made.status);
    const batch = ((await api.get('/batches')).body.items as { id: number; year: number; seq: number; issue: string; status: 'unsigned' | 'open' | 'done' }[])[0]!;
    const label = { unsigned: '待签收', open: '办理中', done: '已办结' }[batch.status];
    const otherLabel = batch.status === 'done' ? '待签收' : '已办结';
    await context.clearCookies();
    await login(page, 'office', 'Docket#2026', '/batches');
    await page.getByTestId(`batch-link-${batch.id}`).waitFor();

    // A word of the 期号, then the batch's status: both go into the URL.
    await page.getByTestId('batches-filter-q').locator('input').fill(`第${batch.seq}期`);
    await page.getByTestId('batches-filter-q').locator('input').press('Enter');
    await page.waitForURL((u) => u.searchParams.get('q') === `第${batch.seq}期`);
    await page.getByTestId('batches-filter-status').click();
    await pickOption(page, label);
    await page.waitForURL((u) => u.searchParams.get('status') === batch.status);
    await page.getByTestId(`batch-link-${batch.id}`).waitFor();
    await page.getByTestId('batches-filter-year').click();
    await pickOption(page, `${batch.year}年`);
    await page.waitForURL((u) => u.searchParams.get('year') === String(batch.year));
    await page.getByTestId(`batch-link-${batch.id}`).waitFor();
    await shot(page, 'supervision-batches-filtered');

    // The URL is the list: opened afresh it shows the same filters and rows.
    await page.reload();
    await page.getByTestId(`batch-link-${batch.id}`).waitFor();
    expect(await page.getByTestId('batches-filter-status').innerText()).toContain(label);
    expect(await page.getByTestId('batches-filter-q').locator('input').inputValue()).toBe(`第${batch.seq}期`);

    // The export takes the same filters.
    const href = await page.getByTestId('batches-export').getAttribute('href') as string;
    expect(new URL(href, 'http://x').searchParams.get('status')).toBe(batch.status);
    const xlsx = await context.request.get(href);
    expect(xlsx.status()).toBe(200);
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');

    // Another status leaves the batch out.
    const listed = page.waitForResponse((r) => r.url().includes('/api/v1/batches?') && r.url().includes('status='));
    await page.getByTestId('batches-filter-status').click();
    await pickOption(page, otherLabel);
    expect((await listed).status()).toBe(200);
    await page.getByTestId(`batch-link-${batch.id}`).waitFor({ state: 'detached' });
    await context.close();
  });
});
