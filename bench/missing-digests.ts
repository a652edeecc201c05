// Issue 16: the 催报 list's answers for several scopes and months, as sha-256 digests of the body, to compare two
// builds on the same demo database (bench/portfolio.ts). Usage:
//   node bench/missing-digests.ts DIR   (DATABASE_URL for PostgreSQL)
// September's deadline is first moved to 2026-09-23 (a write to the database it is given), so that the answers
// also carry late submitters: the demo submits every report on or before the deadline day.
import { createHash } from 'node:crypto';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';

const dataDir = process.argv[2] ?? '/tmp/p100k';
const database = openDatabase({ dataDir, databaseUrl: process.env.DATABASE_URL });
await migrateToLatest(database.db);
await database.db.updateTable('reporting_periods').set({ deadline: '2026-09-23' }).where('year', '=', 2026).where('month', '=', 9).execute();
const config = loadConfig({ dataDir, databaseUrl: process.env.DATABASE_URL, logLevel: 'silent', webDir: '/nonexistent' }, {});
const app = await buildApp(config, database);
await app.ready();
const cookieOf = async (username: string) => {
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'Docket#2026' } });
  return `docket_session=${login.cookies.find((c) => c.name === 'docket_session')!.value}`;
};
const office = await cookieOf('office');
const reporter = await cookieOf('reporter');
// unit 12: a county's 发改局 and its subtree (吴中区); unit 33: one unit; the reporter: its own unit's scope.
for (const month of [9, 10, 11]) {
  for (const [label, cookie, query] of [['city', office, ''], ['county unit 12', office, '?unit=12'], ['unit 33', office, '?unit=33'], ['reporter', reporter, '']] as const) {
    const t0 = performance.now();
    const res = await app.inject({ url: `/api/v1/reporting/periods/2026/${month}/missing${query}`, headers: { cookie } });
    const ms = performance.now() - t0;
    if (res.statusCode !== 200) throw new Error(`${month} ${label}: ${res.statusCode} ${res.body}`);
    const body = res.json<{ units: Array<{ missing_count: number; late_count: number }> }>();
    const missing = body.units.reduce((s, u) => s + u.missing_count, 0);
    const late = body.units.reduce((s, u) => s + u.late_count, 0);
    console.log(`2026-${month} ${label.padEnd(15)} ${createHash('sha256').update(res.body).digest('hex').slice(0, 16)} ${String(res.body.length).padStart(8)} B  units ${body.units.length} missing ${missing} late ${late}  ${ms.toFixed(0)} ms`);
  }
}
await app.close();
await database.destroy();
