import { chinaToday, chinaYear } from '../../../core/clock.ts';
import { addWorkingDays, type WorkCalendar } from '../../../core/calendar.ts';
import { computeProblemFigures, figuresBy, FIGURE_DEFINITIONS, type ProblemFact } from '../../../core/problems/figures.ts';
import {
  PROBLEM_LEVEL_LABELS, PROBLEM_SOURCE_LABELS, PROBLEM_WORKFLOW, type ProblemAction, type ProblemStatus,
} from '../../../core/problems/problem-workflow.ts';
import { currentDue, dueState, handlingDue, limitFor, routeDue, type ProblemLimitKind } from '../../../core/problems/time-limits.ts';
import type { EscalationStep } from '../../../core/deadlines.ts';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { checkEntityScope } from '../../platform/access.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { standing, type StepContext } from '../../platform/deadlines/deadlines.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { inTransaction } from '../../platform/tx.ts';
import { isPermission, roleHas } from '../../plugins/permissions.ts';
import { createCalendarService } from '../calendar/index.ts';
import { CaseEngine, createMatterService, type Duty, type Hold } from '../supervision/index.ts';
import type { EscalateInput, ProblemActionInput, ProblemListQuery, RaiseProblemInput } from './problem.schema.ts';
import type { ProblemFilter, ProblemRepository, ProblemRow } from './problem.repository.ts';
import { enterpriseVisible } from './scope.ts';

const STALE = '问题已被他人处理，请刷新后重试';
/** States a problem can no longer be escalated from. */
const ESCALATION_CLOSED = new Set<string>(['closed', 'rejected']);

/** How figures are broken down: owning department, top category, raising unit, source, level to solve, month received. */
export type FigureGroup = 'department' | 'category' | 'unit' | 'source' | 'level' | 'month';

/** The handling deadline's reminders: one working day before, on the day, one working day after (逾期). */
export const PROBLEM_LADDER: readonly EscalationStep[] = [
  { key: 'remind', offset: -1, label: '明日到期' },
  { key: 'due', offset: 0, label: '今日到期' },
  { key: 'overdue', offset: 1, label: '已逾期' },
];

/** The ledger opens a problem from its link. */
export const PROBLEM_LINK = (id: number) => `/problems?open=${id}`;

/**
 * Who acts next in each state (their to-do, due on the limit the state is held to): the office receives and routes
 * (受理交办), the owning department signs and answers, the office visits (回访) and closes (销号); none once closed or refused.
 */
const DUTIES: Partial<Record<ProblemStatus, { what: string; by: 'office' | 'owner'; title: string }>> = {
  pending: { what: 'route', by: 'office', title: '受理交办问题' },
  assigned: { what: 'sign', by: 'owner', title: '签收问题' },
  signed: { what: 'reply', by: 'owner', title: '办理答复问题' },
  in_progress: { what: 'reply', by: 'owner', title: '办理答复问题' },
  replied: { what: 'visit', by: 'office', title: '回访问题' },
  visited: { what: 'close', by: 'office', title: '销号问题' },
};

/**
 * The states during which each limit runs as an engine deadline: the route limit while 待受理, the 签收 limit while
 * 已交办, the handling limit (办结时限, with its reminders) while the department holds the problem.
 */
const RUNS_WHILE: Record<ProblemLimitKind, readonly ProblemStatus[]> = { route: ['pending'], feedback: ['assigned'], solve: ['assigned', 'signed', 'in_progress'] };

/**
 * Problems (问题/诉求): raising, the workflow, the ledger and the figures. The tracked-item machinery (status log,
 * time limits as deadlines, to-dos, reminders, timeline) is supervision's CaseEngine; this keeps the problem's own
 * rules (categories and their limits, departments, reply rounds and return visits, 转督办).
 */
export class ProblemService {
  private readonly deps: Deps;
  private readonly repo: (db: Executor) => ProblemRepository;
  /** The tracked-item engine: moves, the three time limits as deadlines, to-dos and reminders (supervision's CaseEngine). */
  readonly engine: CaseEngine<ProblemStatus, ProblemAction>;
  constructor(deps: Deps, repo: (db: Executor) => ProblemRepository) {
    this.deps = deps;
    this.repo = repo;
    this.engine = new CaseEngine(deps, { entityType: 'problem', workflow: PROBLEM_WORKFLOW, createdLabel: '登记', completionKind: 'solve', link: PROBLEM_LINK });
  }

