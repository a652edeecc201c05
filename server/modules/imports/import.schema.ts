import { z } from 'zod';
import { REPORT_STATUSES } from '../../../core/monthly-report.ts';

/** Query string of the dry-run and apply endpoints. */
/**
 * Repeated projects (two rows naming one project; a monthly row whose name + region fit several stored projects):
 * refuse the file (default) or skip them and import the rest; the report lists them either way.
 */
const duplicatesSchema = z.enum(['refuse', 'skip']).default('refuse');

/** The sheet to import when the workbook holds several tables (the dry run lists them). */
const sheetSchema = z.string().trim().min(1).max(100).optional();

export const importQuerySchema = z.object({
  kind: z.enum(['projects', 'plans']).default('projects'),
  sheet: sheetSchema,
  duplicates: duplicatesSchema,
  /** The plan year; overrides what the headers, title rows or sheet name say (a 年度 column still wins per row). */
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  /** The period 1–N月 of the progress columns; overrides what the file says. */
  month: z.coerce.number().int().min(1).max(12).optional(),
  /** Create the units and custom areas the file names that do not exist yet ("1"/"true"). */
  create_missing: z.enum(['0', '1', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true'),
  /** The responsible unit of rows that name none (a list with only 项目业主). */
  default_unit: z.coerce.number().int().positive().optional(),
  /** JSON object: unit name of the file → an existing unit id, "create", or "skip" (neither matched nor created). */
  unit_map: z.string().max(100_000).optional().transform((v, ctx) => {
    if (v === undefined || v === '') return undefined;
    try {
      const parsed = z.record(z.string(), z.union([z.number().int().positive(), z.literal('create'), z.literal('skip')])).parse(JSON.parse(v));
      return parsed;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'unit_map 须为 JSON 对象：{"单位名称": 单位编号 或 "create"}' });
      return z.NEVER;
    }
  }),
});
export type ImportQuery = z.infer<typeof importQuerySchema>;

/** Query string of the unit-list and user-list imports. */
export const listImportQuerySchema = z.object({
  sheet: sheetSchema,
  /** Unit list: move stored units the list names under another parent (the dry run offers each move). */
  move_units: z.enum(['1', '0', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true'),
});

/** Query string of the monthly-progress import: the period when the file names none. */
export const monthlyImportQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  month: z.coerce.number().int().min(1).max(12).optional(),
  /** What the imported reports become: drafts the units still submit, submitted (counted), or approved (office); never returned. */
  status: z.enum(REPORT_STATUSES).exclude(['returned']).default('draft'),
  duplicates: duplicatesSchema,
  sheet: sheetSchema,
});

export const templateParamsSchema = z.object({ kind: z.enum(['projects', 'plans', 'monthly']) });
export const templateQuerySchema = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });

/** GET /regions/resolve: the region a typed name means, or why not (with the candidates of an ambiguous name, or the area it lies outside). */
export const regionAnswerSchema = z.union([
  z.object({ ok: z.literal(true), code: z.string(), name: z.string(), full_name: z.string() }),
  z.object({ ok: z.literal(false), message: z.string(), candidates: z.array(z.object({ code: z.string(), name: z.string() })), area: z.string().optional() }),
]).meta({ id: 'RegionAnswer' });
