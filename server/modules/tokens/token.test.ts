import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { clock } from '../../clock.ts';

describe.each(DIALECTS)('API tokens on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let sys: LoginHeaders;
  let office: LoginHeaders;
  let officeId: number;
  let sysId: number;
  let unitId: number;
  let projectId: number;
  const future = new Date(clock.now().getTime() + 30 * 86_400_000).toISOString();

  const issue = (headers: Record<string, string>, payload: object) => t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const lastRequestRow = (route: string) => t.db.selectFrom('audit_log').selectAll().where('action', '=', 'request').where('route', '=', route)
    .orderBy('seq', 'desc').executeTakeFirstOrThrow();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    unitId = (await buildUnit(t.db, { name: '区发改局', kind: 'office', regionCode: '320506' })).id;
    projectId = await buildProject(t.db, { name: '接口项目', unit_id: unitId });
    officeId = await buildUser(t.db, { username: 'integration', role: 'office', unitId });
    sysId = await buildUser(t.db, { username: 'sys', role: 'sysadmin' });
    await buildUser(t.db, { username: 'auditor', role: 'auditor' });
    sys = await t.login('sys');
    office = await t.login('integration');
  });
  afterAll(async () => t?.close());

  it('lets an account issue a token for itself, limited to chosen permissions, stored only as a hash', async () => {
    const res = await issue(office, { name: '统计局对接', permissions: ['project.read'], expires_at: future });
    expect(res.statusCode, res.body).toBe(201);
    const { token, id, user_id } = res.json();
    expect(user_id).toBe(officeId);
    expect(token).toMatch(/^dkt_/);
    const stored = await t.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token.slice(4, 20));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await t.app.inject({ url: '/api/v1/projects', headers: bearer(token) })).json().totals.count).toBe(1);
    // Not granted, though the account's role holds it.
    const write = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer(token), payload: { name: 'x', region_code: '320506', unit_id: unitId, total_investment: 1 } });
    expect(write.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/tokens', headers: office })).json().items.map((x: { id: number }) => x.id)).toContain(id);
  });

  it('never gives the system administrator a business permission through a token (三员)', async () => {
    // The old route that minted tokens for any account is gone …
    const minted = await t.app.inject({ method: 'POST', url: '/api/v1/admin/tokens', headers: sys, payload: { name: 'x', user_id: officeId, permissions: ['project.read', 'project.write'], expires_at: future } });
    expect([404, 405]).toContain(minted.statusCode);
    // … a token for someone else is refused …
    const forOther = await issue(sys, { name: 'x', user_id: officeId, permissions: ['project.read'], expires_at: future });
    expect(forOther.statusCode).toBe(403);
    expect(forOther.json().error.message).toContain('持有人本人');
    // … and the administrator's own role has no business permission to give.
    const own = await issue(sys, { name: 'x', permissions: ['project.read', 'project.write'], expires_at: future });
    expect(own.statusCode).toBe(400);
    expect(own.json().error.message).toContain('project.read');
    expect(await t.db.selectFrom('api_tokens').select('id').where('user_id', '=', officeId).where('created_by', '=', sysId).execute()).toEqual([]);
    // A token cannot issue tokens, even its holder's.
    const { token } = (await issue(sys, { name: '本人', permissions: ['session.self', 'user.admin'], expires_at: future })).json();
    expect((await issue(bearer(token), { name: 'y', permissions: ['user.admin'], expires_at: future })).statusCode).toBe(403);
  });

  it('audits every use of a token, reads too, as the token (id and name) on behalf of its holder', async () => {
    const { token, id } = (await issue(office, { name: '写入接口', permissions: ['project.read', 'project.admin', 'project.write'], expires_at: future })).json();
    expect((await t.app.inject({ url: `/api/v1/projects/${projectId}`, headers: bearer(token) })).statusCode).toBe(200);
    const read = await lastRequestRow('/api/v1/projects/:id');
    expect(read).toMatchObject({ method: 'GET', username: 'integration', user_id: officeId, entity_id: String(projectId) });
    expect(JSON.parse(read.details_json!)).toMatchObject({ via: 'token', token_id: id, token_name: '写入接口' });

    const res = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer(token), payload: { name: '接口新建项目', region_code: '320506', unit_id: unitId, total_investment: 1 } });
    expect(res.statusCode).toBe(201);
    const row = await lastRequestRow('/api/v1/projects');
    expect(row.username).toBe('integration');
    expect(JSON.parse(row.details_json!)).toMatchObject({ via: 'token', token_id: id, token_name: '写入接口' });
    // The service's own before/after row names the token too.
    const created = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'project.create').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(created.details_json!)).toMatchObject({ token_id: id, token_name: '写入接口' });
  });

  it('refuses permissions beyond the account role, and past expiry dates', async () => {
    const beyond = await issue(office, { name: 'x', permissions: ['audit.read'], expires_at: future });
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json().error.message).toContain('audit.read');
    expect((await issue(office, { name: 'x', permissions: ['project.read'], expires_at: '2020-01-01' })).statusCode).toBe(400);
  });

  it('stops working when revoked (by its holder or the administrator) or expired', async () => {
    const a = (await issue(office, { name: 'a', permissions: ['project.read'], expires_at: future })).json();
    const b = (await issue(office, { name: 'b', permissions: ['project.read'], expires_at: future })).json();
    const c = (await issue(office, { name: 'c', permissions: ['project.read'], expires_at: future })).json();
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/admin/tokens/${a.id}/revoke`, headers: sys })).json().revoked_at).not.toBeNull();
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/tokens/${c.id}/revoke`, headers: office })).json().revoked_at).not.toBeNull();
    // Nobody revokes another's token through the self-service route.
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/tokens/${b.id}/revoke`, headers: sys })).statusCode).toBe(404);
    await t.db.updateTable('api_tokens').set({ expires_at: new Date(clock.now().getTime() - 1000).toISOString() }).where('id', '=', b.id).execute();
    for (const token of [a.token, b.token, c.token, 'dkt_unknown']) {
      const res = await t.app.inject({ url: '/api/v1/projects', headers: bearer(token) });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.message).toBe('API 令牌无效、已过期或已吊销');
    }
    const list = (await t.app.inject({ url: '/api/v1/admin/tokens', headers: sys })).json().items;
    expect(list.every((x: Record<string, unknown>) => !('token_hash' in x))).toBe(true);
  });

  it('makes an administrator\'s password reset force a change and shows it to the holder and the auditor', async () => {
    const holderId = await buildUser(t.db, { username: 'holder', role: 'office', unitId });
    const reset = await t.app.inject({ method: 'POST', url: `/api/v1/admin/users/${holderId}/reset-password`, headers: sys, payload: { password: 'Reset#Pass2026' } });
    expect(reset.statusCode, reset.body).toBe(200);
    // 三员: a business account's reset waits for the security administrator before anyone can sign in with it.
    const early = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'holder', password: 'Reset#Pass2026' } });
    expect(early.json().error.message).toContain('待安全保密管理员核准');
    await buildUser(t.db, { username: 'sec.tokens', role: 'secadmin' });
    const approve = await t.app.inject({ method: 'POST', url: `/api/v1/security/pending-accounts/${holderId}/approve`, headers: await t.login('sec.tokens') });
    expect(approve.statusCode, approve.body).toBe(200);
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'holder', password: 'Reset#Pass2026' } });
    expect(signIn.json()).toMatchObject({ must_change_password: true, password_reset: { by: 'sys', at: expect.any(String) } });
    const cookie = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await t.app.inject({ url: '/api/v1/projects', headers: { cookie } })).json().error.code).toBe('password_change_required');
    const auditor = await t.login('auditor');
    const seen = await t.app.inject({ url: `/api/v1/audit?action=user.password_reset&page=1&page_size=10`, headers: auditor });
    expect(seen.json().items).toEqual(expect.arrayContaining([expect.objectContaining({ username: 'sys', entity_id: String(holderId) })]));
  });
});
