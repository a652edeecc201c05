import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database, type Dialect } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';

/** Both engines every data-layer and API test runs on. */
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

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
