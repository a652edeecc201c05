import { z } from 'zod';
import { projectFilterSchema } from '../../platform/project-filter.ts';
import { emptySums } from '../../../core/indicators.ts';
import { REPORT_STATUSES } from '../../../core/monthly-report.ts';

/** What an indicator breakdown can group by. Region and unit mean "the next level below the scope". */
export const BREAKDOWNS = ['region', 'unit', 'level', 'category', 'nature', 'investment_type'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** A period 1–N月 of a year. */
export const periodSchema = z.object({
  year: z.coerce.number().int().min(2000, '年份有误').max(2100, '年份有误'),
  month: z.coerce.number().int().min(1, '月份须在 1 到 12 之间').max(12, '月份须在 1 到 12 之间'),
});

/** GET /api/v1/indicators: the project filter, a period and optional breakdowns ('region,unit'). */
export const indicatorQuerySchema = projectFilterSchema.extend(periodSchema.shape).extend({
  breakdown: z.string().max(200).optional()
    .transform((v, ctx) => {
      const items = v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
      for (const item of items) {
        if (!(BREAKDOWNS as readonly string[]).includes(item)) {
          ctx.addIssue({ code: 'custom', message: `不支持的分组：${item}（可选 ${BREAKDOWNS.join('、')}）` });
          return z.NEVER;
        }
      }
      return items as Breakdown[];
    }),
});
export type IndicatorQuery = z.infer<typeof indicatorQuerySchema>;

/** 12 cumulative percentages (0–100, up to two decimals, non-decreasing, December = 100), or null for N/12. */
export const timeCurveSchema = z.array(z.number().min(0).max(100)).length(12, '序时进度曲线须有 12 个月的累计百分比').nullable();

/** PUT /api/v1/indicators/settings. */
export const indicatorSettingsWriteSchema = z.object({
  counted_statuses: z.array(z.enum(REPORT_STATUSES)).min(1, '至少选择一种计入统计的填报状态').optional(),
  time_curves: z.record(z.string().regex(/^\d{4}$/, '年份有误'), timeCurveSchema).optional(),
});
export type IndicatorSettingsWrite = z.infer<typeof indicatorSettingsWriteSchema>;

export const settingsQuerySchema = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });

// Response schemas (issue 15): they feed the OpenAPI document and so web/api/generated.ts.

/** The additive sums, field by field as core/indicators.ts builds them (the list is emptySums()'s, not restated). */
export const indicatorSumsSchema = z.object({
  ...Object.fromEntries(Object.keys(emptySums()).filter((k) => k !== 'by_stage').map((k) => [k, z.number()])),
  by_stage: z.record(z.string(), z.number()),
}).meta({ id: 'IndicatorSums' });

export const rateSchema = z.object({
  value: z.number().nullable(), text: z.string(), numerator: z.number(), denominator: z.number(), label: z.string(),
}).meta({ id: 'Rate' });
const rateWindow = z.object({ whole_year: rateSchema, to_date: rateSchema });

export const indicatorsSchema = z.object({
  year: z.number().int(),
  month: z.number().int(),
  period_label: z.string(),
  sums: indicatorSumsSchema,
  completion_rate: rateSchema,
  time_progress: z.object({ value: z.number(), text: z.string(), source: z.enum(['default', 'curve']) }),
  gap_points: z.object({ value: z.number().nullable(), text: z.string() }),
  start_rate: rateWindow,
  completion_plan_rate: rateWindow,
  production_rate: rateWindow,
  plan_to_date_rate: rateSchema,
  /** The period ends before the year's recorded progress begins (an imported 1–N月 list): investment figures unknown. */
  unrecorded: z.object({ records_from: z.number().int(), text: z.string() }).optional(),
}).meta({ id: 'Indicators' });

export const breakdownItemSchema = z.object({ key: z.string().nullable(), label: z.string(), indicators: indicatorsSchema }).meta({ id: 'BreakdownItem' });

export const trendPointSchema = z.object({
  month: z.number().int(),
  period_label: z.string(),
  completed_ytd: z.number(),
  completion_rate: z.number().nullable(),
  completion_rate_text: z.string(),
  time_progress: z.number(),
  time_progress_text: z.string(),
  gap_points: z.number().nullable(),
  gap_points_text: z.string(),
  recorded: z.boolean(),
}).meta({ id: 'TrendPoint' });

export const indicatorResultSchema = z.object({
  scope: z.record(z.string(), z.unknown()),
  indicators: indicatorsSchema,
  breakdowns: z.partialRecord(z.enum(BREAKDOWNS), z.array(breakdownItemSchema)),
  trend: z.array(trendPointSchema),
  records_from: z.number().int().nullable(),
}).meta({ id: 'IndicatorResult' });

/** GET/PUT /indicators/settings: the report statuses counted in the figures and, with `year`, that year's time curve (序时进度; null: N/12). */
export const indicatorSettingsSchema = z.object({
  counted_statuses: z.array(z.enum(REPORT_STATUSES)),
  year: z.number().int().optional(),
  time_curve: z.array(z.number()).readonly().nullable().optional(),
}).meta({ id: 'IndicatorSettings' });
