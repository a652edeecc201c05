import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type {
  EvalEntryTable, EvalLedgerTable, EvalMatterLinkTable, EvalObjectionTable, EvalOutcomeTable, EvalSchemeTable, EvalSnapshotTable, EvalUpperRankTable,
} from '../../db/schema.ts';

export type SchemeRow = Selectable<EvalSchemeTable>;
export type EntryRow = Selectable<EvalEntryTable>;
export type SnapshotRow = Selectable<EvalSnapshotTable>;
export type ObjectionRow = Selectable<EvalObjectionTable>;
export type LedgerRow = Selectable<EvalLedgerTable>;
export type OutcomeRow = Selectable<EvalOutcomeTable>;
export type UpperRankRow = Selectable<EvalUpperRankTable>;

/** All SQL of unit evaluation (考评): the eval_* tables, and unit names. */
export class EvaluationRepository {
  readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  // Schemes
  async listSchemes(year?: number): Promise<SchemeRow[]> {
    let q = this.db.selectFrom('eval_schemes').selectAll().orderBy('year', 'desc').orderBy('version', 'desc');
    if (year !== undefined) q = q.where('year', '=', year);
    return q.execute();
  }
  async findScheme(id: number): Promise<SchemeRow | undefined> {
    return this.db.selectFrom('eval_schemes').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async findAdoptedScheme(year: number): Promise<SchemeRow | undefined> {
    return this.db.selectFrom('eval_schemes').selectAll().where('year', '=', year).where('status', '=', 'adopted')
      .orderBy('version', 'desc').executeTakeFirst();
  }
  async nextSchemeVersion(year: number): Promise<number> {
    const r = await this.db.selectFrom('eval_schemes').select((eb) => eb.fn.max('version').as('v')).where('year', '=', year).executeTakeFirst();
    return Number(r?.v ?? 0) + 1;
  }
  async insertScheme(row: Insertable<EvalSchemeTable>): Promise<number> {
    return (await this.db.insertInto('eval_schemes').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }
  /** Updates a draft if its row_version still matches; false when it moved on (409) or is no longer a draft. */
  async updateDraftScheme(id: number, rowVersion: number, patch: { name: string; body: string; updated_at: string }): Promise<boolean> {
    const r = await this.db.updateTable('eval_schemes').set((eb) => ({ ...patch, row_version: eb('row_version', '+', 1) }))
      .where('id', '=', id).where('row_version', '=', rowVersion).where('status', '=', 'draft').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  async retireAdopted(year: number): Promise<void> {
    await this.db.updateTable('eval_schemes').set({ status: 'retired' }).where('year', '=', year).where('status', '=', 'adopted').execute();
  }
  async adoptScheme(id: number, userId: number | null, at: string): Promise<void> {
    await this.db.updateTable('eval_schemes').set((eb) => ({ status: 'adopted', adopted_by: userId, adopted_at: at, updated_at: at, row_version: eb('row_version', '+', 1) }))
      .where('id', '=', id).execute();
  }

  // Hand-entered values
  async listEntries(year: number, month: number): Promise<EntryRow[]> {
    return this.db.selectFrom('eval_entries').selectAll().where('year', '=', year).where('month', '=', month).orderBy('unit_id').orderBy('item_key').execute();
  }
  async findEntry(id: number): Promise<EntryRow | undefined> {
    return this.db.selectFrom('eval_entries').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async findEntryByKey(year: number, month: number, unitId: number, itemKey: string): Promise<EntryRow | undefined> {
    return this.db.selectFrom('eval_entries').selectAll().where('year', '=', year).where('month', '=', month)
      .where('unit_id', '=', unitId).where('item_key', '=', itemKey).executeTakeFirst();
  }
  async insertEntry(row: Insertable<EvalEntryTable>): Promise<number> {
    return (await this.db.insertInto('eval_entries').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }
  async updateEntry(id: number, patch: Partial<Omit<EntryRow, 'id'>>): Promise<void> {
    await this.db.updateTable('eval_entries').set(patch).where('id', '=', id).execute();
  }

  // Snapshots
  async findSnapshot(year: number, month: number): Promise<SnapshotRow | undefined> {
    return this.db.selectFrom('eval_snapshots').selectAll().where('year', '=', year).where('month', '=', month).executeTakeFirst();
  }
  async findSnapshotById(id: number): Promise<SnapshotRow | undefined> {
    return this.db.selectFrom('eval_snapshots').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async listSnapshots(year: number): Promise<Omit<SnapshotRow, 'body'>[]> {
    return this.db.selectFrom('eval_snapshots')
      .select(['id', 'year', 'month', 'scheme_id', 'status', 'computed_at', 'objection_until', 'published_by', 'published_at', 'revision'])
      .where('year', '=', year).orderBy('month').execute();
  }
  async listPublishedSnapshots(year: number): Promise<SnapshotRow[]> {
    return this.db.selectFrom('eval_snapshots').selectAll().where('year', '=', year).where('status', '=', 'published').orderBy('month').execute();
  }
  async insertSnapshot(row: Insertable<EvalSnapshotTable>): Promise<number> {
    return (await this.db.insertInto('eval_snapshots').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }
  async updateSnapshot(id: number, patch: Partial<Omit<SnapshotRow, 'id'>>): Promise<void> {
    await this.db.updateTable('eval_snapshots').set(patch).where('id', '=', id).execute();
  }

  // Objections
  async listObjections(snapshotId: number): Promise<ObjectionRow[]> {
    return this.db.selectFrom('eval_objections').selectAll().where('snapshot_id', '=', snapshotId).orderBy('id').execute();
  }
  async findObjection(id: number): Promise<ObjectionRow | undefined> {
    return this.db.selectFrom('eval_objections').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async insertObjection(row: Insertable<EvalObjectionTable>): Promise<number> {
    return (await this.db.insertInto('eval_objections').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }
  async updateObjection(id: number, patch: Partial<Omit<ObjectionRow, 'id'>>): Promise<void> {
    await this.db.updateTable('eval_objections').set(patch).where('id', '=', id).execute();
  }
  /** The month's accepted line objections with a corrected value: they override the line's source value. */
  async listCorrections(year: number, month: number): Promise<Array<{ unit_id: number; leaf_key: string; corrected_value: string }>> {
    const rows = await this.db.selectFrom('eval_objections').innerJoin('eval_snapshots', 'eval_snapshots.id', 'eval_objections.snapshot_id')
      .select(['eval_objections.unit_id', 'eval_objections.leaf_key', 'eval_objections.corrected_value'])
      .where('eval_snapshots.year', '=', year).where('eval_snapshots.month', '=', month).where('eval_objections.status', '=', 'accepted')
      .where('eval_objections.leaf_key', 'is not', null).where('eval_objections.corrected_value', 'is not', null)
      .orderBy('eval_objections.id').execute();
    return rows.map((r) => ({ unit_id: r.unit_id, leaf_key: r.leaf_key!, corrected_value: r.corrected_value! }));
  }

  // Weak lines turned into matters (one matter per line)
  async findMatterLink(lineKey: string): Promise<{ matter_id: number; matter_number: string } | undefined> {
    return this.db.selectFrom('eval_matter_links').select(['matter_id', 'matter_number']).where('line_key', '=', lineKey).executeTakeFirst();
  }
  async listMatterLinks(prefix: string): Promise<Array<{ line_key: string; matter_id: number; matter_number: string }>> {
    return this.db.selectFrom('eval_matter_links').select(['line_key', 'matter_id', 'matter_number']).where('line_key', 'like', `${prefix}%`).orderBy('id').execute();
  }
  /** False when the line already has a matter (another request linked one first: the unique line_key). */
  async insertMatterLink(row: Insertable<EvalMatterLinkTable>): Promise<boolean> {
    try {
      await this.db.insertInto('eval_matter_links').values(row).execute();
      return true;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw err;
    }
  }

  // Ledger
  async listLedger(year: number, month?: number): Promise<LedgerRow[]> {
    let q = this.db.selectFrom('eval_ledger').selectAll().where('year', '=', year);
    if (month !== undefined) q = q.where('month', '=', month);
    return q.orderBy('month').orderBy('id').execute();
  }
  async insertLedger(row: Insertable<EvalLedgerTable>): Promise<number> {
    return (await this.db.insertInto('eval_ledger').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  // Outcomes
  async listOutcomes(snapshotId: number): Promise<OutcomeRow[]> {
    return this.db.selectFrom('eval_outcomes').selectAll().where('snapshot_id', '=', snapshotId).orderBy('id').execute();
  }
  async insertOutcome(row: Insertable<EvalOutcomeTable>): Promise<number> {
    return (await this.db.insertInto('eval_outcomes').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  // Upper levels' ranking of us
  async listUpperRanks(year: number): Promise<UpperRankRow[]> {
    return this.db.selectFrom('eval_upper_ranks').selectAll().where('year', '=', year).orderBy('month').orderBy('id').execute();
  }
  async findUpperRank(id: number): Promise<UpperRankRow | undefined> {
    return this.db.selectFrom('eval_upper_ranks').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async insertUpperRank(row: Insertable<EvalUpperRankTable>): Promise<number> {
    return (await this.db.insertInto('eval_upper_ranks').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  // Units
  async listUnitNames(ids: readonly number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db.selectFrom('units').select(['id', 'name']).where('id', 'in', [...ids]).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }
  /** Names and tree paths of units (for folding per-unit figures into the units one level below their common parent). */
  async listUnitsWithPath(ids: readonly number[]): Promise<Array<{ id: number; name: string; path: string }>> {
    if (!ids.length) return [];
    return this.db.selectFrom('units').select(['id', 'name', 'path']).where('id', 'in', [...ids]).execute();
  }
  async findUnitPath(id: number): Promise<string | undefined> {
    return (await this.db.selectFrom('units').select('path').where('id', '=', id).executeTakeFirst())?.path;
  }
}
