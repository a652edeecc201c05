// All SQL of node plans (倒排工期): the plan, its nodes, their predecessors and the matters overdue nodes became.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { NodeMatterLinkTable, NodePlanTable, PlanNodeTable } from '../../db/schema.ts';
import type { DataScope } from '../../platform/context.ts';
import { inScope, PROJECT_SCOPE, whereInScope } from '../../platform/scope.ts';

export type NodePlanRow = Selectable<NodePlanTable>;
export type PlanNodeRow = Selectable<PlanNodeTable>;

/** The project as a node plan needs it. */
export interface PlanProject {
  id: number;
  name: string;
  unit_id: number;
}

export class NodePlanRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** The live project when it is in the scope, or undefined. */
  findProjectInScope(id: number, scope: DataScope): Promise<PlanProject | undefined> {
    return whereInScope(this.db.selectFrom('projects').select(['projects.id', 'projects.name', 'projects.unit_id']), scope, PROJECT_SCOPE)
      .where('projects.id', '=', id).where('projects.deleted_at', 'is', null).executeTakeFirst();
  }

  /** True when the node's project is in the scope (the project's own readers). */
  async nodeInScope(nodeId: number, scope: DataScope): Promise<boolean> {
    const r = await whereInScope(this.db.selectFrom('plan_nodes').innerJoin('projects', 'projects.id', 'plan_nodes.project_id').select('plan_nodes.id'), scope, PROJECT_SCOPE)
      .where('plan_nodes.id', '=', nodeId).executeTakeFirst();
    return r !== undefined;
  }

  /**
   * The live project when one of its plan's nodes is led by a unit of the scope's unit subtrees (a responsible unit
   * outside the project's own scope, e.g. 自然资源局 on 用地预审), or undefined.
   */
  findProjectByNodeUnits(projectId: number, scope: DataScope): Promise<PlanProject | undefined> {
    if (scope.all || scope.unitPaths.length === 0) return Promise.resolve(undefined);
    return this.db.selectFrom('projects').select(['projects.id', 'projects.name', 'projects.unit_id'])
      .where('projects.id', '=', projectId).where('projects.deleted_at', 'is', null)
      .where((eb) => eb.exists(eb.selectFrom('plan_nodes').select('plan_nodes.id').whereRef('plan_nodes.project_id', '=', 'projects.id')
        .where(inScope({ all: false, unitPaths: scope.unitPaths, regionPaths: [] }, { unit: 'plan_nodes.unit_id' }))))
      .executeTakeFirst();
  }

  /** The node's project id when the node exists. */
  async projectOfNode(nodeId: number): Promise<number | undefined> {
    return (await this.db.selectFrom('plan_nodes').select('project_id').where('id', '=', nodeId).executeTakeFirst())?.project_id;
  }

  /** The project's basic facts a node's unit needs to act on its node (name, code, units, place, builder's contact). */
  projectFacts(projectId: number) {
    return this.db.selectFrom('projects')
      .leftJoin('units', 'units.id', 'projects.unit_id')
      .leftJoin('regions', 'regions.code', 'projects.region_code')
      .select([
        'projects.id', 'projects.code', 'projects.name', 'projects.stage', 'projects.unit_id', 'units.name as unit_name', 'projects.region_code', 'regions.name as region_name',
        'projects.address', 'projects.builder_name', 'projects.builder_contact', 'projects.builder_phone',
        'projects.planned_start_date', 'projects.planned_completion_date', 'projects.planned_production_date',
      ])
      .where('projects.id', '=', projectId).executeTakeFirstOrThrow();
  }

  /**
   * The active accounts of these roles with their unit's path and their explicit data-scope rows (the office
   * accounts that may confirm a node: the service keeps those whose scope covers the project).
   */
  async accountsWithScopes(roles: readonly string[]) {
    // Guard against an invalid `in ()` when no role holds the permission.
    if (roles.length === 0) return [];
    const users = await this.db.selectFrom('users').leftJoin('units', 'units.id', 'users.unit_id')
      .select(['users.id', 'users.role', 'units.path as unit_path'])
      .where('users.role', 'in', [...roles]).where('users.is_active', '=', 1).where('users.approval_pending_since', 'is', null)
      .orderBy('users.id').execute();
    if (users.length === 0) return [];
    const rows = await this.db.selectFrom('user_scopes as us').leftJoin('units as un', 'un.id', 'us.unit_id').leftJoin('regions as r', 'r.code', 'us.region_code')
      .select(['us.user_id', 'us.unit_id', 'us.region_code', 'un.path as unit_path', 'r.path as region_path'])
      .where('us.user_id', 'in', users.map((u) => u.id)).orderBy('us.id').execute();
    return users.map((u) => ({ ...u, scopes: rows.filter((r) => r.user_id === u.id) }));
  }

  findPlan(projectId: number): Promise<NodePlanRow | undefined> {
    return this.db.selectFrom('node_plans').selectAll().where('project_id', '=', projectId).executeTakeFirst();
  }

  async insertPlan(row: Insertable<NodePlanTable>): Promise<number> {
    return (await this.db.insertInto('node_plans').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  /** Moves the plan's version on when it still is `version`; false when another save came first. */
  async updatePlan(id: number, version: number, values: Updateable<NodePlanTable>): Promise<boolean> {
    const r = await this.db.updateTable('node_plans').set({ ...values, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Moves the plan's version on (a node added, changed or removed). */
  async touchPlan(id: number, at: string): Promise<void> {
    const plan = await this.db.selectFrom('node_plans').select('version').where('id', '=', id).executeTakeFirstOrThrow();
    await this.db.updateTable('node_plans').set({ version: plan.version + 1, updated_at: at }).where('id', '=', id).execute();
  }

  listNodes(planId: number): Promise<PlanNodeRow[]> {
    return this.db.selectFrom('plan_nodes').selectAll().where('plan_id', '=', planId).orderBy('position').orderBy('id').execute();
  }

  findNode(id: number): Promise<PlanNodeRow | undefined> {
    return this.db.selectFrom('plan_nodes').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertNode(row: Insertable<PlanNodeTable>): Promise<number> {
    return (await this.db.insertInto('plan_nodes').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  async updateNode(id: number, values: Updateable<PlanNodeTable>): Promise<void> {
    await this.db.updateTable('plan_nodes').set(values).where('id', '=', id).execute();
  }

  async deleteNode(id: number): Promise<void> {
    await this.db.deleteFrom('plan_nodes').where('id', '=', id).execute();
  }

  async nextPosition(planId: number): Promise<number> {
    const r = await this.db.selectFrom('plan_nodes').select((eb) => eb.fn.max('position').as('max')).where('plan_id', '=', planId).executeTakeFirst();
    return Number(r?.max ?? 0) + 1;
  }

  /** Every predecessor link of the plan's nodes. */
  async links(planId: number): Promise<{ node_id: number; predecessor_id: number }[]> {
    return this.db.selectFrom('plan_node_links').innerJoin('plan_nodes', 'plan_nodes.id', 'plan_node_links.node_id')
      .select(['plan_node_links.node_id', 'plan_node_links.predecessor_id']).where('plan_nodes.plan_id', '=', planId).orderBy('plan_node_links.id').execute();
  }

  /** Replaces a node's predecessors. */
  async setPredecessors(nodeId: number, predecessorIds: readonly number[]): Promise<void> {
    await this.db.deleteFrom('plan_node_links').where('node_id', '=', nodeId).execute();
    // Guard against an invalid empty insert.
    if (predecessorIds.length === 0) return;
    await this.db.insertInto('plan_node_links').values([...new Set(predecessorIds)].map((p) => ({ node_id: nodeId, predecessor_id: p }))).execute();
  }

  /** The matters the plan's overdue nodes became, by node. */
  async matterLinks(planId: number): Promise<Map<number, { id: number; number: string }>> {
    const rows = await this.db.selectFrom('node_matter_links').innerJoin('plan_nodes', 'plan_nodes.id', 'node_matter_links.node_id')
      .select(['node_matter_links.node_id', 'node_matter_links.matter_id', 'node_matter_links.matter_number']).where('plan_nodes.plan_id', '=', planId).execute();
    return new Map(rows.map((r) => [r.node_id, { id: r.matter_id, number: r.matter_number }]));
  }

  findMatterLink(nodeId: number): Promise<{ matter_id: number; matter_number: string } | undefined> {
    return this.db.selectFrom('node_matter_links').select(['matter_id', 'matter_number']).where('node_id', '=', nodeId).executeTakeFirst();
  }

  /** Links the node to its matter; false when another request linked one first (the unique index). */
  async insertMatterLink(row: Insertable<NodeMatterLinkTable>): Promise<boolean> {
    const r = await this.db.insertInto('node_matter_links').values(row).onConflict((oc) => oc.column('node_id').doNothing()).returning('id').executeTakeFirst();
    return r !== undefined;
  }

  /** Unit names by id, for the page. */
  async unitNames(ids: readonly number[]): Promise<Map<number, string>> {
    // Guard against running an invalid `in ()` when no node names a unit.
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('units').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The ids among these that name units. */
  async existingUnits(ids: readonly number[]): Promise<number[]> {
    // Guard against an invalid `in ()` when no template node names a unit.
    if (ids.length === 0) return [];
    return (await this.db.selectFrom('units').select('id').where('id', 'in', [...new Set(ids)]).execute()).map((r) => r.id);
  }

  /** Forgets the plan's anchor pick (its node is being deleted): the target label's node anchors it again. */
  async clearAnchor(planId: number): Promise<void> {
    await this.db.updateTable('node_plans').set({ anchor_node_id: null }).where('id', '=', planId).execute();
  }

  async unitExists(id: number): Promise<boolean> {
    return (await this.db.selectFrom('units').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }
}
