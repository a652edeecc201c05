// Node plans (倒排工期, issue 17): a project's nodes from 立项 to 投产 with their responsible units, durations in
// working days and predecessors; the schedule counted backwards from a target date on the office's working-day
// calendar; each node a tracked item on the supervision module's CaseEngine (moves, its completion deadline and the
// to-dos of its unit, evidence as attachments and the completion statement as a feedback entry, one timeline); an
// overdue node becomes one supervised matter.
import { chinaToday } from '../../../core/clock.ts';
import { deadlineStanding } from '../../../core/deadlines.ts';
import { isNodeDone, NODE_STATE_LABELS, NODE_WORKFLOW, type NodeAction, type NodeState } from '../../../core/nodeplans/node-workflow.ts';
import { anchorOf, scheduleNodes, ScheduleError, type NodeDates } from '../../../core/nodeplans/schedule.ts';
import { templateProblems, type TemplateNode } from '../../../core/nodeplans/template.ts';
import type { WorkCalendar } from '../../../core/calendar.ts';
import type { Executor } from '../../db/database.ts';
import { AppError, notFound } from '../../errors.ts';
import { addAttachment, listAttachments, type Attachment, type BlobStore } from '../../platform/attachments/attachments.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { loadWorkCalendar, type EscalationStep, type StepContext } from '../../platform/deadlines/deadlines.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { addTodo, completeTodos } from '../../platform/todos/todos.ts';
import { inTransaction } from '../../platform/tx.ts';
import { PERMISSIONS, roleHas, type Permission, type Role } from '../../plugins/permissions.ts';
import { SettingsVersionError } from '../../platform/settings.ts';
import { scopeOf } from '../users/index.ts';
import { CaseEngine, createMatterService, type MatterInput } from '../supervision/index.ts';
import { NodePlanRepository, type NodePlanRow, type PlanNodeRow, type PlanProject } from './node-plan.repository.ts';
import { nodeplanSettings } from './nodeplan.settings.ts';

/** A node's escalation: a reminder two working days before its latest finish, a warning the day after it. */
export const NODE_LADDER: readonly EscalationStep[] = [
  { key: 'remind', offset: -2, label: '节点即将到期' },
  { key: 'overdue', offset: 1, label: '节点逾期' },
];

/** What a node is written with (add or edit). */
export interface NodeInput {
  name: string;
  unitId?: number | null;
  durationDays: number;
  predecessorIds: number[];
  evidence?: string | null;
}

/** The plan's own fields. */
export interface PlanInput {
  targetOn?: string | null;
  targetLabel?: string | null;
  startOn?: string | null;
  /** The node the target date is the finish of; null: the target label's node (开工 for 计划开工 …). */
  anchorNodeId?: number | null;
}

/** A template node as the settings page writes it (predecessors: indexes in the list). */
export interface TemplateNodeInput {
  name: string;
  durationDays: number;
  predecessors: number[];
  unitId?: number | null;
  evidence?: string | null;
}

/**
 * How an account reaches a project's node plan: 'full' when the project is in its data scope, 'nodes' when only
 * one of the plan's nodes is led by a unit of its scope (it reads the plan and completes its own nodes, nothing else).
 */
export type PlanAccess = 'full' | 'nodes';

/** What the 交办 dialog may change of the prefilled matter. */
export type NodeMatterInput = Partial<Pick<MatterInput, 'title' | 'content' | 'leadUnitId' | 'coUnitIds' | 'type' | 'urgency' | 'dueOn' | 'feedbackDays'>>;

const LINK = (projectId: number) => `/projects/${projectId}?tab=nodes`;

export class NodePlanService {
  private readonly deps: Deps;
  private readonly store: (db: Executor) => BlobStore;
  readonly engine: CaseEngine<NodeState, NodeAction>;
  constructor(deps: Deps, store: (db: Executor) => BlobStore) {
    this.deps = deps;
    this.store = store;
    this.engine = new CaseEngine(deps, { entityType: 'plan_node', workflow: NODE_WORKFLOW, createdLabel: '列入计划' });
  }

  private now() {
    return this.deps.clock.now();
  }

  private today() {
    return chinaToday(this.now());
  }

