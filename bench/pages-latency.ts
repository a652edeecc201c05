// Issue 16's pages on a demo database (bench/portfolio.ts, or `docket demo --projects 100000 --as-of 2026-11-23`),
// through app.inject so that validation, session lookup, SQL and serialization are all counted. Usage:
//   node bench/pages-latency.ts DIR [iterations]   (DATABASE_URL for PostgreSQL; PAGES=list,review to pick pages)
// Prints per page the median and p95 wall time, the CPU this process spent per request (load-independent on
// SQLite; PostgreSQL's own CPU is in its server process), the answer's size and a digest (to compare two builds).
import { createHash } from 'node:crypto';
import os from 'node:os';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { quantile } from './measure.ts';

const dataDir = process.argv[2] ?? '/tmp/p100k';
const iterations = Number(process.argv[3] ?? 20);

const database = openDatabase({ dataDir, databaseUrl: process.env.DATABASE_URL });
await migrateToLatest(database.db);
const config = loadConfig({ dataDir, databaseUrl: process.env.DATABASE_URL, logLevel: 'silent', webDir: '/nonexistent' }, {});
const app = await buildApp(config, database);
await app.ready();
const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'office', password: 'Docket#2026' } });
const cookie = `docket_session=${login.cookies.find((c) => c.name === 'docket_session')!.value}`;

const q = encodeURIComponent;
const only = process.env.PAGES?.split(',');
const scenarios: [string, string][] = ([
  ['list city, started, by total', '/api/v1/projects?region=320500&stage=started&sort=total_investment&order=desc&page_size=50'],
  ['list county, started, by total', '/api/v1/projects?region=320506&stage=started&sort=total_investment&order=desc&page_size=50'],
  ['list city, all fields', '/api/v1/projects?region=320500&stage=started&sort=total_investment&order=desc&page_size=50&fields=all'],
  ['search city 新能源', `/api/v1/projects?region=320500&q=${q('新能源')}&page_size=50`],
  ['search city xnyqc', '/api/v1/projects?region=320500&q=xnyqc&page_size=50'],
  ['review queue city 2026-10', '/api/v1/reporting/periods/2026/10/review-queue'],
  ['催报 city 2026-10', '/api/v1/reporting/periods/2026/10/missing'],
  // What the 催报 tab asks for at month end (nothing reported yet): one page of owing units, five names each. A build
  // without paging ignores the page and answers every unit with every missing project (7.3 MB at 100k).
  ['催报 city 2026-11, tab page', '/api/v1/reporting/periods/2026/11/missing?page=1&page_size=50&per_unit=5'],
] as [string, string][]).filter(([label]) => !only || only.some((o) => label.startsWith(o)));

const pct = (xs: number[], p: number) => quantile(xs, p / 100);
console.log(`dialect ${database.dialect}, load average ${os.loadavg().map((v) => v.toFixed(2)).join(' / ')}; ${iterations} runs each after 2 warm-ups`);
for (const [label, url] of scenarios) {
  const times: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  let digest = '';
  for (let i = -2; i < iterations; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const res = await app.inject({ url, headers: { cookie } });
    const ms = performance.now() - t0;
    const used = process.cpuUsage(c0);
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    bytes = Buffer.byteLength(res.body);
    digest = createHash('sha256').update(res.body).digest('hex').slice(0, 12);
    if (i >= 0) {
      times.push(ms);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(`${label.padEnd(32)} median ${pct(times, 50).toFixed(1).padStart(7)} ms  p95 ${pct(times, 95).toFixed(1).padStart(7)} ms  cpu ${pct(cpu, 50).toFixed(1).padStart(7)} ms  ${(bytes / 1024).toFixed(1).padStart(6)} KB  ${digest}`);
}
console.log(`load average at end ${os.loadavg().map((v) => v.toFixed(2)).join(' / ')}`);
await app.close();
await database.destroy();
