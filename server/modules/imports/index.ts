/** Workbook imports: the service and the repository it is built with. */
import type { Deps } from '../../platform/context.ts';
import { ImportRepository } from './import.repository.ts';
import { ImportService } from './import.service.ts';

export { ImportService, type ImportReport, type ImportOptions } from './import.service.ts';
export { ImportRepository } from './import.repository.ts';

/** Workbook imports (projects, plans, a month's reports): app.ts, the CLI, the bench and tests build it here. */
export function createImportService(deps: Deps, options: { bulkChunkRows?: number } = {}): ImportService {
  return new ImportService(deps, (executor) => new ImportRepository(executor), options);
}
