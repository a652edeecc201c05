import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { multipartBody } from '../../../test/workbooks.ts';
import type { ImportReport } from './import.service.ts';

// Issue 23: a CSV with the API's own field names as headers imports, and a repeated name + region pair no longer
// refuses the whole file when the office chooses to skip it.

describe.each(DIALECTS)('project import options on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  const csv = (lines: string[]) => Buffer.from(lines.join('\n') + '\n', 'utf8');
  const post = (url: string, data: Buffer) => {
    const body = multipartBody('projects.csv', data);
    return t.app.inject({ method: 'POST', url, headers: { ...body.headers, ...office }, payload: body.payload });
  };
  const projects = () => t.db.selectFrom('projects').select(['name', 'region_code', 'stage', 'total_investment', 'nature']).orderBy('name').execute();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' });
    await buildUnit(t.db, { name: '甪直镇', parentId: root.id, regionCode: '320506', kind: 'township' });
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
    office = await t.login('office1');
  });
  afterAll(async () => t?.close());

  it('reads English headers: the API field names, money with its unit suffix or in yuan', async () => {
    const res = await post('/api/v1/imports/apply', csv([
      'name,region,unit,stage,nature,total_investment_wan',
      '甪直英文表头项目,320506,甪直镇,started,new,1234.5',
    ]));
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<ImportReport>();
    expect(report.sheets[0]!.columns.find((c) => c.field === 'total_investment')).toMatchObject({ header: 'total_investment_wan', unit: '万元', unitSource: 'header' });
    expect(report).toMatchObject({ applied: true, summary: { created: 1, errors: 0 } });
    const yuan = await post('/api/v1/imports/apply', csv(['Project_Name,Region_Code,unit,total_investment', '甪直元为单位项目,320506,甪直镇,5000000']));
    expect(yuan.json<ImportReport>()).toMatchObject({ applied: true, summary: { created: 1 } });
    expect(await projects()).toEqual([
      { name: '甪直元为单位项目', region_code: '320506', stage: 'preliminary', total_investment: 5_000_000, nature: null },
      { name: '甪直英文表头项目', region_code: '320506', stage: 'started', total_investment: 12_345_000, nature: 'new' },
    ]);
  });

  it('lists a repeated name + region pair and, when asked, imports the rest', async () => {
    const file = csv([
      '项目名称,所属地区,责任单位,总投资（万元）',
      '甪直重复项目,吴中区,甪直镇,100',
      '甪直其他项目,吴中区,甪直镇,200',
      '甪直重复项目,吴中区,甪直镇,300',
    ]);
    const refused = (await post('/api/v1/imports/apply', file)).json<ImportReport>();
    expect(refused.applied).toBe(false);
    expect(refused.duplicates).toEqual([{ sheet: 'CSV', rows: [2, 4], name: '甪直重复项目', region: '吴中区', skipped: false }]);
    expect(refused.problems.filter((p) => p.severity === 'error')).toHaveLength(1);
    const applied = (await post('/api/v1/imports/apply?duplicates=skip', file)).json<ImportReport>();
    expect(applied).toMatchObject({ applied: true, summary: { created: 2, skipped: 1, errors: 0 } });
    expect(applied.duplicates).toEqual([{ sheet: 'CSV', rows: [2, 4], name: '甪直重复项目', region: '吴中区', skipped: true }]);
    const stored = await t.db.selectFrom('projects').select('total_investment').where('name', '=', '甪直重复项目').execute();
    expect(stored).toEqual([{ total_investment: 1_000_000 }]);
  });
});
