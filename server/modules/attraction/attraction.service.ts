import crypto from 'node:crypto';
import type { Writable } from 'node:stream';
import path from 'node:path';
import type { Updateable } from 'kysely';
import {
  checkMove, isLeadStage, LEAD_REVIEW, LEAD_STAGE_LABELS, LEAD_STAGES, STAGE_DATE_FIELD, stageIndex, TERMINATION_LABELS,
  type LeadReviewState, type LeadStage, type MoveTarget, type TerminationKind,
} from '../../../core/attraction/lead.ts';
import {
  computeFigures, computeFunnel, FIGURE_DEFINITIONS, overdueStarts, periodOf, staleLeads, threeBatches, type Period,
} from '../../../core/attraction/figures.ts';
import { chinaToday } from '../../../core/clock.ts';
import { WorkflowRefusal } from '../../../core/workflow.ts';
import type { Executor } from '../../db/database.ts';
import type { AttractionLeadTable } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { Actor, DataScope, Deps } from '../../platform/context.ts';
import { listMoves, recordMove } from '../../platform/status-log.ts';
import { inTransaction } from '../../platform/tx.ts';
import { roleHas, type Permission } from '../../plugins/permissions.ts';
import type { AttractionRepository, LeadFilter, LeadListRow } from './attraction.repository.ts';
import { writeAttractionWorkbook } from './attraction.export.ts';
import type { FiguresQuery, LeadCreate, LeadListQuery, LeadMove, LeadReview, LeadUpdate } from './attraction.schema.ts';
import { attractionSettings, type AttractionSettings } from './attraction.settings.ts';

/** The status-log entity type of attraction records. */
export const LEAD_ENTITY = 'attraction_lead';

/** Default 开工期限: months after signing within which a signed record should start (the office may change it). */
export const DEFAULT_START_LIMIT_MONTHS = attractionSettings.defaults.start_limit_months;
/** Default days without a follow-up after which an open record is stale (跟进超期; the office may change it). */
export const DEFAULT_STALE_DAYS = attractionSettings.defaults.stale_days;

const STALE = '招商项目已被他人修改，请刷新后重试';
const EVIDENCE_MAX = 50;

/** What the attraction module needs of the project library (its index.ts), so the service stays testable whole. */
export interface ProjectLibrary {
  /** Creates a library project in the caller's transaction; returns its id. */
  create(trx: Executor, actor: Actor, input: { name: string; region_code: string; unit_id: number; total_investment: number; start_date: string; builder_name: string | null; builder_uscc: string | null }): Promise<number>;
  /** The project's planned total investment when it is visible to the actor, else undefined. */
  find(trx: Executor, actor: Actor, id: number): Promise<{ id: number; name: string; total_investment: number } | undefined>;
}

/** An enterprise of the problems module's register, as far as the actor may see it (through problems' index.ts). */
export interface EnterpriseRegister {
  /** The visible enterprise with this 统一社会信用代码, if any. */
  findByUscc(db: Executor, actor: Actor, uscc: string): Promise<{ id: number; name: string } | undefined>;
  /** The enterprise when it exists and is visible to the actor. */
  find(db: Executor, actor: Actor, id: number): Promise<{ id: number; name: string } | undefined>;
  /** Names and codes by id, for display (the link was checked when written). */
  names(db: Executor, ids: number[]): Promise<{ id: number; name: string; uscc: string | null }[]>;
}

/** Where evidence files go (server/modules/files' FileStore, through the module's index.ts). */
export interface EvidenceStore {
  put(db: Executor, key: string, data: Buffer): Promise<void>;
  read(db: Executor, key: string): Promise<Buffer | undefined>;
}

function refused(err: unknown): never {
  if (err instanceof WorkflowRefusal) {
    throw new AppError(err.kind === 'state' ? 'conflict' : err.kind === 'permission' ? 'forbidden' : 'unprocessable', err.message);
  }
  throw err;
}

const MIME: Record<string, string> = {
  '.pdf': 'application/pdf', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp',
  '.doc': 'application/msword', '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '.ofd': 'application/ofd', '.zip': 'application/zip',
};