  /** Today in China (the clock's day). */
  today(): string {
    return chinaToday(this.deps.clock.now());
  }

  private calendar(db: Executor): Promise<WorkCalendar> {
    return createCalendarService(this.deps).load(db);
  }

  /** The ledger page, each row with the deadline it is held to now and whether it is overdue. */
  async list(actor: Actor, query: ProblemListQuery) {
    const today = this.today();
    const cal = await this.calendar(this.deps.db);
    const { total, rows } = await this.repo(this.deps.db).list(actor, toFilter(query, today), query.page_size, (query.page - 1) * query.page_size);
    return { total, page: query.page, page_size: query.page_size, today, items: rows.map((r) => ({ ...r, status: r.status as ProblemStatus, current_due: currentDue(r) ?? null, due_state: dueState(r, today, cal) })) };
  }

  /** Every matching problem for an export, in pages. */
  iterate(actor: Actor, query: ProblemListQuery) {
    return this.repo(this.deps.db).iterate(actor, toFilter(query, this.today()));
  }

  /** One problem with its co-departments, rounds (replies and return visits), moves and the actions open to the actor. */
  async get(actor: Actor, id: number) {
    const repo = this.repo(this.deps.db);
    const p = await repo.findNamed(actor, id);
    if (!p) throw new AppError('not_found', '问题不存在或无权访问');
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const [coUnits, rounds, moves, cal, deadlines, timeline] = await Promise.all([repo.listCoUnits(id), repo.listRounds(id), this.engine.moves(this.deps.db, id), this.calendar(this.deps.db),
      this.engine.deadlines(this.deps.db, id), this.engine.timeline(this.deps.db, id, {
        'problem.escalated': (e) => `转督办：${str(e.number)}（${str(e.reason)}）`,
        'deadline.step': (e) => (e.kind === 'solve' ? `办理时限提醒：${str(e.label)}（时限 ${str(e.dueOn)}）` : ''),
      })]);
    const userIds = [...new Set([...moves.map((m) => m.actorId), ...timeline.map((t) => t.actorId), ...rounds.flatMap((r) => [r.replied_by, r.visited_by])].filter((x): x is number => !!x))];
    const users = new Map((await repo.userNames(userIds)).map((u) => [u.id, u.display_name]));
    const today = this.today();
    const matter = p.matter_id ? await this.matterOf(actor, p.matter_id) : null;
    return {
      ...p,
      status: p.status as ProblemStatus,
      co_units: coUnits,
      rounds: rounds.map((r) => ({ ...r, replied_by_name: r.replied_by ? users.get(r.replied_by) ?? null : null, visited_by_name: r.visited_by ? users.get(r.visited_by) ?? null : null })),
      moves: moves.map((m) => ({ ...m, actor_name: m.actorId ? users.get(m.actorId) ?? null : null })),
      deadlines: deadlines.map((d) => ({ kind: d.kind, due_on: d.dueOn, status: d.status, done_on: d.doneOn, ...pick(standing(d, today, cal)) })),
      timeline: timeline.map((t) => ({ at: t.at, kind: t.kind, title: t.title, detail: t.detail, actor_name: t.actorId ? users.get(t.actorId) ?? null : null })),
      current_due: currentDue(p) ?? null, due_state: dueState(p, today, cal),
      // 按督办结果办结 is offered only while the linked matter stands closed (办结) and the actor can see it.
      actions: this.choices(actor, p).filter((a) => a !== 'adopt_matter' || (matter?.visible === true && matter.outcome_state === 'closed')),
      can_escalate: this.canEscalate(actor, p),
      matter,
    };
  }

