import type { WorkCalendar } from '../../../core/calendar.ts';
import { addWorkingDays } from '../../../core/calendar.ts';
import { chinaToday, chinaYear } from '../../../core/clock.ts';
import { formatDocNumber } from '../../../core/numbering.ts';
import { checkEscalationRules } from '../../../core/supervision/escalation-settings.ts';
import {
  MATTER_OPEN_STATES, MATTER_SOURCE_LABELS, MATTER_STATE_LABELS, MATTER_WORKFLOW, type MatterAction, type MatterSource, type MatterStatus, type MatterUrgency,
} from '../../../core/supervision/matter-workflow.ts';
import { checkLetterTemplate, LETTER_TEMPLATE_KINDS, LETTER_TEMPLATE_LABELS } from '../../../core/supervision/letter-templates.ts';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { BlobStore } from '../../platform/attachments/attachments.ts';
import { addAttachment, listAttachments } from '../../platform/attachments/attachments.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { loadWorkCalendar, standing, type StepContext } from '../../platform/deadlines/deadlines.ts';
import { emitEvent, type Recipient } from '../../platform/events/events.ts';
import { current as currentNumber, next as nextNumber } from '../../platform/numbering/numbering.ts';
import { addTodo, completeTodos } from '../../platform/todos/todos.ts';
import { SettingsVersionError } from '../../platform/settings.ts';
import { inTransaction } from '../../platform/tx.ts';
import { roleHas, type Permission } from '../../plugins/permissions.ts';
import { CaseEngine } from './case-engine.ts';
import type { MatterFilter, MatterRepository, MatterRow } from './matter.repository.ts';
import { SETTINGS_LABELS, supervisionSettings, type SupervisionSettings } from './supervision.settings.ts';
import { supervisionFigures } from './figures.service.ts';
import { rulesOfYear, YearRulesService } from './year-rules.service.ts';
import { visibleEnterprises } from './matter-enterprises.ts';

/** What creating a matter takes. */
export interface MatterInput {
  title: string;
  content: string;
  source: MatterSource;
  sourceId?: number | null;
  sourceRef?: string | null;
  /** The in-app path back to where it was assigned from ('/bulletins?tab=ranking&year=2026&month=11'). */
  sourceLink?: string | null;
  type: string;
  urgency: MatterUrgency;
  leadUnitId: number;
  coUnitIds?: number[];
  projectIds?: number[];
  /** 关联企业: each must be visible to the actor (problems' reader). */
  enterpriseIds?: number[];
  leaderId?: number | null;
  /** Due date, or working days from today (the setting's default when neither). */
  dueOn?: string | null;
  dueWorkingDays?: number | null;
  feedbackDays?: number | null;
  batchId?: number | null;
}

/** A move asked for through the API. */
export interface MatterActInput {
  action: MatterAction;
  version: number;
  reason?: string | null;
  /** request_extension: the date asked for; approve_extension: the date granted (default: the one asked for). */
  dueOn?: string | null;
  /** reassign: the new lead unit. */
  leadUnitId?: number | null;
}

/** Which letters a step or a creation issues: letters.service.ts (LetterService), plugged in by createMatterService. */
export interface LetterIssuer {
  issue(trx: Executor, input: { matter: MatterRow; kind: 'assign' | 'remind' | 'press' | 'interview'; step: string | null; signer: Actor | null; settings: SupervisionSettings; at?: Date }): Promise<void>;
}

export const MATTER_LINK = (id: number) => `/matters/${id}`;

/** The inbox boxes: which filter each role's tab applies. */
export type MatterBox = 'to_sign' | 'doing' | 'done' | 'co' | 'review' | 'mine' | 'attention' | 'overdue' | 'all';

/** Supervised matters (督办事项): creation, moves, feedback, 批示, lists and the escalation they trigger. */
export class MatterService {
  private readonly deps: Deps;
  private readonly repo: (db: Executor) => MatterRepository;
  private readonly store: (db: Executor) => BlobStore;
  readonly engine: CaseEngine<MatterStatus, MatterAction>;
  /** The escalation rules per year (the settings page's year selector). */
  readonly yearRules: YearRulesService;
  private letters: LetterIssuer | null = null;
  constructor(deps: Deps, repo: (db: Executor) => MatterRepository, store: (db: Executor) => BlobStore) {
    this.deps = deps;
    this.repo = repo;
    this.store = store;
    this.engine = new CaseEngine(deps, { entityType: 'matter', workflow: MATTER_WORKFLOW });
    this.yearRules = new YearRulesService(deps);
  }

