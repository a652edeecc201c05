import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../test/app.ts';
import { buildRegions, buildUnit, buildUser } from '../../test/factories.ts';

describe.each(DIALECTS)('hardening on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  beforeAll(async () => {
    t = await createTestApp(dialect, { bodyLimit: 4096 });
    await buildRegions(t.db);
    const unit = await buildUnit(t.db, { name: '区发改局', kind: 'office' });
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: unit.id });
    office = await t.login('office1');
  });
  afterAll(async () => t?.close());

  it('sends a strict Content-Security-Policy without inline scripts, and no framing', async () => {
    const res = await t.app.inject({ url: '/api/v1/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers every failure in the one error shape without stack traces', async () => {
    const cases = [
      { req: { method: 'POST' as const, url: '/api/v1/projects', headers: office, payload: { name: 'x'.repeat(5000) } }, status: 413, code: 'payload_too_large' },
      { req: { method: 'POST' as const, url: '/api/v1/projects', headers: { ...office, 'content-type': 'application/json' }, payload: '{"name":' }, status: 400, code: 'bad_request' },
      { req: { method: 'GET' as const, url: '/api/v1/no-such-thing', headers: office }, status: 404, code: 'not_found' },
      { req: { method: 'POST' as const, url: '/api/v1/auth/login', payload: {} }, status: 400, code: 'validation_failed' },
    ];
    for (const c of cases) {
      const res = await t.app.inject(c.req);
      expect(res.statusCode, c.req.url).toBe(c.status);
      const body = res.json();
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error).toMatchObject({ code: c.code });
      expect(typeof body.error.message).toBe('string');
      expect(res.body).not.toMatch(/\n\s+at /);
    }
  });

  it('never sends the password hash or token hashes in account answers', async () => {
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: office });
    expect(me.body).not.toContain('scrypt$');
    expect(me.json().user).toMatchObject({ username: 'office1', role: 'office' });
  });
});