  /**
   * The supervised matter a problem was escalated into, as the problem page shows it: its number, state, deadline
   * and the matter's own timeline (shared timeline). Null fields when the actor's scope does not reach the matter.
   */
  private async matterOf(actor: Actor, matterId: number) {
    try {
      const d = await createMatterService(this.deps).detail(actor, matterId);
      const m = d.matter;
      const o = matterOutcome(m.status, d.timeline);
      return {
        id: matterId, visible: true, number: m.number, status: m.status, status_label: m.statusLabel, due_on: m.dueOn, overdue: m.overdue,
        lead_unit_name: m.leadUnitName, closed_on: m.closedOn, written_off_on: m.writtenOffOn, ...o,
        timeline: d.timeline.map((t) => ({ at: t.at, kind: t.kind, title: t.title, detail: t.detail, actor_name: t.actorName })),
      };
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return { id: matterId, visible: false, number: null, status: null, status_label: null, due_on: null, overdue: false, lead_unit_name: null, closed_on: null, written_off_on: null, outcome_state: null, outcome: null, returned_reason: null, timeline: [] };
      throw err;
    }
  }

  /**
   * The linked matter as the problem's department reads it when answering from it: through the supervision module,
   * with the problem's link as the authority (the department may answer from the matter its problem became even
   * where its own data scope does not reach the matter's other units).
   */
  private matterForHandler(trx: Executor, actor: Actor, matterId: number) {
    return createMatterService({ ...this.deps, db: trx }).detail({ ...actor, scope: { all: true, unitPaths: [], regionPaths: [] } }, matterId);
  }

  /** Who may escalate (转督办): whoever may assign matters, while the problem is open and not yet escalated. */
  private canEscalate(actor: Actor, p: ProblemRow): boolean {
    return roleHas(actor.role, 'matter.assign') && !p.matter_id && !ESCALATION_CLOSED.has(p.status);
  }

