// Issue 23: how the bulk writes' CPU grows with the rows, in process (no HTTP server), for profiling with
// `node --cpu-prof`. Builds (or copies) a demo portfolio, then runs the bench's scenario 8 in order: December opened
// and imported counted, November imported as drafts for the projects without a November report, submit-all of
// November. Prints wall and CPU seconds of each, and CPU per row.
//   node bench/bulk-scaling.ts --projects 10000 [--data-dir DIR] [--keep] [--only counted,drafts,submit] [--warm 11,12]
// --warm fills those months' light snapshots first, as a running server's warm-up keeps this month and the last.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createDeps } from '../server/deps.ts';
import { systemActor } from '../server/context.ts';
import { createImportService } from '../server/modules/imports/index.ts';
import { createMonthlyReportService, createPeriodService } from '../server/modules/reports/index.ts';
import { createLightService } from '../server/modules/lights/index.ts';
import { buildSqlite } from './portfolio.ts';
import { makeMonthlyCsv } from './bulk-writes.ts';

const { values } = parseArgs({
  options: {
    projects: { type: 'string', default: '10000' }, 'data-dir': { type: 'string' }, keep: { type: 'boolean', default: false },
    only: { type: 'string', default: 'counted,drafts,submit' }, warm: { type: 'string' },
  },
});
const only = new Set(values.only.split(','));
let dataDir = values['data-dir'];
if (!dataDir) {
  const built = await buildSqlite({ projects: Number(values.projects), seed: 1, asOf: '2026-11-23' });
  console.log(`built ${values.projects} projects in ${built.buildSeconds.toFixed(1)} s: ${built.dataDir}`);
  dataDir = built.dataDir;
}
const database = openDatabase({ dataDir, databaseUrl: undefined });
// A stored portfolio may predate the latest migrations (the server applies them at start; so does this run).
await migrateToLatest(database.db);
const deps = createDeps(database.db);
const actor = systemActor();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-scaling-'));
const measure = async <T>(name: string, fn: () => Promise<T>, rows: () => number) => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = await fn();
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  const n = rows();
  console.log(JSON.stringify({ name, rows: n, wall_s: Math.round((performance.now() - t0) / 100) / 10, cpu_s: Math.round(cpu * 10) / 10, cpu_us_per_row: n ? Math.round(cpu * 1e6 / n) : null }));
  return result;
};
const year = 2026;
if (values.warm) {
  const lights = createLightService(deps);
  for (const m of values.warm.split(',').map(Number)) await measure(`warm lights ${m}`, () => lights.ensureSnapshots(year, m), () => 0);
}
const importMonth = async (month: number, status: 'submitted' | 'draft', withoutReport: boolean) => {
  const file = path.join(dir, `m${month}.csv`);
  const n = await makeMonthlyCsv(database.db, file, { year, month, withoutReport });
  const r = await measure(`import ${status} ${month}`, () => createImportService(deps).importFile(actor, fs.readFileSync(file), {
    kind: 'monthly', fileName: file, dryRun: false, reportStatus: status, duplicates: 'skip',
  }), () => n);
  if (!r.applied) console.log(JSON.stringify(r.problems.slice(0, 3)));
  console.log('  phases', JSON.stringify(r.phaseMs), JSON.stringify(r.summary));
};
if (only.has('counted')) {
  await createPeriodService(deps).updatePeriod(actor, year, 12, { status: 'open' });
  await importMonth(12, 'submitted', false);
}
if (only.has('drafts')) await importMonth(11, 'draft', true);
if (only.has('submit')) {
  let n = 0;
  await measure('submit-all 11', async () => {
    n = (await createMonthlyReportService(deps).submitAll(actor, year, 11, undefined)).submitted;
  }, () => n);
}
await database.destroy();
fs.rmSync(dir, { recursive: true, force: true });
if (!values.keep && !values['data-dir']) fs.rmSync(dataDir, { recursive: true, force: true });
