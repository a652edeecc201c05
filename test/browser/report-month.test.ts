import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { sql } from 'kysely';
import { chinaDate } from '../../core/monthly-report.ts';
import { clock } from '../../server/clock.ts';
import { periodInForce } from '../../core/period-in-force.ts';
import { buildUser } from '../factories.ts';
import { IndicatorService } from '../../server/modules/indicators/index.ts';
import { apiAs, login, pickOption, settled, shot, startHarness, type Harness } from './harness.ts';

// Issue 13: reporting a start from a phone, input that survives a failed save and a reload, the period in force.
let h: Harness;
let unit: { id: number; name: string };
let projects: { id: number; name: string }[];
// The server's clock (DOCKET_NOW shifts it in the calendar runs), never the machine's.
const today = chinaDate(clock.now());
const year = Number(today.slice(0, 4));
const month = Number(today.slice(5, 7));
const PHONE = { width: 375, height: 812 };

beforeAll(async () => {
  h = await startHarness({ projects: 120 });
  const db = h.database.db;
  const counts = await db.selectFrom('projects').where('tier', '=', 'implementation').where('deleted_at', 'is', null)
    .select(['unit_id', sql<number>`count(*)`.as('n')]).groupBy('unit_id').execute();
  const pick = counts.filter((c) => Number(c.n) >= 3).sort((a, b) => Number(a.n) - Number(b.n) || a.unit_id - b.unit_id)[0]!;
  const u = await db.selectFrom('units').select(['id', 'name']).where('id', '=', pick.unit_id).executeTakeFirstOrThrow();
  unit = { id: u.id, name: u.name };
  projects = await db.selectFrom('projects').select(['id', 'name']).where('unit_id', '=', unit.id)
    .where('tier', '=', 'implementation').where('deleted_at', 'is', null).orderBy('id').execute();
  // This unit's month starts empty; its first project is still in 前期 (the start is what it reports).
  await db.deleteFrom('monthly_reports').where('year', '=', year).where('month', '=', month).where('project_id', 'in', projects.map((p) => p.id)).execute();
  await db.updateTable('projects').set({ stage: 'preliminary', actual_start_date: null, actual_completion_date: null, actual_production_date: null })
    .where('id', '=', projects[0]!.id).execute();
  await db.transaction().execute(async (trx) => {
    for (const p of projects) await IndicatorService.refreshProject(trx, p.id, year);
  });
  await buildUser(db, { username: 'reporter9', role: 'reporter', unitId: unit.id });
});
afterAll(async () => {
  await h?.close();
});

const reportOf = (projectId: number) => h.database.db.selectFrom('monthly_reports').selectAll()
  .where('project_id', '=', projectId).where('year', '=', year).where('month', '=', month).executeTakeFirst();

