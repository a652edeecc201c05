import type { ProblemStatus } from '../../../core/problems/problem-workflow.ts';
import { chinaToday } from '../../../core/clock.ts';
import { extensionOf, detectImageType } from '../../../core/image-type.ts';
import { addAttachment, findAttachment, listAttachments, readAttachment } from '../../platform/attachments/attachments.ts';
import { visitPlanState } from '../../../core/problems/visit-plan.ts';
import { checkUscc, normalizeUscc } from '../../../core/uscc.ts';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { checkEntityScope } from '../../platform/access.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import type { FileStore } from '../files/index.ts';
import type { EnterpriseInput } from './enterprise.schema.ts';
import { leadsOfEnterprise } from './enterprise-leads.ts';
import type { EnterpriseFilter, EnterpriseRepository } from './enterprise.repository.ts';
import type { ProblemRepository } from './problem.repository.ts';
import type { ProblemService } from './problem.service.ts';
import type { RaiseProblemInput } from './problem.schema.ts';

const STALE = '企业信息已被他人修改，请刷新后重试';
export const VISIT_PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** Visit photos are platform attachments of this owner type (owner id: the visit). */
export const VISIT_PHOTO_OWNER = 'enterprise_visit';

/** Enterprises (万人助万企): the register, linked cadres and their visit plans, visits with photos, project links. */
export class EnterpriseService {
  private readonly deps: Deps;
  private readonly repo: (db: Executor) => EnterpriseRepository;
  private readonly problemRepo: (db: Executor) => ProblemRepository;
  private readonly problems: ProblemService;
  private readonly files: (db: Executor) => FileStore;
  constructor(deps: Deps, repos: { enterprises: (db: Executor) => EnterpriseRepository; problems: (db: Executor) => ProblemRepository }, problems: ProblemService, files: (db: Executor) => FileStore) {
    this.deps = deps;
    this.repo = repos.enterprises;
    this.problemRepo = repos.problems;
    this.problems = problems;
    this.files = files;
  }

  private today(): string {
    return chinaToday(this.deps.clock.now());
  }

  async list(actor: Actor, f: EnterpriseFilter, page: number, pageSize: number) {
    const { total, rows } = await this.repo(this.deps.db).list(actor, f, pageSize, (page - 1) * pageSize);
    return { total, page, page_size: pageSize, items: rows };
  }

  private async getVisible(db: Executor, actor: Actor, id: number) {
    const e = await this.repo(db).findVisible(actor, id);
    if (!e) throw new AppError('not_found', '企业不存在或无权访问');
    return e;
  }

  /** The enterprise page: cadres with their visit plan, visits with photos, problems, projects and attraction leads. */
  async get(actor: Actor, id: number) {
    const repo = this.repo(this.deps.db);
    const e = await this.getVisible(this.deps.db, actor, id);
    const today = this.today();
    const [cadres, visits, projects, problems, leads] = await Promise.all([
      repo.listCadres([id]), repo.listVisits(id), repo.listProjects(id),
      this.problemRepo(this.deps.db).list(actor, { enterprise_id: id }, 200, 0),
      leadsOfEnterprise(this.deps.db, actor, id),
    ]);
    const photos = (await listAttachments(this.deps.db, VISIT_PHOTO_OWNER, visits.map((v) => v.id))).map((a) => ({ id: a.id, visit_id: a.ownerId }));
    return {
      ...e,
      cadres: cadres.map((c) => ({ ...c, plan: visitPlanState(c, c.last_visit_on, today) })),
      visits: visits.map((v) => ({ ...v, photos: photos.filter((p) => p.visit_id === v.id).map((p) => ({ id: p.id, url: `/api/v1/enterprise-visit-photos/${p.id}` })), problem_ids: problems.rows.filter((p) => p.visit_id === v.id).map((p) => p.id) })),
      projects,
      problems: problems.rows.map((p) => ({ ...p, status: p.status as ProblemStatus })),
      leads: leads.leads,
      leads_hidden: leads.hidden,
    };
  }

  private async checked(db: Executor, actor: Actor, input: EnterpriseInput, selfId?: number) {
    let uscc: string | null = null;
    if (input.uscc) {
      uscc = normalizeUscc(input.uscc);
      const bad = checkUscc(uscc);
      if (bad) throw new AppError('unprocessable', bad);
      const other = await this.repo(db).findByUscc(uscc);
      if (other && other.id !== selfId) throw new AppError('conflict', `统一社会信用代码 ${uscc} 已登记为“${other.name}”`);
    }
    if (!(await this.problemRepo(db).regionExists(input.region_code))) throw new AppError('unprocessable', `区域代码“${input.region_code}”不存在`);
    const unitId = input.unit_id ?? actor.unitId;
    if (unitId && (await this.problemRepo(db).existingUnitIds([unitId])).length === 0) throw new AppError('unprocessable', '服务单位不存在');
    return {
      name: input.name, uscc, region_code: input.region_code, unit_id: unitId ?? null, industry: input.industry ?? null, size: input.size ?? null,
      address: input.address ?? null, contact_name: input.contact_name ?? null, contact_phone: input.contact_phone ?? null, notes: input.notes ?? null,
    };
  }

