// Time from an empty install to the dashboard's figures for an office's own 1,000-row list (issue 12):
// migrate (division tree) → init → dry run → apply with the missing units → the dashboard's indicator call.
// Run: node bench/first-day.ts [--rows 1000] [--pg URL]
import { createDeps } from '../server/deps.ts';
import { createImportService } from '../server/modules/imports/index.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { systemActor } from '../server/context.ts';
import { createSystemService } from '../server/modules/system/index.ts';
import { createIndicatorService } from '../server/modules/indicators/index.ts';
import { buildWorkbook } from '../test/workbooks.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const rows = Number(arg('--rows') ?? 1000);
const places = ['城关镇', '盛乐镇', '新店子镇', '巧什营镇', '县直', '舍必崖乡', '大红城乡', '羊群沟乡', '黑老夭乡'];
const units = ['县住房和城乡建设局', '县交通运输局', '县教育局', '县卫生健康局', '县水利局', '县农牧局', '县工业和信息化局', '和林格尔县城投集团有限公司',
  ...places.filter((p) => p !== '县直').map((p) => `${p}人民政府`)];

const body: (string | number | null)[][] = [];
let plan = 0;
let ytd = 0;
for (let i = 0; i < rows; i++) {
  const p = 1_000 + (i * 37) % 9_000;
  const y = Math.floor(p * ((i * 13) % 90) / 100);
  plan += p;
  ytd += y;
  body.push([i + 1, `第${i + 1}号重点项目`, i % 3 ? '续建' : '新建', places[i % places.length]!, units[i % units.length]!, i % 5 ? '县重点' : '省重点、市重点', p * 4, p, y, '施工中',
    i % 3 ? null : `2025-${String(1 + (i % 12)).padStart(2, '0')}`]);
}
const file = await buildWorkbook([{
  name: '2025年1-5月',
  rows: [['和林格尔县2025年县重点项目1-5月建设进度表'], ['单位：万元'],
    ['序号', '项目名称', '建设性质', '所属乡镇', '责任单位', '项目级别', '总投资', '2025年计划投资', '1-5月累计完成投资', '形象进度', '计划开工时间'], ...body],
}]);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-first-day-bench-'));
const database = openDatabase({ dataDir, databaseUrl: arg('--pg') });
const t: Record<string, number> = {};
const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  const s = performance.now();
  const r = await fn();
  t[name] = Math.round(performance.now() - s);
  return r;
};
const start = performance.now();
await step('migrate', () => migrateToLatest(database.db));
await step('init', () => createSystemService(createDeps(database.db)).configure(systemActor(), { office_name: '和林格尔县发展和改革局', region_code: '150123' }));
const service = createImportService(createDeps(database.db));
const dry = await step('dryRun', () => service.importFile(systemActor(), file, { kind: 'projects', fileName: 'list.xlsx', dryRun: true, createMissing: true }));
const applied = await step('apply', () => service.importFile(systemActor(), file, { kind: 'projects', fileName: 'list.xlsx', dryRun: false, createMissing: true }));
const ind = await step('dashboard', () => createIndicatorService(database).getIndicators(systemActor(), { year: 2025, month: 5 } as never));
const total = Math.round(performance.now() - start);
console.log(JSON.stringify({
  rows, engine: database.dialect, ms: t, totalMs: total, errors: dry.summary.errors + applied.summary.errors, created: applied.summary.created,
  units: dry.proposals?.units.length, completion: ind.indicators.completion_rate.text, expected: (ytd / plan * 100).toFixed(1),
}));
await database.destroy();
fs.rmSync(dataDir, { recursive: true, force: true });
