import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../app.ts';
import { openDatabase } from '../../db/database.ts';
import { DIALECTS } from '../../../test/db.ts';
import { freezeAtStartOfMinute } from '../../../test/minute.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { clock } from '../../clock.ts';

describe.each(DIALECTS)('sign-in security on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let secadmin: LoginHeaders;
  let sysadmin: LoginHeaders;
  let unitId: number;

  const login = (username: string, password = 'Docket#2026') =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  const auditRows = (action: string, username: string) =>
    t.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('username', '=', username).orderBy('seq').execute();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    unitId = (await buildUnit(t.db, { name: '区发改局', kind: 'office', regionCode: '320506' })).id;
    await buildProject(t.db, { name: '测试项目', unit_id: unitId });
    await buildUser(t.db, { username: 'sec', role: 'secadmin' });
    await buildUser(t.db, { username: 'sys', role: 'sysadmin' });
    secadmin = await t.login('sec');
    sysadmin = await t.login('sys');
  });
  afterAll(async () => t?.close());

  it('sets an HttpOnly strict session cookie and a readable strict CSRF cookie', async () => {
    await buildUser(t.db, { username: 'cookie1', role: 'office', unitId });
    const res = await login('cookie1');
    expect(res.statusCode).toBe(200);
    const session = res.cookies.find((c) => c.name === 'docket_session')!;
    const csrf = res.cookies.find((c) => c.name === 'docket_csrf')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(csrf.httpOnly).toBeFalsy();
    expect(csrf).toMatchObject({ sameSite: 'Strict', path: '/' });
    expect(csrf.value.length).toBeGreaterThanOrEqual(40);
    expect(res.json().csrf_token).toBe(csrf.value);
  });

  it('refuses cookie-authenticated writes without the matching X-CSRF-Token, and accepts reads', async () => {
    await buildUser(t.db, { username: 'csrf1', role: 'office', unitId });
    await buildUser(t.db, { username: 'csrf2', role: 'office', unitId });
    const a = await t.login('csrf1');
    const b = await t.login('csrf2');
    const payload = { name: 'CSRF 测试', region_code: '320506', unit_id: unitId, total_investment: 1 };
    const attempts: Record<string, string>[] = [
      { cookie: a.cookie }, // no header
      { ...a, 'x-csrf-token': 'forged' }, // wrong header
      { cookie: a.cookie.replace(/docket_csrf=[^;]+/, `docket_csrf=${b['x-csrf-token']}`), 'x-csrf-token': b['x-csrf-token'] }, // another session's pair
    ];
    for (const headers of attempts) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers, payload });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('csrf_failed');
    }
    expect((await t.app.inject({ url: '/api/v1/projects', headers: { cookie: a.cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: a, payload })).statusCode).toBe(201);
  });

  it('locks an account after the configured failures, across two server processes sharing the database', async () => {
    await buildUser(t.db, { username: 'lock1', role: 'office', unitId });
    // A second app on its own connection pool stands in for a second server process.
    const otherDb = openDatabase(t.config);
    const other = await buildApp(t.config, otherDb);
    try {
      const tries = [t.app, other, t.app, other];
      for (const app of tries) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'lock1', password: 'wrong' } });
        expect(res.statusCode).toBe(401);
        expect(res.json().error.message).toContain('用户名或密码错误');
      }
      // The fifth locks, and answers as every wrong password does (a lock must not tell that the name exists).
      const fifth = await other.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'lock1', password: 'wrong' } });
      expect(fifth.statusCode).toBe(401);
      expect(fifth.json().error.message).toBe('用户名或密码错误，或账号已锁定（连续失败 5 次锁定 30 分钟，可联系系统管理员解锁）');
      // Even the right password is refused on either process while locked.
      for (const app of [t.app, other]) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'lock1', password: 'Docket#2026' } });
        expect(res.statusCode).toBe(401);
      }
    } finally {
      await other.close();
      await otherDb.destroy();
    }
    expect((await auditRows('auth.lockout', 'lock1'))).toHaveLength(1);
    expect((await auditRows('auth.login', 'lock1')).map((r) => r.outcome)).toEqual(['failure', 'failure', 'failure', 'failure', 'failure', 'failure', 'failure']);
    // The lock ends by itself after its minutes …
    await t.db.updateTable('users').set({ locked_until: new Date(clock.now().getTime() - 1000).toISOString() }).where('username', '=', 'lock1').execute();
    expect((await login('lock1')).statusCode).toBe(200);
  });

  it('lets the system administrator unlock an account', async () => {
    const id = await buildUser(t.db, { username: 'lock2', role: 'office', unitId });
    for (let i = 0; i < 5; i++) await login('lock2', 'wrong');
    expect((await login('lock2')).statusCode).toBe(401);
    const listed = await t.app.inject({ url: '/api/v1/admin/users?q=lock2', headers: sysadmin }); // the administrator still sees the lock
    expect(listed.json().items.find((u: { username: string }) => u.username === 'lock2')).toMatchObject({ is_locked: true });
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/admin/users/${id}/unlock`, headers: sysadmin })).statusCode).toBe(200);
    expect((await login('lock2')).statusCode).toBe(200);
  });

  it('tells the signed-in account what it may do (permissions from the one matrix), at sign-in and from /auth/me', async () => {
    await buildUser(t.db, { username: 'perm-office', role: 'office', unitId });
    await buildUser(t.db, { username: 'perm-reporter', role: 'reporter', unitId });
    const signIn = await login('perm-reporter');
    expect(signIn.json().user.permissions).toContain('report.write');
    expect(signIn.json().user.permissions).not.toContain('report.review');
    const me = async (username: string) => (await t.app.inject({ url: '/api/v1/auth/me', headers: await t.login(username) })).json().user.permissions as string[];
    const office = await me('perm-office');
    expect(office).toEqual(expect.arrayContaining(['project.admin', 'report.review', 'period.admin', 'bulletin.sign']));
    expect(office).not.toContain('user.admin');
    expect(office).not.toContain('public');
    const sys = await me('sys');
    expect(sys).toEqual(expect.arrayContaining(['user.admin', 'system.admin', 'unit.admin']));
    expect(sys).not.toContain('project.read');
    // A token holds only what it was issued with (∩ the role).
    const issued = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: await t.login('perm-office'),
      payload: { name: '权限', permissions: ['session.self', 'project.read'], expires_at: new Date(clock.now().getTime() + 86_400_000).toISOString() } });
    expect(issued.statusCode, issued.body).toBe(201);
    const byToken = await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${issued.json().token}` } });
    expect(byToken.json().user.permissions).toEqual(['session.self', 'project.read']);
  });

  it('forces a password change at first sign-in: only change-password and sign-out are allowed until then', async () => {
    const id = await buildUser(t.db, { username: 'first1', role: 'office', unitId });
    await t.db.updateTable('users').set({ must_change_password: 1 }).where('id', '=', id).execute();
    const res = await login('first1');
    expect(res.statusCode).toBe(200);
    expect(res.json().must_change_password).toBe(true);
    const h = await t.login('first1');
    for (const url of ['/api/v1/projects', '/api/v1/auth/me', '/api/v1/units']) {
      const r = await t.app.inject({ url, headers: h });
      expect(r.statusCode, url).toBe(403);
      expect(r.json().error.code).toBe('password_change_required');
    }
    const change = (current: string, next: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: h, payload: { current_password: current, new_password: next } });
    const weak = await change('Docket#2026', 'abcdefg');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.message).toContain('密码长度不足 8 位');
    expect(weak.json().error.message).toContain('中的 3 类');
    expect((await change('Docket#2026', 'Docket#2026')).json().error.message).toBe('新密码不得与最近 5 次使用过的密码相同');
    expect((await change('wrong', 'Better#Pass1')).json().error.message).toBe('原密码不正确');
    expect((await change('Docket#2026', 'Better#Pass1')).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/projects', headers: h })).statusCode).toBe(200);
    expect((await t.db.selectFrom('users').select('must_change_password').where('id', '=', id).executeTakeFirstOrThrow()).must_change_password).toBe(0);
  });

  it('refuses any of the last N passwords and ends the other sessions on change', async () => {
    await buildUser(t.db, { username: 'hist1', role: 'office', unitId });
    const other = await t.login('hist1');
    let current = 'Docket#2026';
    const h = await t.login('hist1');
    for (const next of ['Second#Pass2', 'Third#Pass3']) {
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: h, payload: { current_password: current, new_password: next } })).statusCode).toBe(200);
      current = next;
    }
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: other })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: h })).statusCode).toBe(200);
    const reuse = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: h, payload: { current_password: current, new_password: 'Second#Pass2' } });
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().error.message).toContain('不得与最近 5 次');
  });

  it('treats an expired password like a first sign-in', async () => {
    const id = await buildUser(t.db, { username: 'old1', role: 'office', unitId });
    await t.db.updateTable('users').set({ password_changed_at: new Date(clock.now().getTime() - 91 * 86_400_000).toISOString() }).where('id', '=', id).execute();
    const res = await login('old1');
    expect(res.json()).toMatchObject({ must_change_password: true, password_expired: true });
    const h = await t.login('old1');
    expect((await t.app.inject({ url: '/api/v1/projects', headers: h })).json().error.code).toBe('password_change_required');
  });

  it('shows the previous sign-in time and address', async () => {
    await buildUser(t.db, { username: 'last1', role: 'office', unitId });
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'last1', password: 'Docket#2026' }, remoteAddress: '10.1.2.3' });
    expect(first.json().last_login).toBeNull();
    const second = await login('last1');
    const stored = await t.db.selectFrom('users').select(['last_login_at']).where('username', '=', 'last1').executeTakeFirstOrThrow();
    expect(second.json().last_login).toMatchObject({ ip: '10.1.2.3' });
    expect(second.json().last_login.at < stored.last_login_at!).toBe(true);
  });

  it('serves the settings to the security administrator only, validates them, and audits each change', async () => {
    const got = await t.app.inject({ url: '/api/v1/security/settings', headers: secadmin });
    expect(got.json().settings).toMatchObject({ lockout_threshold: 5, lockout_minutes: 30, password_expiry_days: 90, session_idle_minutes: 30, audit_retention_days: 180 });
    expect((await t.app.inject({ url: '/api/v1/security/settings', headers: sysadmin })).statusCode).toBe(403);
    const low = await t.app.inject({ method: 'PATCH', url: '/api/v1/security/settings', headers: secadmin, payload: { audit_retention_days: 90 } });
    expect(low.statusCode).toBe(400);
    const ok = await t.app.inject({ method: 'PATCH', url: '/api/v1/security/settings', headers: secadmin, payload: { max_sessions: 2 } });
    expect(ok.json().settings.max_sessions).toBe(2);
    const row = (await auditRows('security.settings_update', 'sec'))[0]!;
    expect(JSON.parse(row.before_json!)).toEqual({ max_sessions: 3 });
    expect(JSON.parse(row.after_json!)).toEqual({ max_sessions: 2 });
  });

  it('ends the oldest session beyond the concurrent-session limit', async () => {
    // max_sessions was set to 2 by the previous test.
    await buildUser(t.db, { username: 'multi1', role: 'office', unitId });
    const s1 = await t.login('multi1');
    const s2 = await t.login('multi1');
    const s3 = await t.login('multi1');
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: s1 })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: s2 })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: s3 })).statusCode).toBe(200);
    await t.app.inject({ method: 'PATCH', url: '/api/v1/security/settings', headers: secadmin, payload: { max_sessions: 3 } });
  });

  it('signs out everywhere', async () => {
    await buildUser(t.db, { username: 'all1', role: 'office', unitId });
    const s1 = await t.login('all1');
    const s2 = await t.login('all1');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: s1 });
    expect(res.json()).toEqual({ ok: true, sessions_ended: 2 });
    for (const h of [s1, s2]) expect((await t.app.inject({ url: '/api/v1/auth/me', headers: h })).statusCode).toBe(401);
  });

  it('ends a session after the idle timeout and slides it on use', async () => {
    await buildUser(t.db, { username: 'idle1', role: 'office', unitId });
    const h = await t.login('idle1');
    const session = await t.db.selectFrom('sessions as s').innerJoin('users as u', 'u.id', 's.user_id').select(['s.id', 's.created_at', 's.expires_at']).where('u.username', '=', 'idle1').executeTakeFirstOrThrow();
    expect(Date.parse(session.expires_at) - Date.parse(session.created_at)).toBe(30 * 60_000);
    // Seen two minutes ago: the next request slides the expiry forward.
    await t.db.updateTable('sessions').set({ last_seen_at: new Date(clock.now().getTime() - 120_000).toISOString() }).where('id', '=', session.id).execute();
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: h })).statusCode).toBe(200);
    const slid = await t.db.selectFrom('sessions').select('expires_at').where('id', '=', session.id).executeTakeFirstOrThrow();
    expect(slid.expires_at > session.expires_at).toBe(true);
    await t.db.updateTable('sessions').set({ expires_at: new Date(clock.now().getTime() - 1000).toISOString() }).where('id', '=', session.id).execute();
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: h })).statusCode).toBe(401);
  });

  it('records sign-in, sign-out and failures with who and from where', async () => {
    await buildUser(t.db, { username: 'aud1', role: 'office', unitId });
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'aud1', password: 'nope' }, headers: { 'user-agent': 'TestAgent/1' } });
    const h = await t.login('aud1');
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: h });
    const rows = await t.db.selectFrom('audit_log').select(['action', 'outcome', 'username', 'ip', 'user_agent']).where('username', '=', 'aud1').where('action', 'like', 'auth.%').orderBy('seq').execute();
    expect(rows.map((r) => `${r.action}:${r.outcome}`)).toEqual(['auth.login:failure', 'auth.login:success', 'auth.logout:success']);
    expect(rows[0]).toMatchObject({ ip: '127.0.0.1', user_agent: 'TestAgent/1' });
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: h })).statusCode).toBe(401);
  });
});

describe.each(DIALECTS)('sign-in rate limit on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp(dialect, { loginRateLimit: 3 });
  });
  afterAll(async () => t?.close());

  it('answers 429 in the one error shape beyond the per-minute limit', async () => {
    // The limit counts per wall-clock minute: requests that straddled a minute boundary would count in two windows.
    // One fixed window, however slow the machine (Date only: timers run as usual).
    freezeAtStartOfMinute();
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        codes.push((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x' } })).statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429]);
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x' } });
      expect(res.json().error).toMatchObject({ code: 'rate_limited' });
    } finally {
      vi.useRealTimers();
    }
  });
});