/** Investment attraction (招商引资): records from lead to production, their reviewed moves, follow-ups and figures. */
export class AttractionService {
  private readonly deps: Deps;
  private readonly repo: (db: Executor) => AttractionRepository;
  private readonly projects: ProjectLibrary;
  private readonly files: EvidenceStore;
  private readonly enterprises: EnterpriseRegister;
  constructor(deps: Deps, repo: (db: Executor) => AttractionRepository, projects: ProjectLibrary, files: EvidenceStore, enterprises: EnterpriseRegister) {
    this.deps = deps;
    this.repo = repo;
    this.projects = projects;
    this.files = files;
    this.enterprises = enterprises;
  }

  /** The office's settings (跟进超期 days, 开工期限 months) and the server's today, which the pages use. */
  async settings(): Promise<AttractionSettings & { today: string }> {
    return { ...(await attractionSettings.get(this.deps.db)), today: this.today() };
  }

  /** Changes the office's settings (audited). */
  async putSettings(actor: Actor, patch: Partial<AttractionSettings>): Promise<AttractionSettings & { today: string }> {
    const after = await inTransaction(this.deps.db, (trx) => attractionSettings.put(trx, actor, patch, this.deps));
    return { ...after, today: this.today() };
  }

  /**
   * The enterprise a write links the record to: the one named (must be visible), none (null), or — when the write
   * leaves the link out and the record has none — the visible enterprise whose USCC the record's company carries.
   */
  private async linkedEnterprise(trx: Executor, actor: Actor, patch: { enterprise_id?: number | null; company_uscc?: string | null }, current?: { enterprise_id: number | null }): Promise<{ enterprise_id?: number | null }> {
    if (patch.enterprise_id === null) return { enterprise_id: null };
    if (patch.enterprise_id !== undefined) {
      if (!(await this.enterprises.find(trx, actor, patch.enterprise_id))) throw new AppError('unprocessable', `企业库中没有该企业或无权访问：${patch.enterprise_id}`, { field: 'enterprise_id' });
      return { enterprise_id: patch.enterprise_id };
    }
    // Only a USCC this write brings links by itself: an unlinked record stays unlinked on later edits.
    const uscc = patch.company_uscc;
    if (current?.enterprise_id || !uscc) return {};
    const found = await this.enterprises.findByUscc(trx, actor, uscc);
    return found ? { enterprise_id: found.id } : {};
  }

  private today(): string {
    return chinaToday(this.deps.clock.now());
  }

  private async load(db: Executor, actor: Actor, id: number): Promise<LeadListRow> {
    const lead = await this.repo(db).findById(id, actor.scope);
    if (!lead) throw new AppError('not_found', '招商项目不存在或无权访问');
    return lead;
  }

  private async checkPlace(db: Executor, actor: Actor, input: { team_id?: number; region_code?: string }): Promise<void> {
    const repo = this.repo(db);
    if (input.team_id !== undefined && !(await repo.isTeamInScope(input.team_id, actor.scope))) {
      throw new AppError('unprocessable', `招商小分队（责任单位）不存在或不在您的数据范围内：${input.team_id}`, { field: 'team_id' });
    }
    if (input.region_code !== undefined && !(await repo.regionExists(input.region_code))) {
      throw new AppError('unprocessable', `所属地区不存在：${input.region_code}`, { field: 'region_code' });
    }
  }

  /** Registers a lead (线索); returns the record. */
  async create(actor: Actor, input: LeadCreate) {
    const today = this.today();
    const leadOn = input.lead_on ?? today;
    if (leadOn > today) throw new AppError('unprocessable', '登记日期不能晚于今天', { field: 'lead_on' });
    const id = await inTransaction(this.deps.db, async (trx) => {
      await this.checkPlace(trx, actor, input);
      const link = await this.linkedEnterprise(trx, actor, input);
      const now = this.deps.clock.now().toISOString();
      const id = await this.repo(trx).insert({ ...input, ...link, lead_on: leadOn, stage: 'lead', created_at: now, updated_at: now, created_by: actor.userId || null, updated_by: actor.userId || null });
      // The registering actor must see what it registered (a team in scope, or a region in scope).
      if (!(await this.repo(trx).isWithinScope(id, actor.scope))) throw new AppError('unprocessable', '登记的招商项目不在您的数据范围内');
      await recordMove(trx, { entityType: LEAD_ENTITY, entityId: id, from: null, to: 'settled', action: 'create', reason: `登记线索（${leadOn}）`, actorId: actor.userId || null, at: now });
      await this.deps.audit.record(trx, actor, { action: 'attraction.create', entityType: LEAD_ENTITY, entityId: id, after: input });
      return id;
    });
    return this.get(actor, id);
  }

