// Node plans (倒排工期, issue 17): a project's nodes from 立项 to 投产 with their responsible units, durations in
// working days and predecessors; the schedule counted backwards from a target date on the office's working-day
// calendar; each node a tracked item on the supervision module's CaseEngine (moves, its completion deadline and the
// to-dos of its unit, evidence as attachments and the completion statement as a feedback entry, one timeline); an
// overdue node becomes one supervised matter.
import { chinaToday } from '../../../core/clock.ts';
import { deadlineStanding } from '../../../core/deadlines.ts';
import { isNodeDone, NODE_STATE_LABELS, NODE_WORKFLOW, type NodeAction, type NodeState } from '../../../core/nodeplans/node-workflow.ts';
import { scheduleNodes, ScheduleError, type NodeDates } from '../../../core/nodeplans/schedule.ts';
import { DEFAULT_NODE_TEMPLATE } from '../../../core/nodeplans/template.ts';
import type { WorkCalendar } from '../../../core/calendar.ts';
import type { Executor } from '../../db/database.ts';
import { AppError, notFound } from '../../errors.ts';
import { addAttachment, listAttachments, type Attachment, type BlobStore } from '../../platform/attachments/attachments.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { loadWorkCalendar, type EscalationStep, type StepContext } from '../../platform/deadlines/deadlines.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { addTodo, completeTodos } from '../../platform/todos/todos.ts';
import { inTransaction } from '../../platform/tx.ts';
import { roleHas, type Permission } from '../../plugins/permissions.ts';
import { CaseEngine, createMatterService, type MatterInput } from '../supervision/index.ts';
import { NodePlanRepository, type NodePlanRow, type PlanNodeRow, type PlanProject } from './node-plan.repository.ts';

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
}

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

  private async node(repo: NodePlanRepository, actor: Actor, nodeId: number): Promise<{ node: PlanNodeRow; project: PlanProject; plan: NodePlanRow }> {
    const node = await repo.findNode(nodeId);
    const project = node ? await repo.findProjectInScope(node.project_id, actor.scope) : undefined;
    if (!node || !project) throw notFound('节点');
    return { node, project, plan: (await repo.findPlan(project.id))! };
  }

  // ---- reading -------------------------------------------------------------------------------------------------

  /** The project's plan with every node's dates, standing, evidence and matter; `plan: null` when none yet. */
  async get(actor: Actor, projectId: number) {
    const repo = new NodePlanRepository(this.deps.db);
    const project = await this.project(repo, actor, projectId);
    const plan = await repo.findPlan(project.id);
    if (!plan) return { project_id: project.id, plan: null, nodes: [] };
    return this.present(this.deps.db, actor, plan);
  }

  /** The plan as get() shows it, with the project's name and today, for the .xlsx export. */
  async forExport(actor: Actor, projectId: number) {
    const repo = new NodePlanRepository(this.deps.db);
    const project = await this.project(repo, actor, projectId);
    return { view: await this.get(actor, projectId), projectName: project.name, today: this.today() };
  }

  private async present(db: Executor, actor: Actor, plan: NodePlanRow) {
    const repo = new NodePlanRepository(db);
    const [nodes, links, matters, cal] = await Promise.all([repo.listNodes(plan.id), repo.links(plan.id), repo.matterLinks(plan.id), loadWorkCalendar(db)]);
    const dates = this.schedule(plan, nodes, links, cal);
    const units = await repo.unitNames(nodes.flatMap((n) => (n.unit_id === null ? [] : [n.unit_id])));
    const files = await listAttachments(db, 'plan_node', nodes.map((n) => n.id));
    const today = this.today();
    const has = this.has(actor);
    const items = nodes.map((n) => {
      const d = dates.get(n.id)!;
      const standing = !isNodeDone(n.status) && d.latestFinish ? deadlineStanding(d.latestFinish, today, cal) : null;
      const mayAct = n.unit_id === actor.unitId || has('node.confirm');
      return {
        id: n.id, position: n.position, name: n.name, unit_id: n.unit_id, unit_name: n.unit_id === null ? null : units.get(n.unit_id) ?? null,
        duration_days: n.duration_days, predecessor_ids: links.filter((l) => l.node_id === n.id).map((l) => l.predecessor_id), evidence: n.evidence,
        status: n.status, status_label: NODE_STATE_LABELS[n.status], completed_on: n.completed_on, confirmed_on: n.confirmed_on,
        latest_start: d.latestStart, latest_finish: d.latestFinish, planned_start: d.plannedStart, planned_finish: d.plannedFinish,
        is_overdue: standing?.overdue ?? false, overdue_days: standing?.overdue ? standing.workingDays : 0,
        late_by_plan: !!(d.plannedFinish && d.latestFinish && d.plannedFinish > d.latestFinish && !isNodeDone(n.status)),
        attachments: files.filter((f) => f.ownerId === n.id).map(presentAttachment),
        matter: matters.get(n.id) ?? null,
        actions: NODE_WORKFLOW.choices(n.status, has).filter((a) => a !== 'complete' || mayAct),
      };
    });
    return {
      project_id: plan.project_id,
      plan: { id: plan.id, target_on: plan.target_on, target_label: plan.target_label, start_on: plan.start_on, version: plan.version, updated_at: plan.updated_at },
      nodes: items,
    };
  }

  private schedule(plan: NodePlanRow, nodes: PlanNodeRow[], links: { node_id: number; predecessor_id: number }[], cal: WorkCalendar): Map<number, NodeDates> {
    try {
      return scheduleNodes(nodes.map((n) => ({
        id: n.id, name: n.name, durationDays: n.duration_days, completedOn: n.completed_on,
        predecessors: links.filter((l) => l.node_id === n.id).map((l) => l.predecessor_id),
      })), { targetOn: plan.target_on, startOn: plan.start_on }, cal);
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

  /** Creates the project's plan, empty or from the default template (every node's unit: the project's). */
  async create(actor: Actor, projectId: number, input: PlanInput & { template: 'default' | 'empty' }) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new NodePlanRepository(trx);
      const project = await this.project(repo, actor, projectId);
      if (await repo.findPlan(project.id)) throw new AppError('conflict', '该项目已有节点计划');
      const at = this.now().toISOString();
      const planId = await repo.insertPlan({
        project_id: project.id, target_on: input.targetOn ?? null, target_label: input.targetLabel?.trim() || '计划投产', start_on: input.startOn ?? null,
        version: 1, created_by: actor.userId || null, created_at: at, updated_at: at,
      });
      if (input.template === 'default') {
        const ids: number[] = [];
        for (const [i, t] of DEFAULT_NODE_TEMPLATE.entries()) {
          const id = await repo.insertNode({
            plan_id: planId, project_id: project.id, position: i + 1, name: t.name, unit_id: project.unit_id, duration_days: t.durationDays,
            evidence: t.evidence, status: 'pending', created_at: at, updated_at: at,
          });
          ids.push(id);
          await this.engine.created(trx, id, 'pending', actor, this.now());
          await repo.setPredecessors(id, t.predecessors.map((p) => ids[p]!));
        }
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
      const values = {
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
        before: { targetOn: plan.target_on, targetLabel: plan.target_label, startOn: plan.start_on }, after: { targetOn: after.target_on, targetLabel: after.target_label, startOn: after.start_on },
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
      const { node, project, plan } = await this.node(repo, actor, nodeId);
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
      const { node, project, plan } = await this.node(repo, actor, nodeId);
      if (await repo.findMatterLink(node.id)) throw new AppError('conflict', `节点“${node.name}”已转督办，不能删除`);
      await this.engine.finish(trx, node.id, 'cancelled', this.today(), actor.userId || null);
      await repo.deleteNode(node.id);
      await repo.touchPlan(plan.id, this.now().toISOString());
      await this.reschedule(trx, plan, project);
      await this.deps.audit.record(trx, actor, { action: 'plan_node.delete', entityType: 'plan_node', entityId: node.id, entityName: `${project.name}·${node.name}`, before: { name: node.name } });
      return this.present(trx, actor, (await repo.findPlan(project.id))!);
    });
  }

  // ---- completing a node ---------------------------------------------------------------------------------------

  private mayComplete(actor: Actor, node: PlanNodeRow): boolean {
    return (actor.unitId !== null && node.unit_id === actor.unitId) || this.has(actor)('node.confirm');
  }

  /** Adds a file of evidence (佐证材料) to an open node: its responsible unit or the office. */
  async addEvidence(actor: Actor, nodeId: number, file: { fileName: string; data: Buffer }): Promise<Attachment> {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new NodePlanRepository(trx);
      const { node } = await this.node(repo, actor, nodeId);
      if (!this.mayComplete(actor, node)) throw new AppError('forbidden', '只有节点的责任单位可以上传佐证材料');
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
      const { node, project, plan } = await this.node(repo, actor, nodeId);
      if (!this.mayComplete(actor, node)) throw new AppError('forbidden', '只有节点的责任单位可以报完成');
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
      await addTodo(trx, {
        key: `plan_node:${node.id}:confirm`, to: { role: 'office' }, kind: 'plan_node.confirm', title: `确认节点完成：${project.name}·${node.name}`,
        link: LINK(project.id), entityType: 'plan_node', entityId: node.id,
      }, now);
      await this.reschedule(trx, plan, project);
      return this.present(trx, actor, plan);
    });
  }

  /** The office confirms a completed node, or sends it back with a reason (its deadline reopens). */
  async review(actor: Actor, nodeId: number, action: 'confirm' | 'return', reason?: string | null) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new NodePlanRepository(trx);
      const { node, project, plan } = await this.node(repo, actor, nodeId);
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
      const { node, project, plan } = await this.node(repo, actor, nodeId);
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
