import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { actorOf } from '../../plugins/auth.ts';
import { SystemService } from './system.service.ts';

const profileBody = z.object({
  office_name: z.string().trim().min(1).max(100),
  region_code: z.string().regex(/^\d{6}$/, '辖区须为 6 位行政区划代码'),
});
const tags = ['system'];

/** The office's profile: read by every signed-in user, set by the system administrator (first-run page). */
export function systemRoutes(app: FastifyInstance, database: Database): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = () => new SystemService(database.db);
  r.get('/api/v1/system/profile', { config: { permission: 'session.self' }, schema: { tags } }, async () => service().getProfile());
  r.put('/api/v1/system/profile', { config: { permission: 'system.admin' }, schema: { tags, body: profileBody } },
    async (request) => service().configure(actorOf(request), request.body));
}