  /** Edits the record's fields; a stale version answers 409 with the stored record. */
  async update(actor: Actor, id: number, input: LeadUpdate) {
    const { version, ...patch } = input;
    await inTransaction(this.deps.db, async (trx) => {
      const current = await this.load(trx, actor, id);
      if (current.version !== version) throw new AppError('version_conflict', STALE, { current });
      await this.checkPlace(trx, actor, patch);
      const link = await this.linkedEnterprise(trx, actor, patch, current);
      const ok = await this.repo(trx).updateIfVersion(id, version, { ...patch, ...link, updated_at: this.deps.clock.now().toISOString(), updated_by: actor.userId || null });
      if (!ok) throw new AppError('version_conflict', STALE);
      if (!(await this.repo(trx).isWithinScope(id, actor.scope))) throw new AppError('unprocessable', '修改后的招商项目将不在您的数据范围内');
      await this.deps.audit.record(trx, actor, { action: 'attraction.update', entityType: LEAD_ENTITY, entityId: id, before: current, after: patch });
    });
    return this.get(actor, id);
  }

  /** A record with its stage timeline (status log), follow-ups, evidence, the library project and the actions open to the actor. */
  async get(actor: Actor, id: number) {
    const db = this.deps.db;
    const lead = await this.load(db, actor, id);
    const repo = this.repo(db);
    const [moves, followups, files] = await Promise.all([listMoves(db, LEAD_ENTITY, id), repo.listFollowups(id), repo.listFiles(id)]);
    const project = lead.project_id ? (await this.projects.find(db, actor, lead.project_id)) ?? null : null;
    const enterprise = lead.enterprise_id ? (await this.enterprises.names(db, [lead.enterprise_id]))[0] ?? null : null;
    const has = (p: string) => roleHas(actor.role, p as Permission);
    const review = lead.review_status;
    const actions = lead.terminated_on ? [] : LEAD_REVIEW.choices(review, has);
    return { ...lead, moves, followups, files, project, enterprise, actions, today: this.today() };
  }

  /** Records in scope matching the filter (the kanban and the list). */
  async list(actor: Actor, query: LeadListQuery) {
    const filter: LeadFilter = { ...query, stage: query.stage ? query.stage.split(',').filter(Boolean) : undefined };
    return this.repo(this.deps.db).list(actor.scope, filter);
  }

  private lastStageDate(lead: LeadListRow): string | null {
    let last: string | null = null;
    for (const s of LEAD_STAGES) {
      const d = lead[STAGE_DATE_FIELD[s]];
      if (d && (!last || d > last)) last = d;
    }
    return last;
  }

  private checkMoveOf(lead: LeadListRow, to: MoveTarget, date: string, reason: string | null | undefined, kind: string | null | undefined): void {
    if (!isLeadStage(lead.stage)) throw new AppError('unprocessable', `招商项目阶段数据有误：${String(lead.stage)}`);
    const problem = checkMove({
      from: lead.stage, to, date, reason, terminationKind: (kind ?? null) as TerminationKind | null,
      lastStageDate: this.lastStageDate(lead), today: this.today(), fields: lead,
    });
    if (problem) throw new AppError('unprocessable', problem, { to });
  }

