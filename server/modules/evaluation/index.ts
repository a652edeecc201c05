// The evaluation module's public face (考评, issue #20): app.ts, the demo and tests import from here only.
import type { Deps } from '../../platform/context.ts';
import { EvaluationRepository } from './evaluation.repository.ts';
import { EvaluationService } from './evaluation.service.ts';

export { EvaluationService, diffSnapshots, type SnapshotBody, type SnapshotUnit } from './evaluation.service.ts';
export { DEMO_SCHEME, seedEvaluationDemo } from './evaluation.demo.ts';
export { evaluationRoutes } from './evaluation.routes.ts';
export { listSources, registerProvider, type EvaluationSource, type Provider } from './evaluation.sources.ts';

/** The evaluation service over `deps`. */
export function createEvaluationService(deps: Deps): EvaluationService {
  return new EvaluationService(deps, (db) => new EvaluationRepository(db));
}
