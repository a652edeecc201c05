import crypto from 'node:crypto';

/**
 * The known-device cookie (issue 14, sign-in during a flood). Set after a successful sign-in, it tells a later
 * sign-in of the same account from the same browser that this device signed in before, so that sign-in takes the
 * known-device lane: its own admission slots and first place in the password-hashing queue, and no per-address
 * rate limit (a flood from the office's shared address must not lock the office out). It never replaces the
 * password check or the lockout: a sign-in with it still claims an attempt and checks the password like any other.
 *
 * Value: base64url(JSON {u: user id, n: username, e: expiry ms}) + '.' + base64url(HMAC-SHA256(key, payload)).
 * The key is a row of device_keys read per sign-in (never kept in a server's memory), so a rotation is seen by
 * every server at once and voids every cookie signed before.
 */
export const DEVICE_COOKIE = 'docket_device';
/** Sent with sign-ins only: no other request carries it. */
export const DEVICE_COOKIE_PATH = '/api/v1/auth/login';
/** How long a device stays known after its last successful sign-in. */
export const DEVICE_COOKIE_DAYS = 30;

/** What a device cookie claims before its signature is checked. */
export interface DeviceClaim {
  userId: number;
  username: string;
  expiresAt: number;
  payload: string;
  mac: string;
}

function macOf(key: string, payload: string): string {
  return crypto.createHmac('sha256', key).update(`docket-device-v1.${payload}`).digest('base64url');
}

/** A new random signing key. */
export function newDeviceKey(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** The cookie value for an account, valid DEVICE_COOKIE_DAYS from `now` under `key`. */
export function signDeviceCookie(key: string, user: { id: number; username: string }, now: Date, days = DEVICE_COOKIE_DAYS): string {
  const payload = Buffer.from(JSON.stringify({ u: user.id, n: user.username, e: now.getTime() + days * 86_400_000 })).toString('base64url');
  return `${payload}.${macOf(key, payload)}`;
}

/**
 * The claim of a well-formed, unexpired cookie, or undefined: checked without the key (no database work), so a
 * request without a plausible cookie never enters the known-device lane. The claim is not trusted until
 * isDeviceClaimValid.
 */
export function parseDeviceCookie(value: string | undefined, now: Date): DeviceClaim | undefined {
  if (!value || value.length > 512) return undefined;
  const [payload, mac, rest] = value.split('.');
  if (!payload || !mac || rest !== undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { u, n, e } = parsed as Record<string, unknown>;
    if (!Number.isSafeInteger(u) || typeof n !== 'string' || typeof e !== 'number' || e <= now.getTime()) return undefined;
    return { userId: u as number, username: n, expiresAt: e, payload, mac };
  } catch {
    return undefined;
  }
}

/** Whether the claim was signed with the current key and names this account (id and name). */
export function isDeviceClaimValid(claim: DeviceClaim, key: string | undefined, account: { id: number; username: string } | undefined): boolean {
  if (key === undefined || account === undefined) return false;
  const expected = Buffer.from(macOf(key, claim.payload));
  const given = Buffer.from(claim.mac);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given)
    && claim.userId === account.id && claim.username === account.username;
}
