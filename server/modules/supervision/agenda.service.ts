// Meetings (会议) with their decisions (议定事项) that become matters, and the weekly batch (周交办): the week's new
// matters plus the overdue ones carried forward, numbered (期号), sent to each unit's inbox and exported as one
// 交办单 (.docx by the bulletins' GB/T 9704 renderer, .xlsx by the one table writer).
import { addDays } from '../../../core/calendar.ts';
import { chineseDate } from '../../../core/bulletins/phrases.ts';
import type { DocBlock } from '../../../core/bulletins/compose.ts';
import { DEFAULT_TEMPLATE } from '../../../core/bulletins/template.ts';
import { chinaToday, chinaYear } from '../../../core/clock.ts';
import { formatIssueNumber } from '../../../core/numbering.ts';
import { MATTER_STATE_LABELS, type MatterStatus, type MatterUrgency } from '../../../core/supervision/matter-workflow.ts';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { listAttachments, addAttachment, removeAttachment, type BlobStore } from '../../platform/attachments/attachments.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { next as nextNumber } from '../../platform/numbering/numbering.ts';
import { addTodo } from '../../platform/todos/todos.ts';
import { inTransaction } from '../../platform/tx.ts';
import { renderBulletinDocx } from '../bulletins/index.ts';
import { AgendaRepository, type BatchFilter, type BatchStatus, type LinkedMatter, type MeetingFilter, type MeetingRow } from './agenda.repository.ts';
import type { MatterService } from './matter.service.ts';
import { supervisionSettings } from './supervision.settings.ts';

export const MEETING_KINDS = ['weekly', 'coordination', 'special', 'other'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const MEETING_KIND_LABELS: Record<MeetingKind, string> = { weekly: '周例会', coordination: '调度会', special: '专题会', other: '其他会议' };

/** What turning a decision into matters takes: one matter per lead unit (each with its co-units). */
export interface DecisionToMatters {
  title?: string | null;
  content?: string | null;
  type?: string;
  urgency?: MatterUrgency;
  dueOn?: string | null;
  feedbackDays?: number | null;
  projectIds?: number[];
  units: { leadUnitId: number; coUnitIds?: number[] }[];
}

/** The Monday of a day's week. */
export function mondayOf(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, dow === 0 ? -6 : 1 - dow);
}

const presentMatter = (m: LinkedMatter) => ({
  id: m.id, number: m.number, title: m.title, status: m.status, statusLabel: MATTER_STATE_LABELS[m.status as MatterStatus] ?? m.status,
  leadUnitId: m.lead_unit_id, leadUnitName: m.lead_unit_name, dueOn: m.due_on, assignedOn: m.assigned_on, closedOn: m.closed_on, writtenOffOn: m.written_off_on,
});
/** A batch's standing as the office says it. */
export const BATCH_STATUS_LABELS: Record<BatchStatus, string> = { unsigned: '待签收', open: '办理中', done: '已办结' };

const isDone = (m: LinkedMatter) => m.status === 'closed' || m.status === 'written_off';

/** A meeting as the API shows it (with its version, which a correction must name). */
const presentMeeting = (m: MeetingRow) => ({
  id: m.id, kind: m.kind, kindLabel: MEETING_KIND_LABELS[m.kind as MeetingKind] ?? m.kind, title: m.title, heldOn: m.held_on,
  chair: m.chair, attendees: m.attendees, location: m.location, version: Number(m.version),
});
/** The fields of a meeting a correction writes, their Chinese names (for a conflict's message) and API keys. */
const MEETING_FIELDS = ['kind', 'title', 'held_on', 'chair', 'attendees', 'location'] as const;
const MEETING_FIELD_LABELS: Record<(typeof MEETING_FIELDS)[number], string> = { kind: '会议类型', title: '会议名称', held_on: '会议日期', chair: '主持人', attendees: '参会单位/人员', location: '地点' };
const MEETING_FIELD_KEYS: Record<(typeof MEETING_FIELDS)[number], string> = { kind: 'kind', title: 'title', held_on: 'heldOn', chair: 'chair', attendees: 'attendees', location: 'location' };

