import { z } from 'zod';

export const REGION_CODE = /^\d{6,12}$|^[0-9A-Z]{1,16}$/;

export const regionQuerySchema = z.object({
  parent: z.string().regex(REGION_CODE).optional(),
  /** Name search (substring). */
  q: z.string().trim().min(1).max(50).optional(),
  /** Limits a name search to a subtree. */
  under: z.string().regex(REGION_CODE).optional(),
});

export const subtreeQuerySchema = z.object({
  /** How many levels below the region to include (1 = children). */
  depth: z.coerce.number().int().min(1).max(4).default(2),
});

export const customAreaSchema = z.object({
  parent_code: z.string().regex(REGION_CODE),
  name: z.string().trim().min(1, '名称不能为空').max(100),
});

export const regionRenameSchema = z.object({ name: z.string().trim().min(1, '名称不能为空').max(100) });

export const UNIT_KINDS = ['office', 'township', 'park', 'department', 'company', 'other'] as const;

export const unitWriteSchema = z.object({
  name: z.string().trim().min(1, '单位名称不能为空').max(100),
  short_name: z.string().trim().max(50).nullable().optional(),
  parent_id: z.number().int().positive().nullable().optional(),
  region_code: z.string().regex(REGION_CODE).nullable().optional(),
  kind: z.enum(UNIT_KINDS).default('department'),
  sort: z.number().int().min(0).max(1_000_000).default(0),
});
export type UnitWrite = z.infer<typeof unitWriteSchema>;

export const unitUpdateSchema = unitWriteSchema.partial();
export type UnitUpdate = z.infer<typeof unitUpdateSchema>;
