import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.ts';
import type { Config } from '../../config.ts';
import { openDatabase, type Database } from '../../db/database.ts';
import { DIALECTS } from '../../../test/db.ts';
import { freezeAtStartOfMinute } from '../../../test/minute.ts';
import { createTestApp } from '../../../test/app.ts';
import { buildUnit, buildUser, buildRegions } from '../../../test/factories.ts';
import { clock } from '../../clock.ts';

// Issue 14, items 2 and 3: the lockout and the sign-in rate limit hold under concurrency and across servers
// (two app instances, each with its own connection pool, on one database), and a client cannot pick its address.
describe.each(DIALECTS)('sign-in under concurrency on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let other: { app: FastifyInstance; db: Database };
  let unitId: number;

  const attempt = (app: FastifyInstance, username: string, password: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers });
  /** Passwords actually checked: every check leaves a bad_password failure or a success row. */
  const checks = async (username: string) => {
    const rows = await t.db.selectFrom('audit_log').select(['outcome', 'details_json']).where('action', '=', 'auth.login').where('username', '=', username).execute();
    return rows.filter((r) => r.outcome === 'success' || JSON.parse(r.details_json ?? '{}').reason === 'bad_password').length;
  };
  const secondServer = async (config: Config) => {
    const db = openDatabase(config);
    return { app: await buildApp(config, db), db };
  };

  beforeAll(async () => {
    t = await createTestApp(dialect, { loginRateLimit: 10_000 });
    await buildRegions(t.db);
    unitId = (await buildUnit(t.db, { name: '区发改局', kind: 'office', regionCode: '320506' })).id;
    other = await secondServer(t.config);
  });
  afterAll(async () => {
    await other?.app.close();
    await other?.db.destroy();
    await t?.close();
  });

  it('checks at most the threshold of passwords among 20 simultaneous wrong sign-ins on two servers, and keeps the count', async () => {
    await buildUser(t.db, { username: 'race1', role: 'office', unitId });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(i % 2 ? other.app : t.app, 'race1', `wrong-${i}`)));
    expect(answers.every((a) => a.statusCode === 401)).toBe(true);
    expect(await checks('race1')).toBe(5);
    const user = await t.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('username', '=', 'race1').executeTakeFirstOrThrow();
    expect(Number(user.failed_logins)).toBe(5); // the lock does not reset the count
    expect(user.locked_until! > clock.now().toISOString()).toBe(true);
    // The right password during the lock fails, on either server, and checks nothing; it answers as a wrong one.
    for (const app of [t.app, other.app]) expect((await attempt(app, 'race1', 'Docket#2026')).json().error.code).toBe('unauthenticated');
    expect(await checks('race1')).toBe(5);
  });

  it('in a burst of 39 wrong and 1 right, checks at most the threshold, and a right password is refused while locked', async () => {
    await buildUser(t.db, { username: 'race2', role: 'office', unitId });
    const passwords = [...Array.from({ length: 39 }, (_, i) => `wrong-${i}`), 'Docket#2026'];
    const answers = await Promise.all(passwords.map((p, i) => attempt(i % 2 ? other.app : t.app, 'race2', p)));
    expect(await checks('race2')).toBeLessThanOrEqual(5);
    const right = answers[39]!;
    // Refused, it answers as a wrong password, or (its dummy check queued behind the burst's) as a busy server.
    if (right.statusCode !== 200) expect(['unauthenticated', 'rate_limited']).toContain(right.json().error.code);
    const user = await t.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('username', '=', 'race2').executeTakeFirstOrThrow();
    if (right.statusCode !== 200) expect(user.locked_until).not.toBeNull();
  });

  it('starts a fresh count when a lock has run out', async () => {
    await buildUser(t.db, { username: 'race3', role: 'office', unitId });
    for (let i = 0; i < 5; i++) await attempt(t.app, 'race3', 'wrong');
    await t.db.updateTable('users').set({ locked_until: new Date(clock.now().getTime() - 1000).toISOString() }).where('username', '=', 'race3').execute();
    expect((await attempt(t.app, 'race3', 'wrong')).statusCode).toBe(401); // one failure after the lock, not a new lock
    expect((await attempt(t.app, 'race3', 'Docket#2026')).statusCode).toBe(200);
  });

  it('under a flood of refused sign-ins writes one row per outcome the service decides and one per decade of refusals, not a row per request', async () => {
    const limited = await createTestApp(dialect, { loginRateLimit: 3 });
    try {
      freezeAtStartOfMinute();
      const codes: number[] = [];
      for (let i = 0; i < 15; i++) codes.push((await attempt(limited.app, `ghost${i}`, 'x')).statusCode);
      expect(codes).toEqual([401, 401, 401, ...Array<number>(12).fill(429)]);
      const rows = await limited.db.selectFrom('audit_log').select(['action', 'status', 'details_json']).where('route', 'is', null).where('action', '=', 'auth.login').execute();
      expect(rows).toHaveLength(3); // the service's own failure rows, with the name tried
      const requests = await limited.db.selectFrom('audit_log').select(['status', 'details_json']).where('action', '=', 'request').where('route', '=', '/api/v1/auth/login').orderBy('seq').execute();
      expect(requests.map((r) => [r.status, JSON.parse(r.details_json ?? '{}').refused_this_minute])).toEqual([[429, 1], [429, 10]]);
    } finally {
      vi.useRealTimers();
      await limited.close();
    }
  });

  it('ignores X-Forwarded-For unless the proxy is configured, and limits sign-ins per address in the database across servers', async () => {
    const limited = await createTestApp(dialect, { loginRateLimit: 20 });
    const limitedOther = await secondServer(limited.config);
    try {
      await buildUser(limited.db, { username: 'flood', role: 'office' });
      // One fixed-minute window for the whole flood, however slow the machine (Date only: timers run as usual).
      freezeAtStartOfMinute();
      const codes: number[] = [];
      for (let i = 0; i < 25; i++) {
        const res = await attempt(i % 2 ? limitedOther.app : limited.app, `nobody${i}`, 'x', { 'x-forwarded-for': `203.0.113.${i}` });
        codes.push(res.statusCode);
      }
      expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
      expect(codes.slice(20)).toEqual([429, 429, 429, 429, 429]);
      const ips = await limited.db.selectFrom('audit_log').select('ip').where('action', '=', 'auth.login').execute();
      expect(new Set(ips.map((r) => r.ip))).toEqual(new Set(['127.0.0.1']));
    } finally {
      vi.useRealTimers();
      await limitedOther.app.close();
      await limitedOther.db.destroy();
      await limited.close();
    }
    // Behind a configured proxy the forwarded address is the client's.
    const proxied = await createTestApp(dialect, { trustProxy: ['127.0.0.1'] });
    try {
      await buildUser(proxied.db, { username: 'behind', role: 'office' });
      expect((await attempt(proxied.app, 'behind', 'Docket#2026', { 'x-forwarded-for': '198.51.100.7' })).statusCode).toBe(200);
      const user = await proxied.db.selectFrom('users').select('last_login_ip').where('username', '=', 'behind').executeTakeFirstOrThrow();
      expect(user.last_login_ip).toBe('198.51.100.7');
    } finally {
      await proxied.close();
    }
  });
});
