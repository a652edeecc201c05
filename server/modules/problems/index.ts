// The problems module's public face (issue 18): enterprises and their cadres and visits, problems and their figures.
// Other modules (attraction links leads to enterprises; evaluation and bulletins read the figures), app.ts, the CLI
// and tests import from here only.
import type { Actor, Deps } from '../../platform/context.ts';
import { registerEntityScope } from '../../platform/access.ts';
import { onDeadlineStep } from '../../platform/deadlines/deadlines.ts';
import { FileStore } from '../files/index.ts';
import { EnterpriseRepository } from './enterprise.repository.ts';
import { EnterpriseService } from './enterprise.service.ts';
import { ProblemRepository } from './problem.repository.ts';
import { ProblemService } from './problem.service.ts';
import { ProblemImport } from './problem-import.ts';
import { registerMatterEnterprises, type MatterEnterpriseReader } from '../supervision/index.ts';
import type { Executor } from '../../db/database.ts';
export { type ProblemImportReport } from './problem-import.ts';

export { EnterpriseService } from './enterprise.service.ts';
export { ProblemService, PROBLEM_LADDER, type FigureGroup } from './problem.service.ts';
export { registerEnterpriseLeads, type EnterpriseLead, type EnterpriseLeadReader } from './enterprise-leads.ts';
export { enterpriseRoutes, problemRoutes } from './problem.routes.ts';
export type { ProblemDemoInput } from './problem-demo.ts';
import { seedProblemDemo, type ProblemDemoInput } from './problem-demo.ts';

/** Seeds the demo's enterprises, visits and problems (server/modules/demo); returns the enterprises' ids. */
export function seedProblemsForDemo(deps: Deps, input: ProblemDemoInput): Promise<number[]> {
  return seedProblemDemo(deps, { enterprises: createEnterpriseService(deps), problems: createProblemService(deps) }, input);
}

/** The problem service (ledger, workflow, figures). */
export function createProblemService(deps: Deps): ProblemService {
  return new ProblemService(deps, (db) => new ProblemRepository(db));
}

/** The problem ledger import (问题台账): dry run and apply (problem-import.ts). */
export function createProblemImport(deps: Deps): ProblemImport {
  return new ProblemImport(deps, createProblemService(deps), (db) => new ProblemRepository(db));
}

/** The enterprise service; photos are kept through the files module (in the database unless a data dir is given). */
export function createEnterpriseService(deps: Deps, dataDir: string | null = null): EnterpriseService {
  return new EnterpriseService(deps, { enterprises: (db) => new EnterpriseRepository(db), problems: (db) => new ProblemRepository(db) },
    createProblemService(deps), (db) => new FileStore(db, dataDir, deps.clock));
}

/**
 * The problem figures (按期办结率, 办结率, 满意率, 一次性解决率, 重办率, average handling days, problems solved in the
 * year) for a year within an actor's data scope, optionally broken down: what evaluation and bulletins read.
 */
export function problemFigures(deps: Deps, actor: Parameters<ProblemService['figures']>[0], year: number, groupBy?: Parameters<ProblemService['figures']>[2]) {
  return createProblemService(deps).figures(actor, year, groupBy);
}

/** Those of these enterprises the actor may see (by unit, region or as a linked cadre): the reader supervision links matters through. */
export const visibleEnterprisesOf: MatterEnterpriseReader = (db: Executor, actor: Actor, ids: readonly number[]) => new EnterpriseRepository(db).visibleAmong(actor, ids);

/**
 * Registers 'enterprise' and 'problem' with the data-scope registry (by unit and region; attraction's routes keyed
 * by an enterprise can declare `config.scope = { entity: 'enterprise', param }`), and what the reminder steps of a
 * problem's handling deadline do. Static wiring, called once by app.ts.
 */
export function registerProblemScopes(deps: Deps): void {
  registerEntityScope('enterprise', (db, id, scope) => new EnterpriseRepository(db).isWithinScope(id, scope), '企业不存在或无权访问');
  registerEntityScope('problem', (db, id, scope) => new ProblemRepository(db).isWithinScope(id, scope), '问题不存在或无权访问');
  // Visit photos are attachments of the visit: the generic attachment download sees them within the enterprise's scope.
  registerEntityScope('enterprise_visit', async (db, id, scope) => {
    const enterpriseId = await new EnterpriseRepository(db).visitEnterprise(id);
    return enterpriseId !== undefined && new EnterpriseRepository(db).isWithinScope(enterpriseId, scope);
  }, '走访记录不存在或无权访问');
  // The handling deadline's reminder steps add to-dos for the owning department (ProblemService.onStep, on the engine).
  const problems = createProblemService(deps);
  onDeadlineStep('problem', (trx, ctx) => problems.onStep(trx, ctx));
  // Supervised matters link enterprises the actor sees (supervision/matter-enterprises.ts says why it is plugged in).
  registerMatterEnterprises(visibleEnterprisesOf);
}
