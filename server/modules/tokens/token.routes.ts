import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../plugins/auth.ts';
import type { TokenService } from './token.service.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const issueBody = z.object({
  name: z.string().trim().min(1).max(100),
  user_id: z.number().int().positive(),
  permissions: z.array(z.string().max(64)).min(1).max(50),
  expires_at: z.iso.datetime({ offset: true }).or(z.iso.date()),
});

/** API tokens for integrations, issued and revoked by the system administrator. */
export function tokenRoutes(app: FastifyInstance, service: () => TokenService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/admin/tokens', { config: { permission: 'token.admin' }, schema: { tags: ['admin'] } }, async () => service().list());
  r.post('/api/v1/admin/tokens', { config: { permission: 'token.admin' }, schema: { tags: ['admin'], body: issueBody } },
    async (request, reply) => reply.status(201).send(await service().issue(actorOf(request), request.body)));
  r.post('/api/v1/admin/tokens/:id/revoke', { config: { permission: 'token.admin' }, schema: { tags: ['admin'], params: idParams } },
    async (request) => service().revoke(actorOf(request), request.params.id));
}
