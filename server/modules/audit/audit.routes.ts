import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuditService } from './audit.service.ts';
import { auditQuerySchema } from './audit.schema.ts';
import { auditPageSchema, auditVerifySchema } from './audit.responses.ts';
import { readAnchors, type AnchorPaths } from './audit-anchor.ts';

/** Read-only audit trail for the auditor (安全审计员); the auditor's own searches are recorded too. No route edits or deletes audit rows. */
export function auditRoutes(app: FastifyInstance, service: () => AuditService, dataDir: string, anchors: AnchorPaths): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/audit', { config: { permission: 'audit.read', audit: true }, schema: { tags: ['audit'], querystring: auditQuerySchema, response: { 200: auditPageSchema } } },
    async (request) => service().search(request.query));
  r.get('/api/v1/audit/verify', { config: { permission: 'audit.read', audit: true }, schema: { tags: ['audit'], response: { 200: auditVerifySchema } } },
    async () => service().verify(dataDir, readAnchors(anchors)));
}
