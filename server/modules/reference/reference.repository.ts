import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { RegionTable, UnitTable } from '../../db/schema.ts';

/** Escapes LIKE wildcards for a pattern used with ESCAPE '\'. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** SQL for regions and units. Subtrees are path ranges [P, P~) so that both engines use the path index. */
export class ReferenceRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  listRegionChildren(parentCode: string | null) {
    let q = this.db.selectFrom('regions').selectAll().orderBy('is_custom').orderBy('code');
    q = parentCode === null ? q.where('parent_code', 'is', null) : q.where('parent_code', '=', parentCode);
    return q.execute();
  }

  /** A region's descendants (not itself) down to maxLevel, parent-first. */
  listRegionSubtree(path: string, maxLevel: number, limit: number) {
    return this.db.selectFrom('regions').selectAll()
      .where('path', '>', path).where('path', '<', `${path}~`).where('level', '<=', maxLevel)
      .orderBy('path').limit(limit).execute();
  }

  /** Regions whose name contains the text, optionally within a subtree; shallow levels first. */
  searchRegions(text: string, underPath: string | null, limit: number) {
    let q = this.db.selectFrom('regions').selectAll()
      .where(sql<boolean>`name like ${`%${likeEscape(text)}%`} escape '\\'`);
    if (underPath) q = q.where('path', '>=', underPath).where('path', '<', `${underPath}~`);
    return q.orderBy('level').orderBy('code').limit(limit).execute();
  }

  /**
   * The region codes that bound where the data lies: every live unit's, and the lowest and highest of the live
   * projects' (answered from the region index; codes sort as the tree does, so the regions between them lie under
   * the same lowest common ancestor).
   */
  async listDataRegionCodes(): Promise<string[]> {
    const [units, bounds] = await Promise.all([
      this.db.selectFrom('units').select('region_code').distinct().where('deleted_at', 'is', null).where('region_code', 'is not', null).execute(),
      this.db.selectFrom('projects').select((eb) => [eb.fn.min('region_code').as('lo'), eb.fn.max('region_code').as('hi')])
        .where('deleted_at', 'is', null).executeTakeFirst(),
    ]);
    const codes = new Set(units.map((u) => u.region_code!));
    if (bounds?.lo) codes.add(String(bounds.lo));
    if (bounds?.hi) codes.add(String(bounds.hi));
    return [...codes];
  }

  /** Paths of the given regions (unknown codes are skipped). */
  async listRegionPaths(codes: string[]): Promise<string[]> {
    if (!codes.length) return [];
    return (await this.db.selectFrom('regions').select('path').where('code', 'in', codes).execute()).map((r) => r.path);
  }

  findRegion(code: string) {
    return this.db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
  }

  /** The region names from the root down to the region ('江苏省 › 苏州市 › 吴中区'). */
  listRegionAncestors(path: string) {
    const codes = path.split('/').filter(Boolean);
    return this.db.selectFrom('regions').select(['code', 'name', 'level']).where('code', 'in', codes).orderBy('level').execute();
  }

  /** Codes of the custom areas directly under a parent (to number the next one). */
  listCustomChildCodes(parentCode: string) {
    return this.db.selectFrom('regions').select('code').where('parent_code', '=', parentCode).where('is_custom', '=', 1).execute()
      .then((rows) => rows.map((r) => r.code));
  }

  async insertRegion(row: Insertable<RegionTable>): Promise<void> {
    await this.db.insertInto('regions').values(row).execute();
  }

  async renameRegion(code: string, name: string): Promise<void> {
    await this.db.updateTable('regions').set({ name }).where('code', '=', code).execute();
  }

  async deleteRegion(code: string): Promise<void> {
    await this.db.deleteFrom('regions').where('code', '=', code).execute();
  }

  /** How many rows still point at a region: children, units and projects (deleted ones included: they can be restored). */
  async countRegionUses(code: string): Promise<number> {
    const [children, units, projects] = await Promise.all([
      this.db.selectFrom('regions').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_code', '=', code).executeTakeFirstOrThrow(),
      this.db.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).where('region_code', '=', code).executeTakeFirstOrThrow(),
      this.db.selectFrom('projects').select((eb) => eb.fn.countAll<number>().as('n')).where('region_code', '=', code).executeTakeFirstOrThrow(),
    ]);
    return Number(children.n) + Number(units.n) + Number(projects.n);
  }

  listUnits() {
    return this.db.selectFrom('units').selectAll().where('deleted_at', 'is', null).orderBy('path').orderBy('sort').execute();
  }

  findUnit(id: number) {
    return this.db.selectFrom('units').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  }

  async insertUnit(row: Insertable<UnitTable>): Promise<number> {
    const r = await this.db.insertInto('units').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  async updateUnit(id: number, patch: Updateable<UnitTable>): Promise<void> {
    await this.db.updateTable('units').set(patch).where('id', '=', id).execute();
  }

  /** Rewrites the path prefix of a unit and all its descendants after a move. */
  async movePaths(oldPath: string, newPath: string): Promise<void> {
    await this.db.updateTable('units')
      .set({ path: sql<string>`${newPath} || substr(path, ${oldPath.length + 1})` })
      .where('path', '>=', oldPath).where('path', '<', `${oldPath}~`)
      .execute();
  }

  /** How many live child units, users and live projects hang on a unit. */
  async countUnitUses(id: number): Promise<{ children: number; users: number; projects: number }> {
    const [children, users, projects] = await Promise.all([
      this.db.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_id', '=', id).where('deleted_at', 'is', null).executeTakeFirstOrThrow(),
      this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('unit_id', '=', id).where('is_active', '=', 1).executeTakeFirstOrThrow(),
      this.db.selectFrom('projects').select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) => eb.or([eb('unit_id', '=', id), eb('lead_unit_id', '=', id)])).where('deleted_at', 'is', null).executeTakeFirstOrThrow(),
    ]);
    return { children: Number(children.n), users: Number(users.n), projects: Number(projects.n) };
  }
}