  async create(actor: Actor, input: EnterpriseInput) {
    const id = await inTransaction(this.deps.db, async (trx) => {
      const values = await this.checked(trx, actor, input);
      const now = this.deps.clock.now().toISOString();
      const newId = await this.repo(trx).insert({ ...values, created_at: now, updated_at: now, created_by: actor.userId || null, deleted_at: null });
      if (!(await this.repo(trx).findVisible(actor, newId))) throw new AppError('forbidden', '只能登记本单位数据范围内的企业');
      await this.deps.audit.record(trx, actor, { action: 'enterprise.create', entityType: 'enterprise', entityId: newId, after: values });
      return newId;
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: number, input: EnterpriseInput & { version: number }) {
    await inTransaction(this.deps.db, async (trx) => {
      const before = await this.getVisible(trx, actor, id);
      if (before.version !== input.version) throw new AppError('version_conflict', STALE, { current: before });
      const values = await this.checked(trx, actor, input, id);
      if (!(await this.repo(trx).updateIfVersion(id, input.version, { ...values, updated_at: this.deps.clock.now().toISOString() }))) throw new AppError('version_conflict', STALE);
      await this.deps.audit.record(trx, actor, { action: 'enterprise.update', entityType: 'enterprise', entityId: id, before, after: values });
    });
    return this.get(actor, id);
  }

  async addCadre(actor: Actor, enterpriseId: number, input: { user_id?: number | null; name: string; post?: string | null; role: string; phone?: string | null; visit_every_months?: number | null; linked_on?: string | null }) {
    await inTransaction(this.deps.db, async (trx) => {
      await this.getVisible(trx, actor, enterpriseId);
      const values = { enterprise_id: enterpriseId, user_id: input.user_id ?? null, name: input.name, post: input.post ?? null, role: input.role, phone: input.phone ?? null, visit_every_months: input.visit_every_months ?? null, linked_on: input.linked_on ?? this.today(), unlinked_on: null };
      const id = await this.repo(trx).insertCadre(values);
      await this.deps.audit.record(trx, actor, { action: 'enterprise.cadre_link', entityType: 'enterprise', entityId: enterpriseId, after: { id, ...values } });
    });
    return this.get(actor, enterpriseId);
  }

  async updateCadre(actor: Actor, cadreId: number, input: Record<string, unknown>) {
    const { unlink, ...rest } = input;
    const patch = unlink === true ? { ...rest, unlinked_on: this.today() } : rest;
    const cadre = await this.repo(this.deps.db).findCadre(cadreId);
    if (!cadre) throw new AppError('not_found', '包联干部不存在');
    await inTransaction(this.deps.db, async (trx) => {
      await this.getVisible(trx, actor, cadre.enterprise_id);
      await this.repo(trx).updateCadre(cadreId, patch);
      await this.deps.audit.record(trx, actor, { action: 'enterprise.cadre_update', entityType: 'enterprise', entityId: cadre.enterprise_id, before: cadre, after: patch });
    });
    return this.get(actor, cadre.enterprise_id);
  }

  /**
   * Records a visit and the problems raised on site in one transaction (the phone page). The visit fulfils the
   * given cadre link, else the actor's own link to the enterprise.
   */
  async addVisit(actor: Actor, enterpriseId: number, input: { visited_on: string; visitors: string; content: string; cadre_id?: number | null; problems: Array<Omit<RaiseProblemInput, 'source' | 'enterprise_id'>> }) {
    if (input.visited_on > this.today()) throw new AppError('unprocessable', '走访日期不能晚于今天');
    return inTransaction(this.deps.db, async (trx) => {
      await this.getVisible(trx, actor, enterpriseId);
      const repo = this.repo(trx);
      const links = (await repo.listCadres([enterpriseId])).filter((c) => !c.unlinked_on);
      let cadreId = input.cadre_id ?? null;
      if (cadreId !== null && !links.some((c) => c.id === cadreId)) throw new AppError('unprocessable', '所选包联干部不属于该企业');
      cadreId ??= links.find((c) => c.user_id === actor.userId)?.id ?? null;
      const now = this.deps.clock.now().toISOString();
      const visitId = await repo.insertVisit({ enterprise_id: enterpriseId, cadre_id: cadreId, visited_on: input.visited_on, visitors: input.visitors, content: input.content, created_by: actor.userId || null, created_at: now });
      const problemIds: number[] = [];
      for (const p of input.problems) {
        problemIds.push(await this.problems.raise(actor, { ...p, source: 'visit', enterprise_id: enterpriseId, received_on: p.received_on ?? input.visited_on }, trx, { visit_id: visitId }));
      }
      await this.deps.audit.record(trx, actor, { action: 'enterprise.visit', entityType: 'enterprise', entityId: enterpriseId, after: { visit_id: visitId, visited_on: input.visited_on, problems: problemIds } });
      return { id: visitId, problem_ids: problemIds };
    });
  }

  /** Adds a photo to a visit as a platform attachment (any image type the bytes prove; size bounded by the route). */
  async addPhoto(actor: Actor, visitId: number, bytes: Buffer, fileName = '') {
    const visit = await this.repo(this.deps.db).findVisit(visitId);
    if (!visit) throw new AppError('not_found', '走访记录不存在');
    await this.getVisible(this.deps.db, actor, visit.enterprise_id);
    const mime = detectImageType(bytes);
    if (!mime) throw new AppError('unprocessable', '只能上传 JPEG、PNG 或 WebP 格式的照片');
    // The name keeps what the phone called it, with the extension the bytes prove.
    const base = fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim().slice(0, 100) || '走访照片';
    return inTransaction(this.deps.db, async (trx) => {
      // The bytes are written in the same transaction as their row: a failed insert leaves no orphan file.
      const a = await addAttachment(trx, this.files(trx), { ownerType: VISIT_PHOTO_OWNER, ownerId: visitId, fileName: `${base}.${extensionOf(mime)}`, data: bytes, uploadedBy: actor.userId || null, at: this.deps.clock.now(), maxBytes: VISIT_PHOTO_MAX_BYTES });
      await this.deps.audit.record(trx, actor, { action: 'enterprise.visit_photo', entityType: 'enterprise', entityId: visit.enterprise_id, after: { visit_id: visitId, attachment_id: a.id } });
      return { id: a.id, url: `/api/v1/enterprise-visit-photos/${a.id}` };
    });
  }

  /** A visit photo's bytes, to whoever sees the enterprise (a linked cadre included). */
  async getPhoto(actor: Actor, photoId: number) {
    const a = await findAttachment(this.deps.db, photoId);
    const enterpriseId = a && a.ownerType === VISIT_PHOTO_OWNER ? await this.repo(this.deps.db).visitEnterprise(a.ownerId) : undefined;
    if (!a || enterpriseId === undefined) throw new AppError('not_found', '照片不存在');
    await this.getVisible(this.deps.db, actor, enterpriseId);
    const bytes = await readAttachment(this.files(this.deps.db), a);
    if (!bytes) throw new AppError('not_found', '照片不存在');
    return { mime: a.contentType, bytes };
  }

  /** Replaces the enterprise's linked projects (each must be a project the actor sees). */
  async setProjects(actor: Actor, enterpriseId: number, projectIds: number[]) {
    await inTransaction(this.deps.db, async (trx) => {
      await this.getVisible(trx, actor, enterpriseId);
      const ids = [...new Set(projectIds)];
      const found = new Set(await this.repo(trx).existingProjectIds(ids));
      for (const id of ids) {
        if (!found.has(id) || (!actor.scope.all && !(await checkEntityScope(trx, 'project', id, actor.scope)).visible)) throw new AppError('unprocessable', `项目 ${id} 不存在或无权访问`);
      }
      const before = await this.repo(trx).listProjects(enterpriseId);
      await this.repo(trx).replaceProjects(enterpriseId, ids, this.deps.clock.now().toISOString());
      await this.deps.audit.record(trx, actor, { action: 'enterprise.projects_update', entityType: 'enterprise', entityId: enterpriseId, before: before.map((p) => p.id), after: ids });
    });
    return this.get(actor, enterpriseId);
  }

  /** Visit plans: every planned link in scope (or only the actor's own), overdue first. */
  async visitPlan(actor: Actor, onlyMine: boolean) {
    const today = this.today();
    const links = await this.repo(this.deps.db).listPlannedLinks(actor, onlyMine);
    return links.map((l) => ({ ...l, plan: visitPlanState(l, l.last_visit_on, today) }))
      .sort((a, b) => Number(b.plan.overdue) - Number(a.plan.overdue) || (a.plan.next_due ?? '').localeCompare(b.plan.next_due ?? ''));
  }

  /** Names of enterprises by id, for other modules (attraction leads show the enterprise they link to). */
  async namesByIds(ids: number[]) {
    return this.repo(this.deps.db).listByIds(ids);
  }
}
