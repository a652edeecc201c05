// Issue 16: what the project_list_totals triggers (migration 2026-12-12-50) cost each write. On a built portfolio
// (bench/portfolio.ts or `docket demo`), inside one transaction that is rolled back (the database is left as it
// was), N single-row writes of each kind are timed with the triggers, then again after dropping them (in the same
// transaction). Usage:
//   node bench/list-totals-writes.ts DIR [N]     (DATABASE_URL for PostgreSQL)
// Prints µs per write (wall, and this process's CPU — on SQLite the engine's CPU, on PostgreSQL only the client's).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';

const dataDir = process.argv[2] ?? '/tmp/p100k';
const n = Number(process.argv[3] ?? 2000);
const url = process.env.DATABASE_URL;

interface Runner { run(sql: string, params: unknown[]): Promise<void>; all<T>(sql: string): Promise<T[]>; exec(sql: string): Promise<void> }

async function open(): Promise<Runner & { close(): Promise<void> }> {
  if (url) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const dollar = (s: string) => { let i = 0; return s.replace(/\?/g, () => `$${++i}`); };
    return {
      run: async (s, p) => { await c.query(dollar(s), p); },
      all: async <T>(s: string) => (await c.query(s)).rows as T[],
      exec: async (s) => { await c.query(s); },
      close: () => c.end(),
    };
  }
  const db = new Database(`${dataDir}/docket.db`);
  const cache = new Map<string, Database.Statement>();
  const prep = (s: string) => cache.get(s) ?? cache.set(s, db.prepare(s)).get(s)!;
  return {
    run: (s, p) => { prep(s).run(...p); return Promise.resolve(); },
    all: <T>(s: string) => Promise.resolve(db.prepare(s).all() as T[]),
    exec: (s) => { db.exec(s); return Promise.resolve(); },
    close: () => { db.close(); return Promise.resolve(); },
  };
}

const db = await open();
const ids = (await db.all<{ id: number }>(`select id from projects where deleted_at is null order by id limit ${n}`)).map((r) => Number(r.id));
const planned = (await db.all<{ project_id: number }>(`select project_id from annual_plans where year = 2026 order by project_id limit ${n}`)).map((r) => Number(r.project_id));
const stages = ['preliminary', 'started'];
const kinds: Array<[string, (i: number) => [string, unknown[]]]> = [
  ['project total_investment', (i) => ['update projects set total_investment = total_investment + 1 where id = ?', [ids[i]]]],
  ['project stage', (i) => ['update projects set stage = ? where id = ?', [stages[i % 2], ids[i]]]],
  ['project name (no key column)', (i) => ['update projects set name = name where id = ?', [ids[i]]]],
  ['plan planned_investment', (i) => ['update annual_plans set planned_investment = planned_investment + 1 where project_id = ? and year = 2026', [planned[i]]]],
  ['plan insert (year 2031)', (i) => ['insert into annual_plans (project_id, year, planned_investment, created_at, updated_at) values (?, 2031, 1000, \'2026-12-07\', \'2026-12-07\')', [ids[i]]]],
  ['plan delete (year 2031)', (i) => ['delete from annual_plans where project_id = ? and year = 2031', [ids[i]]]],
];
const TRIGGERS = url
  ? ['list_totals_project_ai on projects', 'list_totals_project_bd on projects', 'list_totals_project_au on projects', 'list_totals_plan_aid on annual_plans', 'list_totals_plan_au on annual_plans']
  : ['list_totals_project_ai', 'list_totals_project_bd', 'list_totals_project_au', 'list_totals_plan_ai', 'list_totals_plan_ad', 'list_totals_plan_au'];

const results: Record<string, Record<string, string>> = {};
await db.exec('begin');
try {
  for (const phase of ['with triggers', 'without']) {
    if (phase === 'without') for (const t of TRIGGERS) await db.exec(`drop trigger ${t}`);
    for (const [label, make] of kinds) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let i = 0; i < ids.length; i++) { const [s, p] = make(i); await db.run(s, p); }
      const cpu = process.cpuUsage(c0);
      const us = ((performance.now() - t0) * 1000) / ids.length;
      (results[label] ??= {})[phase] = `${us.toFixed(1)} µs (cpu ${(((cpu.user + cpu.system)) / ids.length).toFixed(1)})`;
    }
  }
} finally {
  await db.exec('rollback');
  await db.close();
}
console.log(`${url ? 'postgres' : 'sqlite'}, ${ids.length} writes of each kind in one transaction (rolled back), load average ${os.loadavg().map((v) => v.toFixed(2)).join(' / ')}`);
console.table(results);
