// Bulk writes at office scale (issue 23): the monthly import of every reporting project, submit-all for the city's
// month, and the first indicators / lights read after each. Reusable on its own against a demo database:
//   node bench/bulk-writes.ts --data-dir DIR [--rows N] [--count draft|submitted|approved] [--profile]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import type { DB } from '../server/db/schema.ts';

/** Writes a monthly-progress CSV (项目代码, 项目名称, 所属地区, 本月完成投资) for up to `rows` reporting projects. */
export async function makeMonthlyCsv(db: Kysely<DB>, file: string, spec: { year: number; month: number; rows?: number }): Promise<number> {
  let q = db.selectFrom('projects').select(['id', 'code', 'name', 'region_code'])
    .where('tier', '=', 'implementation').where('deleted_at', 'is', null).where('code', 'is not', null).orderBy('id');
  if (spec.rows) q = q.limit(spec.rows);
  const projects = await q.execute();
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [`${spec.year}年${spec.month}月重点项目进展`, '项目代码,项目名称,所属地区,本月完成投资（万元）,形象进度'];
  for (const p of projects) {
    const wan = ((p.id * 7919) % 50_000) / 100;
    lines.push([p.code ?? '', quote(p.name), p.region_code, wan.toFixed(2), '主体施工'].join(','));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return projects.length;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, rows: { type: 'string' }, count: { type: 'string' } } });
  const { openDatabase } = await import('../server/db/database.ts');
  const { ImportService } = await import('../server/modules/imports/import.service.ts');
  const { ImportRepository } = await import('../server/modules/imports/import.repository.ts');
  const { systemActor } = await import('../server/context.ts');
  const database = openDatabase({ dataDir: values['data-dir']!, databaseUrl: undefined });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'docket-monthly-')), 'monthly.csv');
  const n = await makeMonthlyCsv(database.db, file, { year: 2026, month: 11, rows: values.rows ? Number(values.rows) : undefined });
  const t0 = performance.now();
  const report = await new ImportService(database.db, (e) => new ImportRepository(e)).importFile(systemActor(), fs.readFileSync(file), {
    kind: 'monthly', fileName: 'monthly.csv', dryRun: false, ...(values.count ? { reportStatus: values.count } : {}),
  } as Parameters<InstanceType<typeof ImportService>['importFile']>[2]);
  console.log(JSON.stringify({ rows: n, seconds: (performance.now() - t0) / 1000, summary: report.summary, phaseMs: report.phaseMs, problems: report.problems.slice(0, 5) }));
  await database.destroy();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
