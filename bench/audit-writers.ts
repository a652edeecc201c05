// Audited writes per second with 1, 4 and 16 concurrent writers (issue 16: the audit chain must stop serialising
// every write). Each write is one transaction that updates the writer's own row and records one audit event through
// deps.audit, as a service does; "no audit" runs the same transaction without the event, for the ceiling.
//
//   node bench/audit-writers.ts [--seconds 8] [--writers 1,4,16] [--sqlite]
//
// PostgreSQL by default: an embedded server (as the tests start it) unless DATABASE_URL names one. The numbers are
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

async function measure(database: Database, writers: number, audited: boolean): Promise<number> {
  const deps = createDeps(database.db);
  const names = Array.from({ length: writers }, (_, i) => `bench-audit-writer-${i}`);
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

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-bench-audit-'));
  let stop = async () => {};
  let url: string | undefined;
  if (!useSqlite) {
    if (process.env.DATABASE_URL) url = process.env.DATABASE_URL;
    else {
      const server = await startEmbeddedPostgres();
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
    console.log(`engine ${database.dialect}, ${seconds} s per run, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`);
    console.log('writers | audited writes/s | without audit writes/s');
    for (const writers of writerCounts) {
      const audited = await measure(database, writers, true);
      const plain = await measure(database, writers, false);
      console.log(`${String(writers).padStart(7)} | ${audited.toFixed(0).padStart(16)} | ${plain.toFixed(0).padStart(22)}`);
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

await main();
