import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildUser } from '../../../test/factories.ts';
import { multipartBody } from '../../../test/workbooks.ts';
import { loadExcel } from '../../excel.ts';
import { COUNTY, countyWorkbook } from '../../../test/fixtures/first-day-workbooks.ts';
import type { UnitRank } from '../../../core/bulletins/ranking.ts';

type App = Awaited<ReturnType<typeof createTestApp>>;
interface Ranking { period_label: string; units: UnitRank[]; fast: unknown[]; slow: unknown[] }
interface UnitBreakdown { key: string | null; label: string; indicators: { completion_rate: { text: string }; gap_points: { text: string } } }

/**
 * The unit ranking (月讲评) and the bulletin after an office's first day: a fresh install (no demo) that imported
 * only its 1-5月 cumulative list. Each unit's rate is the one the indicators (and so the dashboard) give, equal to the
 * list's own figures for 1-5月; for 1–3月 nobody's completion is known, so nobody is ranked and the note says why
 * (before: 0.0% for every unit, ranked by name).
 */
describe.each(DIALECTS)('the unit ranking after a 1-5月 list was imported, on %s', (dialect) => {
  let t: App;
  let office: LoginHeaders;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildUser(t.db, { username: 'admin1', role: 'sysadmin' });
    await buildUser(t.db, { username: 'office1', role: 'office' });
    const admin = await t.login('admin1');
    const set = await t.app.inject({ method: 'PUT', url: '/api/v1/system/profile', headers: admin, payload: { office_name: COUNTY.office, region_code: COUNTY.region } });
    expect(set.statusCode, set.body).toBe(200);
    office = await t.login('office1');
    const body = multipartBody(COUNTY.fileName, await countyWorkbook());
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports/apply?kind=projects&create_missing=1', headers: { ...body.headers, ...office }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ applied: boolean }>().applied).toBe(true);
  });
  afterAll(async () => t?.close());

  const ranking = async (month: number) => {
    const res = await t.app.inject({ url: `/api/v1/bulletins/ranking?year=2025&month=${month}`, headers: office });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Ranking>();
  };
  const unitBreakdown = async (month: number) => {
    const res = await t.app.inject({ url: `/api/v1/indicators?year=2025&month=${month}&breakdown=unit`, headers: office });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ breakdowns: { unit: UnitBreakdown[] } }>().breakdowns.unit;
  };

  it('ranks 1-5月 on the list\'s own figures, the same rates the indicators give per unit', async () => {
    const may = await ranking(5);
    // Worked out from the workbook (万元): 城关镇 5,200 of 6,000; 盛乐镇 11,000 of 20,000; 城投 15,800 of 40,000;
    // 交通 1,900 of 5,000; 住建 2,600 of 7,000 + 8,000; 教育 900 of 6,000; 卫健 1,200 of 10,000. Time progress 41.7%.
    expect(may.units.map((u) => [u.rank, u.name, u.completion_rate_text, u.gap_points_text])).toEqual([
      [1, '城关镇人民政府', '86.7', '45.0'],
      [2, '盛乐镇人民政府', '55.0', '13.3'],
      [3, '和林格尔县城投集团有限公司', '39.5', '-2.2'],
      [4, '县交通运输局', '38.0', '-3.7'],
      [5, '县住房和城乡建设局', '17.3', '-24.3'],
      [6, '县教育局', '15.0', '-26.7'],
      [7, '县卫生健康局', '12.0', '-29.7'],
    ]);
    const byKey = new Map((await unitBreakdown(5)).map((u) => [u.key, u.indicators]));
    for (const u of may.units) {
      expect(byKey.get(u.key)?.completion_rate.text, u.name).toBe(u.completion_rate_text);
      expect(byKey.get(u.key)?.gap_points.text, u.name).toBe(u.gap_points_text);
    }
    expect(may.units.reduce((s, u) => s + u.completed_ytd, 0)).toBe(38_600 * 10_000);
    expect(may.units.some((u) => u.unrecorded)).toBe(false);
    expect(may.fast.length + may.slow.length).toBeGreaterThan(0);
  });

  it('ranks nobody for 1–3月, before the list\'s figures begin, and says why (not 0%), on screen, in xlsx and in the bulletin', async () => {
    const march = await ranking(3);
    expect(march.units).toHaveLength(7);
    for (const u of march.units) {
      expect(u, u.name).toMatchObject({ rank: null, completion_rate_text: '—', gap_points_text: '—', unrecorded: true, note: '1–5月累计数据自5月起录入，1–3月完成投资未纳入系统，不参与排名' });
    }
    // The indicators say the same per unit.
    expect((await unitBreakdown(3)).every((u) => u.indicators.completion_rate.text === '—')).toBe(true);
    // No project's 1–3月 completion is known either: no 十快/十慢.
    expect(march.fast).toEqual([]);
    expect(march.slow).toEqual([]);

    const xlsx = await t.app.inject({ url: '/api/v1/bulletins/ranking.xlsx?year=2025&month=3', headers: office });
    expect(xlsx.statusCode).toBe(200);
    const Excel = await loadExcel();
    const wb = new Excel.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('单位排名')!;
    for (let r = 4; r < 11; r++) {
      expect(ws.getRow(r).getCell(1).value).toBe('—');
      expect(ws.getRow(r).getCell(5).value, `row ${r}`).toBeNull();
      expect(ws.getRow(r).getCell(6).value, `row ${r}`).toBeNull();
    }

    // A bulletin drafted for 1–3月 prints the same table.
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/bulletins', headers: office, payload: { year: 2025, month: 3 } });
    expect(created.statusCode, created.body).toBe(201);
    const figures = await t.app.inject({ url: `/api/v1/bulletins/${created.json<{ id: number }>().id}/figures`, headers: office });
    expect(figures.statusCode, figures.body).toBe(200);
    const f = figures.json<{ figures: { units: UnitRank[] } }>().figures;
    expect(f.units.map((u) => [u.rank, u.completion_rate_text])).toEqual(march.units.map(() => [null, '—']));
  });
});
