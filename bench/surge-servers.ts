// The month-end surge (scenario 5) with one or several `docket serve` processes over one database (issue 16: writes
// that scale across servers). Each run starts from a fresh copy of the portfolio, spreads autocannon's connections
// over the servers (one shared queue of projects), stops after --seconds, then checks that every acknowledged
// submission is stored as submitted and that `docket audit verify` passes.
//
//   node bench/surge-servers.ts [--pg] [--size 10k|100k] [--portfolio DIR] [--servers 1,3] [--seconds 10]
//                               [--connections 40] [--units 40] [--repeat 1]
//
// SQLite: the portfolio is built (or copied from --portfolio, as bench/run.ts does) into a fresh folder per run.
// PostgreSQL: an embedded server (fsync off, as bench/run.ts), the portfolio built once into a template database
// and each run on `CREATE DATABASE … TEMPLATE` of it. With --pg, pg_stat_activity is sampled every 100 ms during
// the surge: what the servers' connections wait on (the audit chain's head lock showed up here).
// DOCKET_BENCH_NODE_ARGS (e.g. --cpu-prof) and DOCKET_BENCH_SQL_PROFILE reach the servers as for bench/run.ts.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildPostgres, buildSqlite } from './portfolio.ts';
import { login, startServer, type RunningServer } from './server.ts';
import { cpuMsOf, quantile, waitForIdle } from './measure.ts';
import { prepareSurge } from './surge.ts';
import type { ScenarioContext } from './scenarios.ts';

const SIZES: Record<string, number> = { '1k': 1_000, '10k': 10_000, '100k': 100_000 };
const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    pg: { type: 'boolean', default: false },
    size: { type: 'string', default: '10k' },
    portfolio: { type: 'string' },
    servers: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '40' },
    units: { type: 'string', default: '40' },
    repeat: { type: 'string', default: '1' },
  },
});
const projects: number = SIZES[values.size.toLowerCase()] ?? 0;
if (!projects) throw new Error(`--size: ${Object.keys(SIZES).join(' | ')}`);
const seconds = Number(values.seconds);
const connections = Number(values.connections);

/** Runs `docket audit verify` over the database; true when the chain is intact. */
function auditVerify(dataDir: string, databaseUrl: string | undefined): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/docket.js'), '--data-dir', dataDir, 'audit', 'verify'], { env: { ...process.env, DATABASE_URL: databaseUrl ?? '' } },
      (err, stdout, stderr) => resolve({ ok: !err, out: `${stdout}${stderr}`.trim().split('\n').slice(-3).join(' | ') }));
  });
}

/** Samples what the database's active connections wait on, every 100 ms, until stopped. */
function sampleWaits(url: string): { stop(): Promise<{ samples: number; avgActive: number; waits: Record<string, number> }> } {
  const client = new pg.Client({ connectionString: url });
  const waits = new Map<string, number>();
  let samples = 0;
  let active = 0;
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const r = await client.query<{ w: string; n: string }>(`select coalesce(wait_event_type || ':' || wait_event, 'CPU') || ' ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 70) as w, count(*) as n
        from pg_stat_activity where datname = current_database() and state = 'active' and pid <> pg_backend_pid() group by 1`);
      samples += 1;
      for (const row of r.rows) {
        waits.set(row.w, (waits.get(row.w) ?? 0) + Number(row.n));
        active += Number(row.n);
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    await client.end();
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const top = [...waits].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => [k, Math.round((v / Math.max(1, samples)) * 10) / 10] as const);
      return { samples, avgActive: Math.round((active / Math.max(1, samples)) * 10) / 10, waits: Object.fromEntries(top) };
    },
  };
}

/** A fresh database for one run: a copy of the built portfolio. */
type Fresh = { dataDir: string; databaseUrl?: string; year: number; month: number; dispose(): Promise<void> };

