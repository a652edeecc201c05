import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../test/db.ts';
import { buildUnit } from '../test/factories.ts';
import { buildWorkbook } from '../test/workbooks.ts';

const bin = path.resolve(import.meta.dirname, '..', 'bin', 'docket.js');

const HEADER = ['序号', '项目名称', '招商小分队', '所属地区', '所属产业', '投资方', '当前阶段', '意向投资额（万元）', '签约额（万元）', '合同外资（万美元）', '计划总投资（万元）', '实际到资（万元）',
  '线索日期', '在谈日期', '签约日期', '过审日期', '落地日期', '开工日期', '投产日期', '评审机构', '注册企业', '统一社会信用代码', '终止情况'];
const signed = (n: number, name: string, team: string, amountWan: number, on: string) =>
  [n, name, team, null, '新能源', '某集团', '签约', amountWan, amountWan, null, null, null, '2026-01-05', '2026-02-01', on, null, null, null, null, null, null, null, null];

// `docket import FILE --kind leads` and `docket attraction figures` (issue 21), spawned as an office runs them, on
// each database (DATABASE_URL for PostgreSQL). DOCKET_NOW fixes "today" for the ledger's date checks and the figures.
describe.each(DIALECTS)('docket import --kind leads and docket attraction figures on %s', { timeout: 240_000 }, (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, '--data-dir', database.dataDir, ...args], {
    encoding: 'utf8', env: { ...process.env, DATABASE_URL: database.url ?? '', DOCKET_NOW: '2026-06-15T10:00:00+08:00' },
  });
  const ledger = async (name: string, rows: unknown[][]) => {
    const file = path.join(database.dataDir, name);
    fs.writeFileSync(file, await buildWorkbook([{ name: '招商项目台账', rows: [['招商引资项目台账'], HEADER, ...rows] as never }]));
    return file;
  };
  const count = async () => Number((await database.db.selectFrom('attraction_leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const root = await buildUnit(database.db, { name: '吴中区商务局', kind: 'office', regionCode: '320506' });
    await buildUnit(database.db, { name: 'CLI招商一组', parentId: root.id, regionCode: '320506' });
    await buildUnit(database.db, { name: 'CLI招商二组', parentId: root.id, regionCode: '320506' });
  });
  afterAll(async () => database?.destroy());

  it('refuses a ledger with a bad cell by row and column and writes nothing; a dry run writes nothing; then imports', async () => {
    const bad = await ledger('bad.xlsx', [signed(1, 'CLI导入甲项目', 'CLI招商一组', 150_000, '2026-03-10'), signed(2, 'CLI导入乙项目', '不存在的小分队', 5_000, '2026-02-15')]);
    const refused = run('import', bad, '--kind', 'leads');
    expect(refused.status, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stdout).toContain('未导入（存在错误，未写入任何数据）');
    expect(refused.stdout).toContain('错误  招商项目台账 第4行 C列：招商小分队（责任单位）“不存在的小分队”不存在或不在您的数据范围内');
    expect(await count()).toBe(0);

    const good = await ledger('good.xlsx', [signed(1, 'CLI导入甲项目', 'CLI招商一组', 150_000, '2026-03-10'), signed(2, 'CLI导入乙项目', 'CLI招商二组', 5_000, '2026-02-15')]);
    const dry = run('import', good, '--kind', 'leads', '--dry-run');
    expect(dry.status, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain('试导入（未写入）: 新增 2');
    expect(await count()).toBe(0);
    const applied = run('import', good, '--kind', 'leads');
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('已导入: 新增 2');
    expect(await count()).toBe(2);
    const stored = await database.db.selectFrom('attraction_leads').select(['name', 'stage', 'signed_amount']).where('name', '=', 'CLI导入甲项目').executeTakeFirstOrThrow();
    expect({ ...stored, signed_amount: Number(stored.signed_amount) }).toEqual({ name: 'CLI导入甲项目', stage: 'signed', signed_amount: 1_500_000_000 });
    // The same ledger again changes nothing.
    expect(run('import', good, '--kind', 'leads').stdout).toContain('新增 0，更新 0，无变化 2');
  });

  it('prints the quarter\'s figures by team as a table and as JSON, and refuses a bad option', () => {
    const table = run('attraction', 'figures', '--year', '2026', '--quarter', '1');
    expect(table.status, table.stdout + table.stderr).toBe(0);
    expect(table.stdout).toContain('招商引资统计 2026-01-01 至 2026-03-31');
    // 甲: 15亿 signed (亿元以上); 乙: 0.5亿. Signed count, amount (亿元), 亿元以上 count and amount, starts, production.
    expect(table.stdout).toContain('CLI招商一组\t1\t15.00\t1\t15.00\t0\t0');
    expect(table.stdout).toContain('CLI招商二组\t1\t0.50\t0\t0.00\t0\t0');
    expect(table.stdout).toMatch(/合计\t2\t15\.50\t1\t15\.00\t0\t0/);
    const json = run('attraction', 'figures', '--year', '2026', '--quarter', '1', '--json');
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).total).toMatchObject({ signed_count: 2, signed_amount: 1_550_000_000, signed_big_count: 1, signed_big_amount: 1_500_000_000 });

    const badGroup = run('attraction', 'figures', '--year', '2026', '--group-by', 'colour');
    expect(badGroup.status).toBe(1);
    expect(badGroup.stderr).toContain('--group-by 只能是 team、region、industry 或 month');
    const badYear = run('attraction', 'figures', '--year', '1999');
    expect(badYear.status).toBe(1);
    expect(badYear.stderr).toContain('--year 应为 2000-2100 的年份');
  });
});
