import { z } from 'zod';
import { raiseProblemBody } from './problem.schema.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
const opt = (max: number) => z.string().trim().max(max).nullish();

export const ENTERPRISE_SIZES = ['large', 'medium', 'small', 'micro'] as const;
export const CADRE_ROLES = ['cadre', 'chief', 'leader'] as const;

export const enterpriseBody = z.object({
  name: z.string().trim().min(1, '请填写企业名称').max(200),
  uscc: opt(40),
  region_code: z.string().regex(/^[0-9A-Z]{2,12}$/, '区域代码格式不正确'),
  unit_id: z.number().int().positive().nullish(),
  industry: opt(100),
  size: z.enum(ENTERPRISE_SIZES).nullish(),
  address: opt(300),
  contact_name: opt(50),
  contact_phone: opt(50),
  notes: opt(2000),
}).strict();
export type EnterpriseInput = z.infer<typeof enterpriseBody>;

export const enterpriseUpdateBody = enterpriseBody.extend({ version: z.number().int().positive() });

export const enterpriseListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  region_code: z.string().max(12).optional(),
  unit_id: z.coerce.number().int().positive().optional(),
  mine: z.enum(['1', 'true']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
});

export const cadreBody = z.object({
  user_id: z.number().int().positive().nullish(),
  name: z.string().trim().min(1, '请填写干部姓名').max(50),
  post: opt(100),
  role: z.enum(CADRE_ROLES),
  phone: opt(50),
  visit_every_months: z.number().int().min(1).max(24).nullish(),
  linked_on: day.nullish(),
}).strict();

/** A link's change; `unlink: true` ends it today (the server's day), `unlinked_on` on a given day. */
export const cadreUpdateBody = cadreBody.partial().extend({ unlinked_on: day.nullish(), unlink: z.literal(true).optional() }).strict();

/** A visit, with the problems raised on site (the phone page sends both at once). */
export const visitBody = z.object({
  visited_on: day,
  visitors: z.string().trim().min(1, '请填写走访人员').max(200),
  content: z.string().trim().min(1, '请填写走访内容').max(4000),
  cadre_id: z.number().int().positive().nullish(),
  problems: z.array(raiseProblemBody.omit({ source: true, enterprise_id: true })).max(20).default([]),
}).strict();

export const projectLinksBody = z.object({ project_ids: z.array(z.number().int().positive()).max(200) }).strict();

export const cadreParams = z.object({ cadreId: z.coerce.number().int().positive() });
export const visitParams = z.object({ visitId: z.coerce.number().int().positive() });
export const photoParams = z.object({ photoId: z.coerce.number().int().positive() });
