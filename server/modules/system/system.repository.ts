import type { Executor } from '../../db/database.ts';

/** SQL of install-wide settings (system_settings) and the office's root unit. */
export class SystemRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** Every setting as key → value. */
  async listSettings(): Promise<Map<string, string | null>> {
    const rows = await this.db.selectFrom('system_settings').select(['key', 'value']).execute();
    return new Map(rows.map((r) => [r.key, r.value]));
  }

  /** One setting's value; undefined when unset. */
  async findSetting(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('system_settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value ?? undefined;
  }

  async putSetting(key: string, value: string | null, now: string): Promise<void> {
    await this.db.insertInto('system_settings').values({ key, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now })).execute();
  }

  findRegion(code: string) {
    return this.db.selectFrom('regions').select(['code', 'name', 'level', 'path', 'parent_code']).where('code', '=', code).executeTakeFirst();
  }

  /** The region and its ancestors, root first. */
  listRegionChain(path: string) {
    const codes = path.split('/').filter(Boolean);
    return this.db.selectFrom('regions').select(['code', 'name', 'level']).where('code', 'in', codes).orderBy('level').execute();
  }

  findUnit(id: number) {
    return this.db.selectFrom('units').select(['id', 'name', 'region_code', 'path', 'deleted_at']).where('id', '=', id).executeTakeFirst();
  }

  /** A live top-level unit of this name. */
  findRootUnitByName(name: string) {
    return this.db.selectFrom('units').select(['id', 'name', 'region_code', 'path']).where('name', '=', name).where('parent_id', 'is', null)
      .where('deleted_at', 'is', null).executeTakeFirst();
  }

  async insertRootUnit(name: string, regionCode: string, now: string): Promise<number> {
    const { id } = await this.db.insertInto('units').values({ name, parent_id: null, region_code: regionCode, kind: 'office', path: '/', sort: 0, created_at: now })
      .returning('id').executeTakeFirstOrThrow();
    await this.db.updateTable('units').set({ path: `/${id}/` }).where('id', '=', id).execute();
    return id;
  }

  async updateUnit(id: number, patch: { name: string; region_code: string }): Promise<void> {
    await this.db.updateTable('units').set(patch).where('id', '=', id).execute();
  }
}
