// All SQL of meetings (会议) with their decisions (议定事项), weekly batches (周交办) and escalation letters (督办函件).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DataScope } from '../../platform/context.ts';
import { matterInScope } from './matter.repository.ts';

export interface MeetingFilter { year?: number; kind?: string; q?: string }
/** A batch's standing: a unit has not signed its part yet, all signed and some matter open, or every matter 办结. */
export type BatchStatus = 'unsigned' | 'open' | 'done';
/** The weekly batches list's filters: year, standing, a word of the title or the 期号 ("第3期", "2026年第3期", "3"). */
export interface BatchFilter { year?: number; status?: BatchStatus; q?: string }
export interface MeetingRow { id: number; kind: string; title: string; held_on: string; chair: string | null; attendees: string | null; location: string | null; created_by: number | null; created_at: string; version: number }
export interface DecisionRow { id: number; meeting_id: number; seq: number; text: string; created_at: string }
export interface BatchRow { id: number; year: number; seq: number; title: string; week_of: string; created_by: number | null; created_at: string }
export interface LetterRow { id: number; matter_id: number; kind: string; number: string; year: number; seq: number; title: string; step: string | null; signed_by: number | null; signer_name: string; file_key: string; created_at: string }

/** A matter as a decision, a batch or a letter lists it. */
export interface LinkedMatter { id: number; number: string; title: string; status: string; source_id: number | null; lead_unit_id: number; lead_unit_name: string; due_on: string; assigned_on: string; closed_on: string | null; written_off_on: string | null; content: string; carried?: number }

const OPEN = ['pending_sign', 'in_progress', 'extension_requested', 'suspend_requested', 'closing', 'returned'];