  private has(actor: Actor) {
    return (p: string) => roleHas(actor.role, p as Permission);
  }

  private async project(repo: NodePlanRepository, actor: Actor, projectId: number): Promise<PlanProject> {
    const p = await repo.findProjectInScope(projectId, actor.scope);
    if (!p) throw notFound('项目');
    return p;
  }

  /** The project and how the actor reaches its plan; 404 when it does not. */
  private async reach(repo: NodePlanRepository, actor: Actor, projectId: number): Promise<{ project: PlanProject; access: PlanAccess } | undefined> {
    const full = await repo.findProjectInScope(projectId, actor.scope);
    if (full) return { project: full, access: 'full' };
    const byNodes = await repo.findProjectByNodeUnits(projectId, actor.scope);
    return byNodes ? { project: byNodes, access: 'nodes' } : undefined;
  }

  private async node(repo: NodePlanRepository, actor: Actor, nodeId: number): Promise<{ node: PlanNodeRow; project: PlanProject; plan: NodePlanRow; access: PlanAccess }> {
    const node = await repo.findNode(nodeId);
    const reached = node ? await this.reach(repo, actor, node.project_id) : undefined;
    if (!node || !reached) throw notFound('节点');
    return { node, project: reached.project, plan: (await repo.findPlan(reached.project.id))!, access: reached.access };
  }

  /** Refuses a change of the plan to an account that reaches it only through a node of its unit. */
  private editable(access: PlanAccess): void {
    if (access !== 'full') throw new AppError('forbidden', '只能查看本计划，并办理本单位负责的节点；修改节点计划请联系项目责任单位或发改局');
  }

  /**
   * Whether an account reaches a project's plan (the 'node_plan' entity's 404, keyed by the project id): its data
   * scope covers the project, or a unit of its scope leads one of the plan's nodes.
   */
  static async reachable(repo: NodePlanRepository, projectId: number, scope: Actor['scope']): Promise<boolean> {
    return (await repo.findProjectInScope(projectId, scope)) !== undefined || (await repo.findProjectByNodeUnits(projectId, scope)) !== undefined;
  }

  // ---- reading -------------------------------------------------------------------------------------------------

  /** The project's plan with every node's dates, standing, evidence and matter; `plan: null` when none yet. */
  async get(actor: Actor, projectId: number) {
    const repo = new NodePlanRepository(this.deps.db);
    const reached = await this.reach(repo, actor, projectId);
    if (!reached) throw notFound('项目');
    const plan = await repo.findPlan(reached.project.id);
    if (!plan) {
      const facts = await this.facts(repo, reached.project.id);
      return { project_id: reached.project.id, access: reached.access, can_edit: reached.access === 'full' && this.has(actor)('project.write'), project: facts, plan: null, anchor_id: null, nodes: [] };
    }
    return this.present(this.deps.db, actor, plan, reached.access);
  }

  private async facts(repo: NodePlanRepository, projectId: number) {
    const f = await repo.projectFacts(projectId);
    return { ...f, region_name: f.region_name ?? null, unit_name: f.unit_name ?? null };
  }

  /** The plan as get() shows it, with the project's name and today, for the .xlsx export. */
  async forExport(actor: Actor, projectId: number) {
    const view = await this.get(actor, projectId);
    return { view, projectName: view.project.name, today: this.today() };
  }

