import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp } from '../../../test/app.ts';
import { buildUser } from '../../../test/factories.ts';
import { freezeAtStartOfMinute } from '../../../test/minute.ts';
import { clock } from '../../clock.ts';
import { DEVICE_COOKIE, DEVICE_COOKIE_DAYS, signDeviceCookie } from './device-cookie.ts';
import { signInLanes, type LaneTicket } from './sign-in-lanes.ts';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

const attempt = (t: TestApp, username: string, password = 'Docket#2026', device?: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers: device ? { cookie: `${DEVICE_COOKIE}=${device}` } : {} });

/** The device cookie a successful sign-in set. */
const deviceOf = (res: Awaited<ReturnType<typeof attempt>>) => {
  const c = res.cookies.find((x) => x.name === DEVICE_COOKIE);
  if (!c) throw new Error(`no device cookie (${res.statusCode} ${res.body})`);
  return c;
};

/** Variants of a genuine cookie that must buy nothing: a changed signature, another account's, an expired one. */
async function counterfeits(t: TestApp, own: string, other: string, account: { id: number; username: string }) {
  const [payload, mac] = own.split('.') as [string, string];
  const key = (await t.db.selectFrom('device_keys').select('secret').executeTakeFirstOrThrow()).secret;
  return {
    forged: `${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`,
    forgedKey: signDeviceCookie('not-the-key', account, clock.now()),
    otherAccount: other,
    expired: signDeviceCookie(key, account, new Date(clock.now().getTime() - (DEVICE_COOKIE_DAYS + 1) * 86_400_000)),
  };
}

/** Sign-ins counted against the client address (the per-address rate limit's rows). */
const addressHits = async (t: TestApp) => (await t.db.selectFrom('rate_limits').select('hits').where('key', 'like', 'login:%').execute())
  .reduce((sum, r) => sum + Number(r.hits), 0);