  /** 填报: submits a move to a later stage (or 终止) for review. */
  async submitMove(actor: Actor, id: number, input: LeadMove) {
    await inTransaction(this.deps.db, async (trx) => {
      const lead = await this.load(trx, actor, id);
      if (lead.version !== input.version) throw new AppError('version_conflict', STALE, { current: lead });
      if (lead.terminated_on) throw new AppError('conflict', '招商项目已终止，不能再变更阶段');
      const from = lead.review_status;
      let to: LeadReviewState;
      try {
        to = LEAD_REVIEW.next(from, 'submit', { has: (p) => roleHas(actor.role, p as Permission) });
      } catch (err) {
        refused(err);
      }
      this.checkMoveOf(lead, input.to, input.date, input.reason, input.termination_kind);
      if (input.project_id) {
        if (input.to === 'terminated' || stageIndex(input.to) < stageIndex('started')) throw new AppError('unprocessable', '只有进入开工阶段时才能关联项目库中的项目', { field: 'project_id' });
        if (!(await this.projects.find(trx, actor, input.project_id))) throw new AppError('unprocessable', `项目库中没有该项目或无权访问：${input.project_id}`, { field: 'project_id' });
      }
      const now = this.deps.clock.now().toISOString();
      const ok = await this.repo(trx).updateIfVersion(id, lead.version, {
        review_status: to, pending_to: input.to, pending_on: input.date, pending_reason: input.reason ?? null,
        pending_kind: input.to === 'terminated' ? (input.termination_kind ?? null) : null, pending_project_id: input.project_id ?? null,
        submitted_by: actor.userId || null, submitted_at: now, return_reason: null, updated_at: now, updated_by: actor.userId || null,
      });
      if (!ok) throw new AppError('version_conflict', STALE);
      await recordMove(trx, { entityType: LEAD_ENTITY, entityId: id, from, to, action: 'submit', reason: describeMove(input.to, input.date, input.reason, input.termination_kind), actorId: actor.userId || null, at: now });
      await this.deps.audit.record(trx, actor, { action: 'attraction.submit', entityType: LEAD_ENTITY, entityId: id, after: input });
    });
    return this.get(actor, id);
  }

  /** 审核: approves (the stage moves, with its date; at 开工 the library project is created or linked), returns or withdraws the waiting move. */
  async review(actor: Actor, id: number, input: LeadReview) {
    await inTransaction(this.deps.db, async (trx) => {
      const lead = await this.load(trx, actor, id);
      if (lead.version !== input.version) throw new AppError('version_conflict', STALE, { current: lead });
      const from = lead.review_status;
      let to: LeadReviewState;
      try {
        to = LEAD_REVIEW.next(from, input.action, { has: (p) => roleHas(actor.role, p as Permission), reason: input.reason });
      } catch (err) {
        refused(err);
      }
      const now = this.deps.clock.now().toISOString();
      const clearPending = { pending_to: null, pending_on: null, pending_reason: null, pending_kind: null, pending_project_id: null, submitted_by: null, submitted_at: null };
      let patch: Updateable<AttractionLeadTable> = { review_status: to, updated_at: now, updated_by: actor.userId || null };
      let reason = input.reason ?? null;
      if (input.action === 'return') {
        patch = { ...patch, return_reason: input.reason ?? null };
      } else if (input.action === 'withdraw') {
        patch = { ...patch, ...clearPending, return_reason: null };
      } else {
        const target = lead.pending_to;
        const date = lead.pending_on;
        if (!target || !date) throw new AppError('unprocessable', '没有待审核的阶段变更');
        // The record may have been edited since the move was submitted: its needs are checked again.
        this.checkMoveOf(lead, target, date, lead.pending_reason, lead.pending_kind);
        reason = describeMove(target, date, lead.pending_reason, lead.pending_kind) + (input.reason ? `；审核意见：${input.reason}` : '');
        if (target === 'terminated') {
          patch = { ...patch, ...clearPending, return_reason: null, terminated_on: date, termination_kind: lead.pending_kind, termination_reason: lead.pending_reason };
        } else {
          patch = { ...patch, ...clearPending, return_reason: null, stage: target, [STAGE_DATE_FIELD[target]]: date };
          if (stageIndex(target) >= stageIndex('started') && !lead.project_id) {
            patch.project_id = lead.pending_project_id ?? (await this.projects.create(trx, actor, {
              name: lead.name, region_code: lead.region_code, unit_id: lead.team_id,
              total_investment: lead.planned_total ?? lead.signed_amount ?? lead.intended_amount ?? 0,
              start_date: target === 'started' ? date : (lead.started_on ?? date),
              builder_name: lead.company_name, builder_uscc: lead.company_uscc,
            }));
          }
        }
      }
      const ok = await this.repo(trx).updateIfVersion(id, lead.version, patch);
      if (!ok) throw new AppError('version_conflict', STALE);
      await recordMove(trx, { entityType: LEAD_ENTITY, entityId: id, from, to, action: input.action, reason, actorId: actor.userId || null, at: now });
      await this.deps.audit.record(trx, actor, { action: `attraction.${input.action}`, entityType: LEAD_ENTITY, entityId: id, before: lead, after: patch });
    });
    return this.get(actor, id);
  }

