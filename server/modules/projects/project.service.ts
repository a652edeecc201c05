import { foldText, searchTextOf } from '../../../core/search.ts';
import { checkProjectCode } from '../../../core/project-code.ts';
import type { Actor } from '../../context.ts';
import { AppError, notFound } from '../../errors.ts';
import type { ProjectRepository } from './project.repository.ts';
import type { ReferenceRepository } from '../reference/reference.repository.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ProjectListQuery, ProjectUpdate, ProjectWrite } from './project.schema.ts';

/** Business rules of the project library. */
export class ProjectService {
  private readonly projects: ProjectRepository;
  private readonly reference: ReferenceRepository;
  private readonly audit: AuditService;
  constructor(projects: ProjectRepository, reference: ReferenceRepository, audit: AuditService) {
    this.projects = projects;
    this.reference = reference;
    this.audit = audit;
  }

  /** The project, or 404 when it does not exist or lies outside the actor's scope. */
  async getProject(actor: Actor, id: number) {
    const project = await this.projects.findById(id, actor.scope);
    if (!project) throw notFound('项目');
    return project;
  }

  async listProjects(actor: Actor, query: ProjectListQuery) {
    return this.projects.list({ ...query, q: query.q ? foldText(query.q) : undefined }, actor.scope);
  }

  private async checkReferences(input: Partial<ProjectWrite>, excludeId?: number): Promise<void> {
    if (input.region_code !== undefined && !(await this.reference.findRegion(input.region_code))) {
      throw new AppError('validation_failed', `所属地区不存在：${input.region_code}`, [{ path: 'region_code' }]);
    }
    if (input.unit_id !== undefined && !(await this.reference.findUnit(input.unit_id))) {
      throw new AppError('validation_failed', `责任单位不存在：${input.unit_id}`, [{ path: 'unit_id' }]);
    }
    if (input.code) {
      const problem = checkProjectCode(input.code);
      if (problem) throw new AppError('validation_failed', problem, [{ path: 'code' }]);
      const holder = await this.projects.findIdByCode(input.code);
      if (holder && holder.id !== excludeId) throw new AppError('conflict', `项目代码已被其他项目使用：${input.code}`, { project_id: holder.id });
    }
  }

  async createProject(actor: Actor, input: ProjectWrite): Promise<number> {
    await this.checkReferences(input);
    const now = new Date().toISOString();
    return this.projects.transaction(async (repo, trx) => {
      const id = await repo.insert({
        ...input, code: input.code || null, search_text: searchTextOf(input.name),
        created_at: now, updated_at: now, created_by: actor.userId, updated_by: actor.userId,
      });
      // A scoped account may only create projects it can see afterwards.
      const after = await repo.findById(id, actor.scope);
      if (!after) throw new AppError('forbidden', '所选责任单位或地区不在本账号的数据范围内');
      await this.audit.record(trx, actor, { action: 'project.create', entityType: 'project', entityId: id, after });
      return id;
    });
  }

  /** Applies a patch if the client's version is current; a stale version answers 409 with the stored record. */
  async updateProject(actor: Actor, id: number, input: ProjectUpdate) {
    const current = await this.getProject(actor, id);
    const { version, ...patch } = input;
    if (current.version !== version) throw new AppError('version_conflict', '该项目已被他人修改，请查看最新内容后重新提交', { current });
    await this.checkReferences(patch, id);
    const changed = await this.projects.transaction(async (repo, trx) => {
      const ok = await repo.updateIfVersion(id, version, {
        ...patch,
        ...(patch.code !== undefined ? { code: patch.code || null } : {}),
        ...(patch.name !== undefined ? { search_text: searchTextOf(patch.name) } : {}),
        updated_at: new Date().toISOString(), updated_by: actor.userId,
      });
      if (!ok) return false;
      // Moving a project out of the account's own scope would hand it to someone else unseen.
      const after = await repo.findById(id, actor.scope);
      if (!after) throw new AppError('forbidden', '不能将项目移出本账号的数据范围');
      await this.audit.record(trx, actor, { action: 'project.update', entityType: 'project', entityId: id, before: current, after });
      return true;
    });
    if (!changed) {
      throw new AppError('version_conflict', '该项目已被他人修改，请查看最新内容后重新提交', { current: await this.projects.findById(id, actor.scope) });
    }
    return this.getProject(actor, id);
  }
}
