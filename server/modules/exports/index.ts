// The exports module's public face (streamed .xlsx of the project list and every report view): app.ts, the CLI, tests
// and other modules import from here only. Other modules take the streamed table writer and the workbook sender, so
// every export (supervision lists, 交办单, problem ledgers …) is written the one way (docs/ARCHITECTURE.md, "Exports
// stream").
import type { Deps } from '../../platform/context.ts';
import { ExportRepository } from './export.repository.ts';
import { ExportService } from './export.service.ts';

export { ExportService } from './export.service.ts';
export { exportRoutes } from './export.routes.ts';
export { indicatorExportQuery, lightsExportQuery, missingExportQuery, progressExportQuery, projectExportQuery } from './export.schema.ts';
export { indicatorWorkbook, lightsWorkbook, missingWorkbook, reviewWorkbook } from './view-export.service.ts';
export {
  XlsxStream, TableSheet, contentDisposition, percentCell, today, type TableColumn, type CellInput, type SheetSpec,
} from './table-writer.ts';
export { sendWorkbook } from './send-workbook.ts';

/** The project list and 月度进展表 exports (keyset pages, streamed). */
export function createExportService(deps: Pick<Deps, 'db'>): ExportService {
  return new ExportService(new ExportRepository(deps.db));
}
