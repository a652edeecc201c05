import { z } from 'zod';
import { isoDate, matterPrefillBody } from '../../platform/schemas.ts';
import { MAX_MONEY_TEXT, MAX_MONEY_YUAN } from '../../../core/money.ts';
import { PERIOD_STATUSES, REPORT_ACTIONS, REPORT_STAGES, REPORT_STATUSES } from '../../../core/monthly-report.ts';

const signedYuan = z.number().int('金额须为整数（元）').min(-MAX_MONEY_YUAN, `金额过大（上限 ${MAX_MONEY_TEXT}）`).max(MAX_MONEY_YUAN, `金额过大（上限 ${MAX_MONEY_TEXT}）`);
const optText = (max: number) => z.string().trim().max(max).nullable().optional();

/** A report's workflow state (core/monthly-report.ts REPORT_STATUSES), one component of the OpenAPI document. */
export const reportStatusSchema = z.enum(REPORT_STATUSES).meta({ id: 'ReportStatus' });
/** What the reader may do to a report now (core/monthly-report.ts REPORT_ACTIONS), one component of the OpenAPI document. */
export const reportActionSchema = z.enum(REPORT_ACTIONS).meta({ id: 'ReportAction' });
/** A reporting period's state (core/monthly-report.ts PERIOD_STATUSES). */
export const periodStatusSchema = z.enum(PERIOD_STATUSES).meta({ id: 'PeriodStatus' });

export const yearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
export const periodParams = yearParams.extend({ month: z.coerce.number().int().min(1).max(12) });
export const projectPeriodParams = periodParams.extend({ projectId: z.coerce.number().int().positive() });
export const idParams = z.object({ id: z.coerce.number().int().positive() });
export const unitQuery = z.object({ unit: z.coerce.number().int().positive().optional() });
/**
 * The 催报 list's query. With `page`, one page of the units that owe something (a report missing or late), in the
 * list's order, each with at most `per_unit` of its missing and late projects (all without it): the counts stay
 * exact, and only the page's units are read. Without it, every unit of the scope with every row.
 */
export const missingQuery = unitQuery.extend({
  page: z.coerce.number().int().positive().optional(),
  page_size: z.coerce.number().int().min(1).max(200).optional(),
  per_unit: z.coerce.number().int().min(0).max(10_000).optional(),
});

/** Office settings of the reporting calendar. */
export const settingsSchema = z.object({
  deadline_day: z.number().int().min(1, '截止日应在 1–31 之间').max(31, '截止日应在 1–31 之间'),
  deadline_month_offset: z.number().int().min(0).max(1),
  /**
   * Working days before a period's deadline that the units still owing reports are reminded (0: only on the day and
   * when overdue). Optional in a PUT: a client that does not know it leaves it as it is.
   */
  remind_working_days: z.number().int().min(0, '提前提醒应为 0–10 个工作日').max(10, '提前提醒应为 0–10 个工作日').optional(),
});
export type ReportingSettings = z.infer<typeof settingsSchema>;

/** Creates a year's reporting calendar. */
export const createYearSchema = z.object({
  year: z.number().int().min(2000).max(2100),
  merge_jan_feb: z.boolean().default(false),
  deadline_day: z.number().int().min(1).max(31).optional(),
});
export type CreateYear = z.infer<typeof createYearSchema>;

/** Changes a period's deadline or opens/closes it. */
export const periodUpdateSchema = z.object({
  deadline: isoDate.optional(),
  status: periodStatusSchema.optional(),
});
export type PeriodUpdate = z.infer<typeof periodUpdateSchema>;

/** The fields a unit fills in a monthly report. Enter amount_month or amount_ytd (or both, agreeing). */
export const reportFieldsSchema = z.object({
  amount_month: signedYuan.optional(),
  amount_ytd: signedYuan.optional(),
  negative_reason: optText(500),
  stage: z.enum(REPORT_STAGES).nullable().optional(),
  stage_date: isoDate.nullable().optional(),
  progress_text: optText(4000),
  workers: z.number().int().min(0, '在岗人数不能为负').max(1_000_000).nullable().optional(),
  problems: optText(4000),
  next_plan: optText(4000),
  stats_entered: z.union([z.literal(0), z.literal(1)]).nullable().optional(),
  stats_code: optText(64),
  stats_reason: optText(500),
});
export type ReportFields = z.infer<typeof reportFieldsSchema>;

/** Create (no version) or update (the version last read) a report. */
export const reportWriteSchema = reportFieldsSchema.extend({ version: z.number().int().positive().optional() });
export type ReportWrite = z.infer<typeof reportWriteSchema>;

export const versionSchema = z.object({ version: z.number().int().positive() });
export const returnSchema = versionSchema.extend({ reason: z.string({ error: '退回时请填写退回原因' }).trim().min(1, '退回时请填写退回原因').max(1000) });
export const correctSchema = reportFieldsSchema.extend({
  version: z.number().int().positive(),
  reason: z.string({ error: '更正已审核的月报须填写更正原因' }).trim().min(1, '更正已审核的月报须填写更正原因').max(1000),
});
export type ReportCorrection = z.infer<typeof correctSchema>;

/** A unit's batch: one row per project; `submit` also submits every saved row. */
export const batchSchema = z.object({
  rows: z.array(reportWriteSchema.extend({ project_id: z.number().int().positive() })).min(1, '没有要保存的行').max(5000),
  submit: z.boolean().default(false),
});
export type BatchSave = z.infer<typeof batchSchema>;

export const submitAllSchema = z.object({ unit: z.number().int().positive().optional() });

export const photoQuery = z.object({ size: z.enum(['full', 'thumb']).default('full') });

/** 转督办 of a report's 需协调问题: what the prefilled dialog may change (the rest comes from the report). */
export const reportProblemMatterSchema = matterPrefillBody;
export type ReportProblemMatter = z.infer<typeof reportProblemMatterSchema>;