describe('a real month on the phone', () => {
  it('reports a start with its date and site photo before any save, then submits that one project', async () => {
    const { context, page } = await h.newPage(PHONE);
    await login(page, 'reporter9');
    await page.goto('/reports');
    const p = projects[0]!;
    const card = page.getByTestId(`grid-card-${p.id}`);
    await card.waitFor();
    // The to-do for the period, and the exports folded into one menu so the first card shows on the first screen.
    // It counts what the unit still has to fill: at least the projects emptied above (the demo may or may not have
    // filled the unit's other projects, depending on the date).
    const todo = page.getByTestId('grid-todo').getByText(/本月待填 \d+ 项，截止 \d{2}-25，已退回 0 项/);
    await todo.waitFor();
    const todoCount = Number(/本月待填 (\d+) 项/.exec((await todo.textContent()) ?? '')![1]);
    expect(todoCount).toBeGreaterThanOrEqual(projects.length);
    await expect(page.getByTestId('export-menu').isVisible()).resolves.toBe(true);
    expect(await page.getByTestId('export-monthly-progress').count()).toBe(0);
    const top = (await card.boundingBox())!.y;
    expect(top).toBeLessThan(PHONE.height / 2);

    // The stage select shows the current stage.
    await card.getByText('前期', { exact: true }).waitFor();
    await page.getByTestId(`amount-${p.id}`).fill('1,250.5');
    await page.getByLabel(`${p.name} 建设阶段`).click();
    await settled(page);
    await pickOption(page, '开工在建');
    await card.getByText('形象进度、人数、问题与计划').click();
    await page.getByLabel(`${p.name} 形象进度`).fill('桩基施工完成 40%');
    await page.getByLabel(`${p.name} 在岗人数`).fill('85');
    await page.getByLabel(`${p.name} 需协调解决的问题`).fill('临时用电接入');
    await page.getByLabel(`${p.name} 下月工作计划`).fill('完成桩基，开始承台');

    // Saving without the start date is stopped on the field; nothing is lost.
    await page.getByTestId('save-draft').click();
    await page.getByTestId(`stage-move-${p.id}`).getByRole('alert').getByText('请填写开工在建日期').waitFor();
    await expect(page.getByTestId(`amount-${p.id}`).inputValue()).resolves.toBe('1,250.5');
    expect(await reportOf(p.id)).toBeUndefined();
    await page.getByTestId(`stage-date-${p.id}`).fill(today);
    await page.getByTestId(`stage-move-${p.id}`).getByText('开工在建须上传至少一张现场照片').waitFor();
    await shot(page, 'report-month-375-start');

    // The site photo, before any save: the draft is created with everything typed, then the photo attached.
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#6699cc' } }).jpeg().toBuffer();
    await page.getByTestId(`photo-input-${p.id}`).setInputFiles({ name: 'site.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await page.getByTestId(`stage-move-${p.id}`).getByText('已上传 1 张现场照片').waitFor();
    const draft = (await reportOf(p.id))!;
    expect(draft).toMatchObject({
      status: 'draft', amount_month: 12_505_000, stage: 'started', stage_date: today, progress_text: '桩基施工完成 40%', workers: 85,
      problems: '临时用电接入', next_plan: '完成桩基，开始承台',
    });
    const photos = await h.database.db.selectFrom('monthly_report_photos').select('id').where('report_id', '=', draft.id).execute();
    expect(photos).toHaveLength(1);

    // Submitting this one project only.
    await page.getByTestId(`submit-${p.id}`).click();
    await page.getByRole('button', { name: /确\s*定|OK/ }).click();
    await page.getByText(`已提交：${p.name}`).waitFor();
    expect((await reportOf(p.id))!.status).toBe('submitted');
    expect((await reportOf(projects[1]!.id))?.status).toBeUndefined();
    await shot(page, 'report-month-375-submitted');
    await context.close();
  });

  it('keeps what was typed through a refused save and a reload, until it is saved', async () => {
    const { context, page } = await h.newPage(PHONE);
    const office = await apiAs((await h.newPage()).context);
    await login(page, 'reporter9');
    await page.goto('/reports');
    const p = projects[1]!;
    await page.getByTestId(`grid-card-${p.id}`).waitFor();
    await page.getByTestId(`amount-${p.id}`).fill('88.8');
    await page.getByTestId(`grid-card-${p.id}`).getByText('形象进度、人数、问题与计划').click();
    await page.getByLabel(`${p.name} 形象进度`).fill('二层楼板浇筑');

    // The office closes the period meanwhile: the server refuses the save; the card and its input stay.
    expect((await office.patch(`/reporting/periods/${year}/${month}`, { status: 'closed' })).status).toBe(200);
    await page.getByTestId('save-draft').click();
    await page.getByTestId('grid-banner').getByText(/填报期已关闭/).waitFor();
    await expect(page.getByTestId(`amount-${p.id}`).inputValue()).resolves.toBe('88.8');
    await expect(page.getByLabel(`${p.name} 形象进度`).inputValue()).resolves.toBe('二层楼板浇筑');
    await shot(page, 'report-month-375-refused');

    // Reopened: a reload (a phone that lost the page) brings back what was typed, and it saves.
    expect((await office.patch(`/reporting/periods/${year}/${month}`, { status: 'open' })).status).toBe(200);
    await page.reload();
    await page.getByTestId(`grid-card-${p.id}`).waitFor();
    await expect(page.getByTestId(`amount-${p.id}`).inputValue()).resolves.toBe('88.8');
    await page.getByText('1 项未保存的修改').waitFor();
    await page.getByTestId('save-draft').click();
    await page.getByText('已保存 1 个项目的草稿').waitFor();
    expect(await reportOf(p.id)).toMatchObject({ status: 'draft', amount_month: 888_000, progress_text: '二层楼板浇筑' });
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('docket.reportDrafts.')));
    expect(kept).toEqual([]);
    await context.close();
  });
});

