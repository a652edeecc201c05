import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import type { Dialect } from '../server/db/database.ts';
import { createTestDatabase } from './db.ts';

/** A test app on a fresh database of the dialect, with helpers to sign in. */
export async function createTestApp(dialect: Dialect) {
  const database = await createTestDatabase(dialect);
  const config = loadConfig({ dataDir: database.dataDir, databaseUrl: database.url, logLevel: 'silent', webDir: '/nonexistent' }, {});
  const app: FastifyInstance = await buildApp(config, database);
  await app.ready();
  /** Signs in and returns the Cookie header value for later requests. */
  async function login(username: string, password = 'Docket#2026'): Promise<string> {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'docket_session');
    return `docket_session=${cookie!.value}`;
  }
  return {
    app, database, db: database.db, login,
    close: async () => {
      await app.close();
      await database.destroy();
    },
  };
}