// Issue 14, sign-in during a flood: a known device (a cookie signed with the key in the database after a successful
// sign-in of the same account) has its own lane and is exempt from the per-address throttle, but never from the
// password check or the lockout; a forged, expired, other-account or pre-rotation cookie buys nothing. The lanes are
// driven step by step (their slots held by the test), no timing.
describe.each(DIALECTS)('known-device sign-in lane on %s', (dialect) => {
  let t: TestApp;
  let alice: { id: number; username: string };
  let bob: { id: number; username: string };
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const suffix = `${dialect}${Date.now().toString(36)}`;
    alice = { username: `alice-${suffix}`, id: 0 };
    alice.id = await buildUser(t.db, { username: alice.username, role: 'office' });
    bob = { username: `bob-${suffix}`, id: 0 };
    bob.id = await buildUser(t.db, { username: bob.username, role: 'office' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sets an HttpOnly SameSite=Strict cookie, sent to the sign-in route only, naming the account and expiring', async () => {
    const res = await attempt(t, alice.username);
    expect(res.statusCode).toBe(200);
    const c = deviceOf(res);
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth/login', maxAge: DEVICE_COOKIE_DAYS * 86_400 });
    const claim = JSON.parse(Buffer.from(c.value.split('.')[0]!, 'base64url').toString('utf8'));
    expect(claim).toMatchObject({ u: alice.id, n: alice.username });
    const days = (claim.e - clock.now().getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(DEVICE_COOKIE_DAYS - 1);
    expect(days).toBeLessThanOrEqual(DEVICE_COOKIE_DAYS);
    // A failed sign-in sets none.
    expect((await attempt(t, alice.username, 'Wrong#2026x')).cookies.find((x) => x.name === DEVICE_COOKIE)).toBeUndefined();
  });

  it('lets a known device sign in while the flood lane is full; without a cookie or with a counterfeit one the sign-in is refused before any database work', async () => {
    const own = deviceOf(await attempt(t, alice.username)).value;
    const other = deviceOf(await attempt(t, bob.username)).value;
    const fakes = await counterfeits(t, own, other, alice);
    // The flood: every slot of the other lane taken and its queue full (held by the test, released below).
    const flood: Promise<LaneTicket>[] = [];
    while (!signInLanes.isFull('other')) flood.push(signInLanes.enter('other'));
    try {
      const hitsBefore = await addressHits(t);
      const rowsBefore = (await t.db.selectFrom('audit_log').select('seq').where('action', '=', 'auth.login').execute()).length;
      for (const cookie of [undefined, fakes.forged, fakes.forgedKey, fakes.otherAccount, fakes.expired]) {
        const res = await attempt(t, alice.username, 'Docket#2026', cookie);
        expect([res.statusCode, res.json().error.code]).toEqual([429, 'rate_limited']);
      }
      // Refused before the rate-limit row, the claim and the failure row.
      expect(await addressHits(t)).toBe(hitsBefore);
      expect((await t.db.selectFrom('audit_log').select('seq').where('action', '=', 'auth.login').execute()).length).toBe(rowsBefore);
      // The known device is neither queued behind the flood nor refused with it.
      const known = await attempt(t, alice.username, 'Docket#2026', own);
      expect(known.statusCode).toBe(200);
      expect(await addressHits(t)).toBe(hitsBefore); // exempt from the per-address count
      // Its password is still checked.
      const wrong = await attempt(t, alice.username, 'Wrong#2026x', deviceOf(known).value);
      expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, 'unauthenticated']);
    } finally {
      for (const p of flood) (await p).release();
    }
    expect(signInLanes.isFull('other')).toBe(false);
  });

  it('exempts a known device from the per-address limit for its own account only, never from the lockout, and not after the key rotates', async () => {
    const limited = await createTestApp(dialect, { loginRateLimit: 3 });
    try {
      const suffix = `${dialect}${Date.now().toString(36)}R`;
      const carol = { username: `carol-${suffix}`, id: 0 };
      carol.id = await buildUser(limited.db, { username: carol.username, role: 'office' });
      const dave = { username: `dave-${suffix}`, id: await buildUser(limited.db, { username: `dave-${suffix}`, role: 'office' }) };
      await buildUser(limited.db, { username: `sec-${suffix}`, role: 'secadmin' });
      freezeAtStartOfMinute(); // one rate-limit window for the whole test, however slow the machine
      const secHeaders = await limited.login(`sec-${suffix}`); // hit 1
      const own = deviceOf(await attempt(limited, carol.username)).value; // hit 2
      const other = deviceOf(await attempt(limited, dave.username)).value; // hit 3
      expect((await attempt(limited, `ghost-${suffix}`, 'x')).statusCode).toBe(429); // the address is spent
      const fakes = await counterfeits(limited, own, other, carol);
      for (const cookie of [undefined, fakes.forged, fakes.forgedKey, fakes.otherAccount, fakes.expired]) {
        const res = await attempt(limited, carol.username, 'Docket#2026', cookie);
        expect([res.statusCode, res.json().error.code]).toEqual([429, 'rate_limited']);
      }
      // The known device signs in although its address is spent…
      const signedIn = await attempt(limited, carol.username, 'Docket#2026', own);
      expect(signedIn.statusCode).toBe(200);
      const fresh = deviceOf(signedIn).value;
      // …but its wrong passwords count towards the lockout like any other, and the lock holds against it.
      for (let i = 0; i < 5; i++) expect((await attempt(limited, carol.username, `Wrong#2026${i}`, fresh)).statusCode).toBe(401);
      const row = await limited.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', carol.id).executeTakeFirstOrThrow();
      expect(Number(row.failed_logins)).toBe(5);
      expect(row.locked_until).not.toBeNull();
      expect((await attempt(limited, carol.username, 'Docket#2026', fresh)).json().error.code).toBe('unauthenticated');
      await limited.db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', carol.id).execute();
      expect((await attempt(limited, carol.username, 'Docket#2026', fresh)).statusCode).toBe(200);
      // The security administrator rotates the key: every device cookie signed before is void.
      const rotated = await limited.app.inject({ method: 'POST', url: '/api/v1/security/device-key/rotate', headers: secHeaders });
      expect(rotated.statusCode).toBe(200);
      const res = await attempt(limited, carol.username, 'Docket#2026', fresh);
      expect([res.statusCode, res.json().error.code]).toEqual([429, 'rate_limited']);
      const audit = await limited.db.selectFrom('audit_log').select('username').where('action', '=', 'security.device_key_rotate').execute();
      expect(audit.map((r) => r.username)).toEqual([`sec-${suffix}`]);
    } finally {
      vi.useRealTimers();
      await limited.close();
    }
  });
});
