import { z } from 'zod';
import { isoDate } from '../../platform/schemas.ts';
import { LEAD_STAGES, TERMINATION_KINDS } from '../../../core/attraction/lead.ts';
import { MAX_MONEY_TEXT, MAX_MONEY_YUAN } from '../../../core/money.ts';
import { checkUscc, normalizeUscc } from '../../../core/uscc.ts';

// Money is integer yuan (the web converts what offices type in 万元/亿元 exactly); foreign investment integer USD.

const yuan = z.number().int('金额须为整数（元）').min(0, '金额不能为负').max(MAX_MONEY_YUAN, `金额过大（上限 ${MAX_MONEY_TEXT}）`);
const optYuan = yuan.nullable().optional();
const optText = (max: number) => z.string().trim().max(max, `不能超过 ${max} 个字`).nullable().optional()
  .transform((v) => (v === '' ? null : v));

/** A calendar date 'YYYY-MM-DD' that exists. */
export { isoDate };

const uscc = z.string().transform(normalizeUscc).superRefine((v, ctx) => {
  if (v === '') return;
  const problem = checkUscc(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}).transform((v) => (v === '' ? null : v)).nullable().optional();

/** The fields a client edits on a record (stage and dates move through the reviewed moves). */
const leadFields = {
  name: z.string().trim().min(1, '项目名称不能为空').max(200, '项目名称过长'),
  team_id: z.number().int().positive(),
  region_code: z.string().min(6).max(16),
  investor: optText(200),
  intended_amount: optYuan,
  industry: optText(64),
  site: optText(200),
  land_need: optText(200),
  contacts: optText(500),
  negotiator: optText(200),
  signed_amount: optYuan,
  foreign_usd: z.number().int('外资额须为整数（美元）').min(0).max(MAX_MONEY_YUAN).nullable().optional(),
  review_body: optText(200),
  company_name: optText(200),
  company_uscc: uscc,
  land_info: optText(500),
  planned_total: optYuan,
  funds_in_place: optYuan,
  /** The enterprise of the problems module's register; null unlinks. Left out, a USCC that matches one links it. */
  enterprise_id: z.number().int().positive().nullable().optional(),
  notes: optText(2000),
};

/** A new record: a lead (线索) on its date. */
export const leadCreateBody = z.object({ ...leadFields, lead_on: isoDate.optional() }).strict();
export type LeadCreate = z.infer<typeof leadCreateBody>;

/** A patch of the record's fields, with the version read. */
export const leadUpdateBody = z.object(leadFields).partial().extend({ version: z.number().int().positive() }).strict();
export type LeadUpdate = z.infer<typeof leadUpdateBody>;

/** 填报: a move to a later stage (or 终止) submitted for review. */
export const leadMoveBody = z.object({
  to: z.enum([...LEAD_STAGES, 'terminated']),
  date: isoDate,
  reason: optText(1000),
  termination_kind: z.enum(TERMINATION_KINDS).nullable().optional(),
  /** At 开工: link to this library project instead of creating one. */
  project_id: z.number().int().positive().nullable().optional(),
  version: z.number().int().positive(),
}).strict();
export type LeadMove = z.infer<typeof leadMoveBody>;

/** 审核: approve or return the waiting move; withdraw: the submitter takes it back. */
export const leadReviewBody = z.object({
  action: z.enum(['approve', 'return', 'withdraw']),
  reason: optText(1000),
  version: z.number().int().positive(),
}).strict();
export type LeadReview = z.infer<typeof leadReviewBody>;

export const leadFollowupBody = z.object({
  on_date: isoDate,
  content: z.string().trim().min(1, '请填写跟进内容').max(2000),
}).strict();

const csv = z.string().max(200).optional();
export const leadListQuery = z.object({
  stage: csv,
  team_id: z.coerce.number().int().positive().optional(),
  region_code: z.string().max(16).optional(),
  industry: z.string().max(64).optional(),
  q: z.string().trim().max(100).optional(),
  terminated: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional(),
});
export type LeadListQuery = z.infer<typeof leadListQuery>;

export const leadIdParams = z.object({ id: z.coerce.number().int().positive() });
export const leadFileParams = z.object({ id: z.coerce.number().int().positive(), fileId: z.coerce.number().int().positive() });
export const leadFileQuery = z.object({ stage: z.enum(LEAD_STAGES) });

/** The office's settings (attraction.review): a patch of the keys to change. */
export const settingsBody = z.object({
  stale_days: z.number().int().min(1).max(365).optional(),
  start_limit_months: z.number().int().min(1).max(60).optional(),
}).strict();

/** The figures' query: a year (and optionally a quarter or month) and one breakdown. */
export const figuresQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  quarter: z.coerce.number().int().min(1).max(4).optional(),
  month: z.coerce.number().int().min(1).max(12).optional(),
  group_by: z.enum(['team', 'region', 'industry', 'month']).optional(),
  team_id: z.coerce.number().int().positive().optional(),
  region_code: z.string().max(16).optional(),
  /** Months after signing within which a start is due ("signed but not started" list). */
  start_limit_months: z.coerce.number().int().min(1).max(60).optional(),
  /** Days without a follow-up after which an open record is stale. */
  stale_days: z.coerce.number().int().min(1).max(365).optional(),
});
export type FiguresQuery = z.infer<typeof figuresQuery>;
