import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { actorOf } from '../../plugins/auth.ts';
import type { MonthlyReportService } from './monthly-report.service.ts';
import type { PeriodService } from './period.service.ts';
import { MAX_PHOTOS, PHOTO_MAX_BYTES, type ReportPhotoService, type UploadedFile } from './report-photo.service.ts';
import {
  batchSchema, correctSchema, createYearSchema, idParams, periodParams, periodUpdateSchema, photoQuery, projectPeriodParams,
  reportProblemMatterSchema, reportWriteSchema, returnSchema, settingsSchema, submitAllSchema, unitQuery, missingQuery, versionSchema, yearParams,
} from './report.schema.ts';
import {
  batchResultSchema, currentPeriodsSchema, gridSchema, missingSchema, monthlyReportListSchema, periodListSchema, periodSchema, photoListSchema,
  reportDetailSchema, reportMatterSchema, reportingSettingsSchema, reportRevisionsSchema, reviewQueueSchema, submitAllResultSchema,
} from './report.responses.ts';

/** Reads every file of a multipart request into memory, within the photo limits. */
async function readPhotoFiles(request: FastifyRequest): Promise<UploadedFile[]> {
  if (!request.isMultipart()) throw new AppError('bad_request', '请以 multipart/form-data 方式上传照片');
  const files: UploadedFile[] = [];
  try {
    for await (const part of request.files({ limits: { fileSize: PHOTO_MAX_BYTES, files: MAX_PHOTOS, fields: 10 } })) {
      files.push({ filename: part.filename, data: await part.toBuffer() });
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('payload_too_large', `单张照片不能超过 ${PHOTO_MAX_BYTES / 1024 / 1024}MB`);
    if (code === 'FST_FILES_LIMIT') throw new AppError('unprocessable', `每份月报最多 ${MAX_PHOTOS} 张照片`);
    throw err;
  }
  return files;
}

/** Reporting calendar, monthly reports, their workflow and photos, a unit's batch, the review queue and 催报. */
export function reportRoutes(app: FastifyInstance, services: { periods: () => PeriodService; reports: () => MonthlyReportService; photos: () => ReportPhotoService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { periods, reports, photos } = services;
  const tags = ['reports'];

  // Calendar and settings
  r.get('/api/v1/reporting/settings', { config: { permission: 'report.read' }, schema: { tags , response: { 200: reportingSettingsSchema } } },
    async (request) => periods().getSettings(actorOf(request)));
  r.put('/api/v1/reporting/settings', { config: { permission: 'period.admin' }, schema: { tags, body: settingsSchema , response: { 200: reportingSettingsSchema } } },
    async (request) => periods().updateSettings(actorOf(request), request.body));
  r.get('/api/v1/reporting/years/:year/periods', { config: { permission: 'report.read' }, schema: { tags, params: yearParams , response: { 200: periodListSchema } } },
    async (request) => ({ items: await periods().listPeriods(actorOf(request), request.params.year) }));
  r.get('/api/v1/reporting/current', { config: { permission: 'report.read' }, schema: { tags , response: { 200: currentPeriodsSchema } } },
    async (request) => periods().current(actorOf(request)));
  r.post('/api/v1/reporting/years', { config: { permission: 'period.admin' }, schema: { tags, body: createYearSchema , response: { 201: periodListSchema } } },
    async (request, reply) => reply.status(201).send({ items: await periods().createYear(actorOf(request), request.body) }));
  r.patch('/api/v1/reporting/periods/:year/:month', { config: { permission: 'period.admin' }, schema: { tags, params: periodParams, body: periodUpdateSchema , response: { 200: periodSchema } } },
    async (request) => periods().updatePeriod(actorOf(request), request.params.year, request.params.month, request.body));

  // One report
  r.get('/api/v1/projects/:projectId/reports/:year/:month', { config: { permission: 'report.read' }, schema: { tags, params: projectPeriodParams , response: { 200: reportDetailSchema } } },
    async (request) => reports().getReport(actorOf(request), request.params.projectId, request.params.year, request.params.month));
  r.put('/api/v1/projects/:projectId/reports/:year/:month', { config: { permission: 'report.write' }, schema: { tags, params: projectPeriodParams, body: reportWriteSchema , response: { 200: reportDetailSchema } } },
    async (request) => reports().saveReport(actorOf(request), request.params.projectId, request.params.year, request.params.month, request.body));
  r.get('/api/v1/projects/:projectId/reports/:year', { config: { permission: 'report.read' }, schema: { tags, params: yearParams.extend({ projectId: idParams.shape.id }) , response: { 200: monthlyReportListSchema } } },
    async (request) => reports().listProjectReports(actorOf(request), request.params.projectId, request.params.year));
  r.get('/api/v1/reports/:id', { config: { permission: 'report.read' }, schema: { tags, params: idParams , response: { 200: reportDetailSchema } } },
    async (request) => reports().getReportById(actorOf(request), request.params.id));
  r.get('/api/v1/reports/:id/revisions', { config: { permission: 'report.read' }, schema: { tags, params: idParams , response: { 200: reportRevisionsSchema } } },
    async (request) => reports().listRevisions(actorOf(request), request.params.id));

  // Workflow
  r.post('/api/v1/reports/:id/submit', { config: { permission: 'report.write' }, schema: { tags, params: idParams, body: versionSchema , response: { 200: reportDetailSchema } } },
    async (request) => reports().submit(actorOf(request), request.params.id, request.body.version));
  r.post('/api/v1/reports/:id/approve', { config: { permission: 'report.review' }, schema: { tags, params: idParams, body: versionSchema , response: { 200: reportDetailSchema } } },
    async (request) => reports().approve(actorOf(request), request.params.id, request.body.version));
  r.post('/api/v1/reports/:id/return', { config: { permission: 'report.review' }, schema: { tags, params: idParams, body: returnSchema , response: { 200: reportDetailSchema } } },
    async (request) => reports().returnReport(actorOf(request), request.params.id, request.body.version, request.body.reason));
  r.post('/api/v1/reports/:id/correct', { config: { permission: 'report.write' }, schema: { tags, params: idParams, body: correctSchema , response: { 200: reportDetailSchema } } },
    async (request) => reports().correct(actorOf(request), request.params.id, request.body));

  // 转督办: the report's 需协调问题 becomes one 督办事项 (leaders and the offices; 409 naming it the second time)
  r.post('/api/v1/reports/:id/matter', { config: { permission: 'matter.assign' }, schema: { tags, params: idParams, body: reportProblemMatterSchema, response: { 201: reportMatterSchema } } },
    async (request, reply) => reply.status(201).send(await reports().problemToMatter(actorOf(request), request.params.id, request.body)));

  // Photos
  r.get('/api/v1/reports/:id/photos', { config: { permission: 'report.read' }, schema: { tags, params: idParams , response: { 200: photoListSchema } } },
    async (request) => photos().listPhotos(actorOf(request), request.params.id));
  r.post('/api/v1/reports/:id/photos', { config: { permission: 'report.write' }, schema: { tags, params: idParams, consumes: ['multipart/form-data'] , response: { 201: photoListSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      return reply.status(201).send(await photos().addPhotos(actor, request.params.id, await readPhotoFiles(request)));
    });
  r.get('/api/v1/report-photos/:id', { config: { permission: 'report.read' }, schema: { tags, params: idParams, querystring: photoQuery } },
    async (request, reply) => {
      const file = await photos().getPhotoFile(actorOf(request), request.params.id, request.query.size);
      return reply.type(file.mime).header('cache-control', 'private, max-age=3600').header('content-disposition', 'inline')
        .send(file.data);
    });
  r.delete('/api/v1/report-photos/:id', { config: { permission: 'report.write' }, schema: { tags, params: idParams , response: { 204: z.void() } } },
    async (request, reply) => {
      await photos().deletePhoto(actorOf(request), request.params.id);
      return reply.status(204).send();
    });

  // A unit's period: grid, batch, submit all; the review queue and 催报
  r.get('/api/v1/reporting/periods/:year/:month/grid', { config: { permission: 'report.read' }, schema: { tags, params: periodParams, querystring: unitQuery , response: { 200: gridSchema } } },
    async (request) => reports().grid(actorOf(request), request.params.year, request.params.month, request.query.unit));
  r.put('/api/v1/reporting/periods/:year/:month/batch', { config: { permission: 'report.write' }, schema: { tags, params: periodParams, body: batchSchema , response: { 200: batchResultSchema } } },
    async (request) => reports().saveBatch(actorOf(request), request.params.year, request.params.month, request.body));
  r.post('/api/v1/reporting/periods/:year/:month/submit-all', { config: { permission: 'report.write' }, schema: { tags, params: periodParams, body: submitAllSchema , response: { 200: submitAllResultSchema } } },
    async (request) => reports().submitAll(actorOf(request), request.params.year, request.params.month, request.body.unit));
  r.get('/api/v1/reporting/periods/:year/:month/review-queue', { config: { permission: 'report.review' }, schema: { tags, params: periodParams, querystring: unitQuery , response: { 200: reviewQueueSchema } } },
    async (request) => reports().reviewQueue(actorOf(request), request.params.year, request.params.month, request.query.unit));
  r.get('/api/v1/reporting/periods/:year/:month/missing', { config: { permission: 'report.read' }, schema: { tags, params: periodParams, querystring: missingQuery, response: { 200: missingSchema } } },
    async (request) => {
      const { unit, page, page_size: pageSize, per_unit: perUnit } = request.query;
      return page === undefined ? reports().missing(actorOf(request), request.params.year, request.params.month, unit)
        : reports().missingPage(actorOf(request), request.params.year, request.params.month, unit, { page, pageSize: pageSize ?? 50, perUnit });
    });
}
