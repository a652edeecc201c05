import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../plugins/auth.ts';
import type { SystemService } from './system.service.ts';

const profileBody = z.object({
  office_name: z.string().trim().min(1).max(100),
  region_code: z.string().regex(/^\d{6}$/, '辖区须为 6 位行政区划代码'),
});
const tags = ['system'];
const profileResponse = z.object({
  configured: z.boolean(), office_name: z.string().nullable(), region_code: z.string().nullable(), region_name: z.string().nullable(),
}).meta({ id: 'SystemProfile' });

/** The office's profile: read by every signed-in user, set by the system administrator (first-run page). */
export function systemRoutes(app: FastifyInstance, service: () => SystemService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/system/profile', { config: { permission: 'session.self' }, schema: { tags, response: { 200: profileResponse } } }, async () => service().getProfile());
  r.put('/api/v1/system/profile', { config: { permission: 'system.admin' }, schema: { tags, body: profileBody, response: { 200: profileResponse } } },
    async (request) => service().configure(actorOf(request), request.body));
}
