import { PassThrough, type Writable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../db/database.ts';
import { actorOf } from '../../plugins/auth.ts';
import { AppError } from '../../errors.ts';
import { indicatorService } from '../indicators/indicator.routes.ts';
import { IndicatorRepository } from '../indicators/indicator.repository.ts';
import { LightRepository } from '../lights/light.repository.ts';
import { LightService } from '../lights/light.service.ts';
import { ProjectRepository } from '../projects/project.repository.ts';
import { MonthlyReportService } from '../reports/monthly-report.service.ts';
import { ReportRepository } from '../reports/report.repository.ts';
import { ExportRepository } from './export.repository.ts';
import { indicatorExportQuery, lightsExportQuery, missingExportQuery, progressExportQuery, projectExportQuery } from './export.schema.ts';
import { ExportService } from './export.service.ts';
import { contentDisposition, today } from './table-writer.ts';
import { indicatorWorkbook, lightsWorkbook, missingWorkbook, reviewWorkbook } from './view-export.service.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Sends a workbook while it is written. A failure midway aborts the download rather than sending a truncated file
 * that looks complete.
 */
function sendWorkbook(request: FastifyRequest, reply: FastifyReply, fileName: string, write: (out: Writable) => Promise<unknown>) {
  const out = new PassThrough();
  reply.header('content-type', XLSX).header('content-disposition', contentDisposition(fileName));
  write(out).catch((err: unknown) => {
    request.log.error(err);
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return reply.send(out);
}

/**
 * Exports: the project list and every report view as a streamed .xlsx. Each takes its view's query and
 * permission, is filtered by the actor's data scope like the view, and is audited (config.audit).
 */
export function exportRoutes(app: FastifyInstance, database: Database): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['exports'];
  const exports = () => new ExportService(new ExportRepository(database.db));

  r.get('/api/v1/exports/projects.xlsx', { config: { permission: 'export.read', audit: true }, schema: { tags, querystring: projectExportQuery } },
    async (request, reply) => {
      const { group_by: groupBy, ...filter } = request.query;
      return sendWorkbook(request, reply, `重点项目清单-${today()}.xlsx`,
        (out) => exports().exportProjects(actorOf(request), filter, out, { groupBy }));
    });

  r.get('/api/v1/exports/monthly-progress.xlsx', { config: { permission: 'report.read', audit: true }, schema: { tags, querystring: progressExportQuery } },
    async (request, reply) => {
      const { group_by: groupBy, year, month, ...filter } = request.query;
      // A year with a reporting calendar names its periods: January alone is no period when 1–2月 are merged.
      const reports = new ReportRepository(database.db);
      if (!(await reports.findPeriod(year, month)) && (await reports.listPeriods(year)).length) {
        throw new AppError('not_found', `${year}年${month}月不是该年度的填报期（1–2月合并填报时为 2 月）`);
      }
      return sendWorkbook(request, reply, `重点项目月度进展表-${year}年${month}月.xlsx`,
        (out) => exports().exportMonthlyProgress(actorOf(request), filter, year, month, out, { groupBy }));
    });

  r.get('/api/v1/exports/indicators.xlsx', { config: { permission: 'indicator.read', audit: true }, schema: { tags, querystring: indicatorExportQuery } },
    async (request, reply) => {
      const { group_by: groupBy, ...query } = request.query;
      if (groupBy && query.breakdown?.length) throw new AppError('validation_failed', 'group_by 与 breakdown 含义相同，请只用其一');
      const { fileName, write } = await indicatorWorkbook(indicatorService(database), actorOf(request), groupBy ? { ...query, breakdown: [groupBy] } : query);
      return sendWorkbook(request, reply, fileName, write);
    });

  r.get('/api/v1/exports/lights.xlsx', { config: { permission: 'indicator.read', audit: true }, schema: { tags, querystring: lightsExportQuery } },
    async (request, reply) => {
      const service = new LightService(new LightRepository(database.db), new IndicatorRepository(database.db), new ProjectRepository(database.db));
      const { fileName, write } = await lightsWorkbook(service, actorOf(request), request.query);
      return sendWorkbook(request, reply, fileName, write);
    });

  r.get('/api/v1/exports/review-queue.xlsx', { config: { permission: 'report.review', audit: true }, schema: { tags, querystring: missingExportQuery } },
    async (request, reply) => {
      const { year, month, unit } = request.query;
      const { fileName, write } = await reviewWorkbook(new MonthlyReportService(new ReportRepository(database.db)), actorOf(request), year, month, unit);
      return sendWorkbook(request, reply, fileName, write);
    });

  r.get('/api/v1/exports/missing.xlsx', { config: { permission: 'report.read', audit: true }, schema: { tags, querystring: missingExportQuery } },
    async (request, reply) => {
      const { year, month, unit } = request.query;
      const { fileName, write } = await missingWorkbook(new MonthlyReportService(new ReportRepository(database.db)), actorOf(request), year, month, unit);
      return sendWorkbook(request, reply, fileName, write);
    });
}
