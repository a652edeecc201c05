/** Workbook imports: the service and the repository it is built with. */
export { ImportService, type ImportReport, type ImportOptions } from './import.service.ts';
export { ImportRepository } from './import.repository.ts';
