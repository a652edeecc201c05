import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { notFound } from '../../errors.ts';
import { ReferenceRepository } from './reference.repository.ts';

/** Read-only reference data: the region tree and the unit tree. */
export function referenceRoutes(app: FastifyInstance, database: Database): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const repo = () => new ReferenceRepository(database.db);
  r.get('/api/v1/regions', {
    config: { permission: 'reference.read' },
    schema: { tags: ['reference'], querystring: z.object({ parent: z.string().regex(/^\d{6,12}$|^[A-Z0-9]{1,16}$/).optional() }) },
  }, async (request) => ({ items: await repo().listRegionChildren(request.query.parent ?? null) }));
  r.get('/api/v1/regions/:code', {
    config: { permission: 'reference.read' },
    schema: { tags: ['reference'], params: z.object({ code: z.string().max(16) }) },
  }, async (request) => {
    const region = await repo().findRegion(request.params.code);
    if (!region) throw notFound('行政区划');
    return region;
  });
  r.get('/api/v1/units', { config: { permission: 'reference.read' }, schema: { tags: ['reference'] } }, async () => ({ items: await repo().listUnits() }));
}
