// Issue 16: the statements the 催报 list and the review queue run for the city, replayed straight on the engine
// (as bench/scenarios.ts does for scenario 9), statement by statement. Usage:
//   node bench/missing-raw.ts DIR [runs] [month ...]   (DATABASE_URL for PostgreSQL; months default to 10)
// Prints per page and month each statement's median wall ms (and this process's CPU ms on SQLite, where the engine
// runs in-process) and the sum: the raw-engine figure to set beside bench/pages-latency.ts's API figure.
import { createDeps } from '../server/deps.ts';
import { systemActor } from '../server/context.ts';
import { createMonthlyReportService } from '../server/modules/reports/index.ts';
import { captureQueries, openRawPostgres, openRawSqlite } from './engines.ts';
import { ownCpuMs, quantile } from './measure.ts';

const dataDir = process.argv[2] ?? '/tmp/p100k';
const runs = Number(process.argv[3] ?? 20);
const months = process.argv.slice(4).map(Number);
const target = { dataDir, databaseUrl: process.env.DATABASE_URL };
const raw = target.databaseUrl ? await openRawPostgres(target.databaseUrl) : openRawSqlite(dataDir);
const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
for (const month of months.length ? months : [10]) {
  for (const page of ['review-queue', 'missing'] as const) {
    const queries = await captureQueries(target, (database) => {
      const reports = createMonthlyReportService(createDeps(database.db));
      return page === 'missing' ? reports.missing(systemActor(), 2026, month, undefined) : reports.reviewQueue(systemActor(), 2026, month, undefined);
    });
    const wall = queries.map(() => [] as number[]);
    const cpu = queries.map(() => [] as number[]);
    for (let i = -2; i < runs; i++) {
      for (const [k, q] of queries.entries()) {
        const t0 = performance.now();
        const c0 = ownCpuMs();
        await raw.replay([q]);
        if (i >= 0) {
          wall[k]!.push(performance.now() - t0);
          cpu[k]!.push(ownCpuMs() - c0);
        }
      }
    }
    const totals = Array.from({ length: runs }, (_, i) => wall.reduce((s, w) => s + w[i]!, 0));
    const cpuTotals = Array.from({ length: runs }, (_, i) => cpu.reduce((s, c) => s + c[i]!, 0));
    console.log(`${page} 2026-${month} (${raw.name}): ${queries.length} statements, raw median ${median(totals).toFixed(2)} ms wall, ${median(cpuTotals).toFixed(2)} ms CPU of this process`);
    for (const [k, q] of queries.entries()) {
      console.log(`  ${median(wall[k]!).toFixed(2).padStart(8)} ms  cpu ${median(cpu[k]!).toFixed(2).padStart(7)}  ${q.sql.replace(/\s+/g, ' ').slice(0, 150)}`);
    }
  }
}
await raw.close();