  /** Plugs in the letter generator (交办函/提醒函/督办函). */
  useLetters(letters: LetterIssuer): void {
    this.letters = letters;
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

  private async get(db: Executor, actor: Actor, id: number): Promise<MatterRow> {
    const m = await this.repo(db).findInScope(id, actor.scope);
    if (!m) throw new AppError('not_found', '督办事项不存在或无权访问');
    return m;
  }

  private recipientsOf(m: MatterRow, coUnits: readonly number[]): Recipient[] {
    return [{ unitId: m.lead_unit_id }, ...coUnits.map((u) => ({ unitId: u }))];
  }

  /** Creates a matter: numbered, deadlines set, the lead unit's 签收 to-do, notifications, the 交办函. */
  async create(actor: Actor, input: MatterInput): Promise<{ id: number; number: string }> {
    const title = input.title.trim();
    if (!title) throw new AppError('unprocessable', '请填写督办事项标题');
    const settings = await supervisionSettings.get(this.deps.db);
    return inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      const now = this.now();
      const today = chinaToday(now);
      const cal = await loadWorkCalendar(trx);
      const lead = await repo.unit(input.leadUnitId);
      if (!lead) throw new AppError('unprocessable', '牵头单位不存在');
      const coUnits = [...new Set(input.coUnitIds ?? [])].filter((u) => u !== input.leadUnitId);
      const found = await repo.unitsExist(coUnits);
      const missing = coUnits.filter((u) => !found.includes(u));
      if (missing.length) throw new AppError('unprocessable', `协办单位不存在：${missing.join('、')}`);
      const projectIds = [...new Set(input.projectIds ?? [])];
      const projects = await repo.projectsInScope(projectIds, actor.scope);
      if (projects.length !== projectIds.length) throw new AppError('unprocessable', '关联项目不存在或不在数据范围内');
      const enterpriseIds = await this.checkEnterprises(trx, actor, input.enterpriseIds ?? []);
      const dueOn = input.dueOn ?? addWorkingDays(today, input.dueWorkingDays ?? settings.default_due_working_days, cal);
      if (dueOn < today) throw new AppError('unprocessable', `办结时限 ${dueOn} 早于今天`);
      const year = chinaYear(now);
      // The escalation rules of the year the matter is assigned in (its number's year), for its whole life.
      const rules = await rulesOfYear(trx, year);
      const seq = await nextNumber(trx, 'matter', year);
      const number = formatDocNumber({ prefix: settings.matter_prefix, year, seq });
      const feedbackDays = input.feedbackDays ?? settings.default_feedback_days;
      const id = await repo.insert({
        number, year, seq, title, content: input.content.trim(), source: input.source, source_id: input.sourceId ?? null, source_ref: input.sourceRef?.trim() || null,
        source_link: input.sourceLink ?? null,
        type: input.type.trim() || '其他', urgency: input.urgency, lead_unit_id: lead.id, region_code: lead.region_code, supervisor_id: actor.role === 'leader' ? null : actor.userId || null,
        leader_id: input.leaderId ?? (actor.role === 'leader' ? actor.userId : null), status: 'pending_sign', assigned_on: today, due_on: dueOn,
        feedback_days: feedbackDays, next_feedback_on: null, requested_due_on: null, signed_on: null, closing_on: null, closed_on: null, written_off_on: null,
        batch_id: input.batchId ?? null, created_by: actor.userId || null, created_at: now.toISOString(), updated_at: now.toISOString(),
      });
      await repo.setCoUnits(id, coUnits);
      await repo.setProjects(id, projectIds);
      await repo.setEnterprises(id, enterpriseIds);
      await this.engine.created(trx, id, 'pending_sign', actor, now, 'assign');
      await this.engine.scheduleCompletion(trx, id, { startOn: today, dueOn, unitId: lead.id, ladder: rules.ladder });
      await addTodo(trx, {
        key: `matter:${id}:sign`, to: { unitId: lead.id }, kind: 'matter.sign', title: `签收督办事项：${title}`, link: MATTER_LINK(id),
        dueOn: addWorkingDays(today, settings.sign_working_days, cal), entityType: 'matter', entityId: id,
      }, now);
      for (const u of coUnits) {
        await addTodo(trx, {
          key: `matter:${id}:cosign:${u}`, to: { unitId: u }, kind: 'matter.sign', title: `签收协办事项：${title}`, link: MATTER_LINK(id),
          dueOn: addWorkingDays(today, settings.sign_working_days, cal), entityType: 'matter', entityId: id,
        }, now);
      }
      const m = (await repo.findInScope(id, { all: true, unitPaths: [], regionPaths: [] }))!;
      await emitEvent(trx, {
        name: 'matter.assigned', entityType: 'matter', entityId: id, actorId: actor.userId || null, at: now, payload: { number, dueOn },
        notify: { recipients: this.recipientsOf(m, coUnits), title: `新的督办事项 ${number}：${title}`, body: `办结时限 ${dueOn}`, link: MATTER_LINK(id) },
      });
      await this.deps.audit.record(trx, actor, { action: 'matter.create', entityType: 'matter', entityId: id, after: { number, title, leadUnitId: lead.id, coUnits, dueOn, source: input.source } });
      if (rules.letter_on_create && this.letters) await this.letters.issue(trx, { matter: m, kind: 'assign', step: null, signer: actor, settings });
      return { id, number };
    });
  }

  /** The distinct ids, when every one is an enterprise the actor sees; else 422 naming the ones refused. */
  private async checkEnterprises(db: Executor, actor: Actor, ids: readonly number[]): Promise<number[]> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return [];
    const read = visibleEnterprises(db, actor, wanted);
    if (!read) throw new AppError('unprocessable', '未启用企业库，不能关联企业');
    const seen = new Set((await read).map((e) => e.id));
    const refused = wanted.filter((e) => !seen.has(e));
    if (refused.length) throw new AppError('unprocessable', `关联企业不存在或不在数据范围内：${refused.join('、')}`);
    return wanted;
  }

  /**
   * A matter's linked enterprises, each saying whether the reader may open it (enterprise visibility: serving unit or
   * region in scope, or a linked cadre). A matter reader outside that sees the name as text, not a link to a 404.
   */
  private async linkedEnterprises(db: Executor, actor: Actor, id: number) {
    const linked = await this.repo(db).enterprises([id]);
    const open = new Set((await (visibleEnterprises(db, actor, linked.map((e) => e.id)) ?? Promise.resolve([]))).map((e) => e.id));
    return linked.map((e) => ({ id: e.id, name: e.name, uscc: e.uscc, canOpen: open.has(e.id) }));
  }

  /**
   * Replaces a matter's linked enterprises (关联企业), each visible to the actor; recorded in the audit log. A link the
   * actor cannot see but that is already there may stay (the page sends back the whole list); it cannot be added.
   */
  async setEnterprises(actor: Actor, id: number, ids: readonly number[]): Promise<void> {
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      await this.get(trx, actor, id);
      const before = (await repo.enterprises([id])).map((e) => e.id);
      const kept = ids.filter((e) => before.includes(e));
      const added = await this.checkEnterprises(trx, actor, ids.filter((e) => !before.includes(e)));
      const after = [...new Set([...kept, ...added])].sort((a, b) => a - b);
      await repo.setEnterprises(id, after);
      await this.deps.audit.record(trx, actor, { action: 'matter.enterprises', entityType: 'matter', entityId: id, before: { enterprises: before }, after: { enterprises: after } });
    });
  }

  private isLeadMember(actor: Actor, m: MatterRow) {
    return actor.unitId !== null && actor.unitId === m.lead_unit_id;
  }

  /** Applies a workflow action with its side effects (deadlines, to-dos, notifications), all in one transaction. */
  async act(actor: Actor, id: number, input: MatterActInput): Promise<MatterRow> {
    const settings = await supervisionSettings.get(this.deps.db);
    return inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      const m = await this.get(trx, actor, id);
      const spec = MATTER_WORKFLOW.spec.actions[input.action];
      if (spec.permission === 'matter.handle' && !this.isLeadMember(actor, m)) {
        if (MATTER_WORKFLOW.can(m.status as MatterStatus, input.action)) throw new AppError('forbidden', `只有牵头单位（${m.lead_unit_name}）可以${spec.label}`);
      }
      const now = this.now();
      const today = chinaToday(now);
      const cal = await loadWorkCalendar(trx);
      const from = m.status as MatterStatus;
      const changes: Partial<MatterRow> = { updated_at: now.toISOString() };
      // Checks before the move so a refused input leaves nothing behind.
      if (input.action === 'request_extension') {
        if (!input.dueOn || input.dueOn <= m.due_on) throw new AppError('unprocessable', `申请延期须填写晚于原时限（${m.due_on}）的新时限`);
        changes.requested_due_on = input.dueOn;
      }
      let reassignTo: { id: number; name: string; region_code: string | null } | undefined;
      if (input.action === 'reassign') {
        const unitId = input.leadUnitId ?? m.lead_unit_id;
        reassignTo = await repo.unit(unitId);
        if (!reassignTo) throw new AppError('unprocessable', '牵头单位不存在');
      }
      const to = await this.engine.move(trx, {
        id, from, action: input.action, actor, at: now, ctx: { has: this.has(actor), reason: input.reason },
        before: { status: from, dueOn: m.due_on }, after: undefined,
      });
      changes.status = to;
      const coUnits = (await repo.coUnits([id])).map((c) => c.unit_id);
      let notify: { title: string; to: Recipient[] } | undefined;
      switch (input.action) {
        case 'sign': {
          changes.signed_on = today;
          await completeTodos(trx, { key: `matter:${id}:sign` }, now, actor.userId);
          const next = await this.engine.scheduleFeedback(trx, id, { fromDay: today, cadenceDays: m.feedback_days, unitId: m.lead_unit_id, ladder: (await rulesOfYear(trx, m.year)).feedback_ladder, cal, notAfter: m.due_on });
          changes.next_feedback_on = next;
          if (next) await this.feedbackTodo(trx, m, next);
          break;
        }
        case 'send_back':
          await completeTodos(trx, { key: `matter:${id}:sign` }, now, actor.userId);
          await addTodo(trx, { key: `matter:${id}:reassign`, to: { role: 'supervisor' }, kind: 'matter.review', title: `重新交办（被退回）：${m.title}`, link: MATTER_LINK(id), dueOn: today, entityType: 'matter', entityId: id }, now);
          break;
        case 'reassign': {
          changes.lead_unit_id = reassignTo!.id;
          changes.region_code = reassignTo!.region_code;
          await completeTodos(trx, { key: `matter:${id}:reassign` }, now, actor.userId);
          await addTodo(trx, { key: `matter:${id}:sign`, to: { unitId: reassignTo!.id }, kind: 'matter.sign', title: `签收督办事项：${m.title}`, link: MATTER_LINK(id), dueOn: addWorkingDays(today, settings.sign_working_days, cal), entityType: 'matter', entityId: id }, now);
          notify = { title: `督办事项 ${m.number} 已交办贵单位：${m.title}`, to: [{ unitId: reassignTo!.id }] };
          break;
        }
        case 'request_extension':
        case 'request_suspend':
        case 'apply_close':
          if (input.action === 'apply_close') changes.closing_on = today;
          await addTodo(trx, { key: `matter:${id}:review`, to: { role: 'supervisor' }, kind: 'matter.review', title: `${spec.label}待审核：${m.title}`, link: MATTER_LINK(id), dueOn: addWorkingDays(today, 2, cal), entityType: 'matter', entityId: id }, now);
          break;
        case 'approve_extension': {
          const granted = input.dueOn ?? m.requested_due_on;
          if (!granted || granted <= m.due_on) throw new AppError('unprocessable', `同意延期须给出晚于原时限（${m.due_on}）的新时限`);
          await this.engine.extend(trx, id, granted);
          changes.due_on = granted;
          changes.requested_due_on = null;
          await completeTodos(trx, { key: `matter:${id}:review` }, now, actor.userId);
          notify = { title: `督办事项 ${m.number} 延期申请已同意，新时限 ${granted}`, to: [{ unitId: m.lead_unit_id }] };
          break;
        }
        case 'refuse_extension':
        case 'refuse_suspend':
          changes.requested_due_on = null;
          await completeTodos(trx, { key: `matter:${id}:review` }, now, actor.userId);
          notify = { title: `督办事项 ${m.number}：${spec.label}（${input.reason ?? ''}）`, to: [{ unitId: m.lead_unit_id }] };
          break;
        case 'approve_suspend':
          await this.engine.pause(trx, id, today);
          await completeTodos(trx, { key: `matter:${id}:review` }, now, actor.userId);
          notify = { title: `督办事项 ${m.number} 已挂起，时限暂停计算`, to: [{ unitId: m.lead_unit_id }] };
          break;
        case 'resume': {
          const due = await this.engine.resume(trx, id, today, cal);
          if (due) changes.due_on = due;
          notify = { title: `督办事项 ${m.number} 恢复办理${due ? `，时限顺延至 ${due}` : ''}`, to: [{ unitId: m.lead_unit_id }] };
          break;
        }
        case 'approve_close':
          changes.closed_on = today;
          changes.next_feedback_on = null;
          await this.engine.finish(trx, id, 'done', m.closing_on ?? today, actor.userId);
          notify = { title: `督办事项 ${m.number} 已审核办结`, to: [{ unitId: m.lead_unit_id }] };
          break;
        case 'reject_close':
          changes.close_rejections = Number(m.close_rejections) + 1;
          changes.closing_on = null;
          await completeTodos(trx, { key: `matter:${id}:review` }, now, actor.userId);
          await addTodo(trx, { key: `matter:${id}:rework`, to: { unitId: m.lead_unit_id }, kind: 'matter.rework', title: `办结申请被退回：${m.title}`, link: MATTER_LINK(id), dueOn: m.due_on, entityType: 'matter', entityId: id }, now);
          notify = { title: `督办事项 ${m.number} 办结申请被退回：${input.reason ?? ''}`, to: [{ unitId: m.lead_unit_id }] };
          break;
        case 'write_off':
          changes.written_off_on = today;
          break;
        case 'reopen': {
          const due = input.dueOn && input.dueOn >= today ? input.dueOn : addWorkingDays(today, settings.default_due_working_days, cal);
          changes.due_on = due;
          changes.closed_on = null;
          changes.written_off_on = null;
          changes.closing_on = null;
          await this.engine.reopen(trx, id, due);
          notify = { title: `督办事项 ${m.number} 重新打开：${input.reason ?? ''}`, to: [{ unitId: m.lead_unit_id }] };
          break;
        }
      }
      if (!(await repo.updateIfVersion(id, input.version, changes))) {
        throw new AppError('version_conflict', '该督办事项已被他人修改，请刷新后重试', { current: await repo.findInScope(id, actor.scope) });
      }
      await emitEvent(trx, {
        name: `matter.${input.action}`, entityType: 'matter', entityId: id, actorId: actor.userId || null, at: now,
        payload: { from, to, reason: input.reason ?? null },
        notify: notify ? { recipients: notify.to.length ? notify.to : this.recipientsOf(m, coUnits), title: notify.title, link: MATTER_LINK(id) } : undefined,
      });
      return (await repo.findInScope(id, { all: true, unitPaths: [], regionPaths: [] }))!;
    });
  }

  private async feedbackTodo(trx: Executor, m: MatterRow, dueOn: string) {
    await addTodo(trx, { key: `matter:${m.id}:feedback`, to: { unitId: m.lead_unit_id }, kind: 'matter.feedback', title: `报送进展：${m.title}`, link: MATTER_LINK(m.id), dueOn, entityType: 'matter', entityId: m.id }, this.now());
  }

  /** A dated feedback entry by the lead unit or a co-unit; the next feedback falls due by the cadence. */
  async feedback(actor: Actor, id: number, input: { text: string; nextSteps?: string | null; files?: { fileName: string; data: Buffer }[] }) {
    return inTransaction(this.deps.db, async (trx) => {
      const m = await this.get(trx, actor, id);
      const coUnits = (await this.repo(trx).coUnits([id])).map((c) => c.unit_id);
      const isLead = this.isLeadMember(actor, m);
      if (!isLead && !(actor.unitId !== null && coUnits.includes(actor.unitId))) throw new AppError('forbidden', '只有牵头单位和协办单位可以报送进展');
      if (!['in_progress', 'extension_requested', 'suspend_requested', 'suspended', 'closing'].includes(m.status)) {
        throw new AppError('conflict', `督办事项当前状态为“${MATTER_STATE_LABELS[m.status as MatterStatus]}”，不能报送进展`);
      }
      const today = this.today();
      const entry = await this.engine.addFeedback(trx, id, { unitId: actor.unitId, actor, onDate: today, text: input.text, nextSteps: input.nextSteps, files: input.files, store: this.store(trx) });
      if (isLead && m.feedback_days > 0 && m.status !== 'suspended') {
        const cal = await loadWorkCalendar(trx);
        const next = await this.engine.scheduleFeedback(trx, id, { fromDay: today, cadenceDays: m.feedback_days, unitId: m.lead_unit_id, ladder: (await rulesOfYear(trx, m.year)).feedback_ladder, cal, notAfter: m.due_on > today ? m.due_on : undefined });
        await trx.updateTable('matters').set({ next_feedback_on: next, updated_at: this.now().toISOString() }).where('id', '=', id).execute();
        if (next) await this.feedbackTodo(trx, m, next);
      }
      await emitEvent(trx, { name: 'matter.feedback', entityType: 'matter', entityId: id, actorId: actor.userId || null, at: this.now(), payload: { entryId: entry.id, onTime: entry.onTime } });
      return entry;
    });
  }

  /** 领导批示: recorded, the lead unit notified (and told in its inbox), the leader follows the matter. */
  async instruct(actor: Actor, id: number, text: string) {
    if (!text.trim()) throw new AppError('unprocessable', '请填写批示内容');
    return inTransaction(this.deps.db, async (trx) => {
      const m = await this.get(trx, actor, id);
      const now = this.now();
      const iid = await this.repo(trx).addInstruction(id, actor.userId, text.trim(), now.toISOString());
      if (!m.leader_id) await trx.updateTable('matters').set({ leader_id: actor.userId }).where('id', '=', id).execute();
      await addTodo(trx, { key: `matter:${id}:instruction:${iid}`, to: { unitId: m.lead_unit_id }, kind: 'matter.instruction', title: `领导批示（${m.number}）：${text.trim().slice(0, 40)}`, link: MATTER_LINK(id), dueOn: null, entityType: 'matter', entityId: id }, now);
      await emitEvent(trx, {
        name: 'matter.instructed', entityType: 'matter', entityId: id, actorId: actor.userId, at: now, payload: { text: text.trim(), leader: actor.displayName },
        notify: { recipients: [{ unitId: m.lead_unit_id }, ...(m.supervisor_id ? [{ userId: m.supervisor_id }] : [])], title: `${actor.displayName}批示（${m.number}）`, body: text.trim(), link: MATTER_LINK(id) },
      });
      await this.deps.audit.record(trx, actor, { action: 'matter.instruct', entityType: 'matter', entityId: id, after: { text: text.trim() } });
      return { id: iid };
    });
  }

  /** 需要关注: a leader's (or the office's) flag. */
  async setAttention(actor: Actor, id: number, attention: boolean) {
    return inTransaction(this.deps.db, async (trx) => {
      const m = await this.get(trx, actor, id);
      await trx.updateTable('matters').set({ attention: attention ? 1 : 0, updated_at: this.now().toISOString() }).where('id', '=', id).execute();
      await this.deps.audit.record(trx, actor, { action: 'matter.attention', entityType: 'matter', entityId: id, before: { attention: m.attention === 1 }, after: { attention } });
      return { attention };
    });
  }

  /** Attaches a file to the matter itself (交办材料、佐证材料). */
  async attach(actor: Actor, id: number, file: { fileName: string; data: Buffer }) {
    return inTransaction(this.deps.db, async (trx) => {
      await this.get(trx, actor, id);
      const a = await addAttachment(trx, this.store(trx), { ownerType: 'matter', ownerId: id, fileName: file.fileName, data: file.data, uploadedBy: actor.userId || null, at: this.now() });
      await this.deps.audit.record(trx, actor, { action: 'matter.attach', entityType: 'matter', entityId: id, after: { file: a.fileName, size: a.sizeBytes } });
      return a;
    });
  }

  /** Attaches a file to one of the matter's feedback entries (by its author's unit). */
  async attachToFeedback(actor: Actor, id: number, entryId: number, file: { fileName: string; data: Buffer }) {
    return inTransaction(this.deps.db, async (trx) => {
      await this.get(trx, actor, id);
      const entry = await trx.selectFrom('feedback_entries').select(['id', 'unit_id']).where('id', '=', entryId).where('entity_type', '=', 'matter').where('entity_id', '=', id).executeTakeFirst();
      if (!entry) throw new AppError('not_found', '反馈记录不存在');
      if (entry.unit_id !== actor.unitId) throw new AppError('forbidden', '只能为本单位的反馈上传附件');
      return addAttachment(trx, this.store(trx), { ownerType: 'matter_feedback', ownerId: entryId, fileName: file.fileName, data: file.data, uploadedBy: actor.userId || null, at: this.now() });
    });
  }

  /** A co-unit's 签收 of its part (协办单位签收): recorded on its matter_units row, its 签收 to-do done. */
  async coSign(actor: Actor, id: number): Promise<{ signedOn: string }> {
    return inTransaction(this.deps.db, async (trx) => {
      const m = await this.get(trx, actor, id);
      const repo = this.repo(trx);
      const row = actor.unitId === null ? undefined : (await repo.coUnitRows(id)).find((c) => c.unit_id === actor.unitId);
      if (!row) throw new AppError('forbidden', '只有协办单位可以签收协办事项');
      if (row.signed_on) throw new AppError('conflict', `本单位已于 ${row.signed_on} 签收`);
      if (!(MATTER_OPEN_STATES as readonly string[]).includes(m.status) || m.status === 'returned') {
        throw new AppError('conflict', `督办事项当前状态为“${MATTER_STATE_LABELS[m.status as MatterStatus]}”，不能签收`);
      }
      const now = this.now();
      const today = chinaToday(now);
      await repo.coSign(id, row.unit_id, today, actor.userId || null);
      await completeTodos(trx, { key: `matter:${id}:cosign:${row.unit_id}` }, now, actor.userId || null);
      await emitEvent(trx, { name: 'matter.co_signed', entityType: 'matter', entityId: id, actorId: actor.userId || null, at: now, payload: { unitId: row.unit_id, unit: row.name, by: actor.displayName } });
      await this.deps.audit.record(trx, actor, { action: 'matter.co_sign', entityType: 'matter', entityId: id, after: { unitId: row.unit_id, signedOn: today } });
      return { signedOn: today };
    });
  }

  /** Issues a letter by hand (the office signs it): 提醒函, 督办函, 约谈通知 or a fresh 交办函. */
  async issueLetter(actor: Actor, id: number, kind: 'assign' | 'remind' | 'press' | 'interview'): Promise<void> {
    if (!this.letters) throw new AppError('conflict', '未配置函件生成');
    const letters = this.letters;
    const settings = await supervisionSettings.get(this.deps.db);
    await inTransaction(this.deps.db, async (trx) => {
      const m = await this.get(trx, actor, id);
      if (!(MATTER_OPEN_STATES as readonly string[]).includes(m.status)) throw new AppError('conflict', `督办事项当前状态为“${MATTER_STATE_LABELS[m.status as MatterStatus]}”，不能发函`);
      await letters.issue(trx, { matter: m, kind, step: null, signer: actor, settings });
    });
  }

  /** The filter of an inbox box for this actor. */
  boxFilter(actor: Actor, box: MatterBox): MatterFilter {
    const unit = actor.unitId ?? -1;
    switch (box) {
      case 'to_sign': return { status: ['pending_sign'], leadUnitId: actor.role === 'reporter' ? unit : undefined };
      case 'doing': return { status: ['in_progress', 'extension_requested', 'suspend_requested', 'suspended', 'closing'], leadUnitId: actor.role === 'reporter' ? unit : undefined };
      case 'done': return { status: ['closed', 'written_off'], leadUnitId: actor.role === 'reporter' ? unit : undefined };
      case 'co': return { coUnitId: unit };
      case 'review': return { status: ['closing', 'extension_requested', 'suspend_requested', 'returned', 'closed'] };
      case 'mine': return { leaderId: actor.userId };
      case 'attention': return { attention: true };
      case 'overdue': return { overdueOn: this.today() };
      case 'all': return {};
    }
  }

  /** A list (an inbox box plus filters), with each row's standing. */
  async list(actor: Actor, box: MatterBox, filter: MatterFilter, page: { limit: number; offset: number }) {
    const f = { ...this.boxFilter(actor, box), ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) };
    const { items, total } = await this.repo(this.deps.db).list(actor.scope, f, page);
    const today = this.today();
    const co = await this.repo(this.deps.db).coUnits(items.map((i) => i.id));
    const ents = await this.repo(this.deps.db).enterprises(items.map((i) => i.id));
    return {
      total, today, items: items.map((m) => ({
        ...this.present(m, today, co.filter((c) => c.matter_id === m.id).map((c) => ({ id: c.unit_id, name: c.name }))),
        enterprises: ents.filter((e) => e.matter_id === m.id).map((e) => ({ id: e.id, name: e.name })),
      })),
    };
  }

  private present(m: MatterRow, today: string, coUnits: { id: number; name: string; signedOn?: string | null }[]) {
    const open = (MATTER_OPEN_STATES as readonly string[]).includes(m.status);
    return {
      id: m.id, number: m.number, title: m.title, source: m.source, sourceLabel: MATTER_SOURCE_LABELS[m.source as MatterSource] ?? m.source, sourceId: m.source_id, sourceRef: m.source_ref, sourceLink: m.source_link,
      type: m.type, urgency: m.urgency, leadUnitId: m.lead_unit_id, leadUnitName: m.lead_unit_name, coUnits, status: m.status,
      statusLabel: MATTER_STATE_LABELS[m.status as MatterStatus] ?? m.status, assignedOn: m.assigned_on, dueOn: m.due_on, nextFeedbackOn: m.next_feedback_on,
      requestedDueOn: m.requested_due_on, overdue: open && m.due_on < today, attention: Number(m.attention) === 1, leaderId: m.leader_id, version: Number(m.version),
      closedOn: m.closed_on, writtenOffOn: m.written_off_on,
    };
  }

  /** A matter's page: the matter, co-units, projects, deadlines with their standing, feedback, 批示, timeline, the actions this actor can take. */
  async detail(actor: Actor, id: number) {
    const db = this.deps.db;
    const m = await this.get(db, actor, id);
    const repo = this.repo(db);
    const today = this.today();
    const cal = await loadWorkCalendar(db);
    const coRows = await repo.coUnitRows(id);
    const co = coRows.map((c) => ({ id: c.unit_id, name: c.name }));
    const deadlines = (await this.engine.deadlines(db, id)).map((d) => ({ kind: d.kind, dueOn: d.dueOn, originalDueOn: d.originalDueOn, status: d.status, pausedOn: d.pausedOn, pausedDays: d.pausedDays, ...standing(d, today, cal) }));
    const feedback = await this.engine.feedback(db, id);
    const names = await repo.userNames([m.supervisor_id, m.leader_id, m.created_by, ...feedback.map((f) => f.authorId)]);
    const unitNames = await repo.unitNames(feedback.map((f) => f.unitId));
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const timeline = await this.engine.timeline(db, id, {
      'matter.instructed': (p) => `领导批示（${str(p.leader)}）：${str(p.text)}`,
      'deadline.step': (p) => `${str(p.label) || str(p.step)}（时限 ${str(p.dueOn)}）`,
      'matter.letter': (p) => `发出${str(p.title) || '函件'} ${str(p.number)}`,
      'matter.co_signed': (p) => `协办单位签收（${str(p.unit)}）`,
    });
    const actorNames = await repo.userNames(timeline.map((t) => t.actorId));
    const lead = this.isLeadMember(actor, m);
    const has = this.has(actor);
    const actions = MATTER_WORKFLOW.choices(m.status as MatterStatus, has).filter((a) => MATTER_WORKFLOW.spec.actions[a].permission !== 'matter.handle' || lead);
    const letters = await db.selectFrom('supervision_letters').select(['id', 'kind', 'number', 'title', 'signer_name', 'created_at', 'step']).where('matter_id', '=', id).orderBy('id').execute();
    return {
      matter: { ...this.present(m, today, coRows.map((c) => ({ id: c.unit_id, name: c.name, signedOn: c.signed_on }))), content: m.content, supervisorName: m.supervisor_id ? names.get(m.supervisor_id) ?? null : null, leaderName: m.leader_id ? names.get(m.leader_id) ?? null : null, signedOn: m.signed_on, closingOn: m.closing_on, closeRejections: Number(m.close_rejections), feedbackDays: Number(m.feedback_days) },
      projects: await repo.projects(id),
      enterprises: await this.linkedEnterprises(db, actor, id),
      deadlines,
      feedback: feedback.map((f) => ({ ...f, authorName: f.authorId ? names.get(f.authorId) ?? null : null, unitName: f.unitId ? unitNames.get(f.unitId) ?? null : null })),
      instructions: await repo.instructions(id),
      attachments: await listAttachments(db, 'matter', id),
      letters: letters.map((l) => ({ id: l.id, kind: l.kind, number: l.number, title: l.title, signerName: l.signer_name, createdAt: l.created_at, step: l.step })),
      timeline: timeline.map((t) => ({ ...t, actorName: t.actorId ? actorNames.get(t.actorId) ?? null : null })),
      actions: actions.map((a) => ({ action: a, label: MATTER_WORKFLOW.spec.actions[a].label, needs: MATTER_WORKFLOW.spec.actions[a].needs ?? null })),
      can: {
        feedback: lead || (actor.unitId !== null && co.some((c) => c.id === actor.unitId)), instruct: has('matter.instruct'), attention: has('matter.instruct') || has('matter.review'),
        coSign: actor.unitId !== null && coRows.some((c) => c.unit_id === actor.unitId && !c.signed_on) && m.status !== 'returned' && (MATTER_OPEN_STATES as readonly string[]).includes(m.status),
        letter: has('supervision.admin') && this.letters !== null && (MATTER_OPEN_STATES as readonly string[]).includes(m.status),
      },
    };
  }

  /** What an escalation step of a matter's deadline does: a to-do, a notification and (by the rules) a letter. */
  async onStep(trx: Executor, ctx: StepContext): Promise<void> {
    const m = await this.repo(trx).findInScope(ctx.deadline.entityId, { all: true, unitPaths: [], regionPaths: [] });
    if (!m) return;
    const settings = await supervisionSettings.get(trx);
    const feedback = ctx.deadline.kind === 'feedback';
    const title = feedback ? `进展反馈逾期：${m.title}（应于 ${ctx.deadline.dueOn} 前反馈）` : `${ctx.step.label}：${m.title}（时限 ${ctx.deadline.dueOn}）`;
    await addTodo(trx, { key: `matter:${m.id}:${ctx.deadline.kind}:${ctx.step.key}`, to: { unitId: m.lead_unit_id }, kind: feedback ? 'matter.feedback' : 'matter.escalation', title, link: MATTER_LINK(m.id), dueOn: ctx.deadline.dueOn, entityType: 'matter', entityId: m.id }, ctx.now);
    await emitEvent(trx, {
      name: 'matter.escalated', entityType: 'matter', entityId: m.id, actorId: null, at: ctx.now, payload: { kind: ctx.deadline.kind, step: ctx.step.key },
      notify: { recipients: [{ unitId: m.lead_unit_id }, ...(m.supervisor_id ? [{ userId: m.supervisor_id }] : []), ...(m.leader_id && ctx.step.offset > 1 ? [{ userId: m.leader_id }] : [])], title, link: MATTER_LINK(m.id) },
    });
    // The letter by the rules of the matter's year (a later year's change leaves this matter's letters alone).
    const kind = (await rulesOfYear(trx, m.year)).letter_on_step[ctx.step.key];
    if (kind && this.letters) await this.letters.issue(trx, { matter: m, kind, step: ctx.step.key, signer: null, settings, at: ctx.now });
  }

  /** Figures per unit for a month; units outside the actor's scope are left out (leaders and the office see all). */
  async figures(actor: Actor, month: string) {
    const all = await supervisionFigures(this.deps.db, month, this.now());
    if (actor.scope.all) return all;
    const visible = new Set((await this.repo(this.deps.db).unitsInScope(actor.scope)));
    return all.filter((f) => visible.has(f.unitId));
  }

  /** The supervision settings with their version (which a change must name). */
  async settings() {
    return { ...(await supervisionSettings.get(this.deps.db)), version: await supervisionSettings.version(this.deps.db) };
  }

  /**
   * Changes some settings, made on `version`: when another clerk saved first, it is refused (409) with the stored
   * settings and the keys this save would overwrite, and nothing is written (no lost update).
   */
  async putSettings(actor: Actor, version: number, patch: Partial<SupervisionSettings>) {
    // The templates' own Chinese problems (unknown placeholder, empty title) say more than the schema's path.
    const templates = patch.letter_templates as Partial<SupervisionSettings['letter_templates']> | undefined;
    if (templates && typeof templates === 'object') {
      const problems = LETTER_TEMPLATE_KINDS.flatMap((k) => (templates[k] && typeof templates[k] === 'object' ? checkLetterTemplate(k, templates[k]) : [`缺少${LETTER_TEMPLATE_LABELS[k]}的模板`]));
      if (problems.length) throw new AppError('unprocessable', problems.join('；'));
    }
    // The ladders (steps in order, days in range, named) and the number prefixes (none empty, none breaking the 文号).
    const ruleProblems = checkEscalationRules(patch);
    if (ruleProblems.length) throw new AppError('unprocessable', ruleProblems.join('；'));
    try {
      const after = await inTransaction(this.deps.db, (trx) => supervisionSettings.put(trx, actor, patch, this.deps, { expectedVersion: version }));
      return { ...after, version: await supervisionSettings.version(this.deps.db) };
    } catch (err) {
      if (!(err instanceof SettingsVersionError)) throw err;
      const current = await this.settings();
      const keys = (Object.keys(patch) as (keyof SupervisionSettings)[]).filter((k) => patch[k] !== undefined && JSON.stringify(current[k]) !== JSON.stringify(patch[k]));
      const names = keys.map((k) => SETTINGS_LABELS[k] ?? k).join('、');
      throw new AppError('version_conflict', `督办设置已被他人修改${names ? `（${names}与您提交的不同）` : ''}，请查看最新内容后重新提交`, { current, fields: keys });
    }
  }

  /** The number each series would hand out next this year (the settings page's live example), without taking it. */
  async nextNumbers() {
    const year = chinaYear(this.deps.clock.now());
    const next = async (series: string) => (await currentNumber(this.deps.db, series, year)) + 1;
    return {
      year,
      matter: await next('matter'),
      letters: { assign: await next('letter_assign'), remind: await next('letter_remind'), press: await next('letter_press'), interview: await next('letter_interview') },
    };
  }

  /** The working-day calendar (for the web's due-date hints). */
  calendar(): Promise<WorkCalendar> {
    return loadWorkCalendar(this.deps.db);
  }
}
