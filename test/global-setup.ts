import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { startEmbeddedPostgres } from './pg-server.ts';
import { DIALECTS } from './db.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    /** A migrated PostgreSQL database that test databases are copied from (CREATE DATABASE … TEMPLATE). */
    pgTemplate: string;
    /** A migrated SQLite file that test databases are copied from. */
    sqliteTemplate: string;
  }
}

/**
 * Runs the migrations once per engine into a template; each test database is a copy (the division tree is 44k rows).
 * Without `adminUrl` (a run on SQLite alone) only the SQLite template.
 */
async function buildTemplates(adminUrl: string | undefined): Promise<{ pgTemplate: string; sqliteTemplate: string; drop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-template-'));
  const sqlite = openDatabase({ dataDir: dir, databaseUrl: undefined });
  const migrated = await migrateToLatest(sqlite.db);
  await sqlite.destroy();
  if (migrated.error) throw new Error(`migrating the SQLite template failed: ${migrated.error instanceof Error ? migrated.error.message : JSON.stringify(migrated.error)}`);
  const sqliteTemplate = path.join(dir, 'docket.db');
  if (!adminUrl) return { pgTemplate: '', sqliteTemplate, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  const pgTemplate = `docket_tpl_${crypto.randomBytes(6).toString('hex')}`;
  const admin = async (query: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(query);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${pgTemplate} ENCODING 'UTF8' TEMPLATE template0`);
  const u = new URL(adminUrl);
  u.pathname = `/${pgTemplate}`;
  const postgres = openDatabase({ dataDir: dir, databaseUrl: u.toString() }, { poolSize: 1 });
  const pgMigrated = await migrateToLatest(postgres.db);
  await postgres.destroy();
  if (pgMigrated.error) throw new Error(`migrating the PostgreSQL template failed: ${pgMigrated.error instanceof Error ? pgMigrated.error.message : JSON.stringify(pgMigrated.error)}`);
  return {
    pgTemplate, sqliteTemplate,
    drop: async () => {
      await admin(`DROP DATABASE IF EXISTS ${pgTemplate} WITH (FORCE)`).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts one PostgreSQL for the whole run unless DOCKET_TEST_PG_URL names one, and migrates one template database
 * per engine; each test file makes its own database as a copy of the template. A run on SQLite alone
 * (DOCKET_TEST_DIALECTS=sqlite: scripts/test.sh's calendar rerun) starts none: no test of it opens one.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.DOCKET_TEST_PG_URL;
  const pg = !DIALECTS.includes('postgres') ? { url: '', stop: async () => {} }
    : given ? { url: given, stop: async () => {} } : await startEmbeddedPostgres();
  project.provide('pgAdminUrl', pg.url);
  const templates = await buildTemplates(pg.url || undefined);
  project.provide('pgTemplate', templates.pgTemplate);
  project.provide('sqliteTemplate', templates.sqliteTemplate);
  return async () => {
    await templates.drop();
    await pg.stop();
  };
}
