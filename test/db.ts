import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database, type Dialect } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';

/**
 * The engines every data-layer and API test runs on: both, unless DOCKET_TEST_DIALECTS names fewer (scripts/test.sh's
 * calendar rerun uses SQLite alone: it repeats the suite for the dates, and the engines' differences are the full run's).
 */
export const DIALECTS: Dialect[] = dialectsFrom(process.env.DOCKET_TEST_DIALECTS);

function dialectsFrom(value: string | undefined): Dialect[] {
  if (!value) return ['sqlite', 'postgres'];
  const named = value.split(',').map((d) => d.trim()).filter(Boolean);
  const unknown = named.filter((d) => d !== 'sqlite' && d !== 'postgres');
  if (unknown.length > 0 || named.length === 0) throw new Error(`DOCKET_TEST_DIALECTS: expected sqlite and/or postgres, got "${value}"`);
  return named as Dialect[];
}

/**
 * A fresh, migrated, throwaway database of the given dialect; destroy() removes it. It is a copy of the template
 * the global setup migrated once (migrating each one anew loaded the 44k-row division tree every time).
 */
export async function createTestDatabase(dialect: Dialect): Promise<Database & { dataDir: string; url: string | undefined }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-test-'));
  let url: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  if (dialect === 'postgres') {
    const admin = inject('pgAdminUrl');
    const name = `docket_t_${crypto.randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE ${inject('pgTemplate')}`);
    await client.end();
    const u = new URL(admin);
    u.pathname = `/${name}`;
    url = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  if (dialect === 'sqlite') fs.copyFileSync(inject('sqliteTemplate'), path.join(dataDir, 'docket.db'));
  const database = openDatabase({ dataDir, databaseUrl: url }, { poolSize: 4 });
  // Nothing to do on a copy of the template; kept so a database is never handed out half-migrated.
  await migrateToLatest(database.db);
  return {
    ...database,
    dataDir,
    url,
    destroy: async () => {
      await database.destroy();
      await dropDb?.();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
