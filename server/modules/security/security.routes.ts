import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../plugins/auth.ts';
import type { SecurityService } from './security.service.ts';
import { securitySettingsSchema } from './security.settings.ts';
import { securitySettingsAnswerSchema } from './security.responses.ts';

/** Security settings for the security administrator. */
export function securityRoutes(app: FastifyInstance, service: () => SecurityService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/security/settings', { config: { permission: 'security.admin' }, schema: { tags: ['security'], response: { 200: securitySettingsAnswerSchema } } },
    async () => service().getSettings());
  r.patch('/api/v1/security/settings', {
    config: { permission: 'security.admin' },
    schema: { tags: ['security'], body: securitySettingsSchema.partial().strict(), response: { 200: securitySettingsAnswerSchema } },
  }, async (request) => service().updateSettings(actorOf(request), request.body));
}
