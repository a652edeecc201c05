import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.ts';
import { loadConfig, type Config } from '../server/config.ts';
import type { Dialect } from '../server/db/database.ts';
import { createTestDatabase } from './db.ts';

/** Request headers of a signed-in browser: the session cookie plus the CSRF cookie and its echo header. */
export interface LoginHeaders {
  cookie: string;
  'x-csrf-token': string;
  [name: string]: string;
}

/** A test app on a fresh database of the dialect, with helpers to sign in. */
export async function createTestApp(dialect: Dialect, overrides: Partial<Config> = {}) {
  const database = await createTestDatabase(dialect);
  const config = loadConfig({
    dataDir: database.dataDir, databaseUrl: database.url, logLevel: 'silent', webDir: '/nonexistent', loginRateLimit: 10_000, checkResponses: true, ...overrides,
  }, {});
  const app: FastifyInstance = await buildApp(config, database);
  await app.ready();
  /** Signs in and returns headers for later requests: `headers: await t.login('office1')`. */
  async function login(username: string, password = 'Docket#2026'): Promise<LoginHeaders> {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    const session = res.cookies.find((c) => c.name === 'docket_session')!;
    const csrf = res.cookies.find((c) => c.name === 'docket_csrf')!;
    return { cookie: `docket_session=${session.value}; docket_csrf=${csrf.value}`, 'x-csrf-token': csrf.value };
  }
  return {
    app, database, db: database.db, config, login,
    close: async () => {
      await app.close();
      await database.destroy();
    },
  };
}
