import { z } from 'zod';

/** A timestamp or date filter bound: 'YYYY-MM-DD' or a full ISO timestamp. */
const bound = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, '应为 YYYY-MM-DD 或 ISO 时间');

/** Whether the recorded action succeeded (AuditEvent.outcome in platform/context.ts). */
export const auditOutcomeSchema = z.enum(['success', 'failure']).meta({ id: 'AuditOutcome' });

export const auditQuerySchema = z.object({
  user_id: z.coerce.number().int().positive().optional(),
  username: z.string().max(64).optional(),
  /** A prefix: 'auth.' finds every sign-in event, 'project.update' exactly those. */
  action: z.string().max(200).optional(),
  outcome: auditOutcomeSchema.optional(),
  entity_type: z.string().max(64).optional(),
  entity_id: z.string().max(64).optional(),
  ip: z.string().max(64).optional(),
  from: bound.optional(),
  /** Exclusive upper bound; a bare date means up to the start of that day. */
  to: bound.optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
