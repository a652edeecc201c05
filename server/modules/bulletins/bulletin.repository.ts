import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { BulletinTable, BulletinVersionTable } from '../../db/schema.ts';

export type BulletinRow = Selectable<BulletinTable>;
/** A version without its bytes (lists, detail). */
export type VersionSummary = Omit<Selectable<BulletinVersionTable>, 'docx' | 'figures' | 'template'>;

const SUMMARY_COLUMNS = [
  'id', 'bulletin_id', 'revision', 'issue_no', 'doc_number', 'title', 'issued_on', 'docx_sha256', 'correction_note', 'submitted_by', 'signed_by', 'signer_name', 'signed_at',
] as const;

/** All SQL of bulletins: the office's template, bulletins and their issued versions. */
export class BulletinRepository {
  readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** The office's default template row, if it saved one. */
  async findDefaultTemplate(): Promise<{ id: number; body: string; version: number; updated_at: string } | undefined> {
    return this.db.selectFrom('bulletin_templates').select(['id', 'body', 'version', 'updated_at']).where('is_default', '=', 1).orderBy('id').executeTakeFirst();
  }

  async findTemplate(id: number): Promise<{ id: number; body: string } | undefined> {
    return this.db.selectFrom('bulletin_templates').select(['id', 'body']).where('id', '=', id).executeTakeFirst();
  }

  async insertTemplate(body: string, userId: number | null, at: string): Promise<number> {
    const row = await this.db.insertInto('bulletin_templates').values({ name: '默认模板', body, is_default: 1, version: 1, created_at: at, updated_at: at, updated_by: userId })
      .returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  /** Saves the template if it is still at `version`; false when someone saved it since. */
  async updateTemplateIfVersion(id: number, version: number, body: string, userId: number | null, at: string): Promise<boolean> {
    const r = await this.db.updateTable('bulletin_templates').set({ body, version: version + 1, updated_at: at, updated_by: userId })
      .where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async findRegionName(code: string): Promise<string | undefined> {
    return (await this.db.selectFrom('regions').select('name').where('code', '=', code).executeTakeFirst())?.name;
  }

  /** The region's materialized path ('/320000/320500/'): its subtree is the scope of a regional bulletin's feeds. */
  async findRegionPath(code: string): Promise<string | undefined> {
    return (await this.db.selectFrom('regions').select('path').where('code', '=', code).executeTakeFirst())?.path;
  }

  async findUserName(id: number): Promise<string | undefined> {
    return (await this.db.selectFrom('users').select('display_name').where('id', '=', id).executeTakeFirst())?.display_name;
  }

  async insertBulletin(row: Omit<BulletinTable, 'id' | 'issue_no' | 'revision' | 'correction_note' | 'return_reason' | 'submitted_by' | 'version'>): Promise<number> {
    return (await this.db.insertInto('bulletins').values({ ...row, revision: 1, version: 1 }).returning('id').executeTakeFirstOrThrow()).id;
  }

  async findBulletin(id: number): Promise<BulletinRow | undefined> {
    return this.db.selectFrom('bulletins').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async listBulletins(year?: number): Promise<BulletinRow[]> {
    let q = this.db.selectFrom('bulletins').selectAll().orderBy('year', 'desc').orderBy('month', 'desc').orderBy('id', 'desc');
    if (year !== undefined) q = q.where('year', '=', year);
    return q.execute();
  }

  /** Writes fields and bumps the version if the row is still at `version`; false when it moved on. */
  async updateBulletinIfVersion(id: number, version: number, set: Partial<Omit<BulletinTable, 'id' | 'version'>>): Promise<boolean> {
    const r = await this.db.updateTable('bulletins').set({ ...set, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deleteBulletin(id: number): Promise<void> {
    await this.db.deleteFrom('bulletins').where('id', '=', id).execute();
  }

  async insertVersion(row: Omit<BulletinVersionTable, 'id'>): Promise<void> {
    await this.db.insertInto('bulletin_versions').values(row).execute();
  }

  async listVersions(bulletinIds: number[]): Promise<VersionSummary[]> {
    if (!bulletinIds.length) return [];
    return this.db.selectFrom('bulletin_versions').select(SUMMARY_COLUMNS).where('bulletin_id', 'in', bulletinIds).orderBy('bulletin_id').orderBy('revision').execute();
  }

  /** One issued version with its frozen figures, template and bytes. */
  async findVersion(bulletinId: number, revision: number): Promise<Selectable<BulletinVersionTable> | undefined> {
    return this.db.selectFrom('bulletin_versions').selectAll().where('bulletin_id', '=', bulletinId).where('revision', '=', revision).executeTakeFirst();
  }

  async latestRevision(bulletinId: number): Promise<number | undefined> {
    const row = await this.db.selectFrom('bulletin_versions').select((eb) => eb.fn.max('revision').as('r')).where('bulletin_id', '=', bulletinId).executeTakeFirst();
    return row?.r == null ? undefined : Number(row.r);
  }
}
