import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createTestDatabase, DIALECTS } from '../../test/db.ts';

describe.each(DIALECTS)('serving the web app on %s', (dialect) => {
  let app: FastifyInstance;
  let destroy: () => Promise<void>;
  const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-web-'));

  beforeAll(async () => {
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.mkdirSync(path.join(webDir, 'assets'));
    fs.writeFileSync(path.join(webDir, 'assets', 'app.js'), 'console.log(1)');
    const database = await createTestDatabase(dialect);
    app = await buildApp(loadConfig({ dataDir: database.dataDir, databaseUrl: database.url, logLevel: 'silent', webDir }, {}), database);
    await app.ready();
    destroy = database.destroy;
  });
  afterAll(async () => {
    await app?.close();
    await destroy?.();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('answers client routes with index.html under the strict CSP', async () => {
    const res = await app.inject({ url: '/projects/12?tab=plans' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('<div id="root">');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('serves built assets', async () => {
    const res = await app.inject({ url: '/assets/app.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(1)');
  });

  it('keeps unknown API paths and non-GET requests as JSON 404s', async () => {
    for (const req of [{ method: 'GET' as const, url: '/api/v1/nothing-here' }, { method: 'POST' as const, url: '/projects' }]) {
      const res = await app.inject(req);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });
});