  /** Adds a follow-up (跟进记录); the record's last follow-up date moves forward. */
  async addFollowup(actor: Actor, id: number, input: { on_date: string; content: string }) {
    if (input.on_date > this.today()) throw new AppError('unprocessable', '跟进日期不能晚于今天', { field: 'on_date' });
    await inTransaction(this.deps.db, async (trx) => {
      await this.load(trx, actor, id);
      const repo = this.repo(trx);
      const fid = await repo.insertFollowup({ lead_id: id, on_date: input.on_date, content: input.content, user_id: actor.userId || null, created_at: this.deps.clock.now().toISOString() });
      await repo.touchFollowup(id, input.on_date);
      await this.deps.audit.record(trx, actor, { action: 'attraction.followup', entityType: LEAD_ENTITY, entityId: id, details: { followup_id: fid, on_date: input.on_date } });
    });
    return this.repo(this.deps.db).listFollowups(id);
  }

  /** Stores one evidence file for a stage of the record. */
  async addFile(actor: Actor, id: number, stage: LeadStage, upload: { fileName: string; buffer: Buffer }) {
    if (upload.buffer.length === 0) throw new AppError('unprocessable', '文件为空');
    await inTransaction(this.deps.db, async (trx) => {
      await this.load(trx, actor, id);
      const repo = this.repo(trx);
      if ((await repo.listFiles(id)).length >= EVIDENCE_MAX) throw new AppError('unprocessable', `每个招商项目最多 ${EVIDENCE_MAX} 个佐证材料`);
      const ext = path.extname(upload.fileName).toLowerCase();
      const mime = MIME[ext];
      if (!mime) throw new AppError('unprocessable', `不支持的文件类型：${ext || upload.fileName}（可上传 PDF、图片、Word、Excel、OFD、ZIP）`);
      const key = `uploads/attraction/${id}/${crypto.randomUUID()}${ext}`;
      await this.files.put(trx, key, upload.buffer);
      const fid = await repo.insertFile({ lead_id: id, stage, file_key: key, file_name: upload.fileName, mime, size: upload.buffer.length, user_id: actor.userId || null, created_at: this.deps.clock.now().toISOString() });
      await this.deps.audit.record(trx, actor, { action: 'attraction.file_add', entityType: LEAD_ENTITY, entityId: id, details: { file_id: fid, stage, name: upload.fileName } });
    });
    return this.repo(this.deps.db).listFiles(id);
  }

  /** One evidence file's bytes (404 outside the actor's scope). */
  async readFile(actor: Actor, id: number, fileId: number) {
    await this.load(this.deps.db, actor, id);
    const f = await this.repo(this.deps.db).findFile(id, fileId);
    const data = f && (await this.files.read(this.deps.db, f.file_key));
    if (!f || !data) throw new AppError('not_found', '佐证材料不存在');
    return { name: f.file_name, mime: f.mime, data };
  }

  private async figureLeads(scope: DataScope, q: { team_id?: number; region_code?: string }) {
    return this.repo(this.deps.db).list(scope, { team_id: q.team_id, region_code: q.region_code, terminated: true }, 1_000_000);
  }

