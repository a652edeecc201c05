import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, SESSION_COOKIE } from '../../plugins/auth.ts';
import type { UserService } from './user.service.ts';

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });

/** Sign-in, sign-out and the current account. */
export function userRoutes(app: FastifyInstance, users: () => UserService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/api/v1/auth/login', { config: { permission: 'public' }, schema: { body: loginBody, tags: ['auth'] } }, async (request, reply) => {
    const { token } = await users().login(request.body.username, request.body.password, {
      ip: request.ip, userAgent: request.headers['user-agent'] ?? null,
    });
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
    const actor = await users().findActorBySession(token);
    return { user: actor };
  });
  r.post('/api/v1/auth/logout', { config: { permission: 'session.self' }, schema: { tags: ['auth'] } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await users().logout(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
  r.get('/api/v1/auth/me', { config: { permission: 'session.self' }, schema: { tags: ['auth'] } }, async (request) => ({ user: actorOf(request) }));
}
