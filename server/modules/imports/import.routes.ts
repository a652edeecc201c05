import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../db/database.ts';
import { actorOf } from '../../plugins/auth.ts';
import { readUpload } from '../../plugins/multipart.ts';
import { DEFAULT_LIMITS, type UploadLimits } from './file-guard.ts';
import { ImportRepository } from './import.repository.ts';
import type { ImportService } from './import.service.ts';
import { importQuerySchema, listImportQuerySchema, monthlyImportQuerySchema, regionAnswerSchema, templateParamsSchema, templateQuerySchema } from './import.schema.ts';
import { importReportSchema, listImportReportSchema } from './import.responses.ts';
import { TemplateService } from './template.service.ts';
import type { ListImportService } from './list-import.ts';
import { resolveRegionName } from './first-day.ts';
import { z } from 'zod';
import { clock } from '../../clock.ts';

/** Workbook imports (multipart upload: dry run, apply) and template downloads. */
export function importRoutes(app: FastifyInstance, database: Database, imports: () => ImportService, lists: () => ListImportService, limits: UploadLimits = DEFAULT_LIMITS): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = imports;

  for (const [path, dryRun] of [['/api/v1/imports/dry-run', true], ['/api/v1/imports/apply', false]] as const) {
    r.post(path, { config: { permission: 'import.write' }, schema: { tags: ['imports'], querystring: importQuerySchema, consumes: ['multipart/form-data'], response: { 200: importReportSchema } } },
      async (request) => {
        const actor = actorOf(request);
        const upload = await readUpload(request, limits.maxFileBytes);
        const q = request.query;
        return service().importFile(actor, upload.buffer, {
          kind: q.kind, sheet: q.sheet, year: q.year, month: q.month, duplicates: q.duplicates, fileName: upload.fileName, dryRun, limits,
          createMissing: q.create_missing, defaultUnitId: q.default_unit, unitMap: q.unit_map,
        });
      });
  }

  // An office's unit list (unit.admin) and its reporters' accounts (user.admin: the system administrator, 三员).
  // The apply's answer carries the first-login passwords once: never cached, never kept by the server.
  for (const [kind, permission] of [['units', 'unit.admin'], ['users', 'user.admin']] as const) {
    for (const [step, dryRun] of [['dry-run', true], ['apply', false]] as const) {
      r.post(`/api/v1/imports/${kind}/${step}`, { config: { permission }, schema: { tags: ['imports'], querystring: listImportQuerySchema, consumes: ['multipart/form-data'], response: { 200: listImportReportSchema } } },
        async (request, reply) => {
          const upload = await readUpload(request, limits.maxFileBytes);
          const report = await lists().importFile(actorOf(request), upload.buffer, {
            kind, dryRun, sheet: request.query.sheet, fileName: upload.fileName, limits, moveUnits: request.query.move_units,
          });
          return reply.header('cache-control', 'no-store').send(report);
        });
    }
  }

  // A region name typed in a form (项目表单的所属地区), resolved as an import resolves it: inside the jurisdiction first.
  r.get('/api/v1/regions/resolve', {
    config: { permission: 'reference.read' },
    schema: { tags: ['reference'], querystring: z.object({ name: z.string().trim().min(1).max(60) }), response: { 200: regionAnswerSchema } },
  }, async (request) => resolveRegionName(database.db, request.query.name));

  // Monthly progress belongs to the units that report (report.write), not only to the office.
  for (const [path, dryRun] of [['/api/v1/imports/monthly/dry-run', true], ['/api/v1/imports/monthly/apply', false]] as const) {
    r.post(path, { config: { permission: 'report.write' }, schema: { tags: ['imports'], querystring: monthlyImportQuerySchema, consumes: ['multipart/form-data'], response: { 200: importReportSchema } } },
      async (request) => {
        const actor = actorOf(request);
        const upload = await readUpload(request, limits.maxFileBytes);
        return service().importFile(actor, upload.buffer, {
          kind: 'monthly', sheet: request.query.sheet, year: request.query.year, month: request.query.month, reportStatus: request.query.status, duplicates: request.query.duplicates,
          fileName: upload.fileName, dryRun, limits,
        });
      });
  }

  r.get('/api/v1/imports/templates/:kind', { config: { permission: 'export.read' }, schema: { tags: ['imports'], params: templateParamsSchema, querystring: templateQuerySchema } },
    async (request, reply) => {
      const templates = new TemplateService(new ImportRepository(database.db));
      const buf = await templates.build(request.params.kind, request.query.year ?? clock.now().getFullYear());
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(templates.fileName(request.params.kind))}`)
        .send(buf);
    });
}
