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
import { realShapedCountyWorkbook } from '../test/fixtures/first-day-workbooks.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const rows = Number(arg('--rows') ?? 1000);
// The office's list as it sends it: title, 单位 note, two-row merged header, 合计 row, group headings, 1-5月 column.
const { file, plan, ytd } = await realShapedCountyWorkbook(rows);

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
const ind = await step('dashboard', () => createIndicatorService(createDeps(database.db)).getIndicators(systemActor(), { year: 2025, month: 5 } as never));
const total = Math.round(performance.now() - start);
console.log(JSON.stringify({
  rows, engine: database.dialect, ms: t, totalMs: total, errors: dry.summary.errors + applied.summary.errors, created: applied.summary.created,
  units: dry.proposals?.units.length, completion: ind.indicators.completion_rate.text, expected: (ytd / plan * 100).toFixed(1),
}));
await database.destroy();
fs.rmSync(dataDir, { recursive: true, force: true });