  private async present(db: Executor, actor: Actor, plan: NodePlanRow, access: PlanAccess = 'full') {
    const repo = new NodePlanRepository(db);
    const [nodes, links, matters, cal] = await Promise.all([repo.listNodes(plan.id), repo.links(plan.id), repo.matterLinks(plan.id), loadWorkCalendar(db)]);
    const dates = this.schedule(plan, nodes, links, cal);
    const anchorId = anchorOf(nodes, plan.target_label, plan.anchor_node_id);
    const units = await repo.unitNames(nodes.flatMap((n) => (n.unit_id === null ? [] : [n.unit_id])));
    const files = await listAttachments(db, 'plan_node', nodes.map((n) => n.id));
    const today = this.today();
    const has = this.has(actor);
    const items = nodes.map((n) => {
      const d = dates.get(n.id)!;
      const standing = !isNodeDone(n.status) && d.latestFinish ? deadlineStanding(d.latestFinish, today, cal) : null;
      const mayAct = (actor.unitId !== null && n.unit_id === actor.unitId) || (access === 'full' && has('node.confirm'));
      return {
        id: n.id, position: n.position, name: n.name, unit_id: n.unit_id, unit_name: n.unit_id === null ? null : units.get(n.unit_id) ?? null,
        duration_days: n.duration_days, predecessor_ids: links.filter((l) => l.node_id === n.id).map((l) => l.predecessor_id), evidence: n.evidence,
        status: n.status, status_label: NODE_STATE_LABELS[n.status], completed_on: n.completed_on, confirmed_on: n.confirmed_on,
        latest_start: d.latestStart, latest_finish: d.latestFinish, planned_start: d.plannedStart, planned_finish: d.plannedFinish,
        is_overdue: standing?.overdue ?? false, overdue_days: standing?.overdue ? standing.workingDays : 0,
        late_by_plan: !!(d.plannedFinish && d.latestFinish && d.plannedFinish > d.latestFinish && !isNodeDone(n.status)),
        attachments: files.filter((f) => f.ownerId === n.id).map(presentAttachment),
        matter: matters.get(n.id) ?? null,
        actions: NODE_WORKFLOW.choices(n.status, has).filter((a) => (a === 'complete' ? mayAct : access === 'full')),
      };
    });
    return {
      project_id: plan.project_id,
      access,
      can_edit: access === 'full' && has('project.write'),
      project: await this.facts(repo, plan.project_id),
      plan: {
        id: plan.id, target_on: plan.target_on, target_label: plan.target_label, start_on: plan.start_on, anchor_node_id: plan.anchor_node_id,
        version: plan.version, updated_at: plan.updated_at,
      },
      anchor_id: anchorId,
      nodes: items,
    };
  }

  private schedule(plan: NodePlanRow, nodes: PlanNodeRow[], links: { node_id: number; predecessor_id: number }[], cal: WorkCalendar): Map<number, NodeDates> {
    try {
      return scheduleNodes(nodes.map((n) => ({
        id: n.id, name: n.name, durationDays: n.duration_days, completedOn: n.completed_on,
        predecessors: links.filter((l) => l.node_id === n.id).map((l) => l.predecessor_id),
      })), { targetOn: plan.target_on, startOn: plan.start_on, anchorId: anchorOf(nodes, plan.target_label, plan.anchor_node_id) }, cal);
    } catch (err) {
      if (err instanceof ScheduleError) throw new AppError('unprocessable', err.message);
      throw err;
    }
  }

  /**
   * Re-counts the plan in the caller's transaction (refusing a cycle, 422) and puts each open node's completion
   * deadline and its unit's to-do at its latest finish; without a target date the nodes have none.
   */
  private async reschedule(trx: Executor, plan: NodePlanRow, project: PlanProject): Promise<void> {
    const repo = new NodePlanRepository(trx);
    const [nodes, links, cal] = await Promise.all([repo.listNodes(plan.id), repo.links(plan.id), loadWorkCalendar(trx)]);
    const dates = this.schedule(plan, nodes, links, cal);
    const now = this.now();
    for (const n of nodes) {
      if (isNodeDone(n.status)) continue;
      const d = dates.get(n.id)!;
      const unitId = n.unit_id ?? project.unit_id;
      if (!d.latestFinish || !d.latestStart) {
        await this.engine.finish(trx, n.id, 'cancelled', this.today(), null);
        continue;
      }
      if (await this.engine.hold(trx, n.id, 'complete', { startOn: d.latestStart, dueOn: d.latestFinish, unitId, ladder: NODE_LADDER })) {
        // A moved date makes the reminders and warnings of the old one moot; the job takes the new date's steps.
        await completeTodos(trx, { keys: NODE_LADDER.map((step) => `plan_node:${n.id}:${step.key}`) }, now, null);
      }
      await addTodo(trx, {
        key: `plan_node:${n.id}:complete`, to: { unitId }, kind: 'plan_node.complete', title: `完成节点：${project.name}·${n.name}`,
        link: LINK(project.id), dueOn: d.latestFinish, entityType: 'plan_node', entityId: n.id,
      }, now);
    }
  }

