import { z } from 'zod';
import type { Scheme } from '../../../core/evaluation/scheme.ts';

const year = z.coerce.number().int().min(2000, '年份有误').max(2100, '年份有误');
const month = z.coerce.number().int().min(1, '月份须在 1 到 12 之间').max(12, '月份须在 1 到 12 之间');
const text = (label: string, max = 500) => z.string().trim().min(1, `${label}不能为空`).max(max, `${label}至多${max}个字`);

/** A month, or 0 for the year as a whole (year-end items and year-level 加扣分). */
const monthOrYear = z.coerce.number().int().min(0, '月份须在 0（年度）到 12 之间').max(12, '月份须在 0（年度）到 12 之间');

export const periodParams = z.object({ year, month });
export const yearQuery = z.object({ year: year.optional() });
export const yearParams = z.object({ year });
export const idParams = z.object({ id: z.coerce.number().int().positive() });
export const unitParams = z.object({ year, month, unitId: z.coerce.number().int().positive() });

/**
 * The scheme JSON: its shape is checked here loosely (objects and arrays), its meaning by validateScheme in core
 * (Chinese problems with the node path), so that the editor gets every problem at once.
 */
export const schemeSchema = z.custom<Scheme>((v) => typeof v === 'object' && v !== null && Array.isArray((v as { nodes?: unknown }).nodes), '考评方案格式有误');

export const schemeCreateBody = z.object({ year, scheme: schemeSchema });
export const schemeUpdateBody = z.object({ scheme: schemeSchema, row_version: z.number().int().positive() });
export const previewBody = z.object({ year, month, scheme: schemeSchema });
export const objectionOpenBody = z.object({ until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD') });
const leafKey = z.string().min(1, '请选择指标').max(100);
/** An objection to a unit's result, or (with `leaf`) to one indicator line of it. */
export const objectionBody = z.object({ unit_id: z.number().int().positive(), leaf: leafKey.nullish(), reason: text('异议理由', 2000) });
/** The office's review; accepting a line objection sets the line's corrected value. */
export const objectionHandleBody = z.object({
  decision: z.enum(['accepted', 'rejected']), reply: text('复核意见', 2000),
  corrected_value: z.string().trim().regex(/^-?\d{1,12}(\.\d{1,4})?$/, '更正数值须为数字，至多四位小数').nullish(),
});
export const republishBody = z.object({ reason: text('更正原因') });
export const entryBody = z.object({
  year, month: monthOrYear, unit_id: z.number().int().positive(),
  item_key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, '指标代码有误'),
  value: z.string().trim().regex(/^-?\d{1,12}(\.\d{1,4})?$/, '数值须为数字，至多四位小数'),
  evidence: text('佐证材料说明', 2000),
});
export const entryReviewBody = z.object({ decision: z.enum(['approved', 'rejected']), note: z.string().max(500).optional() });
export const ledgerBody = z.object({
  year, month: monthOrYear, unit_id: z.number().int().positive(),
  points: z.number().min(-100, '单笔加扣分不超过100分').max(100, '单笔加扣分不超过100分'),
  reason: text('加扣分事由'), doc_number: text('文号', 100), approver: text('审批人', 50),
});
export const ledgerQuery = z.object({ year, month: month.optional() });
export const outcomeBody = z.object({
  unit_id: z.number().int().positive(), kind: z.enum(['reward', 'interview', 'criticism']),
  amount: z.number().int('奖励金额须为整数元').positive('奖励金额须大于0').max(1_000_000_000).nullable().optional(),
  note: z.string().max(1000).nullable().optional(),
});
const decimalText = z.string().trim().regex(/^-?\d{1,12}(\.\d{1,4})?$/, '分值须为数字').nullable().optional();
export const upperRankBody = z.object({
  year, month, level: z.enum(['city', 'province']), indicator: text('指标名称', 100),
  our_rank: z.number().int().positive('名次须为正整数'), unit_count: z.number().int().positive('参评单位数须为正整数'),
  our_score: decimalText, leader_score: decimalText, is_weak: z.boolean().optional(),
  reasons: z.string().max(2000).nullable().optional(), next_steps: z.string().max(2000).nullable().optional(),
});

/** A weak indicator → 督办事项: the lead unit (upper-level ranking only), an optional title and deadline (China date). */
const dueOn = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '办结时限须为YYYY-MM-DD').nullish();
export const upperRankMatterBody = z.object({ lead_unit_id: z.number().int().positive('请选择牵头单位'), title: z.string().max(200).nullish(), due_on: dueOn }).strict();
export const unitLineMatterBody = z.object({ leaf: z.string().min(1, '请选择指标').max(100), title: z.string().max(200).nullish(), due_on: dueOn }).strict();
