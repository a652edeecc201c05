import type { Executor } from '../../db/database.ts';

/** All SQL of files kept in the database. */
export class FileRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  async insertPart(key: string, part: number, content: Buffer, now: string): Promise<void> {
    await this.db.insertInto('stored_files').values({ key, part, content, created_at: now }).execute();
  }

  /** One part's bytes, or undefined past the last. */
  async findPart(key: string, part: number): Promise<Buffer | undefined> {
    const r = await this.db.selectFrom('stored_files').select('content').where('key', '=', key).where('part', '=', part).executeTakeFirst();
    return r ? Buffer.from(r.content) : undefined;
  }

  /** Keys under a prefix (for tests and housekeeping). */
  async listKeys(prefix: string): Promise<string[]> {
    const rows = await this.db.selectFrom('stored_files').select('key').distinct().where('key', '>=', prefix).where('key', '<', `${prefix}\uffff`).orderBy('key').execute();
    return rows.map((r) => r.key);
  }

  async deleteKeys(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.deleteFrom('stored_files').where('key', 'in', keys).execute();
  }
}
