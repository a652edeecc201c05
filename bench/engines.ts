import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from '../server/db/database.ts';
import type { DB } from '../server/db/schema.ts';

/** One statement as Docket's repositories sent it: dialect-native SQL and its parameters. */
export interface CapturedQuery {
  sql: string;
  parameters: readonly unknown[];
}

/** The database engine queried directly, without Docket in between, for the API ÷ raw ratio. */
export interface RawEngine {
  name: 'sqlite' | 'postgres';
  version: string;
  /** Runs captured statements one after another, straight on the engine. */
  replay(queries: readonly CapturedQuery[]): Promise<void>;
  /** One statement with dialect-native placeholders. */
  query(text: string, params: readonly unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** A better-sqlite3 connection to the benchmark's SQLite file. */
export function openRawSqlite(dataDir: string): RawEngine {
  const db = new SQLite(path.join(dataDir, 'docket.db'));
  db.pragma('busy_timeout = 5000');
  const cache = new Map<string, SQLite.Statement>();
  const prepared = (text: string) => {
    let stmt = cache.get(text);
    if (!stmt) cache.set(text, (stmt = db.prepare(text)));
    return stmt;
  };
  const version = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  return {
    name: 'sqlite', version,
    replay: async (queries) => {
      for (const q of queries) {
        const stmt = prepared(q.sql);
        if (stmt.reader) stmt.all(...q.parameters);
        else stmt.run(...q.parameters);
      }
    },
    query: async (text, params) => prepared(text).all(...params) as Record<string, unknown>[],
    close: async () => {
      db.close();
    },
  };
}

/** A pg client on the benchmark's PostgreSQL database. */
export async function openRawPostgres(url: string): Promise<RawEngine> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const version = (await client.query<{ v: string }>('show server_version')).rows[0]!.v;
  return {
    name: 'postgres', version,
    replay: async (queries) => {
      for (const q of queries) await client.query(q.sql, [...q.parameters]);
    },
    query: async (text, params) => (await client.query(text, [...params])).rows as Record<string, unknown>[],
    close: () => client.end(),
  };
}

/**
 * Runs fn against a Database whose Kysely logs every statement, and returns the statements: the exact SQL the
 * API's services and repositories issue for a request, to be replayed straight on the engine.
 */
export async function captureQueries(target: { dataDir: string; databaseUrl?: string }, fn: (database: Database) => Promise<unknown>): Promise<CapturedQuery[]> {
  const captured: CapturedQuery[] = [];
  const log = (event: { level: string; query: { sql: string; parameters: readonly unknown[] } }) => {
    if (event.level === 'query') captured.push({ sql: event.query.sql, parameters: event.query.parameters });
  };
  let database: Database;
  if (target.databaseUrl) {
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 1 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log });
    database = { db, dialect: 'postgres', destroy: () => db.destroy() };
  } else {
    const sqlite = new SQLite(path.join(target.dataDir, 'docket.db'), { readonly: true });
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }), log });
    database = { db, dialect: 'sqlite', sqlite, destroy: () => db.destroy() };
  }
  try {
    await fn(database);
  } finally {
    await database.destroy();
  }
  return captured;
}
