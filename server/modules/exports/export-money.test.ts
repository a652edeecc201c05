import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MONEY_YUAN } from '../../../core/money.ts';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { buildWorkbook, multipartBody, readWorkbook } from '../../../test/workbooks.ts';
import { registerErrorHandler } from '../../plugins/errors.ts';
import { sendWorkbook } from './send-workbook.ts';

/** The part of an import report this test reads. */
interface ImportReport {
  problems: { message: string; column: string | null }[];
}

// Issue 14, item 5: one bound for money (input, storage, sums, export); amounts the schema accepts never break an
// export, and an export that fails says so.
describe.each(DIALECTS)('the money bound on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let unitId: number;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    unitId = (await buildUnit(t.db, { name: '区发改局', kind: 'office', regionCode: '320506' })).id;
    await buildUser(t.db, { username: 'office1', role: 'office', unitId });
    office = await t.login('office1');
  });
  afterAll(async () => t?.close());

  const create = (name: string, total: number) => t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: office,
    payload: { name, region_code: '320506', unit_id: unitId, total_investment: total } });

  it('refuses an amount above the bound at the API and in a workbook, with the bound in Chinese', async () => {
    const res = await create('超大项目', 1_000_000_000_000_000);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('9万亿元');
    const wb = await buildWorkbook([{ name: 'S', rows: [['项目名称', '所属地区', '责任单位', '总投资'], ['超大项目', '吴中区', '区发改局', '10万亿元']] }]);
    const body = multipartBody('big.xlsx', wb);
    const report = (await t.app.inject({ method: 'POST', url: '/api/v1/imports/dry-run', headers: { ...body.headers, ...office }, payload: body.payload })).json<ImportReport>();
    expect(report.problems.some((p) => p.message.includes('金额过大') && p.column === 'D')).toBe(true);
  });

  it('exports 1,001 projects at the bound with exact totals (the sum is past 2^53)', async () => {
    for (let i = 0; i < 10; i++) expect((await create(`上限项目${i}`, MAX_MONEY_YUAN)).statusCode).toBe(201);
    const now = new Date().toISOString();
    await t.db.insertInto('projects').values(Array.from({ length: 991 }, (_, i) => ({
      name: `批量上限项目${i}`, search_text: `plsx${i}`, region_code: '320506', unit_id: unitId, total_investment: MAX_MONEY_YUAN,
      stage: 'started', tier: 'implementation', created_at: now, updated_at: now,
    }))).execute();
    expect(1001 * MAX_MONEY_YUAN).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    const list = await t.app.inject({ url: '/api/v1/projects', headers: office });
    expect(list.statusCode, list.body.slice(0, 300)).toBe(200);
    for (const url of ['/api/v1/exports/projects.xlsx', `/api/v1/exports/monthly-progress.xlsx?year=${new Date().getFullYear()}&month=1`]) {
      const res = await t.app.inject({ url, headers: office });
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
      expect(res.rawPayload.length).toBeGreaterThan(1000);
      const ws = (await readWorkbook(res.rawPayload)).worksheets[0]!;
      const totalRow = ws.getRow(ws.rowCount);
      expect(totalRow.getCell(1).value).toBe('合计');
      if (url.includes('projects.xlsx')) {
        const header = (ws.getRow(3).values as unknown[]).slice(1);
        expect(totalRow.getCell(header.indexOf('总投资（万元）') + 1).value).toBe(900_900_000_000); // 1,001 × 9万亿元 in 万元
      }
    }
  });
});

describe('a failing export', () => {
  it('answers a Chinese JSON error instead of a 200 with a few bytes when it fails before the first bytes are sent', async () => {
    const app = Fastify();
    registerErrorHandler(app, { spaFallback: false });
    app.get('/x.xlsx', (request, reply) => sendWorkbook(request, reply, 'x.xlsx', async (out) => {
      out.write(Buffer.from('PK\u0003\u0004 zip header of 49 bytes or so ..........'));
      await new Promise((r) => setTimeout(r, 10));
      throw new RangeError('not integer yuan: 1.5');
    }));
    app.get('/ok.xlsx', (request, reply) => sendWorkbook(request, reply, 'ok.xlsx', async (out) => {
      for (let i = 0; i < 100; i++) out.write(Buffer.alloc(10_000, i));
      out.end();
    }));
    const failed = await app.inject({ url: '/x.xlsx' });
    expect(failed.statusCode).toBe(500);
    expect(failed.json().error.message).toContain('导出失败');
    const ok = await app.inject({ url: '/ok.xlsx' });
    expect(ok.statusCode).toBe(200);
    expect(ok.rawPayload.length).toBe(1_000_000);
    expect(ok.rawPayload[999_999]).toBe(99);
    await app.close();
  });
});
