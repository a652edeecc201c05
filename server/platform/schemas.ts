import { z } from 'zod';
import { MATTER_URGENCIES } from '../../core/supervision/matter-workflow.ts';

// Request-schema pieces several modules share, so that one rule has one wording.

/** A calendar date 'YYYY-MM-DD' that exists (2026-02-30 is refused), with the clerk's message in Chinese. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, '日期不存在');

/**
 * 转督办 from another record (a report's 需协调问题, an overdue plan node): what the prefilled 交办 dialog may change
 * of the matter; the rest comes from the record.
 */
export const matterPrefillBody = z.object({
  title: z.string().trim().max(200).nullish(),
  content: z.string().max(5000).nullish(),
  lead_unit_id: z.number().int().positive().nullish(),
  co_unit_ids: z.array(z.number().int().positive()).max(50).nullish(),
  type: z.string().max(40).nullish(),
  urgency: z.enum(MATTER_URGENCIES).nullish(),
  due_on: isoDate.nullish(),
  feedback_days: z.number().int().min(0).max(60).nullish(),
}).strict();
