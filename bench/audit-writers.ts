// Audited writes per second with 1, 4 and 16 concurrent writers (issue 16: the audit chain must stop serialising
// every write). Each write is one transaction that updates the writer's own row and records one audit event through
// deps.audit, as a service does; "no audit" runs the same transaction without the event, for the ceiling.
//
//   node bench/audit-writers.ts [--seconds 8] [--writers 1,4,16] [--sqlite] [--durable] [--servers 1,3]
//
// --servers (PostgreSQL) runs each count of writers in that many processes at once (each its own pool, as servers
// sharing one PostgreSQL), and prints the sum.
//
// PostgreSQL by default: an embedded server (as the tests start it: fsync and synchronous_commit off) unless
// DATABASE_URL names one; --durable starts it with PostgreSQL's defaults (every commit flushed), as in production,
// where the head's row lock was held across each writer's commit flush. The numbers are
// noisy on a shared machine; run it twice and quote both.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openDatabase, type Database } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createDeps } from '../server/deps.ts';
import { inTransaction } from '../server/platform/tx.ts';
import { startEmbeddedPostgres } from '../test/pg-server.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const seconds = Number(arg('seconds', '8'));
const writerCounts = arg('writers', '1,4,16').split(',').map(Number);
const useSqlite = args.includes('--sqlite');
const durable = args.includes('--durable');
const serverCounts = arg('servers', '1').split(',').map(Number);
const child = args.includes('--child');

async function measure(database: Database, writers: number, audited: boolean, prefix = 'bench-audit-writer'): Promise<number> {
  const deps = createDeps(database.db);
  const names = Array.from({ length: writers }, (_, i) => `${prefix}-${i}`);
  for (const name of names) {
    await database.db.insertInto('job_leases').values({ name, owner: null, lease_until: null, last_run_at: null, last_error: null })
      .onConflict((oc) => oc.column('name').doNothing()).execute();
  }
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(names.map(async (name, w) => {
    for (let i = 0; performance.now() < until; i++) {
      await inTransaction(database.db, async (trx) => {
        await trx.updateTable('job_leases').set({ last_run_at: new Date(0).toISOString(), last_error: String(i) }).where('name', '=', name).execute();
        if (audited) await deps.audit.record(trx, null, { action: 'bench.write', username: 'bench', entityType: 'bench', entityId: `${w}:${i}`, after: { i } });
      });
      done += 1;
    }
  }));
  return done / ((performance.now() - started) / 1000);
}

/** One server of a --servers run: `--child URL WRITERS AUDITED PREFIX`; prints its writes. */
async function childMain(): Promise<void> {
  const i = args.indexOf('--child');
  const [url, writers, audited, prefix] = args.slice(i + 1);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-bench-audit-child-'));
  const database = openDatabase({ dataDir, databaseUrl: url === '-' ? undefined : url }, { poolSize: Number(writers) + 4 });
  try {
    const rate = await measure(database, Number(writers), audited === '1', prefix);
    process.stdout.write(`${rate}\n`);
  } finally {
    await database.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Writes/s of `servers` processes with `writers` each, run at once. */
async function measureServers(url: string, servers: number, writers: number, audited: boolean): Promise<number> {
  const { execFile } = await import('node:child_process');
  const runs = Array.from({ length: servers }, (_, k) => new Promise<number>((resolve, reject) => {
    execFile(process.execPath, [import.meta.filename, '--seconds', String(seconds), '--child', url, String(writers), audited ? '1' : '0', `bench-s${k}`],
      (err, stdout) => (err ? reject(new Error(err.message)) : resolve(Number(stdout.trim().split('\n').pop()))));
  }));
  return (await Promise.all(runs)).reduce((a, b) => a + b, 0);
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-bench-audit-'));
  let stop = async () => {};
  let url: string | undefined;
  if (!useSqlite) {
    if (process.env.DATABASE_URL) url = process.env.DATABASE_URL;
    else {
      const server = await startEmbeddedPostgres(durable ? { durable: true } : {});
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE docket_bench_audit ENCODING 'UTF8' TEMPLATE template0`);
      await admin.end();
      const u = new URL(server.url);
      u.pathname = '/docket_bench_audit';
      url = u.toString();
      stop = server.stop;
    }
  }
  const database = openDatabase({ dataDir, databaseUrl: url }, { poolSize: Math.max(...writerCounts) + 4 });
  try {
    await migrateToLatest(database.db);
    console.log(`engine ${database.dialect}${durable ? ' (durable commits)' : ''}, ${seconds} s per run, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`);
    console.log('servers | writers each | audited writes/s | without audit writes/s');
    for (const servers of serverCounts) {
      for (const writers of writerCounts) {
        const audited = servers === 1 ? await measure(database, writers, true) : await measureServers(url ?? '-', servers, writers, true);
        const plain = servers === 1 ? await measure(database, writers, false) : await measureServers(url ?? '-', servers, writers, false);
        console.log(`${String(servers).padStart(7)} | ${String(writers).padStart(12)} | ${audited.toFixed(0).padStart(16)} | ${plain.toFixed(0).padStart(22)}`);
      }
    }
    const head = await database.db.selectFrom('audit_chain_head').select('seq').executeTakeFirstOrThrow();
    const rows = await database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    console.log(`chain head seq ${head.seq}, audit_log rows ${rows.n}`);
  } finally {
    await database.destroy();
    await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (child) await childMain();
else await main();