export class AgendaRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  // ---- meetings -------------------------------------------------------------------------------------------------

  async insertMeeting(v: Omit<MeetingRow, 'id' | 'version'>): Promise<number> {
    return (await this.db.insertInto('meetings').values(v).returning('id').executeTakeFirstOrThrow()).id;
  }

  /** A meeting is the office's: an unscoped account sees it, a scoped one when one of its decisions' matters is in scope. */
  async meetingInScope(id: number, scope: DataScope): Promise<boolean> {
    if (scope.all) return (await this.meeting(id)) !== undefined;
    const r = await this.db.selectFrom('matters').select('matters.id').where('matters.source', '=', 'meeting')
      .where('matters.source_id', 'in', this.db.selectFrom('meeting_decisions').select('id').where('meeting_id', '=', id)).where(matterInScope(scope)).executeTakeFirst();
    return r !== undefined;
  }

  /** Corrects a meeting if it is still at `version` (and moves it to the next); false when another save came first. */
  async updateMeetingIfVersion(id: number, version: number, v: Pick<MeetingRow, 'kind' | 'title' | 'held_on' | 'chair' | 'attendees' | 'location'>): Promise<boolean> {
    const r = await this.db.updateTable('meetings').set({ ...v, version: sql<number>`version + 1` }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Moves a meeting to its next version if it is still at `version` (a decision added, corrected or deleted changes
   * the meeting); false when another save came first. On PostgreSQL the row stays locked until the transaction ends.
   */
  async bumpMeetingIfVersion(id: number, version: number): Promise<boolean> {
    const r = await this.db.updateTable('meetings').set({ version: sql<number>`version + 1` }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Deletes a meeting and its decisions (the caller checked that no decision became a matter). */
  async deleteMeeting(id: number): Promise<void> {
    await this.db.deleteFrom('meeting_decisions').where('meeting_id', '=', id).execute();
    await this.db.deleteFrom('meetings').where('id', '=', id).execute();
  }

  async updateDecision(id: number, text: string): Promise<void> {
    await this.db.updateTable('meeting_decisions').set({ text }).where('id', '=', id).execute();
  }

  async deleteDecision(id: number): Promise<void> {
    await this.db.deleteFrom('meeting_decisions').where('id', '=', id).execute();
  }

  /** How many matters the given decisions became (any state: a matter once assigned keeps its source). */
  async countMattersOfDecisions(decisionIds: readonly number[]): Promise<number> {
    if (decisionIds.length === 0) return 0;
    const r = await this.db.selectFrom('matters').select(sql<number>`count(*)`.as('n')).where('source', '=', 'meeting').where('source_id', 'in', decisionIds).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async insertDecision(v: Omit<DecisionRow, 'id'>): Promise<number> {
    return (await this.db.insertInto('meeting_decisions').values(v).returning('id').executeTakeFirstOrThrow()).id;
  }

  async meeting(id: number): Promise<MeetingRow | undefined> {
    return this.db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The meetings, newest first, filtered by year, kind and a word of the title or the chair. */
  async meetings(page: { limit: number; offset: number }, filter: MeetingFilter = {}): Promise<{ items: MeetingRow[]; total: number }> {
    let q = this.db.selectFrom('meetings');
    if (filter.year) q = q.where('held_on', '>=', `${filter.year}-01-01`).where('held_on', '<=', `${filter.year}-12-31`);
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    const word = filter.q?.trim();
    if (word) {
      const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where(sql<boolean>`(title like ${like} escape '\\' or chair like ${like} escape '\\')`);
    }
    const total = Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const items = await q.selectAll().orderBy('held_on', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
    return { items, total };
  }

  /** Meetings held from `from` to `to` ('YYYY-MM-DD', inclusive; a month's '-31' bound is fine for text dates), oldest first. */
  async meetingsBetween(from: string, to: string): Promise<MeetingRow[]> {
    return this.db.selectFrom('meetings').selectAll().where('held_on', '>=', from).where('held_on', '<=', to).orderBy('held_on').orderBy('id').execute();
  }

  async decisions(meetingIds: readonly number[]): Promise<DecisionRow[]> {
    if (meetingIds.length === 0) return [];
    return this.db.selectFrom('meeting_decisions').selectAll().where('meeting_id', 'in', meetingIds).orderBy('meeting_id').orderBy('seq').execute();
  }

  async decision(id: number): Promise<DecisionRow | undefined> {
    return this.db.selectFrom('meeting_decisions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async lastDecisionSeq(meetingId: number): Promise<number> {
    const r = await this.db.selectFrom('meeting_decisions').select(sql<number>`max(seq)`.as('s')).where('meeting_id', '=', meetingId).executeTakeFirst();
    return Number(r?.s ?? 0);
  }

  private matters() {
    return this.db.selectFrom('matters').innerJoin('units', 'units.id', 'matters.lead_unit_id')
      .select(['matters.id', 'matters.number', 'matters.title', 'matters.status', 'matters.source_id', 'matters.lead_unit_id', 'units.name as lead_unit_name', 'matters.due_on', 'matters.assigned_on', 'matters.closed_on', 'matters.written_off_on', 'matters.content']);
  }

  /** The matters decisions turned into (source 'meeting'), all of them: a decision's count is the office's figure. */
  async mattersOfDecisions(decisionIds: readonly number[]): Promise<LinkedMatter[]> {
    if (decisionIds.length === 0) return [];
    return this.matters().where('matters.source', '=', 'meeting').where('matters.source_id', 'in', decisionIds).orderBy('matters.id').execute();
  }

  // ---- weekly batches -------------------------------------------------------------------------------------------

  async insertBatch(v: Omit<BatchRow, 'id'>): Promise<number> {
    return (await this.db.insertInto('weekly_batches').values(v).returning('id').executeTakeFirstOrThrow()).id;
  }

  async addBatchItems(batchId: number, items: readonly { matterId: number; carried: boolean }[]): Promise<void> {
    if (items.length) await this.db.insertInto('weekly_batch_items').values(items.map((i) => ({ batch_id: batchId, matter_id: i.matterId, carried: i.carried ? 1 : 0 }))).execute();
  }

  async batch(id: number): Promise<BatchRow | undefined> {
    return this.db.selectFrom('weekly_batches').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async batchOfWeek(weekOf: string): Promise<BatchRow | undefined> {
    return this.db.selectFrom('weekly_batches').selectAll().where('week_of', '=', weekOf).executeTakeFirst();
  }

  async batches(page: { limit: number; offset: number }, filter: BatchFilter = {}): Promise<{ items: (BatchRow & { new_count: number; carried_count: number; status: BatchStatus })[]; total: number }> {
    // The standing, as batchMatters' and unsignedUnitsOfBatch's rules say it: a lead unit still 待签收 or a co-unit's
    // part of an open matter unsigned → unsigned; else a matter not 办结 (closed/written off) → open; else done.
    const unsigned = sql<boolean>`(exists (select 1 from weekly_batch_items i join matters m on m.id = i.matter_id where i.batch_id = weekly_batches.id and m.status = 'pending_sign')
      or exists (select 1 from weekly_batch_items i join matters m on m.id = i.matter_id join matter_units mu on mu.matter_id = m.id
        where i.batch_id = weekly_batches.id and mu.signed_on is null and m.status in (${sql.join(OPEN.filter((x) => x !== 'returned'))})))`;
    const open = sql<boolean>`exists (select 1 from weekly_batch_items i join matters m on m.id = i.matter_id where i.batch_id = weekly_batches.id and m.status not in ('closed', 'written_off'))`;
    let q = this.db.selectFrom('weekly_batches');
    if (filter.year) q = q.where('year', '=', filter.year);
    if (filter.status === 'unsigned') q = q.where(unsigned);
    if (filter.status === 'open') q = q.where(sql<boolean>`not ${unsigned}`).where(open);
    if (filter.status === 'done') q = q.where(sql<boolean>`not ${unsigned}`).where(sql<boolean>`not ${open}`);
    const word = filter.q?.trim();
    if (word) {
      const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      // "第3期", "2026年第3期" or a bare number name the 期号 (the title of a batch given its own name may not carry it).
      const issue = /^(?:(\d{4})\s*年)?\s*第?\s*(\d{1,4})\s*期?$/.exec(word);
      const byIssue = issue ? sql` or (seq = ${Number(issue[2])}${issue[1] ? sql` and year = ${Number(issue[1])}` : sql``})` : sql``;
      q = q.where(sql<boolean>`(title like ${like} escape '\\'${byIssue})`);
    }
    const total = Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const items = await q.selectAll('weekly_batches')
      .select((eb) => [
        eb.selectFrom('weekly_batch_items').select(sql<number>`count(*)`.as('c')).whereRef('weekly_batch_items.batch_id', '=', 'weekly_batches.id').where('carried', '=', 0).as('new_count'),
        eb.selectFrom('weekly_batch_items').select(sql<number>`count(*)`.as('c')).whereRef('weekly_batch_items.batch_id', '=', 'weekly_batches.id').where('carried', '=', 1).as('carried_count'),
        sql<number>`case when ${unsigned} then 1 else 0 end`.as('is_unsigned'),
        sql<number>`case when ${open} then 1 else 0 end`.as('is_open'),
      ])
      .orderBy('week_of', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
    return {
      total,
      items: items.map(({ is_unsigned: u, is_open: o, ...b }) => ({
        ...b, new_count: Number(b.new_count ?? 0), carried_count: Number(b.carried_count ?? 0), status: Number(u) === 1 ? 'unsigned' : Number(o) === 1 ? 'open' : 'done',
      })),
    };
  }

  /** A batch's matters within a scope (a unit sees its own part of the 交办单), new ones first. */
  async batchMatters(batchId: number, scope: DataScope): Promise<LinkedMatter[]> {
    const rows = await this.matters().innerJoin('weekly_batch_items', 'weekly_batch_items.matter_id', 'matters.id')
      .select('weekly_batch_items.carried').where('weekly_batch_items.batch_id', '=', batchId).where(matterInScope(scope))
      .orderBy('weekly_batch_items.carried').orderBy('matters.lead_unit_id').orderBy('matters.id').execute();
    return rows.map((r) => ({ ...r, carried: Number(r.carried) }));
  }

  /**
   * The units of a batch that have not signed yet: a lead unit with a matter still 待签收, a co-unit whose part of an
   * open matter is not signed; with how many of the batch's matters wait for each. By unit name.
   */
  async unsignedUnitsOfBatch(batchId: number): Promise<{ unit_id: number; name: string; pending: number }[]> {
    const lead = await this.db.selectFrom('weekly_batch_items').innerJoin('matters', 'matters.id', 'weekly_batch_items.matter_id')
      .select(['matters.lead_unit_id as unit_id', 'matters.id as matter_id']).where('weekly_batch_items.batch_id', '=', batchId).where('matters.status', '=', 'pending_sign').execute();
    const co = await this.db.selectFrom('weekly_batch_items').innerJoin('matters', 'matters.id', 'weekly_batch_items.matter_id')
      .innerJoin('matter_units', 'matter_units.matter_id', 'matters.id')
      .select(['matter_units.unit_id', 'matters.id as matter_id']).where('weekly_batch_items.batch_id', '=', batchId)
      .where('matter_units.signed_on', 'is', null).where('matters.status', 'in', OPEN.filter((s) => s !== 'returned')).execute();
    const pending = new Map<number, Set<number>>();
    for (const r of [...lead, ...co]) pending.set(r.unit_id, (pending.get(r.unit_id) ?? new Set()).add(r.matter_id));
    if (pending.size === 0) return [];
    const names = await this.db.selectFrom('units').select(['id', 'name']).where('id', 'in', [...pending.keys()]).execute();
    return names.map((u) => ({ unit_id: u.id, name: u.name, pending: pending.get(u.id)!.size })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.unit_id - b.unit_id);
  }

  /** Open matters past due on `day` that no later batch than this week has carried yet (carried forward each week). */
  async overdueOpen(day: string, excludeIds: readonly number[]): Promise<number[]> {
    let q = this.db.selectFrom('matters').select('id').where('status', 'in', OPEN).where('due_on', '<', day);
    if (excludeIds.length) q = q.where('id', 'not in', excludeIds);
    return (await q.orderBy('id').execute()).map((r) => r.id);
  }

  // ---- letters --------------------------------------------------------------------------------------------------

  async insertLetter(v: Omit<LetterRow, 'id'>): Promise<number> {
    return (await this.db.insertInto('supervision_letters').values(v).returning('id').executeTakeFirstOrThrow()).id;
  }

  async letter(id: number, matterId: number): Promise<LetterRow | undefined> {
    return this.db.selectFrom('supervision_letters').selectAll().where('id', '=', id).where('matter_id', '=', matterId).executeTakeFirst();
  }

  async hasLetter(matterId: number, kind: string, step: string | null): Promise<boolean> {
    let q = this.db.selectFrom('supervision_letters').select('id').where('matter_id', '=', matterId).where('kind', '=', kind);
    q = step === null ? q.where('step', 'is', null) : q.where('step', '=', step);
    return (await q.executeTakeFirst()) !== undefined;
  }

  async matterProjects(matterId: number): Promise<string[]> {
    return (await this.db.selectFrom('matter_projects').innerJoin('projects', 'projects.id', 'matter_projects.project_id').select('projects.name').where('matter_projects.matter_id', '=', matterId).orderBy('projects.id').execute()).map((r) => r.name);
  }

  async coUnitNames(matterIds: readonly number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    if (matterIds.length === 0) return out;
    const rows = await this.db.selectFrom('matter_units').innerJoin('units', 'units.id', 'matter_units.unit_id').select(['matter_units.matter_id', 'units.name']).where('matter_units.matter_id', 'in', matterIds).orderBy('units.name').execute();
    for (const r of rows) out.set(r.matter_id, [...(out.get(r.matter_id) ?? []), r.name]);
    return out;
  }

  async unitIdsOfMatters(ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const lead = await this.db.selectFrom('matters').select('lead_unit_id as u').where('id', 'in', ids).execute();
    const co = await this.db.selectFrom('matter_units').select('unit_id as u').where('matter_id', 'in', ids).execute();
    return [...new Set([...lead, ...co].map((r) => r.u))].sort((a, b) => a - b);
  }
}
