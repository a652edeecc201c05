import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildReportingWorld } from '../../../test/reporting.ts';
import { buildWorkbook, multipartBody } from '../../../test/workbooks.ts';
import type { ImportReport } from './import.service.ts';

describe.each(DIALECTS)('monthly progress import on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;

  const post = (path: string, cookie: LoginHeaders, data: Buffer) => {
    const body = multipartBody('月报.xlsx', data);
    return t.app.inject({ method: 'POST', url: path, headers: { ...body.headers, ...cookie }, payload: body.payload });
  };
  const sheet = (rows: (string | number | null)[][]) => buildWorkbook([{ name: '5月进度', rows: [
    ['吴中区2026年1-5月重点项目推进情况'],
    [null, null, null, '单位：万元'],
    ['序号', '项目名称', '所属地区', '本月完成投资', '形象进度', '建设阶段', '负数原因'],
    ...rows,
  ] }]);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/reporting/years', headers: w.office, payload: { year: 2026 } })).statusCode).toBe(201);
    for (const m of [4, 5]) {
      expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/reporting/periods/2026/${m}`, headers: w.office, payload: { status: 'open' } })).statusCode).toBe(200);
    }
  });
  afterAll(async () => t?.close());

  it('takes the period from the title, checks rows by the reporting rules in a dry run, and writes nothing', async () => {
    const file = await sheet([
      [1, '甪直智能装备产业园', '吴中区', 500, '桩基施工', null, null],
      [2, '甪直污水处理厂提标改造', '吴中区', -20, '核减', null, null],
      [3, '不存在的项目', '吴中区', 1, null, null, null],
    ]);
    const res = await post('/api/v1/imports/monthly/dry-run', w.reporterA, file);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<ImportReport>();
    expect(report.problems.find((p) => p.row === 6)?.message).toContain('未找到项目');
    expect(report.summary).toMatchObject({ rows: 3, errorRows: 1 });
    const count = await t.db.selectFrom('monthly_reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('reports the reporting rules per row (a negative month needs a reason) and applies all or nothing', async () => {
    const bad = await sheet([
      [1, '甪直智能装备产业园', '吴中区', 500, '桩基施工', null, null],
      [2, '甪直污水处理厂提标改造', '吴中区', -20, '核减', null, null],
    ]);
    const refused = (await post('/api/v1/imports/monthly/apply', w.reporterA, bad)).json<ImportReport>();
    expect(refused.applied).toBe(false);
    const problem = refused.problems.find((p) => p.row === 5);
    expect(problem?.message).toMatch(/原因/);
    expect(Number((await t.db.selectFrom('monthly_reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);

    const good = await sheet([
      [1, '甪直智能装备产业园', '吴中区', 500, '桩基施工', null, null],
      [2, '甪直污水处理厂提标改造', '吴中区', -20, '核减', null, '统计口径调整'],
    ]);
    const applied = (await post('/api/v1/imports/monthly/apply', w.reporterA, good)).json<ImportReport>();
    expect(applied).toMatchObject({ applied: true, summary: { created: 2, errors: 0 } });
    const rows = await t.db.selectFrom('monthly_reports').selectAll().orderBy('project_id').execute();
    expect(rows.map((r) => [r.project_id, r.year, r.month, r.amount_month, r.amount_ytd, r.status])).toEqual([
      [w.pa1, 2026, 5, 5_000_000, 5_000_000, 'draft'],
      [w.pa2, 2026, 5, -200_000, -200_000, 'draft'],
    ]);
    const again = (await post('/api/v1/imports/monthly/apply', w.reporterA, good)).json<ImportReport>();
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it('refuses two periods in one file and projects outside the reporter\'s scope', async () => {
    const file = await buildWorkbook([{ name: 'S', rows: [
      ['项目名称', '年份', '月份', '本月完成投资（万元）'],
      ['甪直智能装备产业园', 2026, 4, 1],
      ['临湖生态湿地公园', 2026, 5, 1],
    ] }]);
    const report = (await post('/api/v1/imports/monthly/dry-run', w.reporterA, file)).json<ImportReport>();
    expect(report.problems.find((p) => p.row === 3)?.message).toContain('一个文件只能包含一个填报期');
    const other = await buildWorkbook([{ name: 'S', rows: [['项目名称', '年份', '月份', '本月完成投资（万元）'], ['临湖生态湿地公园', 2026, 5, 1]] }]);
    const denied = (await post('/api/v1/imports/monthly/dry-run', w.reporterA, other)).json<ImportReport>();
    expect(denied.summary.errors).toBeGreaterThan(0);
    expect(Number((await t.db.selectFrom('monthly_reports').select((eb) => eb.fn.countAll<number>().as('n')).where('project_id', '=', w.pb1).executeTakeFirstOrThrow()).n)).toBe(0);
  });

  it('answers the same for another unit\'s project as for a missing one (no existence leak)', async () => {
    const ask = async (name: string) => {
      const file = await buildWorkbook([{ name: 'S', rows: [['项目名称', '年份', '月份', '本月完成投资（万元）'], [name, 2026, 5, 1]] }]);
      const report = (await post('/api/v1/imports/monthly/dry-run', w.reporterA, file)).json<ImportReport>();
      return report.problems.map((p) => ({ ...p, message: p.message.replace(name, 'X') }));
    };
    const otherUnit = await ask('临湖生态湿地公园');
    const missing = await ask('临湖不存在的公园');
    expect(otherUnit).toEqual(missing);
    expect(otherUnit[0]?.message).toContain('未找到项目');
  });
});
