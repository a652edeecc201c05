import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../plugins/auth.ts';
import { AppError } from '../../errors.ts';
import type { IndicatorService } from '../indicators/index.ts';
import type { LightService } from '../lights/index.ts';
import type { MonthlyReportService, PeriodService } from '../reports/index.ts';
import { indicatorExportQuery, lightsExportQuery, missingExportQuery, progressExportQuery, projectExportQuery } from './export.schema.ts';
import type { ExportService } from './export.service.ts';
import { today } from './table-writer.ts';
import { sendWorkbook } from './send-workbook.ts';
import { indicatorWorkbook, lightsWorkbook, missingWorkbook, reviewWorkbook } from './view-export.service.ts';

/**
 * Exports: the project list and every report view as a streamed .xlsx. Each takes its view's query and
 * permission, is filtered by the actor's data scope like the view, and is audited (config.audit).
 */
export function exportRoutes(app: FastifyInstance, services: {
  exports: () => ExportService; indicators: () => IndicatorService; lights: () => LightService; periods: () => PeriodService; reports: () => MonthlyReportService;
}): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['exports'];
  const { exports } = services;

  r.get('/api/v1/exports/projects.xlsx', { config: { permission: 'export.read', audit: true, scopeRegion: 'query' }, schema: { tags, querystring: projectExportQuery } },
    async (request, reply) => {
      const { group_by: groupBy, ...filter } = request.query;
      return sendWorkbook(request, reply, `重点项目清单-${today()}.xlsx`,
        (out) => exports().exportProjects(actorOf(request), filter, out, { groupBy }));
    });

  r.get('/api/v1/exports/monthly-progress.xlsx', { config: { permission: 'report.read', audit: true, scopeRegion: 'query' }, schema: { tags, querystring: progressExportQuery } },
    async (request, reply) => {
      const { group_by: groupBy, year, month, ...filter } = request.query;
      // A year with a reporting calendar names its periods: January alone is no period when 1–2月 are merged.
      const periods = await services.periods().listPeriods(actorOf(request), year);
      if (periods.length > 0 && !periods.some((p) => p.month === month)) {
        throw new AppError('not_found', `${year}年${month}月不是该年度的填报期（1–2月合并填报时为 2 月）`);
      }
      return sendWorkbook(request, reply, `重点项目月度进展表-${year}年${month}月.xlsx`,
        (out) => exports().exportMonthlyProgress(actorOf(request), filter, year, month, out, { groupBy }));
    });

  r.get('/api/v1/exports/indicators.xlsx', { config: { permission: 'indicator.read', audit: true, scopeRegion: 'query' }, schema: { tags, querystring: indicatorExportQuery } },
    async (request, reply) => {
      const { group_by: groupBy, ...query } = request.query;
      if (groupBy && query.breakdown?.length) throw new AppError('validation_failed', 'group_by 与 breakdown 含义相同，请只用其一');
      const { fileName, write } = await indicatorWorkbook(services.indicators(), actorOf(request), groupBy ? { ...query, breakdown: [groupBy] } : query);
      return sendWorkbook(request, reply, fileName, write);
    });

  r.get('/api/v1/exports/lights.xlsx', { config: { permission: 'indicator.read', audit: true, scopeRegion: 'query' }, schema: { tags, querystring: lightsExportQuery } },
    async (request, reply) => {
      const { fileName, write } = await lightsWorkbook(services.lights(), actorOf(request), request.query);
      return sendWorkbook(request, reply, fileName, write);
    });

  r.get('/api/v1/exports/review-queue.xlsx', { config: { permission: 'report.review', audit: true }, schema: { tags, querystring: missingExportQuery } },
    async (request, reply) => {
      const { year, month, unit } = request.query;
      const { fileName, write } = await reviewWorkbook(services.reports(), actorOf(request), year, month, unit);
      return sendWorkbook(request, reply, fileName, write);
    });

  r.get('/api/v1/exports/missing.xlsx', { config: { permission: 'report.read', audit: true }, schema: { tags, querystring: missingExportQuery } },
    async (request, reply) => {
      const { year, month, unit } = request.query;
      const { fileName, write } = await missingWorkbook(services.reports(), actorOf(request), year, month, unit);
      return sendWorkbook(request, reply, fileName, write);
    });
}
