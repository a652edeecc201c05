import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { sql } from 'kysely';
import { buildUser } from '../factories.ts';
import { IndicatorService } from '../../server/modules/indicators/index.ts';
import { login, shot, startHarness, today, type Harness } from './harness.ts';

let h: Harness;
let unit: { id: number; name: string };
let projects: { id: number; name: string; total_investment: number }[];
const { year, month } = today;

beforeAll(async () => {
  // The demo brings this year's plans, approved reports up to last month and this month's period, open.
  h = await startHarness({ projects: 120 });
  const db = h.database.db;
  const period = await db.selectFrom('reporting_periods').select('status').where('year', '=', year).where('month', '=', month).executeTakeFirstOrThrow();
  expect(period.status).toBe('open');
  // The unit with the fewest reporting projects (at least two) reports through its own account.
  const counts = await db.selectFrom('projects').innerJoin('units', 'units.id', 'projects.unit_id')
    .where('projects.tier', '=', 'implementation').where('projects.deleted_at', 'is', null)
    .select(['units.id', 'units.name', sql<number>`count(*)`.as('n')]).groupBy(['units.id', 'units.name']).execute();
  const pick = counts.filter((c) => Number(c.n) >= 2).sort((a, b) => Number(a.n) - Number(b.n) || a.id - b.id)[0]!;
  unit = { id: pick.id, name: pick.name };
  projects = await db.selectFrom('projects').select(['id', 'name', 'total_investment']).where('unit_id', '=', unit.id)
    .where('tier', '=', 'implementation').where('deleted_at', 'is', null).orderBy('id').execute();
  // Start this unit's month from nothing; direct deletes bypass the reporting code, so refresh the rollup as a bulk
  // load would (docs/indicators.md).
  await db.deleteFrom('monthly_reports').where('year', '=', year).where('month', '=', month).where('project_id', 'in', projects.map((p) => p.id)).execute();
  await db.transaction().execute(async (trx) => {
    for (const p of projects) await IndicatorService.refreshProject(trx, p.id, year);
  });
  await buildUser(db, { username: 'reporter1', role: 'reporter', unitId: unit.id });
});
afterAll(async () => {
  await h?.close();
});

/** The office's dashboard figure "1–N月完成投资" (exact yuan from the card's data attribute). */
async function dashboardCompleted(): Promise<number> {
  const { context, page } = await h.newPage();
  await login(page, 'office', 'Docket#2026', `/dashboard?year=${year}&month=${month}`);
  const value = await page.getByTestId('kpi-completed').getAttribute('data-yuan');
  await context.close();
  return Number(value);
}

let completedBefore = 0;

