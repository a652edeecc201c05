import { z } from 'zod';
import { LEAD_STAGES, LEAD_REVIEW, TERMINATION_KINDS } from '../../../core/attraction/lead.ts';
import { statusLogEntrySchema } from '../../platform/status-log.schema.ts';

// Response schemas of the attraction routes (issue 15): they feed the OpenAPI document and so web/api/generated.ts.

const stage = z.enum(LEAD_STAGES).meta({ id: 'LeadStage' });
const terminationKind = z.enum(TERMINATION_KINDS).meta({ id: 'TerminationKind' });
const int = z.number().int();
const money = int.nullable();
const text = z.string().nullable();
const date = z.string().nullable();

/** One record as lists show it (money integer yuan, foreign investment integer USD), with team and region names. */
export const leadSchema = z.object({
  id: int, name: z.string(), team_id: int, team_name: text, region_code: z.string(), region_name: text,
  investor: text, intended_amount: money, industry: text, site: text, land_need: text, contacts: text, negotiator: text,
  signed_amount: money, foreign_usd: money, review_body: text, company_name: text, company_uscc: text, land_info: text,
  planned_total: money, funds_in_place: money, project_id: int.nullable(),
  /** The enterprise of the problems module's register (matched by USCC or chosen). */
  enterprise_id: int.nullable(),
  stage, lead_on: z.string(), negotiating_on: date, signed_on: date, approved_on: date, landed_on: date, started_on: date, producing_on: date,
  review_status: z.enum(LEAD_REVIEW.spec.states), pending_to: z.union([stage, z.literal('terminated')]).nullable(), pending_on: date,
  pending_reason: text, pending_kind: terminationKind.nullable(), pending_project_id: int.nullable(), submitted_by: int.nullable(), submitted_at: text,
  return_reason: text, terminated_on: date, termination_kind: terminationKind.nullable(), termination_reason: text,
  last_followup_on: date, notes: text, version: int, created_at: z.string(), updated_at: z.string(), created_by: int.nullable(), updated_by: int.nullable(),
}).meta({ id: 'Lead' });

export const leadFollowupSchema = z.object({ id: int, on_date: z.string(), content: z.string(), created_at: z.string(), user_name: text }).meta({ id: 'LeadFollowup' });
export const leadFileSchema = z.object({ id: int, stage, file_name: z.string(), mime: z.string(), size: int, created_at: z.string() }).meta({ id: 'LeadFile' });

/** A record with its timeline, follow-ups, evidence, library project and the actions open to the reader. */
export const leadDetailSchema = leadSchema.extend({
  moves: z.array(statusLogEntrySchema),
  followups: z.array(leadFollowupSchema),
  files: z.array(leadFileSchema),
  project: z.object({ id: int, name: z.string(), total_investment: int }).nullable(),
  enterprise: z.object({ id: int, name: z.string(), uscc: text }).nullable(),
  /** Today by the server's clock (the page's date defaults and limits). */
  today: z.string(),
  actions: z.array(z.enum(['submit', 'approve', 'return', 'withdraw'])),
}).meta({ id: 'LeadDetail' });

export const leadListSchema = z.array(leadSchema);
export const leadFollowupsSchema = z.array(leadFollowupSchema);
export const leadFilesSchema = z.array(leadFileSchema);

/** 跟进超期 days and 开工期限 months (office settings), with today by the server's clock. */
export const attractionSettingsSchema = z.object({ stale_days: int, start_limit_months: int, today: z.string() }).meta({ id: 'AttractionSettings' });

const rate = z.object({ num: z.number(), den: z.number(), rate: z.number().nullable() }).meta({ id: 'AttractionRate' });
const figureRow = z.object({
  key: z.string(), label: z.string(), signed_count: int, signed_amount: int, signed_big_count: int, signed_big_amount: int, foreign_usd: int,
  started_count: int, producing_count: int, sign_to_start_count: int, sign_to_start_days: z.number(), sign_to_start_months: z.number().nullable(), performance: rate,
}).meta({ id: 'AttractionFigureRow' });
const briefLead = z.object({
  id: int, name: z.string(), team_name: text, region_name: text, stage, signed_on: date, signed_amount: money, last_followup_on: date, lead_on: z.string(),
});
const period = z.object({ from: z.string(), to: z.string() });

/** The figures page: totals and a breakdown, the funnel, 签约未开工 and 跟进超期 lists, with written definitions. */
export const figuresSchema = z.object({
  period, today: z.string(), start_limit_months: int, stale_days: int, definitions: z.record(z.string(), z.string()),
  total: figureRow, groups: z.array(figureRow),
  funnel: z.array(z.object({ stage, reached: int, conversion: rate.nullable() })),
  overdue_start: z.array(briefLead.extend({ due_on: z.string(), overdue_days: int })),
  stale: z.array(briefLead.extend({ idle_days: int })),
}).meta({ id: 'AttractionFigures' });

/** The quarter's 三个一批 lists. */
export const batchesSchema = z.object({ year: int, quarter: int, period, signed: leadListSchema, started: leadListSchema, producing: leadListSchema });

/** The ledger import's report (招商台账): the shape of the other list imports, so the wizard shows it the same way. */
export const leadImportReportSchema = z.object({
  kind: z.literal('leads'), fileName: z.string(), dryRun: z.boolean(), applied: z.boolean(),
  sheets: z.array(z.object({
    name: z.string(), headerRows: z.string().nullable(), columns: z.array(z.object({ letter: z.string(), header: z.string(), label: z.string() })),
    unmapped: z.array(z.object({ letter: z.string(), header: z.string() })), dataRows: z.number().int(), chosen: z.boolean(), note: z.string().optional(),
  })),
  summary: z.object({
    rows: z.number().int(), created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), errorRows: z.number().int(),
    errors: z.number().int(), warnings: z.number().int(),
  }),
  problems: z.array(z.object({
    sheet: z.string(), row: z.number().int().nullable(), column: z.string().nullable(), severity: z.enum(['error', 'warning']), message: z.string(),
  })),
  outcomes: z.array(z.object({
    sheet: z.string(), row: z.number().int(), action: z.enum(['create', 'update', 'unchanged', 'error']), name: z.string(),
    changes: z.array(z.string()).optional(), reason: z.string().optional(),
  })),
  elapsedMs: z.number(),
}).meta({ id: 'LeadImportReport' });
