// The exports module's public face (streamed .xlsx of the project list and every report view): app.ts, the CLI and
// tests import from here only.
import type { Deps } from '../../platform/context.ts';
import { ExportRepository } from './export.repository.ts';
import { ExportService } from './export.service.ts';

export { ExportService } from './export.service.ts';
export { exportRoutes } from './export.routes.ts';
export { indicatorExportQuery, lightsExportQuery, missingExportQuery, progressExportQuery, projectExportQuery } from './export.schema.ts';
export { indicatorWorkbook, lightsWorkbook, missingWorkbook, reviewWorkbook } from './view-export.service.ts';
export { contentDisposition, percentCell, today, XlsxStream, type TableColumn } from './table-writer.ts';

/** The project list and 月度进展表 exports (keyset pages, streamed). */
export function createExportService(deps: Pick<Deps, 'db'>): ExportService {
  return new ExportService(new ExportRepository(deps.db));
}
