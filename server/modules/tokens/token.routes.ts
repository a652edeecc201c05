import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../plugins/auth.ts';
import type { TokenService } from './token.service.ts';
import { apiTokenListSchema, apiTokenSchema, issuedTokenSchema } from './token.responses.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const issueBody = z.object({
  name: z.string().trim().min(1).max(100),
  /** Optional and, when given, must be the caller's own id: tokens are issued by their holder only. */
  user_id: z.number().int().positive().optional(),
  permissions: z.array(z.string().max(64)).min(1).max(50),
  /** An instant or date; or expires_in_days, counted from the server's clock (the web page's choice). */
  expires_at: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  expires_in_days: z.number().int().min(1).max(3650).optional(),
}).refine((b) => (b.expires_at === undefined) !== (b.expires_in_days === undefined), { message: '须给出有效期（expires_at 或 expires_in_days 之一）', path: ['expires_at'] });

/**
 * API tokens. Every account issues, lists and revokes its own (三员: a token acts for its holder only, within the
 * holder's role); the system administrator sees every token and can revoke any, but issues none for others.
 */
export function tokenRoutes(app: FastifyInstance, service: () => TokenService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/tokens', { config: { permission: 'session.self' }, schema: { tags: ['auth'], response: { 200: apiTokenListSchema } } }, async (request) => service().list(actorOf(request).userId));
  r.post('/api/v1/tokens', { config: { permission: 'session.self' }, schema: { tags: ['auth'], body: issueBody, response: { 201: issuedTokenSchema } } },
    async (request, reply) => reply.status(201).send(await service().issue(actorOf(request), request.body, request.authVia)));
  r.post('/api/v1/tokens/:id/revoke', { config: { permission: 'session.self' }, schema: { tags: ['auth'], params: idParams, response: { 200: apiTokenSchema } } },
    async (request) => service().revoke(actorOf(request), request.params.id, actorOf(request).userId));
  r.get('/api/v1/admin/tokens', { config: { permission: 'token.admin' }, schema: { tags: ['admin'], response: { 200: apiTokenListSchema } } }, async () => service().list());
  r.post('/api/v1/admin/tokens/:id/revoke', { config: { permission: 'token.admin' }, schema: { tags: ['admin'], params: idParams, response: { 200: apiTokenSchema } } },
    async (request) => service().revoke(actorOf(request), request.params.id));
}
