import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { clock } from '../../clock.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..', '..');

describe.each(DIALECTS)('account, role, scope and unit administration on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let sys: LoginHeaders;
  let rootUnit: number;
  let unitA: number;
  let unitB: number;

  const post = (url: string, payload: object, headers = sys) => t.app.inject({ method: 'POST', url, headers, payload });
  const patch = (url: string, payload: object, headers = sys) => t.app.inject({ method: 'PATCH', url, headers, payload });
  const projectNames = async (h: LoginHeaders) => ((await t.app.inject({ url: '/api/v1/projects', headers: h })).json().items as { name: string }[]).map((p) => p.name).sort();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    rootUnit = (await buildUnit(t.db, { name: '区发改局', kind: 'office', regionCode: '320506' })).id;
    unitA = (await buildUnit(t.db, { name: '甪直镇', parentId: rootUnit, kind: 'township' })).id;
    unitB = (await buildUnit(t.db, { name: '临湖镇', parentId: rootUnit, kind: 'township' })).id;
    await buildProject(t.db, { name: '甪直项目', unit_id: unitA, region_code: '320506' });
    await buildProject(t.db, { name: '临湖项目', unit_id: unitB, region_code: '320506' });
    await buildProject(t.db, { name: '玄武项目', unit_id: unitB, region_code: '320102' });
    await buildUser(t.db, { username: 'sys', role: 'sysadmin' });
    sys = await t.login('sys');
  });
  afterAll(async () => t?.close());

  /** Signs in with a temporary password and replaces it, as a new user does. */
  async function firstSignIn(username: string, temporary: string): Promise<LoginHeaders> {
    const h = await t.login(username, temporary);
    const res = await post('/api/v1/auth/password', { current_password: temporary, new_password: 'Own#Pass2026' }, h);
    expect(res.statusCode).toBe(200);
    return h;
  }

  it('creates a reporter with a temporary password that must be changed, limited to its unit', async () => {
    const res = await post('/api/v1/admin/users', { username: 'rep.a', display_name: '甪直填报员', role: 'reporter', unit_id: unitA });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ username: 'rep.a', role: 'reporter', must_change_password: 1, scopes: { unit_ids: [], region_codes: [] } });
    expect(body.temporary_password).toMatch(/^.{12,}$/);
    expect(body).not.toHaveProperty('password_hash');
    const h = await firstSignIn('rep.a', body.temporary_password);
    expect(await projectNames(h)).toEqual(['甪直项目']);
  });

  it('scopes an account by region subtree, by unit subtree, or both', async () => {
    const create = await post('/api/v1/admin/users', { username: 'leader.nj', display_name: '南京领导', role: 'leader', password: 'Init#Pass2026', scopes: { region_codes: ['320100'] } });
    expect(create.statusCode).toBe(201);
    const h = await firstSignIn('leader.nj', 'Init#Pass2026');
    expect(await projectNames(h)).toEqual(['玄武项目']);
    const both = await patch(`/api/v1/admin/users/${create.json().id}`, { scopes: { unit_ids: [unitA], region_codes: ['320100'] } });
    expect(both.json().scopes).toEqual({ unit_ids: [unitA], region_codes: ['320100'] });
    // A scope change is a permission change: the account signs in again and sees the union.
    expect((await t.app.inject({ url: '/api/v1/projects', headers: h })).statusCode).toBe(401);
    expect(await projectNames(await t.login('leader.nj', 'Own#Pass2026'))).toEqual(['玄武项目', '甪直项目'].sort());
    const bad = await patch(`/api/v1/admin/users/${create.json().id}`, { scopes: { unit_ids: [9999], region_codes: [] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe('单位不存在：9999');
  });

  it('changes a role with before and after in the audit trail, and ends the sessions', async () => {
    const id = await buildUser(t.db, { username: 'sup1', role: 'supervisor', unitId: rootUnit });
    const h = await t.login('sup1');
    const res = await patch(`/api/v1/admin/users/${id}`, { role: 'leader' });
    expect(res.json().role).toBe('leader');
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: h })).statusCode).toBe(401);
    const row = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.permission_change').where('entity_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(row.username).toBe('sys');
    expect(JSON.parse(row.before_json!).role).toBe('supervisor');
    expect(JSON.parse(row.after_json!).role).toBe('leader');
  });

  it('disables an account: its sessions end and it cannot sign in', async () => {
    const id = await buildUser(t.db, { username: 'gone1', role: 'office', unitId: rootUnit });
    const h = await t.login('gone1');
    expect((await patch(`/api/v1/admin/users/${id}`, { is_active: false })).json().is_active).toBe(0);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: h })).statusCode).toBe(401);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'gone1', password: 'Docket#2026' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toBe('账号已停用，请联系系统管理员');
  });

  it('resets a password: lock cleared, sessions ended, change forced', async () => {
    const id = await buildUser(t.db, { username: 'reset1', role: 'office', unitId: rootUnit });
    const h = await t.login('reset1');
    await t.db.updateTable('users').set({ locked_until: new Date(clock.now().getTime() + 3_600_000).toISOString(), failed_logins: 0 }).where('id', '=', id).execute();
    const res = await post(`/api/v1/admin/users/${id}/reset-password`, {});
    const temporary = res.json().temporary_password as string;
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: h })).statusCode).toBe(401);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'reset1', password: temporary } });
    expect(again.json().must_change_password).toBe(true);
    const weak = await post(`/api/v1/admin/users/${id}/reset-password`, { password: '123' });
    expect(weak.statusCode).toBe(400);
  });

  it('keeps the 三员 apart: no self role change, and no project data for any of them', async () => {
    const me = await t.db.selectFrom('users').select('id').where('username', '=', 'sys').executeTakeFirstOrThrow();
    const res = await patch(`/api/v1/admin/users/${me.id}`, { role: 'auditor' });
    expect(res.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/projects', headers: sys })).statusCode).toBe(403);
    const dup = await post('/api/v1/admin/users', { username: 'sys', display_name: 'x', role: 'auditor' });
    expect(dup.statusCode).toBe(409);
  });

  it('lists accounts with filters and paging', async () => {
    const res = await t.app.inject({ url: '/api/v1/admin/users?role=reporter&page_size=10', headers: sys });
    expect(res.json().items.map((u: { username: string }) => u.username)).toEqual(['rep.a']);
    expect((await t.app.inject({ url: '/api/v1/admin/users?q=%E5%8D%97%E4%BA%AC', headers: sys })).json().total).toBe(1);
  });

  it('keeps `docket user add` working, audited as the system', async () => {
    const env = { ...process.env, DATABASE_URL: t.config.databaseUrl ?? '', DOCKET_DATA_DIR: t.config.dataDir };
    const { stdout } = await run(process.execPath, [path.join(root, 'bin/docket.js'), 'user', 'add', 'cli.office', '--role', 'office', '--password', 'Cli#Pass2026'], { env, cwd: root });
    expect(stdout).toMatch(/created user cli\.office/);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'cli.office', password: 'Cli#Pass2026' } });
    expect(res.json().must_change_password).toBe(true);
    const row = await t.db.selectFrom('audit_log').select(['username', 'action']).where('action', '=', 'user.create').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(row).toEqual({ username: 'system', action: 'user.create' });
  });

  it('refuses a 责任单位填报员 without a unit, on create and on a role change', async () => {
    const none = await post('/api/v1/admin/users', { username: 'rep.nounit', display_name: '无单位填报员', role: 'reporter' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('责任单位填报员须选择所属单位') });
    expect(await t.db.selectFrom('users').select('id').where('username', '=', 'rep.nounit').executeTakeFirst()).toBeUndefined();
    const leader = await post('/api/v1/admin/users', { username: 'leader.nounit', display_name: '分管领导', role: 'leader' });
    expect(leader.statusCode).toBe(201);
    const toReporter = await patch(`/api/v1/admin/users/${leader.json().id}`, { role: 'reporter' });
    expect(toReporter.statusCode).toBe(400);
    expect((await patch(`/api/v1/admin/users/${leader.json().id}`, { role: 'reporter', unit_id: unitA })).statusCode).toBe(200);
  });

  it('tells a first sign-in the password policy in force, not a fixed 8', async () => {
    await buildUser(t.db, { username: 'sec', role: 'secadmin' });
    const sec = await t.login('sec');
    expect((await patch('/api/v1/security/settings', { password_min_length: 10 }, sec)).statusCode).toBe(200);
    const created = (await post('/api/v1/admin/users', { username: 'rep.policy', display_name: '新填报员', role: 'reporter', unit_id: unitB })).json();
    const first = await t.login('rep.policy', created.temporary_password);
    const policy = await t.app.inject({ url: '/api/v1/auth/password-policy', headers: first });
    expect(policy.statusCode).toBe(200);
    expect(policy.json()).toMatchObject({ min_length: 10, text: expect.stringContaining('至少 10 位') });
    expect((await patch('/api/v1/security/settings', { password_min_length: 8 }, sec)).statusCode).toBe(200);
  });
});
