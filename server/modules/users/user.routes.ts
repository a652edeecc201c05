import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../core/clock.ts';
import { describePasswordPolicy } from '../../../core/password-policy.ts';
import { permissionsOf } from '../../platform/access.ts';
import { sessionsEndedSchema } from '../../platform/responses.ts';
import { actorOf, CSRF_COOKIE, originOf, SESSION_COOKIE } from '../../plugins/auth.ts';
import type { UserService } from './user.service.ts';
import { loginResponse, meResponse, okResponse, passwordPolicyResponse } from './user.schema.ts';
import type { RateLimitRepository } from './rate-limit.repository.ts';
import { checkRateLimit } from './rate-limit.ts';
import { DEVICE_COOKIE, DEVICE_COOKIE_DAYS, DEVICE_COOKIE_PATH, parseDeviceCookie } from './device-cookie.ts';
import { SIGN_IN_BUSY_BODY, signInLanes, type LaneTicket } from './sign-in-lanes.ts';

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
const changePasswordBody = z.object({ current_password: z.string().min(1).max(256), new_password: z.string().min(1).max(256) });

/** The refusal's bytes and headers, made once (the refused path of a flood allocates as little as it can). */
const BUSY_BYTES = Buffer.from(SIGN_IN_BUSY_BODY);
const JSON_TYPE = 'application/json; charset=utf-8';

/** Requests per minute and IP that the sign-in route accepts (the database lockout guards each account). */
export const LOGIN_RATE_LIMIT_DEFAULT = 20;

/** Sign-in, sign-out, password change and the current account. */
export function userRoutes(app: FastifyInstance, users: () => UserService, opts: { loginRateLimit: number; rateLimits: () => RateLimitRepository; clock: Clock }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // The sign-in's place in its lane (sign-in-lanes.ts), from admission to the answer.
  const tickets = new WeakMap<object, LaneTicket>();
  const release = async (request: object) => {
    tickets.get(request)?.release();
  };
  const admit = async (request: FastifyRequest, reply: FastifyReply) => {
    const lane = signInLanes.laneFor(parseDeviceCookie(request.cookies[DEVICE_COOKIE], opts.clock.now()) ? 'device' : 'other');
    if (signInLanes.isFull(lane)) return reply.code(429).header('content-type', JSON_TYPE).send(BUSY_BYTES);
    const ticket = await signInLanes.enter(lane);
    // A client gone while it waited gets no handler and no answer: its place is given back now.
    if (request.raw.destroyed) ticket.release();
    else tickets.set(request, ticket);
    return undefined;
  };
  r.post('/api/v1/auth/login', {
    config: { permission: 'public', auditedByService: true },
    schema: { body: loginBody, tags: ['auth'], response: { 200: loginResponse } },
    // Admission before the body is read, parsed or validated (issue 14, sign-in during a flood): the lane comes from
    // the device cookie's shape alone (no key, no database), and a full lane answers a prebuilt 429, the same bytes
    // whatever the name, so a flood's refused sign-ins cost the HTTP parse and this and nothing else.
    onRequest: admit,
    onResponse: release,
    onRequestAbort: release,
  }, async (request, reply) => {
    const result = await users().signIn(request.body.username, request.body.password, originOf(request), {
      deviceCookie: request.cookies[DEVICE_COOKIE],
      ticket: tickets.get(request),
      // Per client address and minute, counted in the database (every server sees the same count); a known device
      // of the account is exempt (user.service.ts signIn). The address is the socket's unless the request came
      // through a configured proxy (DOCKET_TRUST_PROXY).
      checkAddress: () => checkRateLimit(opts.rateLimits(), `login:${request.ip}`, opts.loginRateLimit, opts.clock.now()),
    });
    const secure = request.protocol === 'https';
    reply.setCookie(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'strict', secure });
    reply.setCookie(CSRF_COOKIE, result.csrfToken, { path: '/', httpOnly: false, sameSite: 'strict', secure });
    // The known-device cookie: HttpOnly, sent back only to the sign-in route, signed for this account.
    reply.setCookie(DEVICE_COOKIE, result.deviceCookie, { path: DEVICE_COOKIE_PATH, httpOnly: true, sameSite: 'strict', secure, maxAge: DEVICE_COOKIE_DAYS * 86_400 });
    const settings = result.settings;
    return {
      user: { ...result.user, permissions: permissionsOf(result.user.role) },
      csrf_token: result.csrfToken,
      must_change_password: result.mustChangePassword,
      password_expired: result.passwordExpired,
      password_expires_at: result.passwordExpiresAt,
      last_login: result.lastLogin,
      password_reset: result.passwordReset,
      sessions_ended: result.sessionsEnded,
      session_idle_minutes: settings.session_idle_minutes,
      password_policy: describePasswordPolicy({ minLength: settings.password_min_length, minClasses: settings.password_min_classes }),
    };
  });
  // The security administrator voids every known-device cookie (device-cookie.ts) on all servers at once.
  r.post('/api/v1/security/device-key/rotate', { config: { permission: 'security.admin' }, schema: { tags: ['security'], response: { 200: okResponse } } }, async (request) => {
    await users().rotateDeviceKey(actorOf(request));
    return { ok: true };
  });
  r.post('/api/v1/auth/logout', { config: { permission: 'session.self', allowDuringPasswordChange: true }, schema: { tags: ['auth'], response: { 200: okResponse } } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await users().logout(token, actorOf(request));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return { ok: true };
  });
  r.post('/api/v1/auth/logout-all', { config: { permission: 'session.self', allowDuringPasswordChange: true }, schema: { tags: ['auth'], response: { 200: sessionsEndedSchema } } }, async (request, reply) => {
    const ended = await users().logoutEverywhere(actorOf(request));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return { ok: true, sessions_ended: ended };
  });
  r.post('/api/v1/auth/password', {
    config: { permission: 'session.self', allowDuringPasswordChange: true },
    schema: { tags: ['auth'], body: changePasswordBody, response: { 200: okResponse } },
  }, async (request) => {
    await users().changePassword(actorOf(request), request.cookies[SESSION_COOKIE], request.body.current_password, request.body.new_password);
    return { ok: true };
  });
  // The password rules in force, for the change-password form's hint (it must not print a number the policy no longer has).
  r.get('/api/v1/auth/password-policy', { config: { permission: 'session.self', allowDuringPasswordChange: true }, schema: { tags: ['auth'], response: { 200: passwordPolicyResponse } } }, async () => {
    const settings = await users().settings();
    const policy = { minLength: settings.password_min_length, minClasses: settings.password_min_classes };
    return { min_length: policy.minLength, min_classes: policy.minClasses, text: describePasswordPolicy(policy) };
  });
  r.get('/api/v1/auth/me', { config: { permission: 'session.self' }, schema: { tags: ['auth'], response: { 200: meResponse } } }, async (request) => {
    const { origin: _origin, ...user } = actorOf(request);
    // What the account may do, so that the web asks can(permission) instead of reasoning from role names.
    return { user: { ...user, permissions: permissionsOf(user.role, request.tokenPermissions ?? undefined) } };
  });
}
