// The reports module's public face (reporting calendar, monthly reports, photos, bulk writes): other modules, app.ts,
// the CLI and tests import from here only.

// The report status enum (ReportStatus in the OpenAPI document): the monthly import's report names the status it gave.
// First in the file, so it is evaluated before the services and routes below: imports' response schemas use it at
// load time, and an import cycle through this file (routes → exports → imports) must find it initialized.
export { reportStatusSchema } from './report.schema.ts';

import type { Deps } from '../../platform/context.ts';
import { FileStore } from '../files/index.ts';
import { MonthlyReportService } from './monthly-report.service.ts';
import { PeriodService } from './period.service.ts';
import { PhotoStore } from './photo-store.ts';
import { ReportPhotoService } from './report-photo.service.ts';
import { ReportRepository } from './report.repository.ts';

export { MonthlyReportService } from './monthly-report.service.ts';
export { PeriodService, REPORTING_SETTINGS } from './period.service.ts';
export { ReportPhotoService } from './report-photo.service.ts';
export { ReportBulkService } from './report-bulk.service.ts';
export { reportTodosJob, syncOpenPeriodTodos, syncReportTodos } from './report-todos.ts';
export { registerReportReminders, reportReminderLadder, REPORT_DEADLINE_ENTITY } from './report-reminders.ts';
export { reportRoutes } from './report.routes.ts';
export { effectiveDeadline, reportTimelinessFigures, statsEntryFigures, type TimelinessFigures } from './reporting-figures.ts';
// TODO(platform): projects, imports and exports still read and rebase reports through this repository; they should
// ask the report services.
export { ReportRepository } from './report.repository.ts';

/** The reporting calendar (填报期) and its settings. */
export function createPeriodService(deps: Deps): PeriodService {
  return new PeriodService(deps, (db) => new ReportRepository(db));
}

/** Monthly reports: fill, submit, review, correct, the review queue and 催报. */
export function createMonthlyReportService(deps: Deps, options: { bulkChunkRows?: number } = {}): MonthlyReportService {
  return new MonthlyReportService(deps, (db) => new ReportRepository(db), options);
}

/** Site photos of reports, kept in the database's file store (every server reaches them). */
export function createReportPhotoService(deps: Deps, dataDir: string): ReportPhotoService {
  return new ReportPhotoService(deps, (db) => new ReportRepository(db), new PhotoStore(new FileStore(deps.db, dataDir, deps.clock)));
}
// What a bulk write takes (the monthly import builds its rows and names their status).
export type { BulkReportInput, BulkReportStatus } from './report-bulk.service.ts';