describe('the period in force', () => {
  it('opens the dashboard, lights and the project lights tab at the latest month whose deadline has passed', async () => {
    const periods = await h.database.db.selectFrom('reporting_periods').selectAll().where('year', 'in', [year - 1, year]).execute();
    const inForce = periodInForce(periods, today)!;
    expect(inForce).toBeDefined();
    const label = `${inForce.year}年1–${inForce.month}月`;
    const { context, page } = await h.newPage({ width: 1440, height: 900 });
    await login(page, 'office', 'Docket#2026', '/dashboard');
    await page.getByTestId('data-as-of').getByText(`数据截至 ${label}`).waitFor();
    await page.getByRole('heading', { name: `工作台 · ${label}` }).waitFor();
    await shot(page, 'report-month-dashboard-1440');

    await page.goto('/lights');
    await page.getByTestId('data-as-of').getByText(`数据截至 ${label}`).waitFor();
    await expect(page.getByLabel('统计期').inputValue()).resolves.toBe(`${inForce.year}-${String(inForce.month).padStart(2, '0')}`);
    await shot(page, 'report-month-lights-1440');

    await page.goto(`/projects/${projects[2]!.id}?tab=lights`);
    await page.getByTestId('data-as-of').getByText(`数据截至 ${label}`).waitFor();

    // 月度填报 opens at the period being reported (open), which the picker names.
    await page.goto('/reports');
    await page.getByTestId('period-select').getByText(`${month}月（填报中）`).waitFor();
    await context.close();
  });
});

describe('roles and rules', () => {
  it('lands a reporter on 月度填报 and keeps the data-entry grid out of a leader\'s menu', async () => {
    const reporter = await h.newPage({ width: 1440, height: 900 });
    await login(reporter.page, 'reporter9', 'Docket#2026', '/');
    await reporter.page.waitForURL(/\/reports$/);
    await reporter.page.getByTestId('grid-todo').waitFor();
    await shot(reporter.page, 'report-month-reports-1440');
    await reporter.context.close();

    const leader = await h.newPage({ width: 1440, height: 900 });
    await login(leader.page, 'leader', 'Docket#2026', '/');
    await leader.page.getByRole('menuitem', { name: /工作台/ }).waitFor();
    expect(await leader.page.getByRole('menuitem', { name: /月度填报/ }).count()).toBe(0);
    await leader.context.close();
  });

  it('shows the rule version\'s first month as it will be stored and warns before judging a closed month again', async () => {
    const { context, page } = await h.newPage({ width: 1440, height: 900 });
    await login(page, 'office', 'Docket#2026', `/lights/rules?year=${year}`);
    const select = page.getByTestId('rules-effective');
    await select.getByText(`${month}月起`, { exact: true }).waitFor();
    const closed = await h.database.db.selectFrom('reporting_periods').select('month').where('year', '=', year).where('status', '=', 'closed').orderBy('month', 'desc').executeTakeFirst();
    if (closed) {
      await select.click();
      await settled(page);
      await pickOption(page, `${closed.month}月起（已关闭）`);
      await page.getByTestId('rules-rejudge').waitFor();
      await expect(page.getByTestId('save-rules').isDisabled()).resolves.toBe(true);
      await page.getByTestId('rules-rejudge').getByText('确认重新判定已关闭月份').click();
      await expect(page.getByTestId('save-rules').isDisabled()).resolves.toBe(false);
    }
    await shot(page, 'report-month-rules-1440');
    await context.close();
  });

  it('lets the auditor read entries as words, not codes', async () => {
    const { context, page } = await h.newPage({ width: 1440, height: 900 });
    await login(page, 'auditor', 'Docket#2026', '/audit');
    await page.getByTestId('audit-search').click();
    const table = page.getByTestId('audit-table');
    await table.getByRole('cell', { name: '登录', exact: true }).first().waitFor();
    await table.getByRole('cell', { name: /^保存月报$|^提交月报$/ }).first().waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).not.toMatch(/auth\.login|report\.save|GET \/api\/v1/);
    await shot(page, 'report-month-audit-1440');
    await context.close();
  });
});
