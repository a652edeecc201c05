import type { Actor, Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import type { Executor } from '../../db/database.ts';
import { AppError, notFound } from '../../errors.ts';
import type { ReferenceRepository } from './reference.repository.ts';
import { loadDivisionRows } from './region-data.ts';
import type { UnitUpdate, UnitWrite } from './reference.schema.ts';
import { foldText, searchTextOf } from '../../../core/search.ts';

/**
 * Adds the search form of each row's name (folded name, full pinyin, initials; for units the short name's too), so
 * that a picker matches '吴中', 'wuzhong' or 'wz' to 吴中区 and '住建' to a unit whose short name is 市住建局 without
 * shipping a pinyin dictionary to the browser. Rows come a subtree or a unit list at a time (hundreds at most).
 */
function withSearch<T extends { name: string; short_name?: string | null }>(rows: T[]): (T & { search_text: string })[] {
  return rows.map((r) => ({ ...r, search_text: r.short_name ? `${searchTextOf(r.name)}|${searchTextOf(r.short_name)}` : searchTextOf(r.name) }));
}

import { commonPath } from '../../../core/tree-path.ts';

/** Loads the national division tree into an empty regions table; returns how many rows were inserted. */
export async function seedRegions(db: Executor, opts: { townships: boolean }): Promise<number> {
  const existing = await db.selectFrom('regions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return 0;
  const rows = loadDivisionRows(opts);
  // Parent-first order keeps the foreign key satisfied; chunks stay under both engines' parameter limits.
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('regions').values(rows.slice(i, i + 500)).execute();
  }
  return rows.length;
}

/** Regions (with custom areas such as development zones) and the unit tree. */
export class ReferenceService {
  private readonly deps: Deps;
  private readonly repos: (db: Executor) => ReferenceRepository;
  constructor(deps: Deps, repos: (db: Executor) => ReferenceRepository) {
    this.deps = deps;
    this.repos = repos;
  }

  private repo(db: Executor = this.deps.db): ReferenceRepository {
    return this.repos(db);
  }

  async getRegion(code: string) {
    const region = await this.repo().findRegion(code);
    if (!region) throw notFound('行政区划');
    return { ...withSearch([region])[0]!, ancestors: await this.repo().listRegionAncestors(region.path) };
  }

  /**
   * The lowest region holding every unit's and every project's region (苏州市 for the demo): where region pickers
   * start when the office has not named its jurisdiction. Null when the data spans provinces or there is none.
   */
  async findDataRoot() {
    const repo = this.repo();
    const path = commonPath(await repo.listRegionPaths(await repo.listDataRegionCodes()));
    const code = path.split('/').filter(Boolean).pop();
    if (!code) return { region: null };
    return { region: await this.getRegion(code) };
  }

  /** Children of a region (the provinces without one), or a name search (optionally within a subtree). */
  async listRegions(query: { parent?: string; q?: string; under?: string }) {
    if (query.q && query.under) {
      // Within a jurisdiction (a city's ~150 districts and towns, a province's few thousand) the name, its pinyin
      // and initials all match: '吴中', 'wuzhong' and 'wzq' find 吴中区.
      const root = await this.repo().findRegion(query.under);
      if (!root) throw notFound('行政区划');
      const q = foldText(query.q);
      const rows = withSearch([root, ...(await this.repo().listRegionSubtree(root.path, 99, 5000))]);
      return rows.filter((r) => r.search_text.includes(q)).sort((a, b) => a.level - b.level || a.code.localeCompare(b.code)).slice(0, 50);
    }
    if (query.q) return withSearch(await this.repo().searchRegions(query.q, null, 50));
    return withSearch(await this.repo().listRegionChildren(query.parent ?? null));
  }

  async listRegionSubtree(code: string, depth: number) {
    const region = await this.getRegion(code);
    return withSearch(await this.repo().listRegionSubtree(region.path, region.level + depth, 5000));
  }

  /**
   * Adds a custom area (开发区/园区) under a region. Its code is the parent's code, 'Z' and a two-digit number, so
   * it never collides with a national code and sorts after the real children.
   */
  async createCustomArea(_actor: Actor, input: { parent_code: string; name: string }) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      const parent = await repo.findRegion(input.parent_code);
      if (!parent) throw new AppError('validation_failed', `上级地区不存在：${input.parent_code}`, [{ path: 'parent_code' }]);
      const used = new Set(await repo.listCustomChildCodes(parent.code));
      let n = 1;
      while (used.has(`${parent.code}Z${String(n).padStart(2, '0')}`)) n++;
      if (n > 99) throw new AppError('unprocessable', '该地区下自定义区域已达上限（99 个）');
      const code = `${parent.code}Z${String(n).padStart(2, '0')}`;
      await repo.insertRegion({ code, name: input.name, parent_code: parent.code, level: parent.level + 1, is_custom: 1, path: `${parent.path}${code}/` });
      return (await repo.findRegion(code))!;
    });
  }

  private async customArea(code: string, db?: Executor) {
    const region = await this.repo(db).findRegion(code);
    if (!region) throw notFound('地区');
    if (region.is_custom !== 1) throw new AppError('unprocessable', '国家行政区划不能修改或删除，只能维护自定义区域（开发区、园区等）');
    return region;
  }

  async renameCustomArea(_actor: Actor, code: string, name: string) {
    await this.customArea(code);
    await this.repo().renameRegion(code, name);
    return (await this.repo().findRegion(code))!;
  }

  async deleteCustomArea(_actor: Actor, code: string): Promise<void> {
    await inTransaction(this.deps.db, async (trx) => {
      await this.customArea(code, trx);
      const repo = this.repo(trx);
      if ((await repo.countRegionUses(code)) > 0) throw new AppError('unprocessable', '该区域下还有下级区域、单位或项目，不能删除');
      await repo.deleteRegion(code);
    });
  }

  async listUnits() {
    return withSearch(await this.repo().listUnits());
  }

  async getUnit(id: number) {
    const unit = await this.repo().findUnit(id);
    if (!unit) throw notFound('单位');
    return unit;
  }

  private async checkUnitRefs(repo: ReferenceRepository, input: Partial<UnitWrite>): Promise<void> {
    if (input.region_code && !(await repo.findRegion(input.region_code))) {
      throw new AppError('validation_failed', `所在地区不存在：${input.region_code}`, [{ path: 'region_code' }]);
    }
  }

  /** Creates a unit under an optional parent and sets its materialized path. */
  async createUnit(_actor: Actor, input: UnitWrite) {
    const id = await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      await this.checkUnitRefs(repo, input);
      const parent = input.parent_id ? await repo.findUnit(input.parent_id) : undefined;
      if (input.parent_id && !parent) throw new AppError('validation_failed', `上级单位不存在：${input.parent_id}`, [{ path: 'parent_id' }]);
      const newId = await repo.insertUnit({ ...input, parent_id: input.parent_id ?? null, path: '/', created_at: this.deps.clock.now().toISOString() });
      await repo.updateUnit(newId, { path: `${parent?.path ?? '/'}${newId}/` });
      return newId;
    });
    return this.getUnit(id);
  }

  /** Updates a unit; moving it under another parent rewrites the paths of its whole subtree. */
  async updateUnit(_actor: Actor, id: number, input: UnitUpdate) {
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      const unit = await repo.findUnit(id);
      if (!unit) throw notFound('单位');
      await this.checkUnitRefs(repo, input);
      const { parent_id: parentId, ...rest } = input;
      if (Object.keys(rest).length) await repo.updateUnit(id, rest);
      if (parentId !== undefined && parentId !== unit.parent_id) {
        const parent = parentId === null ? undefined : await repo.findUnit(parentId);
        if (parentId !== null && !parent) throw new AppError('validation_failed', `上级单位不存在：${parentId}`, [{ path: 'parent_id' }]);
        if (parent && parent.path.startsWith(unit.path)) throw new AppError('unprocessable', '不能把单位移到它自己或它的下级单位之下');
        await repo.updateUnit(id, { parent_id: parentId });
        await repo.movePaths(unit.path, `${parent?.path ?? '/'}${id}/`);
      }
    });
    return this.getUnit(id);
  }

  /** Soft-deletes a unit that has no live child units, active users or live projects. */
  async deleteUnit(_actor: Actor, id: number): Promise<void> {
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      if (!(await repo.findUnit(id))) throw notFound('单位');
      const uses = await repo.countUnitUses(id);
      if (uses.children || uses.users || uses.projects) {
        throw new AppError('unprocessable', `该单位下还有 ${uses.children} 个下级单位、${uses.users} 个账号、${uses.projects} 个项目，不能删除`, uses);
      }
      await repo.updateUnit(id, { deleted_at: this.deps.clock.now().toISOString() });
    });
  }
}