  /**
   * 转督办: an overdue or complex problem becomes a supervised matter (督办事项) through the supervision module, in
   * one transaction with the problem's link to it. The owning department leads, the co-departments assist, the
   * project comes along; a problem that is neither overdue nor major needs the reason why it is complex.
   */
  async escalate(actor: Actor, id: number, input: EscalateInput) {
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      const p = await repo.findNamed(actor, id);
      if (!p) throw new AppError('not_found', '问题不存在或无权访问');
      if (p.version !== input.version) throw new AppError('version_conflict', STALE, { current: p });
      if (p.matter_id) throw new AppError('conflict', '该问题已转为督办事项');
      if (ESCALATION_CLOSED.has(p.status)) throw new AppError('conflict', '已销号或不予受理的问题不能转督办');
      const cal = await this.calendar(trx);
      const overdue = dueState(p, this.today(), cal) === 'overdue';
      const reason = input.reason?.trim() || null;
      if (!overdue && p.is_major !== 1 && !reason) throw new AppError('unprocessable', '该问题未逾期且非重大问题，转督办须说明理由（复杂问题）');
      const lead = input.lead_unit_id ?? p.owner_unit_id;
      if (!lead) throw new AppError('unprocessable', '请选择督办事项的牵头单位（该问题尚未指定责任部门）');
      const coUnits = (await repo.listCoUnits(id)).map((u) => u.id);
      const why = reason ?? (overdue ? '问题逾期未办结' : '重大复杂问题');
      const content = [p.description, `问题来源：${p.enterprise_name ?? p.project_name ?? p.raised_unit_name ?? ''}`.trim(), `转督办理由：${why}`].filter(Boolean).join('\n');
      const matters = createMatterService({ ...this.deps, db: trx });
      const matter = await matters.create(actor, {
        title: p.title, content, source: 'problem', sourceId: id, sourceRef: `问题 #${id}：${p.title}`, type: '问题办理', urgency: input.urgency ?? (p.is_major === 1 ? 'urgent' : 'normal'),
        leadUnitId: lead, coUnitIds: coUnits.filter((u) => u !== lead), projectIds: p.project_id ? [p.project_id] : [], dueOn: input.due_on ?? null,
      });
      const now = this.deps.clock.now().toISOString();
      if (!(await repo.updateIfVersion(id, input.version, { matter_id: matter.id, updated_at: now }))) throw new AppError('version_conflict', STALE);
      await emitEvent(trx, { name: 'problem.escalated', entityType: 'problem', entityId: id, actorId: actor.userId || null, at: this.deps.clock.now(), payload: { matterId: matter.id, number: matter.number, reason: why } });
      await this.deps.audit.record(trx, actor, { action: 'problem.escalate', entityType: 'problem', entityId: id, after: { matter_id: matter.id, number: matter.number, reason: why } });
    });
    return this.get(actor, id);
  }

  /** The buttons the actor may press (the visit offers one button for the three results). */
  private choices(actor: Actor, p: ProblemRow): string[] {
    const has = (perm: string) => isPermission(perm) && roleHas(actor.role, perm);
    const raw = PROBLEM_WORKFLOW.choices(p.status as ProblemStatus, has);
    const out = raw.map((a) => (a === 'visit_ok' || a === 'visit_reopen' ? 'visit' : a));
    return [...new Set(out)].filter((a) => a !== 'visit' || p.handler_id !== actor.userId);
  }

  /**
   * Raises a problem: its owning department proposed from the category map, its region from the enterprise, the
   * project or the raising unit, its routing deadline from the time limits. Joins an open transaction (a visit's).
   */
  async raise(actor: Actor, input: RaiseProblemInput, db: Executor = this.deps.db, extra: { visit_id?: number; source_ref?: string } = {}): Promise<number> {
    return inTransaction(db, async (trx) => {
      const repo = this.repo(trx);
      const category = await repo.findCategory(input.category_code);
      if (!category) throw new AppError('unprocessable', `问题分类“${input.category_code}”不存在`);
      let region = input.region_code ?? null;
      let raisedUnit = actor.unitId;
      if (input.enterprise_id) {
        const ent = await trx.selectFrom('enterprises').select(['region_code', 'unit_id']).where('id', '=', input.enterprise_id).where('deleted_at', 'is', null).where(enterpriseVisible(actor)).executeTakeFirst();
        if (!ent) throw new AppError('unprocessable', '所选企业不存在或无权访问');
        region ??= ent.region_code;
        raisedUnit ??= ent.unit_id;
      }
      if (input.project_id) {
        const prj = await repo.projectRegion(input.project_id);
        // A project of the enterprise counts as visible to whoever sees the enterprise (a cadre on a visit).
        const ofEnterprise = input.enterprise_id !== null && input.enterprise_id !== undefined && (await repo.isProjectOfEnterprise(input.project_id, input.enterprise_id));
        if (!prj || (!ofEnterprise && !actor.scope.all && !(await checkEntityScope(trx, 'project', input.project_id, actor.scope)).visible)) throw new AppError('unprocessable', '所选项目不存在或无权访问');
        region ??= prj.region_code;
        raisedUnit ??= prj.unit_id;
      }
      if (!region && raisedUnit) region = await repo.unitRegion(raisedUnit);
      if (!region) throw new AppError('unprocessable', '请填写问题所在区域');
      if (!(await repo.regionExists(region))) throw new AppError('unprocessable', `区域代码“${region}”不存在`);
      const parent = category.parent_code ? await repo.findCategory(category.parent_code) : undefined;
      const owner = input.owner_unit_id ?? category.owner_unit_id ?? parent?.owner_unit_id ?? null;
      await this.checkUnits(repo, [...(owner ? [owner] : []), ...input.co_unit_ids]);
      const cal = await this.calendar(trx);
      const receivedOn = input.received_on ?? this.today();
      const limit = limitFor(await repo.listTimeLimits(), category.code, input.level, category.parent_code);
      const now = this.deps.clock.now().toISOString();
      const id = await repo.insert({
        title: input.title, description: input.description, source: input.source, enterprise_id: input.enterprise_id ?? null,
        project_id: input.project_id ?? null, visit_id: extra.visit_id ?? null, meeting: input.meeting ?? null, category_code: category.code,
        level: input.level, is_major: input.is_major ? 1 : 0, region_code: region, raised_unit_id: raisedUnit, owner_unit_id: owner,
        status: 'pending', received_on: receivedOn, route_due: routeDue(receivedOn, limit, cal), source_ref: extra.source_ref ?? null,
        created_by: actor.userId || null, created_at: now, updated_at: now, assigned_on: null, signed_on: null, replied_on: null, closed_on: null,
        feedback_due: null, solve_due: null, handler_id: null, reply: null, visit_result: null, matter_id: null,
      });
      await repo.replaceCoUnits(id, [...new Set(input.co_unit_ids)].filter((u) => u !== owner));
      await this.engine.created(trx, id, 'pending', actor, this.deps.clock.now(), 'raise');
      await this.deps.audit.record(trx, actor, { action: 'problem.raise', entityType: 'problem', entityId: id, after: { title: input.title, category: category.code, owner_unit_id: owner } });
      await this.settle(trx, id, actor);
      return id;
    });
  }

  /**
   * Brings the engine in line with a problem as it now stands, in the move's transaction: the previous step's to-dos
   * are done and the next actor's duty added, and each time limit runs as a deadline while its states last (ended
   * when they do; cancelled when the problem is refused).
   */
  private async settle(trx: Executor, id: number, actor: Actor): Promise<void> {
    const p = await trx.selectFrom('problems').select(['id', 'title', 'status', 'owner_unit_id', 'route_due', 'feedback_due', 'solve_due', 'received_on', 'assigned_on']).where('id', '=', id).executeTakeFirstOrThrow();
    const status = p.status as ProblemStatus;
    const d = DUTIES[status];
    const next: Duty | null = d ? { what: d.what, to: d.by === 'owner' ? ownerOf(p) : { role: 'office' }, title: `${d.title}：${p.title}`, dueOn: currentDue(p)?.due ?? null } : null;
    await this.engine.handOver(trx, id, next, actor.userId || null);
    const limits: Record<ProblemLimitKind, Hold | null> = {
      route: p.route_due ? { startOn: p.received_on, dueOn: p.route_due, unitId: null, ladder: [] } : null,
      feedback: p.feedback_due ? { startOn: p.assigned_on ?? p.received_on, dueOn: p.feedback_due, unitId: p.owner_unit_id, ladder: [] } : null,
      solve: p.solve_due ? { startOn: p.received_on, dueOn: p.solve_due, unitId: p.owner_unit_id, ladder: PROBLEM_LADDER } : null,
    };
    for (const kind of ['route', 'feedback', 'solve'] as const) {
      await this.engine.hold(trx, id, kind, RUNS_WHILE[kind].includes(status) ? limits[kind] : null, status === 'rejected' ? 'cancelled' : 'done');
    }
  }

  /** A reminder step of a problem's handling deadline: a to-do for the owning department (one per step and date). */
  async onStep(trx: Executor, ctx: StepContext): Promise<void> {
    const p = await trx.selectFrom('problems').select(['id', 'title', 'status', 'owner_unit_id']).where('id', '=', ctx.deadline.entityId).executeTakeFirst();
    if (!p || !RUNS_WHILE.solve.includes(p.status as ProblemStatus)) return;
    await this.engine.remindStep(trx, ctx, { to: ownerOf(p), title: `问题办理时限提醒（${ctx.step.label}，时限 ${ctx.deadline.dueOn}）：${p.title}` });
  }

  private async checkUnits(repo: ProblemRepository, ids: number[]): Promise<void> {
    const found = new Set(await repo.existingUnitIds(ids));
    const missing = ids.filter((u) => !found.has(u));
    if (missing.length > 0) throw new AppError('unprocessable', `单位不存在：${missing.join('、')}`);
  }

  /** True when the actor acts for the owning department (its unit subtree holds it) or sees everything. */
  private async actsForOwner(trx: Executor, actor: Actor, ownerUnitId: number | null): Promise<boolean> {
    if (actor.scope.all || actor.role === 'office') return true;
    if (!ownerUnitId) return false;
    const row = await trx.selectFrom('units').select('path').where('id', '=', ownerUnitId).executeTakeFirst();
    return !!row && actor.scope.unitPaths.some((p) => row.path.startsWith(p));
  }

  /** One move of the workflow, with the version the client read; answers the problem as it now stands. */
  async act(actor: Actor, id: number, action: string, input: ProblemActionInput) {
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      const p = await repo.findVisible(actor, id);
      if (!p) throw new AppError('not_found', '问题不存在或无权访问');
      if (p.version !== input.version) throw new AppError('version_conflict', STALE, { current: p });
      let wf: ProblemAction;
      if (action === 'visit') {
        if (!input.result) throw new AppError('unprocessable', '请选择回访结果（满意、基本满意或不满意）');
        wf = input.result === 'unsatisfied' ? 'visit_reopen' : 'visit_ok';
      } else {
        wf = action as ProblemAction;
      }
      const has = (perm: string) => isPermission(perm) && roleHas(actor.role, perm);
      const to = this.engine.decide(p.status as ProblemStatus, wf, { has, reason: wf === 'visit_reopen' ? (input.reason ?? input.reply) : input.reason });
      const spec = PROBLEM_WORKFLOW.spec.actions[wf];
      if (spec.permission === 'problem.handle' && !(await this.actsForOwner(trx, actor, p.owner_unit_id))) {
        throw new AppError('forbidden', '只有责任部门可以签收、转办和答复该问题');
      }
      const today = this.today();
      const now = this.deps.clock.now().toISOString();
      const cal = await this.calendar(trx);
      const category = await repo.findCategory(p.category_code);
      const limit = limitFor(await repo.listTimeLimits(), p.category_code, p.level, category?.parent_code);
      const set: Parameters<ProblemRepository['updateIfVersion']>[2] = { status: to, updated_at: now };
      switch (wf) {
        case 'assign': {
          const owner = input.owner_unit_id ?? p.owner_unit_id;
          if (!owner) throw new AppError('unprocessable', '请选择责任部门（或在分类对照中为该分类指定责任部门）');
          await this.checkUnits(repo, [owner, ...(input.co_unit_ids ?? [])]);
          Object.assign(set, { owner_unit_id: owner, assigned_on: today, ...handlingDue(today, p.is_major === 1, limit, cal) });
          if (input.co_unit_ids) await repo.replaceCoUnits(id, [...new Set(input.co_unit_ids)].filter((u) => u !== owner));
          break;
        }
        case 'transfer': {
          const owner = input.owner_unit_id;
          if (!owner || owner === p.owner_unit_id) throw new AppError('unprocessable', '转办须选择另一个责任部门');
          await this.checkUnits(repo, [owner]);
          // The new department must sign within the feedback limit; the solve deadline still runs from the first 交办.
          Object.assign(set, { owner_unit_id: owner, signed_on: null, feedback_due: addWorkingDays(today, limit.feedback_days, cal) });
          break;
        }
        case 'sign':
          set.signed_on = today;
          break;
        case 'reply': {
          if (!input.reply?.trim()) throw new AppError('unprocessable', '答复须填写办理结果');
          Object.assign(set, { reply: input.reply, replied_on: today, handler_id: actor.userId || null });
          await repo.insertRound({ problem_id: id, round: p.redo_count + 1, reply: input.reply, replied_on: today, replied_by: actor.userId || null, visit_result: null, visit_note: null, visited_on: null, visited_by: null });
          break;
        }
        case 'adopt_matter': {
          // 按督办结果办结: the linked matter must stand closed; its closing outcome becomes the problem's answer.
          if (!p.matter_id) throw new AppError('conflict', '该问题未转督办，不能按督办结果办结');
          const m = await this.matterForHandler(trx, actor, p.matter_id);
          const o = matterOutcome(m.matter.status, m.timeline);
          if (o.outcome_state !== 'closed') throw new AppError('conflict', `督办事项${m.matter.number}当前状态为“${m.matter.statusLabel}”，办结后才能按督办结果办结`);
          const reply = input.reply?.trim() || `按督办事项${m.matter.number}办结结果：${o.outcome ?? '已办结'}`;
          Object.assign(set, { reply, replied_on: today, handler_id: actor.userId || null, signed_on: p.signed_on ?? today });
          await repo.insertRound({ problem_id: id, round: p.redo_count + 1, reply, replied_on: today, replied_by: actor.userId || null, visit_result: null, visit_note: null, visited_on: null, visited_by: null });
          break;
        }
        case 'visit_ok':
        case 'visit_reopen': {
          if (p.handler_id && p.handler_id === actor.userId) throw new AppError('forbidden', '回访须由办理人以外的人员进行');
          await repo.updateRound(id, p.redo_count + 1, { visit_result: input.result!, visit_note: input.reason ?? null, visited_on: today, visited_by: actor.userId || null });
          set.visit_result = input.result!;
          if (wf === 'visit_reopen') {
            // 重办: counted, and the department gets a fresh solve limit from today.
            Object.assign(set, { redo_count: p.redo_count + 1, solve_due: handlingDue(today, p.is_major === 1, limit, cal).solve_due });
          }
          break;
        }
        case 'close':
          set.closed_on = today;
          break;
        case 'reject':
        case 'start':
          break;
      }
      if (!(await repo.updateIfVersion(id, input.version, set))) throw new AppError('version_conflict', STALE, { current: await repo.findVisible(actor, id) });
      const reason = input.reason ?? (wf === 'reply' || wf === 'adopt_matter' ? set.reply ?? null : null);
      await this.engine.record(trx, { id, from: p.status as ProblemStatus, to, action: wf, actor, at: this.deps.clock.now(), reason, before: { status: p.status, owner_unit_id: p.owner_unit_id }, after: set });
      await this.settle(trx, id, actor);
    });
    return this.get(actor, id);
  }

  // ---- categories and time limits (the office edits them)

  listCategories() {
    return this.repo(this.deps.db).listCategories();
  }

  async putCategory(actor: Actor, input: { code: string; name: string; parent_code?: string | null; owner_unit_id?: number | null; sort: number }) {
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      const before = await repo.findCategory(input.code);
      if (input.parent_code) {
        const parent = await repo.findCategory(input.parent_code);
        if (!parent) throw new AppError('unprocessable', `上级分类“${input.parent_code}”不存在`);
        if (parent.parent_code) throw new AppError('unprocessable', '分类最多两级');
        if (input.parent_code === input.code) throw new AppError('unprocessable', '分类不能以自己为上级');
      }
      if (input.owner_unit_id) await this.checkUnits(repo, [input.owner_unit_id]);
      await repo.upsertCategory({ code: input.code, name: input.name, parent_code: input.parent_code ?? null, owner_unit_id: input.owner_unit_id ?? null, sort: input.sort, updated_at: this.deps.clock.now().toISOString() });
      await this.deps.audit.record(trx, actor, { action: 'problem.category_update', entityType: 'problem_category', entityId: input.code, before: before ?? null, after: input });
    });
    return this.listCategories();
  }

  listTimeLimits() {
    return this.repo(this.deps.db).listTimeLimits();
  }

  async putTimeLimits(actor: Actor, rows: Array<{ category_code: string; level: string; route_days: number; feedback_days: number; ordinary_days: number; major_days: number }>) {
    const keys = new Set<string>();
    for (const [i, r] of rows.entries()) {
      const k = `${r.category_code}|${r.level}`;
      if (keys.has(k)) throw new AppError('unprocessable', `第 ${i + 1} 行：分类与层级重复`);
      keys.add(k);
    }
    if (!keys.has('*|*')) throw new AppError('unprocessable', '须保留一条“全部分类、全部层级”的默认时限');
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      const cats = new Set((await repo.listCategories()).map((c) => c.code));
      for (const [i, r] of rows.entries()) if (r.category_code !== '*' && !cats.has(r.category_code)) throw new AppError('unprocessable', `第 ${i + 1} 行：分类“${r.category_code}”不存在`);
      const before = await repo.listTimeLimits();
      await repo.replaceTimeLimits(rows, this.deps.clock.now().toISOString());
      await this.deps.audit.record(trx, actor, { action: 'problem.time_limits_update', entityType: 'problem_time_limits', before, after: rows });
    });
    return this.listTimeLimits();
  }

  // ---- figures

  /**
   * The figures of problems received in a year within the actor's scope (evaluation and bulletins call this with
   * their own actor), with the written definitions, optionally broken down by department, category, raising unit
   * or month; and the number closed in the year ("N problems solved this year").
   */
  async figures(actor: Actor, year: number, groupBy?: FigureGroup) {
    const repo = this.repo(this.deps.db);
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    const today = this.today();
    const [facts, cal, solved] = await Promise.all([repo.listFacts(actor, from, to), this.calendar(this.deps.db), repo.countClosed(actor, from, to)]);
    const rows: Array<ProblemFact & { owner_unit_id: number | null; raised_unit_id: number | null; top_category: string; source: string; level: string }> = facts.map((f) => ({ ...f, visits: Number(f.visits ?? 0) }));
    const out = { year, today, group_by: groupBy ?? null, definitions: FIGURE_DEFINITIONS, solved_in_year: solved, solved_text: `${year}年共帮助解决问题${solved}个`, total: computeProblemFigures(rows, cal, today), groups: [] as Array<{ key: string | null; name: string; figures: ReturnType<typeof computeProblemFigures> }> };
    if (!groupBy) return out;
    const keyOf = (f: (typeof rows)[number]): string | null => {
      switch (groupBy) {
        case 'department': return f.owner_unit_id === null ? null : String(f.owner_unit_id);
        case 'unit': return f.raised_unit_id === null ? null : String(f.raised_unit_id);
        case 'category': return f.top_category;
        case 'source': return f.source;
        case 'level': return f.level;
        case 'month': return f.received_on.slice(0, 7);
      }
    };
    const groups = figuresBy(rows, keyOf, cal, today);
    let names = new Map<string, string>();
    if (groupBy === 'department' || groupBy === 'unit') names = new Map((await repo.unitNames(groups.map((g) => Number(g.key)).filter((n) => n > 0))).map((u) => [String(u.id), u.name]));
    if (groupBy === 'category') names = new Map((await repo.listCategories()).map((c) => [c.code, c.name]));
    if (groupBy === 'source') names = new Map(Object.entries(PROBLEM_SOURCE_LABELS));
    if (groupBy === 'level') names = new Map(Object.entries(PROBLEM_LEVEL_LABELS));
    if (groupBy === 'month') names = new Map(groups.map((g) => [g.key ?? '', `${Number(g.key?.slice(5, 7))}月`]));
    out.groups = groups.map((g) => ({ ...g, name: g.key === null ? '（未指定）' : names.get(g.key) ?? g.key }));
    return out;
  }

  /** The current year in China (the figures' default). */
  currentYear(): number {
    return chinaYear(this.deps.clock.now());
  }
}

