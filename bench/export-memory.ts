// Time, CPU and memory of one streamed export on a demo database (`docket demo --projects 100k`), through a real
// listening server and curl in its own process discarding the bytes (so only the server's memory is sampled). Usage:
//   node bench/export-memory.ts DATA_DIR [PATH]     (PATH default: the 月度进展表 of all 100k projects, 2026-10)
// RssFile is SQLite's mmap and page cache (file-backed, reclaimable); RssAnon is what the export itself allocates.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';

const dataDir = process.argv[2] ?? '/tmp/p100k';
const path = process.argv[3] ?? '/api/v1/exports/monthly-progress.xlsx?year=2026&month=10&tier=idea,reserve,implementation,withdrawn';

/** RSS split into anonymous and file-backed pages, in MB (Linux). */
function rssParts(): { anon: number; file: number } {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { anon: kb('RssAnon'), file: kb('RssFile') + kb('RssShmem') };
}
const mb = (n: number) => Math.round(n / 1024 / 1024);

const database = openDatabase({ dataDir, databaseUrl: process.env.DATABASE_URL });
await migrateToLatest(database.db);
const config = loadConfig({ dataDir, databaseUrl: process.env.DATABASE_URL, logLevel: 'silent', webDir: '/nonexistent' }, {});
const app = await buildApp(config, database);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'office', password: 'Docket#2026' }) });
const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

globalThis.gc?.();
const before = { ...process.memoryUsage(), ...rssParts() };
const peak = { rss: before.rss, heapUsed: before.heapUsed, external: before.external, anon: before.anon, file: before.file };
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  const p = rssParts();
  peak.rss = Math.max(peak.rss, m.rss);
  peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
  peak.external = Math.max(peak.external, m.external);
  peak.anon = Math.max(peak.anon, p.anon);
  peak.file = Math.max(peak.file, p.file);
}, 20);
const loadBefore = os.loadavg();
const cpu = process.cpuUsage();
const t0 = performance.now();
const curl = spawn('curl', ['-sS', '-f', '-o', '/dev/null', '-w', '%{size_download}', '-H', `cookie: ${cookie}`, base + path]);
let written = '';
curl.stdout.on('data', (d: Buffer) => { written += d.toString(); });
const code = await new Promise<number | null>((resolve) => curl.on('close', resolve));
if (code !== 0) throw new Error(`curl exited with ${code}`);
const bytes = Number(written);
const seconds = (performance.now() - t0) / 1000;
const used = process.cpuUsage(cpu);
clearInterval(sampler);
console.log(JSON.stringify({
  path, workbook_mb: Math.round(bytes / 1e5) / 10, wall_s: Math.round(seconds * 100) / 100,
  cpu_user_s: Math.round(used.user / 1e4) / 100, cpu_system_s: Math.round(used.system / 1e4) / 100,
  load_avg_before: loadBefore.map((l) => Math.round(l * 100) / 100), load_avg_after: os.loadavg().map((l) => Math.round(l * 100) / 100),
  rss_mb: { before: mb(before.rss), peak: mb(peak.rss) },
  rss_anon_mb: { before: Math.round(before.anon), peak: Math.round(peak.anon) },
  rss_file_mb: { before: Math.round(before.file), peak: Math.round(peak.file) },
  heap_used_mb: { before: mb(before.heapUsed), peak: mb(peak.heapUsed) },
  external_mb: { before: mb(before.external), peak: mb(peak.external) },
}, null, 2));
await app.close();
await database.destroy();
