import { z } from 'zod';
import { periodStatusSchema, reportActionSchema, reportStatusSchema, settingsSchema } from './report.schema.ts';
import { stageSchema } from '../../platform/responses.ts';

// Response schemas of monthly reporting (issue 15): the calendar, one report and its workflow, photos, revisions,
// a unit's grid and batch, the review queue and 催报. They feed the OpenAPI document and so web/api/generated.ts.
// Status and stage columns are text in the database; here they are the enums of core/monthly-report.ts and
// core/stages.ts, so the web indexes by the same union and a stored value outside it answers 500 (the serializer
// validates) instead of reaching a page.

const int = z.number().int();
const text = z.string().nullable();

/** A reporting period (填报期) with its Chinese labels (1–2月 are reported together as February). */
export const periodSchema = z.object({
  id: int, year: int, month: int, first_month: int, deadline: text, status: periodStatusSchema, opened_at: text, closed_at: text,
  label: z.string(), ytd_label: z.string(),
}).meta({ id: 'Period' });
export const periodListSchema = z.object({ items: z.array(periodSchema) });

/** GET /reporting/current: the period pages open at (数据截至; status 'none' without a calendar) and the one being reported. */
export const currentPeriodsSchema = z.object({
  today: z.string(),
  in_force: periodSchema.omit({ id: true, opened_at: true, closed_at: true }).extend({ status: z.union([periodStatusSchema, z.literal('none')]) }),
  reporting: periodSchema.nullable(),
}).meta({ id: 'CurrentPeriods' });

export const reportingSettingsSchema = settingsSchema.meta({ id: 'ReportingSettings' });

/** A monthly report row (money integer yuan). */
const reportColumns = {
  id: int, project_id: int, year: int, month: int, amount_month: int, amount_ytd: int, amount_since_start: int,
  negative_reason: text, stage: stageSchema.nullable(), stage_date: text, progress_text: text, workers: int.nullable(), problems: text,
  next_plan: text, stats_entered: int.nullable(), stats_code: text, stats_reason: text, status: reportStatusSchema, return_reason: text,
  submitted_at: text, submitted_by: int.nullable(), reviewed_at: text, reviewed_by: int.nullable(), revision: int, version: int,
  created_at: z.string(), updated_at: z.string(), first_submitted_at: text, source: text,
};
export const monthlyReportSchema = z.object(reportColumns).meta({ id: 'MonthlyReport' });
/** A report in the grid and the review queue, with its number of photos. */
export const countedReportSchema = z.object({ ...reportColumns, photo_count: int }).meta({ id: 'CountedReport' });
/** The 督办事项 a report's 需协调问题 became (one at most). */
export const reportMatterSchema = z.object({ id: int, number: z.string() }).meta({ id: 'ReportMatter' });
/** A project's reports of a year, each with the matter its 需协调问题 became. */
export const monthlyReportListSchema = z.object({ items: z.array(monthlyReportSchema.extend({ matter: reportMatterSchema.nullable() })) });

/** The previous period's figures as shown next to a report. */
export const previousFiguresSchema = z.object({
  month: int, amount_month: int, amount_ytd: int, amount_since_start: int, stage: stageSchema.nullable(), progress_text: text, workers: int.nullable(), status: reportStatusSchema,
}).meta({ id: 'PreviousFigures' });

/** A report photo: URLs of the authorized routes, never a file path. */
export const photoSchema = z.object({
  id: int, report_id: int, mime: z.string(), bytes: int, width: int.nullable(), height: int.nullable(), original_name: text,
  created_at: z.string(), url: z.string(), thumb_url: z.string(),
}).meta({ id: 'Photo' });
export const photoListSchema = z.object({ items: z.array(photoSchema) }).meta({ id: 'PhotoList' });

/** One report as its page shows it: the row, its period, photos, last period's figures and the moves open to the reader. */
export const reportDetailSchema = monthlyReportSchema.extend({
  period: periodSchema.nullable(),
  photos: z.array(photoSchema),
  previous: previousFiguresSchema.nullable(),
  allowed_actions: z.array(reportActionSchema),
}).meta({ id: 'ReportDetail' });

/**
 * A kept revision of a corrected report: the approved row as it was (JSON of the stored row). Partial because a
 * snapshot keeps the columns of its day: one written before a later migration lacks that migration's columns.
 */
export const reportRevisionSchema = z.object({
  revision: int, snapshot: monthlyReportSchema.partial(), reason: text, user_id: int.nullable(), user_name: text, created_at: z.string(),
}).meta({ id: 'ReportRevision' });
export const reportRevisionsSchema = z.object({ current: reportDetailSchema, revisions: z.array(reportRevisionSchema) }).meta({ id: 'ReportRevisions' });

/** A unit's period: every reporting project with its plan, last period's figures and this period's report. */
export const gridRowSchema = z.object({
  project: z.object({ id: int, name: z.string(), unit_id: int, unit_name: z.string(), stage: stageSchema, total_investment: int }),
  plan: z.object({ planned_investment: int, completed_before_year: int }).nullable(),
  previous: previousFiguresSchema.nullable(),
  report: countedReportSchema.nullable(),
}).meta({ id: 'GridRow' });
export const gridSchema = z.object({ period: periodSchema, rows: z.array(gridRowSchema) }).meta({ id: 'Grid' });

/** What a batch save wrote (every row or none). */
export const batchResultSchema = z.object({ saved: int, submitted: int, reports: z.array(monthlyReportSchema) }).meta({ id: 'BatchResult' });
/** What 全部提交 did: reports submitted now, how many were already submitted, the projects still without one. */
export const submitAllResultSchema = z.object({ submitted: int, already_submitted: int, missing: z.array(z.object({ project_id: int, project_name: z.string() })) }).meta({ id: 'SubmitAllResult' });

/** A field that differs from last period's report (审核 shows these). */
export const fieldChangeSchema = z.object({
  field: z.string(), label: z.string(), from: z.union([z.string(), z.number(), z.null()]), to: z.union([z.string(), z.number(), z.null()]),
}).meta({ id: 'FieldChange' });
export const reviewItemSchema = z.object({
  report: countedReportSchema,
  project: z.object({ id: int, name: z.string(), unit_id: int, unit_name: z.string(), stage: stageSchema }),
  previous: previousFiguresSchema.nullable(),
  changes: z.array(fieldChangeSchema),
  is_late: z.boolean(),
  matter: reportMatterSchema.nullable(),
}).meta({ id: 'ReviewItem' });
export const reviewQueueSchema = z.object({ period: periodSchema, items: z.array(reviewItemSchema) }).meta({ id: 'ReviewQueue' });

/** 催报: per unit, projects without a submitted report and reports submitted late. */
export const missingSchema = z.object({
  period: periodSchema.extend({ is_past_deadline: z.boolean() }),
  units: z.array(z.object({
    unit_id: int, unit_name: z.string(), expected: int, submitted: int, missing_count: int, late_count: int,
    missing: z.array(z.object({ project_id: int, project_name: z.string(), status: z.enum(['none', 'draft', 'returned']), is_overdue: z.boolean() })),
    late: z.array(z.object({ project_id: int, project_name: z.string(), first_submitted_at: z.string() })),
  })),
  /** With `page`: how many units owe something (all pages). */
  total: int.optional(),
}).meta({ id: 'MissingReports' });
