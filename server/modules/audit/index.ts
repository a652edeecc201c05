// The audit module's public face (the trail's routes, search, verify and archive live here; recording goes through
// Deps.audit, the platform's AuditRecorder).
import type { Executor } from '../../db/database.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditService } from './audit.service.ts';
import type { JobSpec } from '../../platform/jobs.ts';

export { AuditService } from './audit.service.ts';
export { auditRoutes } from './audit.routes.ts';
export { anchorAuditHead, anchorPathsOf, readAnchors, startAuditAnchoring } from './audit-anchor.ts';

/** The audit service over an executor (a Kysely instance; recording takes the writer's transaction). */
export function createAuditService(db: Executor): AuditService {
  return new AuditService(new AuditRepository(db));
}

/**
 * The audit.chain job (issue 16): chains events left pending when a server stopped between a writer's commit and
 * its chaining step. Run through the platform's job runner, so any server repairs it, one at a time.
 */
export function auditChainJob(db: Executor, everySeconds = 10): JobSpec {
  return { name: 'audit.chain', everySeconds, leaseSeconds: 120, run: async () => void (await createAuditService(db).chainPending()) };
}
