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
  let sec: LoginHeaders;
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
    await buildUser(t.db, { username: 'sec', role: 'secadmin' });
    sys = await t.login('sys');
    sec = await t.login('sec');
  });
  afterAll(async () => t?.close());

  /** The security administrator approves what the system administrator created or changed (三员). */
  async function approve(username: string): Promise<void> {
    const pending = (await t.app.inject({ url: '/api/v1/security/pending-accounts', headers: sec })).json().items as { id: number; username: string }[];
    const row = pending.find((p) => p.username === username);
    expect(row, `${username} awaits approval`).toBeDefined();
    expect((await post(`/api/v1/security/pending-accounts/${row!.id}/approve`, {}, sec)).statusCode).toBe(200);
  }

  /** Signs in with a temporary password and replaces it, as a new user does (after the approval). */
  async function firstSignIn(username: string, temporary: string): Promise<LoginHeaders> {
    await approve(username);
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
    await approve('reset1');
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

  it('三员: the system administrator cannot create, reset, promote or re-enable a business account and sign in as it', async () => {
    const signIn = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    const created = await post('/api/v1/admin/users', { username: 'own.office', display_name: '自建账号', role: 'office', password: 'Mine#Pass2026' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ approval_reason: 'created', approval_pending_since: expect.any(String) });
    const refused = await signIn('own.office', 'Mine#Pass2026');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toContain('待安全保密管理员核准');
    // A wrong password still answers as a wrong password (the queue reveals nothing to a guesser) and a right one
    // does not count towards the lockout.
    expect((await signIn('own.office', 'Nope#Pass2026')).json().error.message).toContain('用户名或密码错误');
    expect((await t.db.selectFrom('users').select('failed_logins').where('username', '=', 'own.office').executeTakeFirstOrThrow()).failed_logins).toBe(1);
    // The system administrator cannot approve (no permission), nor can the approver be the one who asked.
    expect((await post(`/api/v1/security/pending-accounts/${created.json().id}/approve`, {})).statusCode).toBe(403);
    await approve('own.office');
    expect((await signIn('own.office', 'Mine#Pass2026')).statusCode).toBe(200);

    // Taking over an existing business account: reset, role change into a business role, re-enabling.
    const holder = await buildUser(t.db, { username: 'held.office', role: 'office', unitId: rootUnit });
    await post(`/api/v1/admin/users/${holder}/reset-password`, { password: 'Took#Over2026' });
    expect((await signIn('held.office', 'Took#Over2026')).json().error.message).toContain('待安全保密管理员核准');
    const auditorId = await buildUser(t.db, { username: 'was.auditor', role: 'auditor' });
    expect((await patch(`/api/v1/admin/users/${auditorId}`, { role: 'leader' })).json().approval_reason).toBe('role_change');
    expect((await signIn('was.auditor', 'Docket#2026')).json().error.message).toContain('待安全保密管理员核准');
    const off = await buildUser(t.db, { username: 'off.office', role: 'office', unitId: rootUnit });
    await patch(`/api/v1/admin/users/${off}`, { is_active: false });
    expect((await patch(`/api/v1/admin/users/${off}`, { is_active: true })).json().approval_reason).toBe('reactivated');
    expect((await signIn('off.office', 'Docket#2026')).json().error.message).toContain('待安全保密管理员核准');
    // A name change alone, or anything about a 三员 account, needs no approval.
    const quiet = await buildUser(t.db, { username: 'quiet.office', role: 'office', unitId: rootUnit });
    expect((await patch(`/api/v1/admin/users/${quiet}`, { display_name: '改名' })).json().approval_reason).toBeNull();
    const aud = await post('/api/v1/admin/users', { username: 'new.auditor', display_name: '审计员', role: 'auditor', password: 'Audit#Pass2026' });
    expect(aud.json().approval_reason).toBeNull();

    const pending = (await t.app.inject({ url: '/api/v1/security/pending-accounts', headers: sec })).json().items as { username: string; approval_reason: string; approval_requested_by: string }[];
    expect(pending.filter((p) => ['held.office', 'was.auditor', 'off.office'].includes(p.username)).map((p) => [p.username, p.approval_reason, p.approval_requested_by]).sort())
      .toEqual([['held.office', 'password_reset', 'sys'], ['off.office', 'reactivated', 'sys'], ['was.auditor', 'role_change', 'sys']]);
    const trail = await t.db.selectFrom('audit_log').select(['action', 'username', 'details_json']).where('action', '=', 'user.approve').execute();
    expect(trail.some((r) => r.username === 'sec' && JSON.parse(r.details_json!).requested_by === 'sys')).toBe(true);
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
    expect(stdout).toContain('账号待安全保密管理员核准后方可登录');
    const early = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'cli.office', password: 'Cli#Pass2026' } });
    expect(early.json().error.message).toContain('待安全保密管理员核准');
    // The operator cannot approve as itself: the security administrator's own password is needed.
    const docket = (args: string[]) => run(process.execPath, [path.join(root, 'bin/docket.js'), ...args], { env, cwd: root }).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
    const wrong = await docket(['user', 'approve', 'cli.office', '--as', 'sec', '--password', 'Guess#2026x']);
    expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringContaining('须由安全保密管理员本人')]);
    const bySys = await docket(['user', 'approve', 'cli.office', '--as', 'sys', '--password', 'Docket#2026']);
    expect(bySys.code).toBe(1);
    const ok = await docket(['user', 'approve', 'cli.office', '--as', 'sec', '--password', 'Docket#2026']);
    expect(ok.stdout).toContain('approved cli.office');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'cli.office', password: 'Cli#Pass2026' } });
    expect(res.json().must_change_password).toBe(true);
    const row = await t.db.selectFrom('audit_log').select(['username', 'action']).where('action', '=', 'user.create').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(row).toEqual({ username: 'system', action: 'user.create' });
    const approved = await t.db.selectFrom('audit_log').select(['username', 'action']).where('action', '=', 'user.approve').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(approved).toEqual({ username: 'sec', action: 'user.approve' });
  }, 240_000);

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
    expect((await patch('/api/v1/security/settings', { password_min_length: 10 }, sec)).statusCode).toBe(200);
    const created = (await post('/api/v1/admin/users', { username: 'rep.policy', display_name: '新填报员', role: 'reporter', unit_id: unitB })).json();
    await approve('rep.policy');
    const first = await t.login('rep.policy', created.temporary_password);
    const policy = await t.app.inject({ url: '/api/v1/auth/password-policy', headers: first });
    expect(policy.statusCode).toBe(200);
    expect(policy.json()).toMatchObject({ min_length: 10, text: expect.stringContaining('至少 10 位') });
    expect((await patch('/api/v1/security/settings', { password_min_length: 8 }, sec)).statusCode).toBe(200);
  });
});
