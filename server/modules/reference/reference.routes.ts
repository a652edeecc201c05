import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { notFound } from '../../errors.ts';
import { ReferenceRepository } from './reference.repository.ts';
import { actorOf } from '../../plugins/auth.ts';
import { UNIT_KINDS, type UnitService } from './unit.service.ts';

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

const unitBody = z.object({
  name: z.string().trim().min(1).max(100),
  short_name: z.string().trim().max(50).nullable().optional(),
  parent_id: z.number().int().positive().nullable().optional(),
  region_code: z.string().max(16).nullable().optional(),
  kind: z.enum(UNIT_KINDS).optional(),
  sort: z.number().int().min(0).max(1_000_000).optional(),
});

/** Unit tree administration for the system administrator. */
export function unitAdminRoutes(app: FastifyInstance, service: () => UnitService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/api/v1/admin/units', { config: { permission: 'unit.admin' }, schema: { tags: ['admin'], body: unitBody } },
    async (request, reply) => reply.status(201).send(await service().createUnit(actorOf(request), request.body)));
  r.patch('/api/v1/admin/units/:id', {
    config: { permission: 'unit.admin' },
    schema: { tags: ['admin'], params: z.object({ id: z.coerce.number().int().positive() }), body: unitBody.partial().strict() },
  }, async (request) => service().updateUnit(actorOf(request), request.params.id, request.body));
}
