import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import cliProgress from 'cli-progress';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { generateDemo, type DemoResult } from '../server/modules/demo/index.ts';
import { startEmbeddedPostgres } from '../test/pg-server.ts';

/** A built benchmark database: where it is and what it took to build. */
export interface BuiltPortfolio {
  engine: 'sqlite' | 'postgres';
  dataDir: string;
  databaseUrl?: string;
  buildSeconds: number;
  result: DemoResult;
  /** SQLite file size or PostgreSQL database size, MB. */
  sizeMb: number;
  dispose(): Promise<void>;
}

async function build(engine: 'sqlite' | 'postgres', dataDir: string, databaseUrl: string | undefined, opts: { projects: number; seed: number; asOf: string }): Promise<{ seconds: number; result: DemoResult }> {
  const database = openDatabase({ dataDir, databaseUrl });
  const bar = process.stdout.isTTY ? new cliProgress.SingleBar({ format: `  ${engine} [{bar}] {percentage}% {value}/{total} | {duration}s` }, cliProgress.Presets.shades_classic) : undefined;
  const started = performance.now();
  try {
    await migrateToLatest(database.db);
    bar?.start(opts.projects, 0);
    const result = await generateDemo(database, { ...opts, onProgress: (done) => bar?.update(done) });
    bar?.stop();
    if (result.phases) console.log(`   phases (s): ${Object.entries(result.phases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join('; ')}`);
    return { seconds: (performance.now() - started) / 1000, result };
  } finally {
    bar?.stop();
    await database.destroy();
  }
}

/**
 * Generates the portfolio into a fresh SQLite file under a temporary folder. With `cacheDir`, a portfolio built
 * before with the same options is copied from there instead (a 100k build takes minutes), and a new build is
 * stored there for the next run; the copy the run writes to is always fresh.
 */
export async function buildSqlite(opts: { projects: number; seed: number; asOf: string; cacheDir?: string }): Promise<BuiltPortfolio> {
  const { cacheDir, ...spec } = opts;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-bench-'));
  const cached = cacheDir ? path.join(cacheDir, `portfolio-${spec.projects}-${spec.seed}-${spec.asOf}`) : undefined;
  if (cached && fs.existsSync(path.join(cached, 'result.json'))) {
    fs.copyFileSync(path.join(cached, 'docket.db'), path.join(dataDir, 'docket.db'));
    const stored = JSON.parse(fs.readFileSync(path.join(cached, 'result.json'), 'utf8')) as { seconds: number; result: DemoResult };
    const sizeMb = Math.round(fs.statSync(path.join(dataDir, 'docket.db')).size / 1e6);
    return { engine: 'sqlite', dataDir, buildSeconds: stored.seconds, result: stored.result, sizeMb, dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const { seconds, result } = await build('sqlite', dataDir, undefined, spec);
  if (cached) {
    fs.mkdirSync(cached, { recursive: true });
    fs.copyFileSync(path.join(dataDir, 'docket.db'), path.join(cached, 'docket.db'));
    fs.writeFileSync(path.join(cached, 'result.json'), JSON.stringify({ seconds, result }));
  }
  const sizeMb = Math.round(fs.statSync(path.join(dataDir, 'docket.db')).size / 1e6);
  return { engine: 'sqlite', dataDir, buildSeconds: seconds, result, sizeMb, dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * A fresh copy of a portfolio database kept on a running PostgreSQL (`CREATE DATABASE … TEMPLATE`): a 100k build
 * takes 12+ minutes, a copy seconds. The template must have no open connection; the copy is dropped by dispose.
 */
export async function copyPostgres(templateUrl: string, result: DemoResult, buildSeconds: number): Promise<BuiltPortfolio & { version: string }> {
  const admin = new pg.Client({ connectionString: templateUrl });
  await admin.connect();
  const template = new URL(templateUrl).pathname.slice(1);
  const name = `docket_bench_${process.pid}`;
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const version = (await admin.query<{ v: string }>('show server_version')).rows[0]!.v;
    const size = await admin.query<{ s: string }>(`select pg_database_size('${name}') as s`);
    const url = new URL(templateUrl);
    url.pathname = `/${name}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-bench-pg-'));
    return {
      engine: 'postgres', dataDir, databaseUrl: url.toString(), buildSeconds, result, version, sizeMb: Math.round(Number(size.rows[0]!.s) / 1e6),
      dispose: async () => {
        fs.rmSync(dataDir, { recursive: true, force: true });
        const drop = new pg.Client({ connectionString: templateUrl.replace(/\/[^/]*$/, '/postgres') });
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await drop.end();
      },
    };
  } finally {
    await admin.end();
  }
}

/** Starts an embedded PostgreSQL (as the test suite does) and generates the portfolio into a fresh database. */
export async function buildPostgres(opts: { projects: number; seed: number; asOf: string }): Promise<BuiltPortfolio & { version: string }> {
  const server = await startEmbeddedPostgres();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE docket_bench ENCODING 'UTF8' TEMPLATE template0`);
  const version = (await admin.query<{ v: string }>('show server_version')).rows[0]!.v;
  const url = new URL(server.url);
  url.pathname = '/docket_bench';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-bench-pg-'));
  try {
    const { seconds, result } = await build('postgres', dataDir, url.toString(), opts);
    const size = await admin.query<{ s: string }>(`select pg_database_size('docket_bench') as s`);
    return {
      engine: 'postgres', dataDir, databaseUrl: url.toString(), buildSeconds: seconds, result, version,
      sizeMb: Math.round(Number(size.rows[0]!.s) / 1e6),
      dispose: async () => {
        fs.rmSync(dataDir, { recursive: true, force: true });
        await server.stop();
      },
    };
  } finally {
    await admin.end();
  }
}
