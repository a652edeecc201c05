import { z } from 'zod';
import { DIMENSIONS } from '../../../core/lights.ts';
import { projectFilterSchema } from '../../platform/project-filter.ts';
import { periodSchema } from '../indicators/index.ts';

const ruleId = z.string().trim().min(1, '规则编号不能为空').max(64);
const enabled = z.boolean().default(true);
const months = z.number().int().min(0).max(24);

/** One light rule, as stored and as edited by the office (core/lights.ts interprets it). */
export const ruleSchema = z.discriminatedUnion('kind', [
  z.object({ id: ruleId, kind: z.literal('points_gap'), enabled, yellow_points: z.number().min(0).max(100), red_points: z.number().min(0).max(100) }),
  z.object({ id: ruleId, kind: z.literal('ratio'), enabled, yellow_below: z.number().min(0).max(2), red_below: z.number().min(0).max(2) }),
  z.object({ id: ruleId, kind: z.literal('shortfall'), enabled, yellow_above: z.number().min(0).max(1), red_above: z.number().min(0).max(1) }),
  z.object({ id: ruleId, kind: z.literal('start_overdue'), enabled, yellow_months_late: months, red_months_late: months }),
  z.object({ id: ruleId, kind: z.literal('stats_entry'), enabled, yellow_months: months, red_months: months }),
  z.object({ id: ruleId, kind: z.literal('problem_overdue'), enabled, yellow_days: z.number().int().min(0).max(365), red_days: z.number().int().min(0).max(365) }),
  z.object({ id: ruleId, kind: z.literal('consecutive'), enabled, dimension: z.enum(DIMENSIONS), periods: z.number().int().min(2).max(12) }),
]);

export const ruleSetSchema = z.object({ rules: z.array(ruleSchema).max(50, '规则过多') });

/** PUT /api/v1/lights/rules/:year: a new version of the year's rule set, in force from effective_month on. */
export const ruleSetWriteSchema = ruleSetSchema.extend({
  effective_month: z.number().int().min(1).max(12).optional(),
  note: z.string().trim().max(500).optional(),
  /** Required (true) when effective_month is a closed month: their lights are judged again, and the audit says so. */
  rejudge_closed: z.boolean().optional(),
});
export type RuleSetWrite = z.infer<typeof ruleSetWriteSchema>;

export const yearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
export const idParams = z.object({ id: z.coerce.number().int().positive() });

const LIGHT_VALUES = ['green', 'yellow', 'red', 'none'] as const;

/** GET /api/v1/lights: the project filter, a period, which lights to list (default red and yellow) and paging. */
export const lightsQuerySchema = projectFilterSchema.extend(periodSchema.shape).extend({
  light: z.string().max(40).default('red,yellow').transform((v, ctx) => {
    const items = v.split(',').map((s) => s.trim()).filter(Boolean);
    for (const item of items) {
      if (!(LIGHT_VALUES as readonly string[]).includes(item)) {
        ctx.addIssue({ code: 'custom', message: `灯色有误：${item}` });
        return z.NEVER;
      }
    }
    return items as (typeof LIGHT_VALUES)[number][];
  }),
  dimension: z.enum(DIMENSIONS).optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(50),
});
export type LightsQuery = z.infer<typeof lightsQuerySchema>;

/** POST /api/v1/lights/excuses: an accepted excuse (正当理由). */
export const excuseWriteSchema = z.object({
  project_id: z.number().int().positive(),
  year: z.number().int().min(2000).max(2100),
  month_from: z.number().int().min(1).max(12),
  month_to: z.number().int().min(1).max(12).nullable().optional(),
  dimension: z.enum(DIMENSIONS).nullable().optional(),
  reason: z.string().trim().min(2, '请填写正当理由').max(1000),
});
export type ExcuseWrite = z.infer<typeof excuseWriteSchema>;

export const excusesQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  project_id: z.coerce.number().int().positive().optional(),
});

// Response schemas (issue 15): they feed the OpenAPI document and so web/api/generated.ts.

const lightOrNone = z.enum(LIGHT_VALUES).meta({ id: 'LightColor' });
const dimension = z.enum(DIMENSIONS).meta({ id: 'LightDimension' });

/** One dimension's light with the rule that lit it and the figures it looked at (core/lights.ts DimensionLight). */
export const dimensionLightSchema = z.object({
  dimension,
  light: lightOrNone,
  computed_light: lightOrNone,
  rule_id: z.string().nullable(),
  rule_kind: z.string().nullable(),
  reason: z.string(),
  figures: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  escalated: z.boolean(),
  excuse: z.object({ id: z.number().int(), dimension: dimension.nullable(), reason: z.string(), accepted_by_name: z.string(), accepted_at: z.string() }).nullable(),
}).meta({ id: 'DimensionLight' });

export const lightItemSchema = z.object({
  project_id: z.number().int(), name: z.string(), region_code: z.string(), unit_id: z.number().int(), unit_name: z.string().nullable(), stage: z.string(),
  is_paused: z.boolean(), is_excused: z.boolean(), overall: lightOrNone, reasons: z.array(z.string()), dimensions: z.array(dimensionLightSchema),
}).meta({ id: 'LightItem' });

const lightCounts = z.object({ green: z.number().int(), yellow: z.number().int(), red: z.number().int(), none: z.number().int() }).meta({ id: 'LightCounts' });

export const lightListSchema = z.object({
  year: z.number().int(), month: z.number().int(), rule_version: z.number().int().nullable(), counts: lightCounts, excused: z.number().int(),
  by_dimension: z.record(dimension, lightCounts), total: z.number().int(), items: z.array(lightItemSchema),
}).meta({ id: 'LightList' });

const ruleOut = ruleSchema.meta({ id: 'LightRule' });
export const ruleSetsSchema = z.object({
  year: z.number().int(),
  versions: z.array(z.object({
    version: z.number().int(), effective_month: z.number().int(), rules: z.array(ruleOut), note: z.string().nullable(), created_at: z.string(),
    created_by: z.number().int().nullable(),
  })),
  in_force: z.array(z.object({ month: z.number().int(), version: z.number().int().nullable() })),
  default: z.object({ rules: z.array(ruleOut) }),
}).meta({ id: 'RuleSets' });

/** An accepted excuse (正当理由) as listed: the stored row. */
export const lightExcuseSchema = z.object({
  id: z.number().int(), project_id: z.number().int(), year: z.number().int(), month_from: z.number().int(), month_to: z.number().int().nullable(),
  // Stored as text (the write schema admits only DIMENSIONS).
  dimension: z.string().nullable(), reason: z.string(), accepted_by: z.number().int().nullable(), accepted_by_name: z.string().nullable(),
  accepted_at: z.string(), revoked_by: z.number().int().nullable(), revoked_at: z.string().nullable(),
}).meta({ id: 'LightExcuse' });
export const excuseListSchema = z.object({ items: z.array(lightExcuseSchema) });