async function freshSource(): Promise<{ next(k: number): Promise<Fresh>; close(): Promise<void> }> {
  const asOf = '2026-11-23';
  if (!values.pg) {
    return {
      async next() {
        const built = await buildSqlite({ projects, seed: 1, asOf, cacheDir: values.portfolio });
        return { dataDir: built.dataDir, year: built.result.year, month: built.result.months, dispose: () => built.dispose() };
      },
      close: async () => {},
    };
  }
  const built = await buildPostgres({ projects, seed: 1, asOf });
  const admin = new pg.Client({ connectionString: built.databaseUrl!.replace(/\/docket_bench$/, '/postgres') });
  await admin.connect();
  return {
    async next(k) {
      const name = `docket_surge_${k}`;
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name} TEMPLATE docket_bench`);
      const url = built.databaseUrl!.replace(/\/docket_bench$/, `/${name}`);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-surge-'));
      return {
        dataDir, databaseUrl: url, year: built.result.year, month: built.result.months,
        dispose: async () => {
          fs.rmSync(dataDir, { recursive: true, force: true });
          await admin.query(`DROP DATABASE IF EXISTS ${name}`);
        },
      };
    },
    close: async () => {
      await admin.end();
      await built.dispose();
    },
  };
}

async function runOnce(fresh: Fresh, serverCount: number): Promise<Record<string, unknown>> {
  const servers: RunningServer[] = [];
  try {
    for (let i = 0; i < serverCount; i++) servers.push(await startServer({ dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl }));
    const session = await login(servers[0]!.base, 'office', 'Docket#2026');
    const ctx = { server: servers[0]!, session, target: { dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl }, year: fresh.year, month: fresh.month } as unknown as ScenarioContext;
    const plan = await prepareSurge(ctx, { units: Number(values.units), connections });
    // A fresh server catches up on its jobs (letters, lights) first: the surge starts once every server is idle.
    for (const s of servers) await waitForIdle(s.pid);
    const load0 = os.loadavg()[0]!;
    const cpu0 = servers.map((s) => cpuMsOf(s.pid));
    const waits = fresh.databaseUrl ? sampleWaits(fresh.databaseUrl) : undefined;
    const started = performance.now();
    // One autocannon per server, the connections split between them, one queue of projects for all.
    const instances = servers.map((s, i) => autocannon({
      url: s.base, connections: Math.floor(connections / serverCount) + (i < connections % serverCount ? 1 : 0), duration: seconds, timeout: 30, requests: plan.requests,
    }));
    plan.onExhausted(() => instances.forEach((x) => x.stop()));
    const results = await Promise.all(instances);
    const wall = (performance.now() - started) / 1000;
    const waited = await waits?.stop();
    const cpuMs = servers.reduce((sum, s, i) => sum + cpuMsOf(s.pid) - cpu0[i]!, 0);
    const load1 = os.loadavg()[0]!;
    for (const s of servers) await s.stop();
    servers.length = 0;
    const stored = await plan.countStored();
    const verify = await auditVerify(fresh.dataDir, fresh.databaseUrl);
    const lat = [...plan.submissionMs].sort((a, b) => a - b);
    return {
      engine: fresh.databaseUrl ? 'postgres' : 'sqlite', servers: serverCount, connections, seconds: Math.round(wall * 100) / 100,
      acknowledged: plan.acknowledged.size, per_s: Math.round((plan.acknowledged.size / wall) * 10) / 10,
      submission_p50_ms: Math.round(quantile(lat, 0.5)), submission_p95_ms: Math.round(quantile(lat, 0.95)),
      request_p50_ms: Math.round(results.reduce((s, r) => s + r.latency.p50, 0) / results.length),
      non2xx: results.reduce((s, r) => s + r.non2xx, 0), errors: results.reduce((s, r) => s + r.errors, 0),
      stored, lost: plan.acknowledged.size - stored, audit_verify: verify.ok ? 'ok' : `FAILED ${verify.out}`,
      server_cpu_ms_per_submission: plan.acknowledged.size ? Math.round((cpuMs / plan.acknowledged.size) * 100) / 100 : null,
      load_before: Math.round(load0 * 10) / 10, load_after: Math.round(load1 * 10) / 10,
      ...(waited ? { pg_active_avg: waited.avgActive, pg_waits_avg: waited.waits } : {}),
    };
  } finally {
    for (const s of servers) await s.stop();
  }
}

const source = await freshSource();
const cleanup = async () => {
  await source.close();
};
process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
try {
  console.log(`surge: ${values.pg ? 'postgres' : 'sqlite'}, ${values.size} projects, ${connections} connections, ${values.units} units, ${seconds} s, ${os.cpus().length} cores`);
  let k = 0;
  for (let r = 0; r < Number(values.repeat); r++) {
    for (const count of values.servers.split(',').map(Number)) {
      const fresh = await source.next(k++);
      try {
        console.log(JSON.stringify(await runOnce(fresh, count)));
      } finally {
        await fresh.dispose();
      }
    }
  }
} finally {
  await cleanup();
}
