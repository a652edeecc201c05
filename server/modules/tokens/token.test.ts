import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { clock } from '../../clock.ts';

describe.each(DIALECTS)('API tokens on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let sys: LoginHeaders;
  let officeId: number;
  let unitId: number;
  const future = new Date(clock.now().getTime() + 30 * 86_400_000).toISOString();

  const issue = (payload: object) => t.app.inject({ method: 'POST', url: '/api/v1/admin/tokens', headers: sys, payload });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    unitId = (await buildUnit(t.db, { name: '区发改局', kind: 'office', regionCode: '320506' })).id;
    await buildProject(t.db, { name: '接口项目', unit_id: unitId });
    officeId = await buildUser(t.db, { username: 'integration', role: 'office', unitId });
    await buildUser(t.db, { username: 'sys', role: 'sysadmin' });
    sys = await t.login('sys');
  });
  afterAll(async () => t?.close());

  it('issues a token limited to chosen permissions, stored only as a hash', async () => {
    const res = await issue({ name: '统计局对接', user_id: officeId, permissions: ['project.read'], expires_at: future });
    expect(res.statusCode).toBe(201);
    const { token, id } = res.json();
    expect(token).toMatch(/^dkt_/);
    const stored = await t.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token.slice(4, 20));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await t.app.inject({ url: '/api/v1/projects', headers: bearer(token) })).json().totals.count).toBe(1);
    // Not granted, though the account's role holds it.
    const write = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer(token), payload: { name: 'x', region_code: '320506', unit_id: unitId, total_investment: 1 } });
    expect(write.statusCode).toBe(403);
  });

  it('needs no CSRF header for writes, and the audit trail says the request came by token', async () => {
    const { token } = (await issue({ name: '写入', user_id: officeId, permissions: ['project.read', 'project.admin'], expires_at: future })).json();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer(token), payload: { name: '接口新建项目', region_code: '320506', unit_id: unitId, total_investment: 1 } });
    expect(res.statusCode).toBe(201);
    const row = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'request').where('route', '=', '/api/v1/projects').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(row.username).toBe('integration');
    expect(JSON.parse(row.details_json!)).toMatchObject({ via: 'token' });
  });

  it('refuses permissions beyond the account role, and past expiry dates', async () => {
    const beyond = await issue({ name: 'x', user_id: officeId, permissions: ['audit.read'], expires_at: future });
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json().error.message).toContain('audit.read');
    expect((await issue({ name: 'x', user_id: officeId, permissions: ['project.read'], expires_at: '2020-01-01' })).statusCode).toBe(400);
  });

  it('stops working when revoked or expired', async () => {
    const a = (await issue({ name: 'a', user_id: officeId, permissions: ['project.read'], expires_at: future })).json();
    const b = (await issue({ name: 'b', user_id: officeId, permissions: ['project.read'], expires_at: future })).json();
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/admin/tokens/${a.id}/revoke`, headers: sys })).json().revoked_at).not.toBeNull();
    await t.db.updateTable('api_tokens').set({ expires_at: new Date(clock.now().getTime() - 1000).toISOString() }).where('id', '=', b.id).execute();
    for (const token of [a.token, b.token, 'dkt_unknown']) {
      const res = await t.app.inject({ url: '/api/v1/projects', headers: bearer(token) });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.message).toBe('API 令牌无效、已过期或已吊销');
    }
    const list = (await t.app.inject({ url: '/api/v1/admin/tokens', headers: sys })).json().items;
    expect(list.every((x: Record<string, unknown>) => !('token_hash' in x))).toBe(true);
  });
});
