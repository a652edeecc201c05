import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { actorOf } from '../../plugins/auth.ts';
import { projectFilterSchema } from '../projects/project.schema.ts';
import { ExportRepository } from './export.repository.ts';
import { ExportService } from './export.service.ts';

const exportQuerySchema = projectFilterSchema.extend({
  group_by: z.enum(['campaign_group']).optional(),
});

/** Exports: any project-list filter as a streamed .xlsx. */
export function exportRoutes(app: FastifyInstance, database: Database): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/exports/projects.xlsx', { config: { permission: 'export.read', audit: true }, schema: { tags: ['exports'], querystring: exportQuerySchema } },
    async (request, reply) => {
      const actor = actorOf(request);
      const { group_by: groupBy, ...filter } = request.query;
      const out = new PassThrough();
      const name = `重点项目清单-${new Date().toISOString().slice(0, 10)}.xlsx`;
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
      // The workbook is written while it is sent; a failure midway aborts the download rather than sending a
      // truncated file that looks complete.
      new ExportService(new ExportRepository(database.db)).exportProjects(actor, filter, out, { groupBy })
        .catch((err: unknown) => {
          request.log.error(err);
          out.destroy(err instanceof Error ? err : new Error(String(err)));
        });
      return reply.send(out);
    });
}
