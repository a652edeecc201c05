import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type LoginHeaders } from '../../test/app.ts';
import { DIALECTS } from '../../test/db.ts';
import { buildProject, buildUnit, buildUser } from '../../test/factories.ts';
import { buildPlan, buildReport } from '../../test/indicator-factories.ts';
import { readWorkbook } from '../../test/workbooks.ts';

const YI = 100_000_000;

/** Every cell's text of a workbook's first sheet, joined (enough to see which projects it lists). */
async function workbookText(body: Buffer): Promise<string> {
  const wb = await readWorkbook(body);
  const out: string[] = [];
  wb.worksheets[0]!.eachRow((row) => row.eachCell((c) => out.push(String(c.text))));
  return out.join('|');
}

/**
 * Issue 12: on every scoped route (project list, indicators, lights, their exports, bulletins) "no region" is the
 * office's jurisdiction (本级辖区), as the web pages read it; region=all widens to the caller's whole scope. The office
 * is 西湖区 (330106); one project sits in 西湖区 and one in 上城区 (330102), outside the jurisdiction but inside the
 * office's data scope.
 */
describe.each(DIALECTS)('no region means the jurisdiction on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  const inside = '西湖区辖区内scope项目';
  const outside = '上城区辖区外scope项目';

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildUser(t.db, { username: 'scope-admin', role: 'sysadmin' });
    const admin = await t.login('scope-admin');
    const set = await t.app.inject({ method: 'PUT', url: '/api/v1/system/profile', headers: admin, payload: { office_name: '西湖区发展和改革局', region_code: '330106' } });
    expect(set.statusCode, set.body).toBe(200);
    const root = await t.db.selectFrom('units').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
    const unit = await buildUnit(t.db, { name: '西湖区住建局', parentId: root.id, regionCode: '330106' });
    for (const [name, region, ytd] of [[inside, '330106', 3 * YI], [outside, '330102', 1 * YI]] as const) {
      const id = await buildProject(t.db, { name, unit_id: unit.id, region_code: region, stage: 'started', actual_start_date: '2025-06-01' });
      await buildPlan(t.db, { project_id: id, year: 2026, planned_investment: 10 * YI });
      await buildReport(t.db, { project_id: id, year: 2026, month: 5, amount_ytd: ytd, status: 'approved' });
    }
    await buildUser(t.db, { username: 'scope-office', role: 'office', unitId: root.id });
    office = await t.login('scope-office');
  });
  afterAll(async () => t?.close());

  const names = async (query: string) => {
    const res = await t.app.inject({ url: `/api/v1/projects?${query}`, headers: office });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: { name: string }[] }>().items.map((p) => p.name).sort();
  };

  it('lists the jurisdiction without a region, everything with region=all, and a named region as asked', async () => {
    expect(await names('page_size=100')).toEqual([inside]);
    expect(await names('page_size=100&region=')).toEqual([inside]);
    expect(await names('page_size=100&region=all')).toEqual([outside, inside].sort());
    expect(await names('page_size=100&region=330102')).toEqual([outside]);
  });

  it('computes indicators and lights over the jurisdiction unless widened', async () => {
    const sums = async (query: string) => {
      const res = await t.app.inject({ url: `/api/v1/indicators?year=2026&month=5${query}`, headers: office });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ indicators: { sums: { count: number; completed_ytd: number } } }>().indicators.sums;
    };
    expect(await sums('')).toMatchObject({ count: 1, completed_ytd: 3 * YI });
    expect(await sums('&region=all')).toMatchObject({ count: 2, completed_ytd: 4 * YI });
    const lights = async (query: string) => {
      const res = await t.app.inject({ url: `/api/v1/lights?year=2026&month=5&light=red,yellow,green,none${query}`, headers: office });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: { name: string }[] }>().items.map((p) => p.name).sort();
    };
    expect(await lights('')).toEqual([inside]);
    expect(await lights('&region=all')).toEqual([outside, inside].sort());
  });

  it('exports the jurisdiction unless widened', async () => {
    for (const url of ['/api/v1/exports/projects.xlsx?year=2026', '/api/v1/exports/monthly-progress.xlsx?year=2026&month=5', '/api/v1/exports/lights.xlsx?year=2026&month=5&light=red,yellow,green,none']) {
      const narrow = await t.app.inject({ url, headers: office });
      expect(narrow.statusCode, `${url}: ${narrow.body}`).toBe(200);
      const text = await workbookText(narrow.rawPayload);
      expect(text, url).toContain(inside);
      expect(text, url).not.toContain(outside);
      const wide = await workbookText((await t.app.inject({ url: `${url}&region=all`, headers: office })).rawPayload);
      expect(wide, url).toContain(inside);
      expect(wide, url).toContain(outside);
    }
  });

  it('ranks and drafts bulletins for the jurisdiction unless widened', async () => {
    const ranked = async (query: string) => {
      const res = await t.app.inject({ url: `/api/v1/bulletins/ranking?year=2026&month=5${query}`, headers: office });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ units: { count: number; completed_ytd: number }[] }>().units.reduce((n, u) => n + u.count, 0);
    };
    expect(await ranked('')).toBe(1);
    expect(await ranked('&region=all')).toBe(2);
    const draft = await t.app.inject({ method: 'POST', url: '/api/v1/bulletins', headers: office, payload: { year: 2026, month: 5 } });
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json<{ region_code: string | null }>().region_code).toBe('330106');
    const wide = await t.app.inject({ method: 'POST', url: '/api/v1/bulletins', headers: office, payload: { year: 2026, month: 5, region: 'all' } });
    expect(wide.statusCode, wide.body).toBe(201);
    expect(wide.json<{ region_code: string | null }>().region_code).toBeNull();
  });
});

describe.each(DIALECTS)('no region before the office has named its jurisdiction on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  afterAll(async () => t?.close());

  it('keeps the caller\'s whole scope', async () => {
    t = await createTestApp(dialect);
    const unit = await buildUnit(t.db, { name: '无辖区测试单位' });
    await buildProject(t.db, { name: '无辖区项目甲', unit_id: unit.id, region_code: '330106' });
    await buildProject(t.db, { name: '无辖区项目乙', unit_id: unit.id, region_code: '330102' });
    await buildUser(t.db, { username: 'noj-office', role: 'office' });
    const res = await t.app.inject({ url: '/api/v1/projects', headers: await t.login('noj-office') });
    expect(res.json<{ items: unknown[] }>().items).toHaveLength(2);
  });
});
