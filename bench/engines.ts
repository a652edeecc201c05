import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';

/** The database engine queried directly, without Docket in between, for the API ÷ raw ratio. */
export interface RawEngine {
  name: 'sqlite' | 'postgres';
  version: string;
  /** Runs a statement written with `?` placeholders and returns its rows. */
  query(text: string, params: readonly unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** A read-only better-sqlite3 connection to the benchmark's SQLite file. */
export function openRawSqlite(dataDir: string): RawEngine {
  const db = new SQLite(path.join(dataDir, 'docket.db'), { readonly: true });
  const cache = new Map<string, SQLite.Statement>();
  const version = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  return {
    name: 'sqlite', version,
    query: async (text, params) => {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = db.prepare(text);
        cache.set(text, stmt);
      }
      return stmt.all(...params) as Record<string, unknown>[];
    },
    close: async () => {
      db.close();
    },
  };
}

/** A pg client on the benchmark's PostgreSQL database; `?` placeholders become $1, $2 … */
export async function openRawPostgres(url: string): Promise<RawEngine> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const version = (await client.query<{ v: string }>('show server_version')).rows[0]!.v;
  return {
    name: 'postgres', version,
    query: async (text, params) => {
      let n = 0;
      const res = await client.query(text.replace(/\?/g, () => `$${++n}`), [...params]);
      return res.rows as Record<string, unknown>[];
    },
    close: () => client.end(),
  };
}