  // ---- the plan ------------------------------------------------------------------------------------------------

  /**
   * Creates the project's plan, empty or from the office's template (each node's unit: the template's default
   * unit, or the project's).
   */
  async create(actor: Actor, projectId: number, input: PlanInput & { template: 'default' | 'empty' }) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new NodePlanRepository(trx);
      const project = await this.project(repo, actor, projectId);
      if (await repo.findPlan(project.id)) throw new AppError('conflict', '该项目已有节点计划');
      const at = this.now().toISOString();
      const planId = await repo.insertPlan({
        project_id: project.id, target_on: input.targetOn ?? null, target_label: input.targetLabel?.trim() || '计划投产', start_on: input.startOn ?? null,
        anchor_node_id: null, version: 1, created_by: actor.userId || null, created_at: at, updated_at: at,
      });
      if (input.template === 'default') {
        const ids: number[] = [];
        const template = (await nodeplanSettings.get(trx)).node_template;
        const units = new Set(await repo.existingUnits(template.flatMap((t) => (t.unitId ? [t.unitId] : []))));
        for (const [i, t] of template.entries()) {
          const id = await repo.insertNode({
            plan_id: planId, project_id: project.id, position: i + 1, name: t.name, unit_id: t.unitId && units.has(t.unitId) ? t.unitId : project.unit_id,
            duration_days: t.durationDays, evidence: t.evidence || null, status: 'pending', created_at: at, updated_at: at,
          });
          ids.push(id);
          await this.engine.created(trx, id, 'pending', actor, this.now());
        }
        // After all the nodes: an office's template may list a node before one it waits for.
        for (const [i, t] of template.entries()) await repo.setPredecessors(ids[i]!, t.predecessors.map((p) => ids[p]!));
      }
      const plan = (await repo.findPlan(project.id))!;
      await this.reschedule(trx, plan, project);
      await this.deps.audit.record(trx, actor, {
        action: 'node_plan.create', entityType: 'project', entityId: project.id, entityName: project.name,
        after: { template: input.template, targetOn: plan.target_on, targetLabel: plan.target_label, startOn: plan.start_on },
      });
      return this.present(trx, actor, plan);
    });
  }

  /** Changes the target date, its label or the start date (naming the plan's version) and re-counts the plan. */
  async update(actor: Actor, projectId: number, version: number, input: PlanInput) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new NodePlanRepository(trx);
      const project = await this.project(repo, actor, projectId);
      const plan = await repo.findPlan(project.id);
      if (!plan) throw new AppError('not_found', '该项目还没有节点计划');
      if (input.anchorNodeId && !(await repo.listNodes(plan.id)).some((n) => n.id === input.anchorNodeId)) throw new AppError('unprocessable', '目标节点须是本计划的节点');
      const values = {
        anchor_node_id: input.anchorNodeId === undefined ? plan.anchor_node_id : input.anchorNodeId,
        target_on: input.targetOn === undefined ? plan.target_on : input.targetOn,
        target_label: input.targetLabel?.trim() || plan.target_label,
        start_on: input.startOn === undefined ? plan.start_on : input.startOn,
        updated_at: this.now().toISOString(),
      };
      if (!(await repo.updatePlan(plan.id, version, values))) throw new AppError('conflict', '节点计划已被他人修改，请刷新后重试', { version: plan.version });
      const after = (await repo.findPlan(project.id))!;
      await this.reschedule(trx, after, project);
      await this.deps.audit.record(trx, actor, {
        action: 'node_plan.update', entityType: 'project', entityId: project.id, entityName: project.name,
        before: { targetOn: plan.target_on, targetLabel: plan.target_label, startOn: plan.start_on, anchorNodeId: plan.anchor_node_id },
        after: { targetOn: after.target_on, targetLabel: after.target_label, startOn: after.start_on, anchorNodeId: after.anchor_node_id },
      });
      return this.present(trx, actor, after);
    });
  }

  private async checkNode(repo: NodePlanRepository, plan: NodePlanRow, input: NodeInput, self?: number): Promise<void> {
    if (!input.name.trim()) throw new AppError('unprocessable', '请填写节点名称');
    if (input.unitId && !(await repo.unitExists(input.unitId))) throw new AppError('unprocessable', '责任单位不存在');
    const ids = new Set((await repo.listNodes(plan.id)).map((n) => n.id));
    for (const p of input.predecessorIds) {
      if (p === self) throw new AppError('unprocessable', '节点不能以自身为前置节点');
      if (!ids.has(p)) throw new AppError('unprocessable', '前置节点须是本计划的节点');
    }
  }

  /** Adds a node by hand (its unit: the project's unless named). */
  async addNode(actor: Actor, projectId: number, input: NodeInput) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new NodePlanRepository(trx);
      const project = await this.project(repo, actor, projectId);
      const plan = await repo.findPlan(project.id);
      if (!plan) throw new AppError('not_found', '该项目还没有节点计划');
      await this.checkNode(repo, plan, input);
      const at = this.now().toISOString();
      const id = await repo.insertNode({
        plan_id: plan.id, project_id: project.id, position: await repo.nextPosition(plan.id), name: input.name.trim(), unit_id: input.unitId ?? project.unit_id,
        duration_days: input.durationDays, evidence: input.evidence?.trim() || null, status: 'pending', created_at: at, updated_at: at,
      });
      await repo.setPredecessors(id, input.predecessorIds);
      await repo.touchPlan(plan.id, at);
      await this.engine.created(trx, id, 'pending', actor, this.now());
      await this.reschedule(trx, plan, project);
      await this.deps.audit.record(trx, actor, { action: 'plan_node.create', entityType: 'plan_node', entityId: id, entityName: `${project.name}·${input.name.trim()}`, after: input });
      return this.present(trx, actor, (await repo.findPlan(project.id))!);
    });
  }

  /** Edits a node (name, unit, duration, predecessors, evidence); a cycle is refused naming its nodes. */
  async updateNode(actor: Actor, nodeId: number, input: NodeInput) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new NodePlanRepository(trx);
      const { node, project, plan, access } = await this.node(repo, actor, nodeId);
      this.editable(access);
      await this.checkNode(repo, plan, input, node.id);
      const before = { name: node.name, unitId: node.unit_id, durationDays: node.duration_days, evidence: node.evidence, predecessorIds: (await repo.links(plan.id)).filter((l) => l.node_id === node.id).map((l) => l.predecessor_id) };
      const at = this.now().toISOString();
      await repo.updateNode(node.id, { name: input.name.trim(), unit_id: input.unitId ?? project.unit_id, duration_days: input.durationDays, evidence: input.evidence?.trim() || null, updated_at: at });
      await repo.setPredecessors(node.id, input.predecessorIds);
      await repo.touchPlan(plan.id, at);
      await this.reschedule(trx, plan, project);
      await this.deps.audit.record(trx, actor, { action: 'plan_node.update', entityType: 'plan_node', entityId: node.id, entityName: `${project.name}·${node.name}`, before, after: input });
      return this.present(trx, actor, (await repo.findPlan(project.id))!);
    });
  }

  /** Removes a node (its successors lose it as a predecessor); its deadline and to-dos end. */
  async deleteNode(actor: Actor, nodeId: number) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new NodePlanRepository(trx);
      const { node, project, plan, access } = await this.node(repo, actor, nodeId);
      this.editable(access);
      if (await repo.findMatterLink(node.id)) throw new AppError('conflict', `节点“${node.name}”已转督办，不能删除`);
      if (plan.anchor_node_id === node.id) await repo.clearAnchor(plan.id);
      await this.engine.finish(trx, node.id, 'cancelled', this.today(), actor.userId || null);
      await repo.deleteNode(node.id);
      await repo.touchPlan(plan.id, this.now().toISOString());
      await this.reschedule(trx, plan, project);
      await this.deps.audit.record(trx, actor, { action: 'plan_node.delete', entityType: 'plan_node', entityId: node.id, entityName: `${project.name}·${node.name}`, before: { name: node.name } });
      return this.present(trx, actor, (await repo.findPlan(project.id))!);
    });
  }

  // ---- completing a node ---------------------------------------------------------------------------------------

  private mayComplete(actor: Actor, node: PlanNodeRow, access: PlanAccess): boolean {
    return (actor.unitId !== null && node.unit_id === actor.unitId) || (access === 'full' && this.has(actor)('node.confirm'));
  }

  /** Adds a file of evidence (佐证材料) to an open node: its responsible unit or the office. */
  async addEvidence(actor: Actor, nodeId: number, file: { fileName: string; data: Buffer }): Promise<Attachment> {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new NodePlanRepository(trx);
      const { node, access } = await this.node(repo, actor, nodeId);
      if (!this.mayComplete(actor, node, access)) throw new AppError('forbidden', '只有节点的责任单位可以上传佐证材料');
      if (node.status !== 'pending') throw new AppError('conflict', `节点当前状态为“${NODE_STATE_LABELS[node.status]}”，不能再上传佐证材料`);
      const made = await addAttachment(trx, this.store(trx), { ownerType: 'plan_node', ownerId: node.id, fileName: file.fileName, data: file.data, uploadedBy: actor.userId || null, at: this.now() });
      await this.deps.audit.record(trx, actor, { action: 'plan_node.evidence', entityType: 'plan_node', entityId: node.id, after: { fileName: made.fileName, sha256: made.sha256 } });
      return made;
    });
  }

  /**
   * The responsible unit reports the node completed on `completedOn` with its evidence (the files uploaded before,
   * at least one, and a statement kept as a dated feedback entry): the deadline and the to-dos end, the office is
   * asked to confirm.
   */
  async complete(actor: Actor, nodeId: number, input: { text: string; completedOn?: string | null }) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new NodePlanRepository(trx);
      const { node, project, plan, access } = await this.node(repo, actor, nodeId);
      if (!this.mayComplete(actor, node, access)) throw new AppError('forbidden', '只有节点的责任单位可以报完成');
      if (!input.text.trim()) throw new AppError('unprocessable', '请填写完成情况说明');
      const today = this.today();
      const completedOn = input.completedOn ?? today;
      if (completedOn > today) throw new AppError('unprocessable', '完成日期不能晚于今天');
      const files = await listAttachments(trx, 'plan_node', [node.id]);
      const now = this.now();
      const to = await this.engine.move(trx, {
        id: node.id, from: node.status, action: 'complete', actor, at: now, ctx: { has: this.has(actor), evidence: files },
        before: { status: node.status }, after: { status: 'completed', completedOn, files: files.map((f) => f.fileName) },
      });
      await this.engine.addFeedback(trx, node.id, { unitId: node.unit_id, actor, onDate: completedOn, text: input.text });
      await this.engine.finish(trx, node.id, 'done', completedOn, actor.userId || null);
      await repo.updateNode(node.id, { status: to, completed_on: completedOn, completed_by: actor.userId || null, updated_at: now.toISOString() });
      for (const userId of await this.confirmers(repo, project.id)) {
        await addTodo(trx, {
          key: `plan_node:${node.id}:confirm:${userId}`, to: { userId }, kind: 'plan_node.confirm', title: `确认节点完成：${project.name}·${node.name}`,
          link: LINK(project.id), entityType: 'plan_node', entityId: node.id,
        }, now);
      }
      await this.reschedule(trx, plan, project);
      return this.present(trx, actor, plan, access);
    });
  }

  /** The office confirms a completed node, or sends it back with a reason (its deadline reopens). */
  async review(actor: Actor, nodeId: number, action: 'confirm' | 'return', reason?: string | null) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new NodePlanRepository(trx);
      const { node, project, plan, access } = await this.node(repo, actor, nodeId);
      this.editable(access);
      const now = this.now();
      const to = await this.engine.move(trx, { id: node.id, from: node.status, action, actor, at: now, ctx: { has: this.has(actor), reason } });
      await this.engine.finish(trx, node.id, 'done', this.today(), actor.userId || null);
      if (action === 'confirm') {
        await repo.updateNode(node.id, { status: to, confirmed_on: this.today(), confirmed_by: actor.userId || null, updated_at: now.toISOString() });
      } else {
        await repo.updateNode(node.id, { status: to, completed_on: null, completed_by: null, updated_at: now.toISOString() });
        await emitEvent(trx, {
          name: 'plan_node.returned', entityType: 'plan_node', entityId: node.id, actorId: actor.userId || null, at: now, payload: { reason },
          notify: { recipients: [{ unitId: node.unit_id ?? project.unit_id }], title: `节点被退回：${project.name}·${node.name}`, body: reason ?? null, link: LINK(project.id) },
        });
        await this.reschedule(trx, plan, project);
      }
      return this.present(trx, actor, plan);
    });
  }

  /** The node's timeline (moves, the completion statement, escalation steps), oldest first. */
  async timeline(actor: Actor, nodeId: number) {
    const repo = new NodePlanRepository(this.deps.db);
    await this.node(repo, actor, nodeId);
    const items = await this.engine.timeline(this.deps.db, nodeId, {
      'deadline.step': (p) => `${typeof p.label === 'string' ? p.label : '时限提醒'}（最迟完成 ${typeof p.dueOn === 'string' ? p.dueOn : ''}）`,
      'plan_node.assigned': (p) => `已转督办：${typeof p.number === 'string' ? p.number : ''}`,
    });
    return { items: items.map((i) => ({ at: i.at, kind: i.kind, actor_id: i.actorId, title: i.title, detail: i.detail })) };
  }

  // ---- overdue → matter ----------------------------------------------------------------------------------------

  /**
   * 交办 from an overdue node: one supervised matter (source 'node', linking back to the project's node plan) led
   * by the node's unit, in this transaction; a second attempt is refused 409 naming the matter.
   */
  async toMatter(actor: Actor, nodeId: number, input: NodeMatterInput) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new NodePlanRepository(trx);
      const { node, project, plan, access } = await this.node(repo, actor, nodeId);
      this.editable(access);
      const already = async () => {
        const link = await repo.findMatterLink(node.id);
        return link ? new AppError('conflict', `节点“${node.name}”已转为督办事项${link.matter_number}，不能重复交办`, { matter_id: link.matter_id, matter_number: link.matter_number }) : undefined;
      };
      const refused = await already();
      if (refused) throw refused;
      const view = await this.present(trx, actor, plan);
      const item = view.nodes.find((n) => n.id === node.id)!;
      if (!item.is_overdue) throw new AppError('unprocessable', `节点“${node.name}”未逾期，不能转督办`);
      const unitName = item.unit_name ?? '责任单位';
      const made = await createMatterService({ ...this.deps, db: trx }).create(actor, {
        title: input.title?.trim() || `${project.name}“${node.name}”节点逾期督办`,
        content: input.content?.trim() || `“${node.name}”应于 ${item.latest_finish} 前完成（佐证：${node.evidence ?? '—'}），已逾期 ${item.overdue_days} 个工作日，请${unitName}加快办理并按时限反馈。`,
        source: 'node', sourceId: node.id, sourceRef: `${project.name}·节点计划·${node.name}`, sourceLink: LINK(project.id),
        type: input.type?.trim() || '节点逾期', urgency: input.urgency ?? 'urgent', leadUnitId: input.leadUnitId ?? node.unit_id ?? project.unit_id,
        coUnitIds: input.coUnitIds ?? [], projectIds: [project.id], dueOn: input.dueOn ?? null, feedbackDays: input.feedbackDays ?? null,
      });
      if (!(await repo.insertMatterLink({ node_id: node.id, matter_id: made.id, matter_number: made.number, created_at: this.now().toISOString() }))) {
        // Another request linked a matter first: this transaction (and its matter) is rolled back.
        throw (await already().catch(() => undefined)) ?? new AppError('conflict', `节点“${node.name}”已转为督办事项，不能重复交办`);
      }
      await emitEvent(trx, { name: 'plan_node.assigned', entityType: 'plan_node', entityId: node.id, actorId: actor.userId || null, at: this.now(), payload: { matterId: made.id, number: made.number } });
      return made;
    });
  }

  /**
   * Who is asked to confirm a completed node: the active accounts holding node.confirm (the key-project office)
   * whose data scope covers the project — the ones that can open and confirm it — not every office account of the
   * province. In id order.
   */
  private async confirmers(repo: NodePlanRepository, projectId: number): Promise<number[]> {
    const roles = PERMISSIONS['node.confirm'] as readonly Role[];
    const out: number[] = [];
    for (const account of await repo.accountsWithScopes(roles)) {
      const scope = scopeOf(account.role as Role, account.unit_path ?? null, account.scopes.map((r) => ({ unit_id: r.unit_id, region_code: r.region_code, unit_path: r.unit_path ?? null, region_path: r.region_path ?? null })));
      if (scope.all || (await repo.findProjectInScope(projectId, scope))) out.push(account.id);
    }
    return out;
  }

  // ---- the office's default template ---------------------------------------------------------------------------

  /** The office's node template (the built-in one until it saves its own) and its version. */
  async template() {
    const db = this.deps.db;
    const [settings, version] = await Promise.all([nodeplanSettings.get(db), nodeplanSettings.version(db)]);
    const units = await new NodePlanRepository(db).unitNames(settings.node_template.flatMap((n) => (n.unitId ? [n.unitId] : [])));
    return {
      version, is_default: version === 1,
      nodes: settings.node_template.map((n) => ({
        name: n.name, duration_days: n.durationDays, predecessors: n.predecessors, unit_id: n.unitId ?? null, unit_name: n.unitId ? units.get(n.unitId) ?? null : null, evidence: n.evidence,
      })),
    };
  }

  /**
   * Saves the office's template, made on `version`: refused 422 with every problem in Chinese (names unique,
   * durations ≥ 1, predecessors in the list, no cycle, units that exist) and 409 with the stored template when
   * another clerk saved first.
   */
  async saveTemplate(actor: Actor, version: number, input: readonly TemplateNodeInput[]) {
    const nodes: TemplateNode[] = input.map((n) => ({
      name: n.name.trim(), durationDays: n.durationDays, predecessors: [...new Set(n.predecessors)], evidence: n.evidence?.trim() ?? '', unitId: n.unitId ?? null,
    }));
    const problems = templateProblems(nodes);
    const repo = new NodePlanRepository(this.deps.db);
    const units = new Set(await repo.existingUnits(nodes.flatMap((n) => (n.unitId ? [n.unitId] : []))));
    nodes.forEach((n, i) => {
      if (n.unitId && !units.has(n.unitId)) problems.push(`第 ${i + 1} 个节点“${n.name}”的默认责任单位不存在`);
    });
    if (problems.length > 0) throw new AppError('unprocessable', problems.join('；'));
    try {
      await inTransaction(this.deps.db, (trx) => nodeplanSettings.put(trx, actor, { node_template: nodes }, this.deps, { expectedVersion: version }));
    } catch (err) {
      if (!(err instanceof SettingsVersionError)) throw err;
      throw new AppError('version_conflict', '节点计划模板已被他人修改，请查看最新内容后重新提交', { current: await this.template(), fields: ['nodes'] });
    }
    return this.template();
  }

  /** What an escalation step of a node's deadline does: a to-do for the responsible unit and a notification. */
  async onStep(trx: Executor, ctx: StepContext): Promise<void> {
    const repo = new NodePlanRepository(trx);
    const node = await repo.findNode(ctx.deadline.entityId);
    if (!node || isNodeDone(node.status)) return;
    const project = (await repo.findProjectInScope(node.project_id, { all: true, unitPaths: [], regionPaths: [] }))!;
    const unitId = node.unit_id ?? project.unit_id;
    const title = `${ctx.step.label}：${project.name}·${node.name}（最迟完成 ${ctx.deadline.dueOn}）`;
    await addTodo(trx, {
      key: `plan_node:${node.id}:${ctx.step.key}`, to: { unitId }, kind: `plan_node.${ctx.step.key}`, title, link: LINK(project.id),
      dueOn: ctx.deadline.dueOn, entityType: 'plan_node', entityId: node.id,
    }, ctx.now);
    await emitEvent(trx, {
      name: 'plan_node.escalated', entityType: 'plan_node', entityId: node.id, actorId: null, at: ctx.now, payload: { step: ctx.step.key },
      notify: { recipients: [{ unitId }], title, link: LINK(project.id) },
    });
  }
}

/** An attachment as the API shows it (download through the inbox module's /attachments/:id, in the owner's scope). */
export function presentAttachment(a: Attachment) {
  return { id: a.id, file_name: a.fileName, size_bytes: a.sizeBytes, uploaded_at: a.uploadedAt, url: `/api/v1/attachments/${a.id}` };
}