/**
 * Where a linked matter stands for its problem: 'closed' once 办结 was approved (已办结 or 已销号), with the outcome the
 * lead unit wrote when it applied to close; 'returned' when the lead unit sent it back (退回), with its reason.
 */
export function matterOutcome(status: string, timeline: ReadonlyArray<{ kind: string; detail: string | null; data?: unknown }>) {
  const last = (action: string) => [...timeline].reverse().find((t) => t.kind === 'move' && (t.data as { action?: string } | undefined)?.action === action);
  if (status === 'closed' || status === 'written_off') return { outcome_state: 'closed' as const, outcome: last('apply_close')?.detail ?? null, returned_reason: null };
  if (status === 'returned') return { outcome_state: 'returned' as const, outcome: null, returned_reason: last('send_back')?.detail ?? null };
  return { outcome_state: null, outcome: null, returned_reason: null };
}

/** A deadline's standing as the API names it. */
function pick(s: { overdue: boolean; workingDays: number }) {
  return { overdue: s.overdue, working_days: s.workingDays };
}

/** The owning department, or the office while none is named. */
function ownerOf(p: { owner_unit_id: number | null }): Duty['to'] {
  return p.owner_unit_id ? { unitId: p.owner_unit_id } : { role: 'office' };
}

function toFilter(q: ProblemListQuery, today: string): ProblemFilter {
  return {
    status: q.status, category_code: q.category_code, owner_unit_id: q.owner_unit_id, raised_unit_id: q.raised_unit_id, level: q.level,
    source: q.source, enterprise_id: q.enterprise_id, project_id: q.project_id, q: q.q, received_from: q.received_from, received_to: q.received_to,
    overdue_on: q.overdue ? today : undefined,
  };
}
