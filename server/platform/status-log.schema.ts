import { z } from 'zod';

/** One row of the status log (core/workflow.ts StatusLogEntry) as a response lists it (issue 15). */
export const statusLogEntrySchema = z.object({
  entityType: z.string(), entityId: z.number().int(), from: z.string().nullable(), to: z.string(), action: z.string(),
  reason: z.string().nullable(), actorId: z.number().int().nullable(), at: z.string(),
}).meta({ id: 'StatusLogEntry' });