describe('monthly reporting and review in the browser', () => {
  it('a unit fills the grid on a phone, adds a site photo and submits all', async () => {
    completedBefore = await dashboardCompleted();
    const { context, page } = await h.newPage({ width: 375, height: 812 });
    await login(page, 'reporter1');
    await page.goto('/reports');
    const first = projects[0]!;
    await page.getByTestId(`grid-card-${first.id}`).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // A wrong amount is refused on the page, before anything is sent.
    await page.getByTestId(`amount-${first.id}`).fill('12.3.4');
    await page.getByTestId('save-draft').click();
    await page.getByTestId('grid-banner').getByText('有 1 行需要修改后才能保存').waitFor();

    for (const [i, p] of projects.entries()) {
      await page.getByTestId(`amount-${p.id}`).fill(String(100 + i * 10.5));
    }
    await page.getByTestId(`grid-card-${first.id}`).getByText('形象进度、人数、问题与计划').click();
    await page.getByLabel(`${first.name} 形象进度`).fill('主体结构施工至第 6 层');
    await shot(page, 'reports-375-filled');
    await page.getByTestId('save-draft').click();
    await page.getByText(`已保存 ${projects.length} 个项目的草稿`).waitFor();
    const drafts = await h.database.db.selectFrom('monthly_reports').select(['project_id', 'amount_month', 'status', 'progress_text'])
      .where('year', '=', year).where('month', '=', month).orderBy('project_id').execute();
    expect(drafts.map((d) => [d.project_id, d.amount_month, d.status])).toEqual(projects.map((p, i) => [p.id, Math.round((100 + i * 10.5) * 10_000), 'draft']));
    expect(drafts[0]!.progress_text).toBe('主体结构施工至第 6 层');

    // A site photo from the camera input.
    await page.getByRole('button', { name: `${first.name} 照片` }).click();
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#6699cc' } }).jpeg().toBuffer();
    await page.getByTestId('photo-input').setInputFiles({ name: 'site.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await page.getByText('已上传 1 张照片').waitFor();
    await expect(page.getByTestId('photo-input').getAttribute('capture')).resolves.toBe('environment');
    await shot(page, 'reports-375-photo');
    await page.locator('.ant-modal-footer').getByRole('button', { name: /关\s*闭/ }).click();

    await page.getByTestId('submit-all').click();
    await page.getByRole('button', { name: /确\s*定|OK/ }).click();
    await page.getByTestId('grid-banner').getByText(`已全部提交（${projects.length} 份），等待审核`).waitFor();
    const statuses = await h.database.db.selectFrom('monthly_reports').select('status').where('year', '=', year).where('month', '=', month).execute();
    expect(statuses.map((s) => s.status)).toEqual(projects.map(() => 'submitted'));
    await shot(page, 'reports-375-submitted');
    await context.close();
  });

  it('the office sees what changed, returns one report with a reason and approves the rest', async () => {
    const { context, page } = await h.newPage();
    await login(page);
    await page.goto('/review');
    const table = page.getByTestId('review-table');
    for (const p of projects) await table.getByRole('link', { name: p.name }).waitFor();
    await table.locator('li', { hasText: /^形象进度：.*→ 主体结构施工至第 6 层$/ }).waitFor();
    await shot(page, 'review');

    const [back, ...rest] = projects;
    await page.getByRole('button', { name: `退回 ${back!.name}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: /退\s*回/ }).click();
    await page.getByText('请填写退回原因').waitFor();
    await page.getByRole('dialog').getByRole('textbox').fill('本月完成投资与形象进度不符，请核实');
    await page.getByRole('dialog').getByRole('button', { name: /退\s*回/ }).click();
    await page.getByText('已退回').first().waitFor();
    for (const p of rest) {
      await page.getByRole('button', { name: `通过 ${p.name}` }).click();
      await page.getByText('已通过 1 份月报').first().waitFor();
      await table.getByRole('link', { name: p.name }).waitFor({ state: 'detached' });
    }
    const stored = await h.database.db.selectFrom('monthly_reports').select(['project_id', 'status', 'return_reason']).where('year', '=', year).where('month', '=', month).orderBy('project_id').execute();
    expect(stored).toEqual(projects.map((p) => (p.id === back!.id
      ? { project_id: p.id, status: 'returned', return_reason: '本月完成投资与形象进度不符，请核实' }
      : { project_id: p.id, status: 'approved', return_reason: null })));
    await page.getByText('没有待审核的月报').waitFor();
    await context.close();

    // The unit sees the returned report with its reason, editable again.
    const unitSide = await h.newPage();
    await login(unitSide.page, 'reporter1');
    await unitSide.page.goto('/reports');
    await unitSide.page.getByText('退回原因：本月完成投资与形象进度不符，请核实').waitFor();
    // The reporter lands on the to-do (the returned report); 全部 shows the approved ones too.
    await unitSide.page.getByTestId('grid-todo').getByText('已退回 1 项').waitFor();
    await unitSide.page.getByTestId('grid-todo').getByText('全部').click();
    await expect(unitSide.page.getByTestId(`amount-${back!.id}`).isEditable()).resolves.toBe(true);
    await expect(unitSide.page.getByTestId(`amount-${rest[0]!.id}`).isEditable()).resolves.toBe(false);
    await shot(unitSide.page, 'reports-desktop-returned');
    await unitSide.context.close();
  });

  it('the dashboard figure follows the approved reports', async () => {
    // Counted statuses are submitted and approved by default: the returned report drops out, the approved stay.
    const approved = await h.database.db.selectFrom('monthly_reports').select(['project_id', 'amount_ytd'])
      .where('year', '=', year).where('month', '=', month).where('status', '=', 'approved').execute();
    const before = await h.database.db.selectFrom('monthly_reports').select(['project_id', 'amount_ytd', 'month'])
      .where('year', '=', year).where('month', '<', month).where('status', 'in', ['submitted', 'approved'])
      .where('project_id', 'in', approved.map((a) => a.project_id)).orderBy('month').execute();
    const previous = new Map(before.map((r) => [r.project_id, r.amount_ytd]));
    const delta = approved.reduce((s, a) => s + a.amount_ytd - (previous.get(a.project_id) ?? 0), 0);
    expect(delta).not.toBe(0);
    expect(await dashboardCompleted()).toBe(completedBefore + delta);
  });
});
