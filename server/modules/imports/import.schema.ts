import { z } from 'zod';

/** Query string of the dry-run and apply endpoints. */
/**
 * Repeated projects (two rows naming one project; a monthly row whose name + region fit several stored projects):
 * refuse the file (default) or skip them and import the rest; the report lists them either way.
 */
const duplicatesSchema = z.enum(['refuse', 'skip']).default('refuse');

export const importQuerySchema = z.object({
  kind: z.enum(['projects', 'plans']).default('projects'),
  duplicates: duplicatesSchema,
  /** The plan year when the file names none (no 年度 column, no year in the title). */
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
export type ImportQuery = z.infer<typeof importQuerySchema>;

/** Query string of the monthly-progress import: the period when the file names none. */
export const monthlyImportQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  month: z.coerce.number().int().min(1).max(12).optional(),
  /** What the imported reports become: drafts the units still submit, submitted (counted), or approved (office). */
  status: z.enum(['draft', 'submitted', 'approved']).default('draft'),
  duplicates: duplicatesSchema,
});

export const templateParamsSchema = z.object({ kind: z.enum(['projects', 'plans', 'monthly']) });
export const templateQuerySchema = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
