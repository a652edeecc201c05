// The audit module's public face (the trail's routes, search, verify and archive live here; recording goes through
// Deps.audit, the platform's AuditRecorder).
import type { Executor } from '../../db/database.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditService } from './audit.service.ts';

export { AuditService } from './audit.service.ts';
export { auditRoutes } from './audit.routes.ts';
export { anchorAuditHead, anchorPathsOf, readAnchors, startAuditAnchoring } from './audit-anchor.ts';

/** The audit service over an executor (a Kysely instance; recording takes the writer's transaction). */
export function createAuditService(db: Executor): AuditService {
  return new AuditService(new AuditRepository(db));
}
