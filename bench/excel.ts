// Excel benchmark: 100k-row import (dry run, apply, re-import) and 100k-row export on SQLite, each phase in a
// fresh process so that peak RSS is its own.
//   node bench/excel.ts [--rows 100000] [--dir /tmp/docket-bench-excel] [--base DATA_DIR]
// --base copies an existing SQLite data directory (e.g. one filled by `docket demo --projects 100k`) first, to measure
// the import against a large portfolio; without it the database holds the demo units and one project.
// Prints one JSON line per phase: wall ms, CPU ms (user+sys, stable on a busy machine) and peak RSS.
import { createDeps } from '../server/deps.ts';
import { createImportService } from '../server/modules/imports/index.ts';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { systemActor } from '../server/context.ts';
import { generateDemo } from '../server/modules/demo/index.ts';
import { createExportService } from '../server/modules/exports/index.ts';
import { makeProjectWorkbook } from './make-workbook.ts';

const { values } = parseArgs({ options: {
  rows: { type: 'string', default: '100000' }, dir: { type: 'string', default: '/tmp/docket-bench-excel' }, phase: { type: 'string' },
  base: { type: 'string' }, phases: { type: 'string', default: 'dry-run,apply,reimport,export' },
} });
const dir = values.dir;
const file = path.join(dir, `projects-${values.rows}.xlsx`);

async function phase(name: string): Promise<Record<string, unknown>> {
  const database = openDatabase({ dataDir: path.join(dir, 'data'), databaseUrl: undefined });
  try {
    const started = Date.now();
    const cpu = process.cpuUsage();
    let extra: Record<string, unknown> = {};
    if (name === 'export') {
      const out = fs.createWriteStream(path.join(dir, 'export.xlsx'));
      const done = new Promise<void>((resolve) => out.on('finish', () => resolve()));
      const r = await createExportService({ db: database.db }).exportProjects(systemActor(), {}, out);
      await done;
      extra = { rows: r.rows, bytes: fs.statSync(path.join(dir, 'export.xlsx')).size };
    } else {
      const service = createImportService(createDeps(database.db));
      const report = await service.importFile(systemActor(), fs.readFileSync(file), { kind: 'projects', fileName: path.basename(file), dryRun: name === 'dry-run' });
      extra = { reader: report.reader, phaseMs: report.phaseMs, ...report.summary, applied: report.applied };
    }
    const c = process.cpuUsage(cpu);
    return {
      phase: name, wallMs: Date.now() - started, cpuMs: Math.round((c.user + c.system) / 1000), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      // The heap at the end: what the JavaScript side still holds (the peak RSS also counts SQLite's cache and pages).
      heapMb: Math.round(process.memoryUsage().heapUsed / 1024 / 1024), ...extra,
    };
  } finally {
    await database.destroy();
  }
}

if (values.phase) {
  console.log(JSON.stringify(await phase(values.phase)));
} else {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  if (values.base) fs.cpSync(values.base, path.join(dir, 'data'), { recursive: true });
  const database = openDatabase({ dataDir: path.join(dir, 'data'), databaseUrl: undefined });
  await migrateToLatest(database.db);
  const existing = await database.db.selectFrom('projects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (!values.base) await generateDemo(database, { projects: 1, seed: 1 });
  const units = (await database.db.selectFrom('units').select('name').where('kind', '=', 'township').execute()).map((u) => u.name);
  await database.destroy();
  await makeProjectWorkbook(file, { rows: Number(values.rows), units, region: '吴中区' });
  console.log(JSON.stringify({ existingProjects: Number(existing.n), workbook: file, megabytes: +(fs.statSync(file).size / 1024 / 1024).toFixed(1), loadavg: (await import('node:os')).loadavg().map((x) => +x.toFixed(1)) }));
  for (const name of values.phases.split(',')) {
    process.stdout.write(execFileSync(process.execPath, [import.meta.filename, '--phase', name, '--rows', values.rows, '--dir', dir], { encoding: 'utf8' }));
  }
}
