// Latency of the project list on a demo database (`docket demo --projects 100000`), through app.inject so that
// validation, session lookup, SQL and serialization are all counted. Usage:
//   node bench/project-list-latency.ts /tmp/p100k [iterations]
// Adds a current-year annual plan to every project that has none, so the Σ annual plan total is real work.
import { sql } from 'kysely';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { quantile } from './measure.ts';

const dataDir = process.argv[2] ?? '/tmp/p100k';
const iterations = Number(process.argv[3] ?? 50);
const year = new Date().getFullYear();

const database = openDatabase({ dataDir, databaseUrl: process.env.DATABASE_URL });
await migrateToLatest(database.db);
const now = new Date().toISOString();
await sql`insert into annual_plans (project_id, year, planned_investment, created_at, updated_at)
  select id, ${year}, total_investment / 5, ${now}, ${now} from projects p
  where not exists (select 1 from annual_plans a where a.project_id = p.id and a.year = ${year})`.execute(database.db);
const config = loadConfig({ dataDir, databaseUrl: process.env.DATABASE_URL, logLevel: 'silent', webDir: '/nonexistent' }, {});
const app = await buildApp(config, database);
await app.ready();
const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'office', password: 'Docket#2026' } });
const cookie = `docket_session=${login.cookies.find((c) => c.name === 'docket_session')!.value}`;

const township = await database.db.selectFrom('regions').select('code').where('parent_code', '=', '320506').orderBy('code').executeTakeFirstOrThrow();
const q = (s: string) => encodeURIComponent(s);
const scenarios: [string, string][] = [
  ['no filter, default sort', '/api/v1/projects'],
  ['county subtree + stage + sort by total desc', '/api/v1/projects?region=320506&stage=started&sort=total_investment&order=desc'],
  ['township subtree + stage + sort by total desc', `/api/v1/projects?region=${township.code}&stage=started&sort=total_investment&order=desc`],
  ['sort by annual plan desc', '/api/v1/projects?sort=annual_planned&order=desc'],
  ['3-char Chinese search (trigram index)', `/api/v1/projects?q=${q('新能源')}`],
  ['3-char Chinese search + region + sort', `/api/v1/projects?q=${q('新能源')}&region=320506&sort=total_investment&order=desc`],
  ['rare 4-char search', `/api/v1/projects?q=${q('集成电路')}&stage=producing`],
  ['pinyin initials search', `/api/v1/projects?q=${q('xnyqc')}`],
  ['2-char search (LIKE fallback)', `/api/v1/projects?q=${q('医药')}`],
  ['two-word search (name and region)', `/api/v1/projects?q=${q('医院 吴中')}`],
  ['page of 20 with 完成率 and 灯色 (period in force)', '/api/v1/projects?page_size=20&progress=current'],
  ['page of 100 with 完成率 and 灯色 (period in force)', '/api/v1/projects?page_size=100&progress=current'],
];

const pct = (xs: number[], p: number) => quantile(xs, p / 100);
console.log(`dialect ${database.dialect}, ${iterations} runs each (after 3 warm-up runs); wall time, and the process's CPU time per request (≈ latency on an idle machine: SQLite runs in-process)`);
for (const [label, url] of scenarios) {
  const times: number[] = [];
  const cpu: number[] = [];
  let body: { totals: { count: number; total_investment: number; annual_planned: number } } | undefined;
  for (let i = 0; i < iterations + 3; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const res = await app.inject({ url, headers: { cookie } });
    const ms = performance.now() - t0;
    const used = process.cpuUsage(c0);
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    if (i >= 3) {
      times.push(ms);
      cpu.push((used.user + used.system) / 1000);
    }
    body = res.json();
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const tot = body!.totals;
  console.log(`${label.padEnd(48)} median ${pct(times, 50).toFixed(1).padStart(6)} ms  p95 ${pct(times, 95).toFixed(1).padStart(6)} ms  (cpu median ${pct(cpu, 50).toFixed(1).padStart(5)} ms, p95 ${pct(cpu, 95).toFixed(1).padStart(5)} ms)  count ${tot.count}  Σtotal ${tot.total_investment}  Σplan ${tot.annual_planned}`);
}
await app.close();
await database.destroy();
