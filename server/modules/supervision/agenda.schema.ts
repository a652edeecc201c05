import { z } from 'zod';
import { MATTER_URGENCIES } from '../../../core/supervision/matter-workflow.ts';
import { MEETING_KINDS } from './agenda.service.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
const id = z.number().int().positive();

export const idParams = z.object({ id: z.coerce.number().int().positive() });
export const decisionParams = z.object({ id: z.coerce.number().int().positive(), decisionId: z.coerce.number().int().positive() });
export const letterParams = z.object({ id: z.coerce.number().int().positive(), letterId: z.coerce.number().int().positive() });
export const pageQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The meetings list's filters (also the export's): year, kind, a word of the title or the chair. */
export const meetingsQuery = pageQuery.extend({
  kind: z.enum(MEETING_KINDS).optional(),
  q: z.string().max(100).optional(),
});

/** The weekly batches list's filters (also the export's): year, standing, a word of the title or the 期号. */
export const batchesQuery = pageQuery.extend({
  status: z.enum(['unsigned', 'open', 'done']).optional(),
  q: z.string().max(100).optional(),
});

export const meetingBody = z.object({
  kind: z.enum(MEETING_KINDS).default('coordination'),
  title: z.string().trim().min(1, '请填写会议名称').max(200),
  held_on: day,
  chair: z.string().max(100).nullish(),
  attendees: z.string().max(2000).nullish(),
  location: z.string().max(200).nullish(),
  decisions: z.array(z.string().max(2000)).max(100).default([]),
}).strict();

/** A meeting corrected (its decisions are edited one by one). */
export const meetingUpdateBody = z.object({
  /** The meeting's version the correction was made on (from GET /meetings/:id); a stale one answers 409. */
  version: z.number().int().min(1),
  kind: z.enum(MEETING_KINDS),
  title: z.string().trim().min(1, '请填写会议名称').max(200),
  held_on: day,
  chair: z.string().max(100).nullish(),
  attendees: z.string().max(2000).nullish(),
  location: z.string().max(200).nullish(),
}).strict();

/** A decision added or corrected, on the meeting's version (from GET /meetings/:id; a stale one answers 409). */
export const decisionBody = z.object({ version: z.number().int().min(1), text: z.string().trim().min(1, '请填写议定事项').max(2000) }).strict();
/** A decision deleted, on the meeting's version. */
export const decisionDeleteQuery = z.object({ version: z.coerce.number().int().min(1) });

export const decisionMattersBody = z.object({
  title: z.string().max(200).nullish(),
  content: z.string().max(5000).nullish(),
  type: z.string().max(40).optional(),
  urgency: z.enum(MATTER_URGENCIES).optional(),
  due_on: day.nullish(),
  feedback_days: z.number().int().min(0).max(60).nullish(),
  project_ids: z.array(id).max(200).default([]),
  units: z.array(z.object({ lead_unit_id: id, co_unit_ids: z.array(id).max(50).default([]) }).strict()).min(1, '请至少选择一个牵头单位').max(50),
}).strict();

export const batchBody = z.object({
  matter_ids: z.array(id).max(500).default([]),
  title: z.string().max(200).nullish(),
  carry_overdue: z.boolean().default(true),
}).strict();

export const letterBody = z.object({ kind: z.enum(['assign', 'remind', 'press', 'interview']) }).strict();
