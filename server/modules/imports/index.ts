// Workbook imports: the services and the repository they are built with.

// The project-list template's columns and codes: exports write them, so an exported list imports back. First in the
// file, so they are evaluated before the services below: exports read them at load time, and an import cycle
// through this file must find them initialized.
export {
  CAMPAIGN_GROUPS, INVESTMENT_TYPE_CODES, labelOf, LEVEL_CODES, LEVEL_LABELS, NATURE_CODES, STAGE_CODES, TEMPLATE_COLUMNS, templateHeader,
} from './columns.ts';

import type { Deps } from '../../platform/context.ts';
import { ImportRepository } from './import.repository.ts';
import { ImportService } from './import.service.ts';
import { ListImportService } from './list-import.ts';

export { ImportService, type ImportReport, type ImportOptions } from './import.service.ts';
export { ImportRepository } from './import.repository.ts';
export { ListImportService, type ListReport } from './list-import.ts';
export { importRoutes } from './import.routes.ts';

/** Workbook imports (projects, plans, a month's reports): app.ts, the CLI, the bench and tests build it here. */
export function createImportService(deps: Deps, options: { bulkChunkRows?: number } = {}): ImportService {
  return new ImportService(deps, (executor) => new ImportRepository(executor), options);
}
// The generic table reading of the list imports, for other modules' ledgers (attraction's lead ledger, issue 21).
export { readListTable, type ListProblem, type SheetFinding } from './list-import.ts';
export type { FieldDef } from './columns.ts';
export { DEFAULT_LIMITS, type UploadLimits } from './file-guard.ts';

/** Unit and user list imports (dry run / apply). */
export function createListImportService(deps: Deps): ListImportService {
  return new ListImportService(deps);
}
