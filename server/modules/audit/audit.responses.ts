import { z } from 'zod';
import { auditOutcomeSchema } from './audit.schema.ts';

// Response schemas of the audit trail (issue 15). They feed the OpenAPI document and so web/api/generated.ts.

const int = z.number().int();
const text = z.string().nullable();

/** One audit row as the trail page shows it: before/after/details are the stored JSON, parsed (any shape). */
export const auditEntrySchema = z.object({
  seq: int, at: z.string(), user_id: int.nullable(), username: text, role: text, ip: text, user_agent: text, action: z.string(),
  outcome: auditOutcomeSchema, entity_type: text, entity_id: text, method: text, route: text, status: int.nullable(),
  before: z.unknown(), after: z.unknown(), details: z.unknown(), prev_hash: z.string(), hash: z.string(),
  /** The object's name as recorded with the entry, else its current name; null when neither is known. */
  entity_name: text,
}).meta({ id: 'AuditEntry' });

/** A page of the trail, newest first. */
export const auditPageSchema = z.object({ total: int, page: int, page_size: int, items: z.array(auditEntrySchema) }).meta({ id: 'AuditPage' });

/** What a walk of the whole chain found (archives, table, anchors). */
export const auditVerifySchema = z.object({
  ok: z.boolean(), rows: int, archivedRows: int, headSeq: int, headHash: z.string(), anchors: int,
  problems: z.array(z.object({
    seq: int, kind: z.enum(['changed', 'missing', 'inserted', 'head_mismatch', 'archive', 'anchor']), message: z.string(),
  })),
}).meta({ id: 'AuditVerify' });
