import type { Actor } from '../../context.ts';
import { AppError, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ReferenceRepository } from './reference.repository.ts';

export const UNIT_KINDS = ['office', 'township', 'park', 'department', 'company', 'other'] as const;

export interface UnitInput {
  name: string;
  short_name?: string | null;
  parent_id?: number | null;
  region_code?: string | null;
  kind?: (typeof UNIT_KINDS)[number];
  sort?: number;
}

/** The unit tree, maintained by the system administrator. */
export class UnitService {
  private readonly reference: ReferenceRepository;
  private readonly audit: AuditService;
  constructor(reference: ReferenceRepository, audit: AuditService) {
    this.reference = reference;
    this.audit = audit;
  }

  private async checkRegion(code: string | null | undefined): Promise<void> {
    if (code && !(await this.reference.findRegion(code))) throw new AppError('validation_failed', `所属地区不存在：${code}`, { path: 'region_code' });
  }

  async createUnit(actor: Actor, input: UnitInput) {
    const parent = input.parent_id ? await this.reference.findUnit(input.parent_id) : undefined;
    if (input.parent_id && !parent) throw new AppError('validation_failed', `上级单位不存在：${input.parent_id}`, { path: 'parent_id' });
    await this.checkRegion(input.region_code);
    return this.reference.transaction(async (repo, trx) => {
      const row = {
        name: input.name, short_name: input.short_name ?? null, parent_id: input.parent_id ?? null, region_code: input.region_code ?? null,
        kind: input.kind ?? 'department', sort: input.sort ?? 0,
      };
      const { id, path } = await repo.insertUnit(row, parent?.path ?? '/', new Date().toISOString());
      await this.audit.record(trx, actor, { action: 'unit.create', entityType: 'unit', entityId: id, after: { ...row, path } });
      return (await repo.findUnit(id))!;
    });
  }

  /** Updates a unit; moving it under another parent rewrites the paths of its whole subtree. */
  async updateUnit(actor: Actor, id: number, patch: Partial<UnitInput>) {
    const before = await this.reference.findUnit(id);
    if (!before) throw notFound('单位');
    await this.checkRegion(patch.region_code);
    let newParentPath: string | undefined;
    if (patch.parent_id !== undefined && patch.parent_id !== before.parent_id) {
      if (patch.parent_id === null) newParentPath = '/';
      else {
        const parent = await this.reference.findUnit(patch.parent_id);
        if (!parent) throw new AppError('validation_failed', `上级单位不存在：${patch.parent_id}`, { path: 'parent_id' });
        if (parent.path.startsWith(before.path)) throw new AppError('validation_failed', '不能把单位移到它自己的下级单位之下', { path: 'parent_id' });
        newParentPath = parent.path;
      }
    }
    return this.reference.transaction(async (repo, trx) => {
      await repo.updateUnit(id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.short_name !== undefined ? { short_name: patch.short_name } : {}),
        ...(patch.region_code !== undefined ? { region_code: patch.region_code } : {}),
        ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
        ...(patch.sort !== undefined ? { sort: patch.sort } : {}),
        ...(newParentPath !== undefined ? { parent_id: patch.parent_id ?? null } : {}),
      });
      if (newParentPath !== undefined) await repo.movePaths(before.path, `${newParentPath}${id}/`);
      const after = (await repo.findUnit(id))!;
      await this.audit.record(trx, actor, { action: 'unit.update', entityType: 'unit', entityId: id, before, after });
      return after;
    });
  }
}