export class AgendaService {
  private readonly deps: Deps;
  private readonly store: (db: Executor) => BlobStore;
  /** The matter service bound to a transaction (so a decision's matters commit together). */
  private readonly matters: (db: Executor) => MatterService;
  constructor(deps: Deps, store: (db: Executor) => BlobStore, matters: (db: Executor) => MatterService) {
    this.deps = deps;
    this.store = store;
    this.matters = matters;
  }

  private today() {
    return chinaToday(this.deps.clock.now());
  }

  // ---- meetings -------------------------------------------------------------------------------------------------

  /** Records a meeting with its decisions (numbered 1..N in the order given). */
  async createMeeting(actor: Actor, input: { kind: MeetingKind; title: string; heldOn: string; chair?: string | null; attendees?: string | null; location?: string | null; decisions: string[] }) {
    const title = input.title.trim();
    if (!title) throw new AppError('unprocessable', '请填写会议名称');
    if (input.heldOn > this.today()) throw new AppError('unprocessable', `会议日期 ${input.heldOn} 晚于今天`);
    const decisions = input.decisions.map((d) => d.trim()).filter(Boolean);
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new AgendaRepository(trx);
      const now = this.deps.clock.now().toISOString();
      const id = await repo.insertMeeting({
        kind: input.kind, title, held_on: input.heldOn, chair: input.chair?.trim() || null, attendees: input.attendees?.trim() || null,
        location: input.location?.trim() || null, created_by: actor.userId || null, created_at: now,
      });
      for (const [i, text] of decisions.entries()) await repo.insertDecision({ meeting_id: id, seq: i + 1, text, created_at: now });
      await this.deps.audit.record(trx, actor, { action: 'meeting.create', entityType: 'meeting', entityId: id, after: { title, heldOn: input.heldOn, decisions: decisions.length } });
      return { id };
    });
  }

  /** Adds a decision to a recorded meeting, made on the meeting's `version` (a stale one answers 409). */
  async addDecision(actor: Actor, meetingId: number, version: number, text: string) {
    if (!text.trim()) throw new AppError('unprocessable', '请填写议定事项');
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new AgendaRepository(trx);
      if (!(await repo.meeting(meetingId))) throw new AppError('not_found', '会议不存在');
      await this.claimVersion(repo, meetingId, version, { text: text.trim() });
      const seq = (await repo.lastDecisionSeq(meetingId)) + 1;
      const id = await repo.insertDecision({ meeting_id: meetingId, seq, text: text.trim(), created_at: this.deps.clock.now().toISOString() });
      await this.deps.audit.record(trx, actor, { action: 'meeting.decision', entityType: 'meeting', entityId: meetingId, after: { seq, text: text.trim() } });
      return { id, seq, version: version + 1 };
    });
  }

  /**
   * A change to a meeting's decisions names the meeting's version it was made on and moves the meeting to the next
   * one. When another clerk changed the meeting or its decisions first, it is refused (409) with the stored meeting
   * and decisions, in Chinese naming the decision concerned, and nothing is written (no lost update).
   */
  private async claimVersion(repo: AgendaRepository, meetingId: number, version: number, mine: { decisionId?: number; seq?: number; text?: string }): Promise<void> {
    if (await repo.bumpMeetingIfVersion(meetingId, version)) return;
    const current = await repo.meeting(meetingId);
    if (!current) throw new AppError('not_found', '会议不存在');
    const decisions = (await repo.decisions([meetingId])).map((d) => ({ id: d.id, seq: d.seq, text: d.text }));
    const target = mine.decisionId === undefined ? undefined : decisions.find((d) => d.id === mine.decisionId);
    const what = mine.decisionId === undefined ? ''
      : !target ? `（${mine.seq ? `议定事项第${mine.seq}项` : '该议定事项'}已被删除）`
        : mine.text !== undefined && target.text !== mine.text ? `（议定事项第${target.seq}项的内容与您提交的不同）` : '';
    throw new AppError('version_conflict', `该会议已被他人修改${what}，请查看最新内容后重新提交`, { current: presentMeeting(current), decisions, fields: [] });
  }

  /**
   * Corrects a recorded meeting (kind, title, date, chair, attendees, place). The matters its decisions became keep
   * their source, and their readable reference (X月X日…议定事项第N项) follows the corrected title and date.
   * The correction names the version it was made on: when another clerk saved first, it is refused (409) with the
   * stored meeting and the fields this save would overwrite, and nothing is written (no lost update).
   */
  async updateMeeting(actor: Actor, id: number, input: { version: number; kind: MeetingKind; title: string; heldOn: string; chair?: string | null; attendees?: string | null; location?: string | null }) {
    const title = input.title.trim();
    if (!title) throw new AppError('unprocessable', '请填写会议名称');
    if (input.heldOn > this.today()) throw new AppError('unprocessable', `会议日期 ${input.heldOn} 晚于今天`);
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new AgendaRepository(trx);
      const before = await repo.meeting(id);
      if (!before) throw new AppError('not_found', '会议不存在');
      const after = { kind: input.kind, title, held_on: input.heldOn, chair: input.chair?.trim() || null, attendees: input.attendees?.trim() || null, location: input.location?.trim() || null };
      const stale = async () => {
        const current = (await repo.meeting(id)) ?? before;
        const fields = MEETING_FIELDS.filter((f) => current[f] !== after[f]);
        const names = fields.map((f) => MEETING_FIELD_LABELS[f]).join('、');
        return new AppError('version_conflict', `该会议已被他人修改${names ? `（${names}与您提交的不同）` : ''}，请查看最新内容后重新提交`,
          { current: presentMeeting(current), fields: fields.map((f) => MEETING_FIELD_KEYS[f]) });
      };
      if (before.version !== input.version) throw await stale();
      if (!(await repo.updateMeetingIfVersion(id, input.version, after))) throw await stale();
      if (before.title !== title || before.held_on !== input.heldOn) {
        for (const d of await repo.decisions([id])) {
          await trx.updateTable('matters').set({ source_ref: `${chineseDate(input.heldOn)}${title}议定事项第${d.seq}项` }).where('source', '=', 'meeting').where('source_id', '=', d.id).execute();
        }
      }
      const pick = (m: Pick<MeetingRow, 'kind' | 'title' | 'held_on' | 'chair' | 'attendees' | 'location'>) => ({ kind: m.kind, title: m.title, heldOn: m.held_on, chair: m.chair, attendees: m.attendees, location: m.location });
      await this.deps.audit.record(trx, actor, { action: 'meeting.update', entityType: 'meeting', entityId: id, before: pick(before), after: pick(after) });
      return { id, version: input.version + 1 };
    });
  }

  /** Deletes a meeting with its decisions and minutes, refused once any decision has become a matter. */
  async deleteMeeting(actor: Actor, id: number) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new AgendaRepository(trx);
      const m = await repo.meeting(id);
      if (!m) throw new AppError('not_found', '会议不存在');
      const decisions = await repo.decisions([id]);
      const n = await repo.countMattersOfDecisions(decisions.map((d) => d.id));
      if (n > 0) throw new AppError('conflict', `该会议的议定事项已转为督办事项${n}项，不能删除；如需更正，请编辑会议信息`);
      const now = this.deps.clock.now();
      for (const a of await listAttachments(trx, 'meeting', id)) await removeAttachment(trx, a.id, now);
      await repo.deleteMeeting(id);
      await this.deps.audit.record(trx, actor, { action: 'meeting.delete', entityType: 'meeting', entityId: id, before: { title: m.title, heldOn: m.held_on, decisions: decisions.map((d) => d.text) } });
      return { deleted: true };
    });
  }

  /** A decision that is not (or no longer) the meeting's: 409 when the meeting changed since `version` (someone deleted it), else 404. */
  private async goneDecision(repo: AgendaRepository, meetingId: number, decisionId: number, version: number): Promise<never> {
    const m = await repo.meeting(meetingId);
    if (m && Number(m.version) !== version) await this.claimVersion(repo, meetingId, version, { decisionId });
    throw new AppError('not_found', '议定事项不存在');
  }

  /** Corrects a decision's wording (its matters keep their own title and content), made on the meeting's `version`. */
  async updateDecision(actor: Actor, meetingId: number, decisionId: number, version: number, text: string) {
    const clean = text.trim();
    if (!clean) throw new AppError('unprocessable', '请填写议定事项');
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new AgendaRepository(trx);
      const d = await repo.decision(decisionId);
      if (!d || d.meeting_id !== meetingId) return this.goneDecision(repo, meetingId, decisionId, version);
      await this.claimVersion(repo, meetingId, version, { decisionId, seq: d.seq, text: clean });
      await repo.updateDecision(decisionId, clean);
      await this.deps.audit.record(trx, actor, { action: 'meeting.decision_update', entityType: 'meeting', entityId: meetingId, before: { seq: d.seq, text: d.text }, after: { seq: d.seq, text: clean } });
      return { id: decisionId, seq: d.seq, version: version + 1 };
    });
  }

  /**
   * Deletes a decision that has not become a matter (the others keep their numbers: matters quote them), made on the
   * meeting's `version`.
   */
  async deleteDecision(actor: Actor, meetingId: number, decisionId: number, version: number) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new AgendaRepository(trx);
      const d = await repo.decision(decisionId);
      if (!d || d.meeting_id !== meetingId) return this.goneDecision(repo, meetingId, decisionId, version);
      await this.claimVersion(repo, meetingId, version, { decisionId, seq: d.seq });
      const n = await repo.countMattersOfDecisions([decisionId]);
      if (n > 0) throw new AppError('conflict', `议定事项第${d.seq}项已转为督办事项${n}项，不能删除`);
      await repo.deleteDecision(decisionId);
      await this.deps.audit.record(trx, actor, { action: 'meeting.decision_delete', entityType: 'meeting', entityId: meetingId, before: { seq: d.seq, text: d.text } });
      return { deleted: true, version: version + 1 };
    });
  }

  /** Attaches the minutes (会议纪要) or another file to a meeting. */
  async attach(actor: Actor, meetingId: number, file: { fileName: string; data: Buffer }) {
    return inTransaction(this.deps.db, async (trx) => {
      if (!(await new AgendaRepository(trx).meeting(meetingId))) throw new AppError('not_found', '会议不存在');
      return addAttachment(trx, this.store(trx), { ownerType: 'meeting', ownerId: meetingId, fileName: file.fileName, data: file.data, uploadedBy: actor.userId || null, at: this.deps.clock.now() });
    });
  }

  /** The meetings, newest first (filtered by year, kind, a word of the title or chair), each with its decisions' counts (议定事项 N 项，已办结 M 项). */
  async meetings(page: { limit: number; offset: number }, filter: MeetingFilter = {}) {
    const repo = new AgendaRepository(this.deps.db);
    const { items, total } = await repo.meetings(page, filter);
    const decisions = await repo.decisions(items.map((m) => m.id));
    const matters = await repo.mattersOfDecisions(decisions.map((d) => d.id));
    return {
      total,
      items: items.map((m) => {
        const ds = decisions.filter((d) => d.meeting_id === m.id);
        const done = ds.filter((d) => { const ms = matters.filter((x) => x.source_id === d.id); return ms.length > 0 && ms.every(isDone); }).length;
        return { id: m.id, kind: m.kind, kindLabel: MEETING_KIND_LABELS[m.kind as MeetingKind] ?? m.kind, title: m.title, heldOn: m.held_on, chair: m.chair, decisions: ds.length, assigned: ds.filter((d) => matters.some((x) => x.source_id === d.id)).length, done };
      }),
    };
  }

  /** The meetings held in a month 'YYYY-MM' with their decisions' counts, as the meetings list shows them (the bulletin's 会议 section). */
  async meetingsOfMonth(month: string) {
    const repo = new AgendaRepository(this.deps.db);
    const items = await repo.meetingsBetween(`${month}-01`, `${month}-31`);
    const decisions = await repo.decisions(items.map((m) => m.id));
    const matters = await repo.mattersOfDecisions(decisions.map((d) => d.id));
    return items.map((m) => {
      const ds = decisions.filter((d) => d.meeting_id === m.id);
      const done = ds.filter((d) => { const ms = matters.filter((x) => x.source_id === d.id); return ms.length > 0 && ms.every(isDone); }).length;
      return { id: m.id, title: m.title, heldOn: m.held_on, decisions: ds.length, assigned: ds.filter((d) => matters.some((x) => x.source_id === d.id)).length, done };
    });
  }

  /** A meeting with its decisions, each with the matters it became; the one-line summary a bulletin can quote. */
  async meeting(id: number) {
    const repo = new AgendaRepository(this.deps.db);
    const m = await repo.meeting(id);
    if (!m) throw new AppError('not_found', '会议不存在');
    const decisions = await repo.decisions([id]);
    const matters = await repo.mattersOfDecisions(decisions.map((d) => d.id));
    const rows = decisions.map((d) => {
      const ms = matters.filter((x) => x.source_id === d.id);
      return { id: d.id, seq: d.seq, text: d.text, matters: ms.map(presentMatter), done: ms.length > 0 && ms.every(isDone) };
    });
    const done = rows.filter((d) => d.done).length;
    const md = /^\d{4}-(\d{2})-(\d{2})$/.exec(m.held_on)!;
    return {
      meeting: presentMeeting(m),
      decisions: rows,
      attachments: await listAttachments(this.deps.db, 'meeting', id),
      summary: `${Number(md[1])}月${Number(md[2])}日${m.title}议定事项${rows.length}项，已办结${done}项`,
    };
  }

  /** Turns a decision into one matter per lead unit, through the matter engine, all in one transaction. */
  async decisionToMatters(actor: Actor, meetingId: number, decisionId: number, input: DecisionToMatters): Promise<{ id: number; number: string }[]> {
    if (input.units.length === 0) throw new AppError('unprocessable', '请至少选择一个牵头单位');
    const leads = input.units.map((u) => u.leadUnitId);
    if (new Set(leads).size !== leads.length) throw new AppError('unprocessable', '同一牵头单位只能交办一次');
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new AgendaRepository(trx);
      const meeting = await repo.meeting(meetingId);
      const d = await repo.decision(decisionId);
      if (!meeting || !d || d.meeting_id !== meetingId) throw new AppError('not_found', '议定事项不存在');
      const service = this.matters(trx);
      const ref = `${chineseDate(meeting.held_on)}${meeting.title}议定事项第${d.seq}项`;
      const out: { id: number; number: string }[] = [];
      for (const u of input.units) {
        out.push(await service.create(actor, {
          title: input.title?.trim() || d.text.slice(0, 60), content: input.content?.trim() || d.text, source: 'meeting', sourceId: d.id, sourceRef: ref,
          type: input.type ?? '会议议定', urgency: input.urgency ?? 'normal', leadUnitId: u.leadUnitId, coUnitIds: u.coUnitIds, projectIds: input.projectIds,
          dueOn: input.dueOn, feedbackDays: input.feedbackDays,
        }));
      }
      return out;
    });
  }

  // ---- weekly batches -------------------------------------------------------------------------------------------

  /** Matters not in any batch yet (the candidates of this week's 周交办), open ones, oldest first. */
  async unbatched(actor: Actor) {
    const { items } = await this.matters(this.deps.db).list(actor, 'all', { status: ['pending_sign', 'in_progress', 'returned'], unbatched: true }, { limit: 500, offset: 0 });
    return { items };
  }

  /**
   * Issues this week's batch (期号 from the platform numbering): the matters chosen as new, plus every open matter
   * past due carried forward; each unit concerned gets a to-do and a notification pointing at its 交办单.
   */
  async createBatch(actor: Actor, input: { matterIds: number[]; title?: string | null; carryOverdue?: boolean }) {
    const ids = [...new Set(input.matterIds)];
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new AgendaRepository(trx);
      const now = this.deps.clock.now();
      const today = chinaToday(now);
      const weekOf = mondayOf(today);
      const existing = await repo.batchOfWeek(weekOf);
      if (existing) throw new AppError('conflict', `本周（${weekOf} 起）的周交办单已印发：${existing.title}`);
      const fresh = ids.length ? await trx.selectFrom('matters').select(['id', 'batch_id', 'number']).where('id', 'in', ids).execute() : [];
      const missing = ids.filter((i) => !fresh.some((f) => f.id === i));
      if (missing.length) throw new AppError('unprocessable', `督办事项不存在：${missing.join('、')}`);
      const taken = fresh.filter((f) => f.batch_id !== null);
      if (taken.length) throw new AppError('conflict', `已列入其他周交办单：${taken.map((f) => f.number).join('、')}`);
      const carried = input.carryOverdue === false ? [] : await repo.overdueOpen(today, ids);
      if (ids.length + carried.length === 0) throw new AppError('unprocessable', '本期没有新交办或逾期事项');
      const year = chinaYear(now);
      const seq = await nextNumber(trx, 'weekly_batch', year);
      const title = input.title?.trim() || `重点项目周交办单（${formatIssueNumber(seq, year)}）`;
      const id = await repo.insertBatch({ year, seq, title, week_of: weekOf, created_by: actor.userId || null, created_at: now.toISOString() });
      await repo.addBatchItems(id, [...ids.map((m) => ({ matterId: m, carried: false })), ...carried.map((m) => ({ matterId: m, carried: true }))]);
      if (ids.length) await trx.updateTable('matters').set({ batch_id: id }).where('id', 'in', ids).where('batch_id', 'is', null).execute();
      const units = await repo.unitIdsOfMatters([...ids, ...carried]);
      for (const u of units) {
        await addTodo(trx, { key: `batch:${id}:unit:${u}`, to: { unitId: u }, kind: 'batch.receive', title: `查收${title}`, link: `/batches/${id}`, dueOn: today, entityType: 'weekly_batch', entityId: id }, now);
      }
      await emitEvent(trx, {
        name: 'batch.issued', entityType: 'weekly_batch', entityId: id, actorId: actor.userId || null, at: now, payload: { seq, new: ids.length, carried: carried.length },
        notify: units.length ? { recipients: units.map((u) => ({ unitId: u })), title: `${title}：新交办${ids.length}项，逾期${carried.length}项`, link: `/batches/${id}` } : undefined,
      });
      await this.deps.audit.record(trx, actor, { action: 'batch.issue', entityType: 'weekly_batch', entityId: id, after: { seq, title, new: ids.length, carried: carried.length } });
      return { id, seq, title, weekOf, new: ids.length, carried: carried.length };
    });
  }

  /**
   * Re-sends a batch (重新下发) to the units that have not signed yet: each gets its 查收 to-do back on top (due today,
   * with how many matters wait for its 签收) and a fresh notification; units that signed everything are left alone.
   * The 交办单 itself is rendered from the current matters, so a corrected matter goes out corrected.
   */
  async reissueBatch(actor: Actor, id: number) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new AgendaRepository(trx);
      const b = await repo.batch(id);
      if (!b) throw new AppError('not_found', '周交办单不存在');
      const units = await repo.unsignedUnitsOfBatch(id);
      if (units.length === 0) throw new AppError('conflict', `${b.title}的事项均已签收，无需重新下发`);
      const now = this.deps.clock.now();
      const today = chinaToday(now);
      for (const u of units) {
        await addTodo(trx, {
          key: `batch:${id}:unit:${u.unit_id}`, to: { unitId: u.unit_id }, kind: 'batch.receive', title: `再次下发：${b.title}（${u.pending}项待签收）`,
          link: `/batches/${id}`, dueOn: today, entityType: 'weekly_batch', entityId: id,
        }, now);
      }
      await emitEvent(trx, {
        name: 'batch.reissued', entityType: 'weekly_batch', entityId: id, actorId: actor.userId || null, at: now, payload: { units: units.map((u) => u.unit_id) },
        notify: { recipients: units.map((u) => ({ unitId: u.unit_id })), title: `再次下发${b.title}：请尽快签收`, link: `/batches/${id}` },
      });
      await this.deps.audit.record(trx, actor, { action: 'batch.reissue', entityType: 'weekly_batch', entityId: id, after: { units: units.map((u) => ({ id: u.unit_id, name: u.name, pending: u.pending })) } });
      return { units: units.map((u) => ({ unitId: u.unit_id, name: u.name, pending: u.pending })) };
    });
  }

  async batches(page: { limit: number; offset: number }, filter: BatchFilter = {}) {
    const { items, total } = await new AgendaRepository(this.deps.db).batches(page, filter);
    return {
      total,
      items: items.map((b) => ({
        id: b.id, year: b.year, seq: b.seq, issue: formatIssueNumber(b.seq, b.year), title: b.title, weekOf: b.week_of, createdAt: b.created_at, newCount: b.new_count, carriedCount: b.carried_count,
        status: b.status, statusLabel: BATCH_STATUS_LABELS[b.status],
      })),
    };
  }

  /** A batch with the matters the actor's scope sees (a unit sees its own part of the 交办单). */
  async batch(actor: Actor, id: number) {
    const repo = new AgendaRepository(this.deps.db);
    const b = await repo.batch(id);
    if (!b) throw new AppError('not_found', '周交办单不存在');
    const rows = await repo.batchMatters(id, actor.scope);
    if (!actor.scope.all && rows.length === 0) throw new AppError('not_found', '周交办单不存在或无权访问');
    const co = await repo.coUnitNames(rows.map((r) => r.id));
    const today = this.today();
    return {
      batch: { id: b.id, year: b.year, seq: b.seq, issue: formatIssueNumber(b.seq, b.year), title: b.title, weekOf: b.week_of, createdAt: b.created_at },
      today,
      matters: rows.map((r) => ({ ...presentMatter(r), content: r.content, carried: r.carried === 1, coUnits: co.get(r.id) ?? [], overdue: r.due_on < today && !isDone(r) })),
      // Who has not signed yet (签收情况), for the office that re-sends the batch; a unit sees only its own part.
      unsigned: actor.scope.all ? (await repo.unsignedUnitsOfBatch(id)).map((u) => ({ unitId: u.unit_id, name: u.name, pending: u.pending })) : [],
    };
  }

  /** The 交办单 as a GB/T 9704 .docx: new matters, then the overdue ones carried forward, as tables. */
  async batchDocx(actor: Actor, id: number): Promise<{ fileName: string; data: Buffer }> {
    const d = await this.batch(actor, id);
    const settings = await supervisionSettings.get(this.deps.db);
    const cols = [
      { header: '序号', width: 6, align: 'center' as const }, { header: '编号', width: 16, align: 'left' as const }, { header: '事项', width: 34, align: 'left' as const },
      { header: '牵头单位', width: 16, align: 'left' as const }, { header: '协办单位', width: 16, align: 'left' as const }, { header: '办结时限', width: 13, align: 'center' as const },
    ];
    const row = (m: (typeof d.matters)[number], i: number) => [String(i + 1), m.number, m.title, m.leadUnitName, m.coUnits.join('、'), m.dueOn];
    const fresh = d.matters.filter((m) => !m.carried);
    const carried = d.matters.filter((m) => m.carried);
    const body: DocBlock[] = [
      { kind: 'paragraph', text: `现将本周重点项目督办事项交办如下，请各牵头单位于${settings.sign_working_days}个工作日内签收，按时限办结并按期报送进展；逾期未办结事项请加快办理，说明原因。本期新交办${fresh.length}项，逾期未办结${carried.length}项。` },
      { kind: 'heading', level: 1, number: '一、', text: '本期新交办事项' },
      fresh.length ? { kind: 'table', title: null, columns: cols, rows: fresh.map(row), note: null } : { kind: 'paragraph', text: '（无）' },
      { kind: 'heading', level: 1, number: '二、', text: '逾期未办结事项' },
      carried.length ? { kind: 'table', title: null, columns: cols, rows: carried.map(row), note: null } : { kind: 'paragraph', text: '（无）' },
    ];
    const date = chineseDate(chinaToday(new Date(d.batch.createdAt)));
    const data = await renderBulletinDocx({
      head: { red_head: '重点项目周交办', issue: d.batch.issue, doc_number: null, issuer: settings.issuer, date, marker: null },
      title: d.batch.title, recipients: '各牵头单位、协办单位：', body, annex_list: [], signature: settings.issuer, date, annexes: [], cc: '',
      printed_by: settings.issuer, printed_date: `${date}印发`, fonts: DEFAULT_TEMPLATE.fonts,
    });
    return { fileName: `周交办单-${d.batch.year}年第${d.batch.seq}期.docx`, data };
  }
}
