import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type Transaction } from 'kysely';
import type { DB } from './schema.ts';
import { isPostgresUrl, type Config } from '../config.ts';
import { sqlProfileLogger } from './sql-profile.ts';

export type Dialect = 'sqlite' | 'postgres';

/** The open database: a Kysely instance plus which engine is behind it. */
export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** The raw better-sqlite3 handle on SQLite, for bulk loads (the demo generator); absent on PostgreSQL. */
  sqlite?: SQLite.Database;
  destroy(): Promise<void>;
}

export type Executor = Kysely<DB> | Transaction<DB>;

// pg returns BIGINT, COUNT(*) and NUMERIC (SUM over BIGINT) as strings; Docket's amounts are integer yuan far
// below 2^53, so numbers are exact. Converting here is the one place that makes both dialects return numbers.
let pgTypesSet = false;
function setPgTypeParsers(): void {
  if (pgTypesSet) return;
  pgTypesSet = true;
  const toNumber = (v: string): number => Number(v);
  pg.types.setTypeParser(pg.types.builtins.INT8, toNumber);
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, toNumber);
}

/**
 * better-sqlite3 keeping its prepared statements by SQL text (least recently used dropped past `capacity`): Kysely
 * prepares every statement anew, and preparing the indicator rollup's larger statements cost more CPU than running
 * them (profiled at 100k projects: a third of a month-end submission). A statement still being iterated (a
 * streamed export) is busy, so a second use of the same text gets a fresh one.
 */
export function withStatementCache(sqlite: SQLite.Database, capacity = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close() {
      cache.clear();
      sqlite.close();
    },
    prepare(text: string) {
      const hit = cache.get(text);
      if (hit && !hit.busy) {
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      const statement = sqlite.prepare(text);
      if (!hit) {
        cache.set(text, statement);
        if (cache.size > capacity) cache.delete(cache.keys().next().value!);
      }
      return statement;
    },
  };
}

/**
 * Statements whose text begins with this are prepared on PostgreSQL (per connection, named by their text's hash):
 * planning the indicator rollup's wide per-project statements took 15–35 ms of the server's CPU each, ten times
 * their execution, at every report write (issue 16). Only for statements whose text is fixed (db/compiled-cache.ts).
 */
export const PREPARE_MARK = '/*docket:prepare*/ ';

/** Makes a new pool client prepare the statements marked with PREPARE_MARK (node-postgres keeps them per client). */
function preparesMarked(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) names.set(text, (name = `docket_${crypto.createHash('sha1').update(text).digest('hex').slice(0, 24)}`));
    return name;
  };
  Object.assign(client, {
    query: (...args: unknown[]) => (typeof args[0] === 'string' && args[0].startsWith(PREPARE_MARK) && args.length === 2 && Array.isArray(args[1])
      ? query({ name: nameOf(args[0]), text: args[0], values: args[1] })
      : query(...args)),
  });
}

/** Opens SQLite under config.dataDir, or PostgreSQL when config.databaseUrl is a postgres URL. */
export function openDatabase(config: Pick<Config, 'dataDir' | 'databaseUrl'>, opts: { poolSize?: number } = {}): Database {
  if (isPostgresUrl(config.databaseUrl)) {
    setPgTypeParsers();
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: opts.poolSize ?? 10 });
    // An idle client whose connection the server ended (restart, pg_terminate_backend, DROP DATABASE … FORCE) is
    // reported here; the pool discards it. Without a listener Node treats the event as fatal and the process dies.
    pool.on('error', (err) => console.warn(`PostgreSQL: idle connection lost (${err.message})`));
    pool.on('connect', preparesMarked);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log: sqlProfileLogger() });
    return { db, dialect: 'postgres', destroy: () => db.destroy() };
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, 'docket.db');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // A bulk write's 1,000-row chunk dirties more than the default 1,000 WAL pages, so every chunk's commit also ran a
  // checkpoint: commits were 21% of a 100k-row import's SQL time. Checkpointing past 64 MB of WAL instead halved
  // that (issue 23, docs/performance.md) without making any transaction longer.
  sqlite.pragma('wal_autocheckpoint = 16384');
  // The default 2 MB page cache makes every list total re-read a 100k-project table through the OS (measured:
  // count + Σ over 100k rows 350 ms → 30 ms with these); memory grows only as pages are touched.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  // PRAGMA optimize (after imports, see ImportRepository) re-analyzes grown tables; sampling ~1000 rows per index
  // keeps that at milliseconds instead of a full scan of a 1M-project table (measured 1.1 s).
  sqlite.pragma('analysis_limit = 1000');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), log: sqlProfileLogger() });
  return { db, dialect: 'sqlite', sqlite, destroy: () => db.destroy() };
}
