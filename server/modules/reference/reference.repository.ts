import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/** SQL for regions and units. */
export class ReferenceRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  listRegionChildren(parentCode: string | null) {
    let q = this.db.selectFrom('regions').selectAll().orderBy('code');
    q = parentCode === null ? q.where('parent_code', 'is', null) : q.where('parent_code', '=', parentCode);
    return q.execute();
  }

  findRegion(code: string) {
    return this.db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
  }

  listUnits() {
    return this.db.selectFrom('units').selectAll().where('deleted_at', 'is', null).orderBy('path').orderBy('sort').execute();
  }

  findUnit(id: number) {
    return this.db.selectFrom('units').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  }

  /** Runs fn in a transaction (or in the current one) with a repository bound to it. */
  transaction<T>(fn: (repo: ReferenceRepository, trx: Executor) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this, this.db);
    return this.db.transaction().execute((trx) => fn(new ReferenceRepository(trx), trx));
  }

  /** Inserts a unit under its parent and sets its materialized path; returns the new id and path. */
  async insertUnit(row: { name: string; short_name: string | null; parent_id: number | null; region_code: string | null; kind: string; sort: number }, parentPath: string, now: string) {
    const { id } = await this.db.insertInto('units').values({ ...row, path: '/', created_at: now }).returning('id').executeTakeFirstOrThrow();
    const path = `${parentPath}${id}/`;
    await this.db.updateTable('units').set({ path }).where('id', '=', id).execute();
    return { id, path };
  }

  async updateUnit(id: number, patch: { name?: string; short_name?: string | null; region_code?: string | null; kind?: string; sort?: number; parent_id?: number | null; deleted_at?: string | null }): Promise<void> {
    await this.db.updateTable('units').set(patch).where('id', '=', id).execute();
  }

  /** Rewrites the materialized paths of a subtree after its root moved. */
  async movePaths(oldPrefix: string, newPrefix: string): Promise<void> {
    await this.db.updateTable('units')
      .set({ path: sql<string>`${newPrefix} || substr(path, ${oldPrefix.length + 1})` })
      .where('path', 'like', `${oldPrefix}%`)
      .execute();
  }
}
