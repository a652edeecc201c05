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
}