  /** The figures page: totals and a breakdown, the funnel, 签约未开工 and 跟进超期 lists, with written definitions. */
  async figures(actor: Actor, q: FiguresQuery) {
    const leads = await this.figureLeads(actor.scope, q);
    const period = periodOf(q.year, q.quarter, q.month);
    const today = this.today();
    const settings = await attractionSettings.get(this.deps.db);
    const limit = q.start_limit_months ?? settings.start_limit_months;
    const staleDays = q.stale_days ?? settings.stale_days;
    const { total, groups } = computeFigures(leads, period, q.group_by);
    const brief = <T extends LeadListRow>(l: T) => ({ id: l.id, name: l.name, team_name: l.team_name, region_name: l.region_name, stage: l.stage, signed_on: l.signed_on, signed_amount: l.signed_amount, last_followup_on: l.last_followup_on, lead_on: l.lead_on });
    return {
      period, today, start_limit_months: limit, stale_days: staleDays, definitions: FIGURE_DEFINITIONS,
      total, groups, funnel: computeFunnel(leads, period.to),
      overdue_start: overdueStarts(leads, today, limit).map((l) => ({ ...brief(l), due_on: l.due_on, overdue_days: l.overdue_days })),
      stale: staleLeads(leads, today, staleDays).map((l) => ({ ...brief(l), idle_days: l.idle_days })),
    };
  }

  /**
   * What the monthly bulletin quotes (招商引资): the month's totals, the year's to the month's end and the funnel at
   * the month's end, computed as the figures page computes them (the same records and core functions).
   */
  async monthFigures(actor: Actor, year: number, month: number, q: { region_code?: string } = {}) {
    const leads = await this.figureLeads(actor.scope, q);
    const period = periodOf(year, undefined, month);
    return {
      month: computeFigures(leads, period).total,
      year_to_date: computeFigures(leads, { from: `${year}-01-01`, to: period.to }).total,
      funnel: computeFunnel(leads, period.to),
    };
  }

  /** The quarter's 三个一批 lists (签约一批/开工一批/投产一批) for the provincial 台账. */
  async batches(actor: Actor, year: number, quarter: number, q: { team_id?: number; region_code?: string } = {}) {
    const leads = await this.figureLeads(actor.scope, q);
    return { year, quarter, period: periodOf(year, quarter), ...threeBatches(leads, year, quarter) };
  }

  /** The attraction workbook: the ledger of every record in scope and the quarter's 三个一批 sheets. */
  async exportWorkbook(actor: Actor, year: number, quarter: number): Promise<{ fileName: string; write: (out: Writable) => Promise<void> }> {
    const leads = await this.figureLeads(actor.scope, {});
    const batches = threeBatches(leads, year, quarter);
    const note = `统计季度：${year}年第${quarter}季度；导出日期：${this.today()}`;
    return { fileName: `招商引资台账-${year}年第${quarter}季度.xlsx`, write: (out) => writeAttractionWorkbook(out, { leads, year, quarter, note, batches }) };
  }

  /**
   * Signed count and amount (亿元以上 separately) of a period within a scope: what evaluation (考评) and bulletins
   * read. Attributed by signing date; terminated records that had signed count.
   */
  async signedTotals(scope: DataScope, period: Period, q: { team_id?: number; region_code?: string } = {}) {
    const { total } = computeFigures(await this.figureLeads(scope, q), period);
    return { count: total.signed_count, amount: total.signed_amount, big_count: total.signed_big_count, big_amount: total.signed_big_amount, foreign_usd: total.foreign_usd, started_count: total.started_count, producing_count: total.producing_count };
  }

  /** The same signed figures per team (招商小分队 = a unit id), for evaluation's per-unit sources. */
  async signedTotalsByTeam(scope: DataScope, period: Period) {
    const { groups } = computeFigures(await this.figureLeads(scope, {}), period, 'team');
    return groups.map((g) => ({ team_id: Number(g.key), team_name: g.label, count: g.signed_count, amount: g.signed_amount, big_count: g.signed_big_count, started_count: g.started_count }));
  }
}

/** A move in words for the status log: 申请进入“签约”（2026-10-12）；理由：… */
function describeMove(to: MoveTarget, date: string, reason: string | null | undefined, kind: string | null | undefined): string {
  const head = to === 'terminated'
    ? `终止（${date}，${TERMINATION_LABELS[kind as TerminationKind] ?? kind ?? ''}）`
    : `进入“${LEAD_STAGE_LABELS[to]}”（${date}）`;
  return reason ? `${head}；理由：${reason}` : head;
}
