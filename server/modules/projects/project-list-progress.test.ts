import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { buildPlan, buildReport } from '../../../test/indicator-factories.ts';
import { chinaToday } from '../../../core/clock.ts';
import { clock } from '../../clock.ts';

const YI = 100_000_000;

describe.each(DIALECTS)('project list 完成率 and 灯色 columns on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let lagging: number;
  let onTrack: number;
  let unlisted: number;
  const list = async (qs: string) => {
    const res = await t.app.inject({ url: `/api/v1/projects?${qs}`, headers: office });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: { id: number; light?: string | null; completion_rate?: { text: string } | null }[]; totals: { progress?: unknown } }>();
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '发改局', kind: 'office' });
    const unit = (await buildUnit(t.db, { name: '甲镇', parentId: root.id })).id;
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
    // Plan 12 亿 (time progress 1 亿 a month); April: 2.4 亿 (20.0% against 33.3%: yellow) and 4 亿 (33.3%: green).
    lagging = await buildProject(t.db, { name: '滞后项目', unit_id: unit, stage: 'started', actual_start_date: '2025-06-01', stats_entered: 1 });
    await buildPlan(t.db, { project_id: lagging, year: 2026, planned_investment: 12 * YI });
    await buildReport(t.db, { project_id: lagging, year: 2026, month: 3, amount_ytd: 2.4 * YI }); // on time in March
    await buildReport(t.db, { project_id: lagging, year: 2026, month: 4, amount_ytd: 2.4 * YI });
    onTrack = await buildProject(t.db, { name: '正常项目', unit_id: unit, stage: 'started', actual_start_date: '2025-06-01', stats_entered: 1 });
    await buildPlan(t.db, { project_id: onTrack, year: 2026, planned_investment: 12 * YI });
    await buildReport(t.db, { project_id: onTrack, year: 2026, month: 4, amount_ytd: 4 * YI });
    unlisted = await buildProject(t.db, { name: '储备项目', unit_id: unit, tier: 'reserve', stage: 'planning' });
    office = await t.login('office1');
  });
  afterAll(async () => t?.close());

  it('adds each item its light and completion rate for the period asked, and names the period', async () => {
    const body = await list('progress=2026-04&sort=id');
    const byId = new Map(body.items.map((p) => [p.id, p]));
    expect(byId.get(lagging)).toMatchObject({ light: 'yellow', completion_rate: { text: '20.0' } });
    expect(byId.get(onTrack)).toMatchObject({ light: 'green', completion_rate: { text: '33.3' } });
    expect(byId.get(unlisted)).toMatchObject({ light: null, completion_rate: null });
    expect(body.totals.progress).toEqual({ year: 2026, month: 4, label: '1–4月' });
  });

  it('defaults to the period in force: the latest closed or overdue period of this year or last', async () => {
    // Whatever the date the suite runs at (DOCKET_NOW): this year's calendar in China.
    const year = Number(chinaToday(clock.now()).slice(0, 4));
    await t.db.insertInto('reporting_periods').values([
      { year, month: 4, first_month: 4, deadline: `${year}-05-25`, status: 'closed' },
      { year, month: 5, first_month: 5, deadline: '2999-06-25', status: 'open' },
    ]).execute();
    const body = await list('progress=current');
    expect(body.totals.progress).toMatchObject({ year, month: 4 });
    if (year === 2026) expect(body.items.find((p) => p.id === lagging)).toMatchObject({ light: 'yellow' });
  });

  it('leaves the list as it was without progress, and refuses a malformed period', async () => {
    const body = await list('');
    expect(body.items[0]).not.toHaveProperty('light');
    expect(body.totals).not.toHaveProperty('progress');
    expect((await t.app.inject({ url: '/api/v1/projects?progress=2026-13', headers: office })).statusCode).toBe(400);
  });
});
