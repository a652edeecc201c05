// Latency of GET /api/v1/lights on a demo database (`docket demo --projects 100000 --as-of 2026-11-23`), through
// app.inject so that validation, session lookup, SQL, judging and serialization are all counted. Usage:
//   node bench/lights-latency.ts /tmp/p100k [iterations]
// Prints wall and CPU time per request (median, p95) for a county and the whole city, the first request separately
// (with light snapshots: the one that fills the month), and a digest of each answer so that two builds can be
// compared for identical results.
import { createHash } from 'node:crypto';
import os from 'node:os';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { quantile } from './measure.ts';

const dataDir = process.argv[2] ?? '/tmp/p100k';
const iterations = Number(process.argv[3] ?? 30);

const database = openDatabase({ dataDir, databaseUrl: process.env.DATABASE_URL });
await migrateToLatest(database.db);
const config = loadConfig({ dataDir, databaseUrl: process.env.DATABASE_URL, logLevel: 'silent', webDir: '/nonexistent' }, {});
const app = await buildApp(config, database);
await app.ready();
const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'office', password: 'Docket#2026' } });
const cookie = `docket_session=${login.cookies.find((c) => c.name === 'docket_session')!.value}`;

const scenarios: [string, string][] = [
  ['county 320506, red+yellow page', '/api/v1/lights?region=320506&year=2026&month=10'],
  ['city 320500, red+yellow page', '/api/v1/lights?region=320500&year=2026&month=10'],
  ['city, month 6, start dimension', '/api/v1/lights?region=320500&year=2026&month=6&dimension=start&page=3'],
  ['city, search 新能源', `/api/v1/lights?region=320500&year=2026&month=10&q=${encodeURIComponent('新能源')}`],
  ['city, search xnyqc', '/api/v1/lights?region=320500&year=2026&month=10&q=xnyqc'],
];

const pct = (xs: number[], p: number) => quantile(xs, p / 100);
console.log(`dialect ${database.dialect}, load average ${os.loadavg().map((v) => v.toFixed(2)).join(' / ')}; ${iterations} runs each after the first`);
for (const [label, url] of scenarios) {
  const times: number[] = [];
  const cpu: number[] = [];
  let first = 0;
  let firstCpu = 0;
  let digest = '';
  let counts = '';
  for (let i = 0; i <= iterations; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const res = await app.inject({ url, headers: { cookie } });
    const ms = performance.now() - t0;
    const used = process.cpuUsage(c0);
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    if (i === 0) {
      first = ms;
      firstCpu = (used.user + used.system) / 1000;
      digest = createHash('sha256').update(res.body).digest('hex').slice(0, 16);
      const body = res.json<{ counts: unknown; total: number }>();
      counts = `${JSON.stringify(body.counts)} listed ${body.total}`;
    } else {
      times.push(ms);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(`${label.padEnd(34)} first ${first.toFixed(0).padStart(6)} ms (cpu ${firstCpu.toFixed(0)} ms)  median ${pct(times, 50).toFixed(1).padStart(7)} ms  p95 ${pct(times, 95).toFixed(1).padStart(7)} ms  cpu median ${pct(cpu, 50).toFixed(1).padStart(7)} ms  p95 ${pct(cpu, 95).toFixed(1).padStart(7)} ms  ${counts}  body ${digest}`);
}
console.log(`load average at end ${os.loadavg().map((v) => v.toFixed(2)).join(' / ')}`);
await app.close();
await database.destroy();
