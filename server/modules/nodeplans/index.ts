// The node plans module's public face (倒排工期, issue 17): app.ts and tests import from here only.
import type { Executor } from '../../db/database.ts';
import { registerEntityScope } from '../../platform/access.ts';
import type { Deps } from '../../platform/context.ts';
import { onDeadlineStep } from '../../platform/deadlines/deadlines.ts';
import { FileStore } from '../files/index.ts';
import { NodePlanRepository } from './node-plan.repository.ts';
import { NodePlanService } from './node-plan.service.ts';

export { NodePlanService, NODE_LADDER } from './node-plan.service.ts';
export { nodePlanRoutes } from './node-plan.routes.ts';

/** The node plan service over the database's file store (evidence files). */
export function createNodePlanService(deps: Deps): NodePlanService {
  return new NodePlanService(deps, (db: Executor) => new FileStore(db, null, deps.clock));
}

/**
 * Registers the 'plan_node' entity's scope (a node is seen with its project; its evidence files and completion
 * statement with it) and what a node's escalation steps do. Static wiring, called once by app.ts.
 */
export function registerNodePlans(deps: Deps): void {
  // A node, its files and its plan are seen by the project's readers and by the units leading one of the plan's
  // nodes (read-only beyond their own nodes: the service refuses the rest, 403).
  const inScope = async (db: Executor, id: number, scope: Parameters<NodePlanRepository['nodeInScope']>[1]) => {
    const repo = new NodePlanRepository(db);
    if (await repo.nodeInScope(id, scope)) return true;
    const projectId = await repo.projectOfNode(id);
    return projectId !== undefined && (await repo.findProjectByNodeUnits(projectId, scope)) !== undefined;
  };
  registerEntityScope('plan_node', inScope, '节点不存在或无权访问');
  registerEntityScope('node_plan', (db, id, scope) => NodePlanService.reachable(new NodePlanRepository(db), id, scope), '项目不存在或无权访问');
  registerEntityScope('plan_node_feedback', async (db, id, scope) => {
    const r = await db.selectFrom('feedback_entries').select('entity_id').where('id', '=', id).where('entity_type', '=', 'plan_node').executeTakeFirst();
    return r !== undefined && inScope(db, r.entity_id, scope);
  }, '附件不存在或无权访问');
  const service = createNodePlanService(deps);
  onDeadlineStep('plan_node', (trx, ctx) => service.onStep(trx, ctx));
}
