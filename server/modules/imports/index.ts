/** Workbook imports: the service and the repository it is built with. */
export { ImportService, type ImportReport, type ImportOptions } from './import.service.ts';
export { ImportRepository } from './import.repository.ts';
// The generic table reading of the list imports, for other modules' ledgers (attraction's lead ledger, issue 21).
export { readListTable, type ListProblem, type SheetFinding } from './list-import.ts';
export type { FieldDef } from './columns.ts';
export { DEFAULT_LIMITS, type UploadLimits } from './file-guard.ts';
