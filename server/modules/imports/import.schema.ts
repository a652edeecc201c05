import { z } from 'zod';

/** Query string of the dry-run and apply endpoints. */
export const importQuerySchema = z.object({
  kind: z.enum(['projects', 'plans']).default('projects'),
  /** The plan year when the file names none (no 年度 column, no year in the title). */
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
export type ImportQuery = z.infer<typeof importQuerySchema>;

/** Query string of the monthly-progress import: the period when the file names none. */
export const monthlyImportQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  month: z.coerce.number().int().min(1).max(12).optional(),
});

export const templateParamsSchema = z.object({ kind: z.enum(['projects', 'plans', 'monthly']) });
export const templateQuerySchema = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
