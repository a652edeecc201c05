import type { Executor } from '../../db/database.ts';

/** All SQL of the known-device cookie's signing key: one row (id 1) of device_keys, shared by every server. */
export class DeviceKeyRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** The current key, or undefined before the first successful sign-in made one. */
  async findKey(): Promise<string | undefined> {
    return (await this.db.selectFrom('device_keys').select('secret').where('id', '=', 1).executeTakeFirst())?.secret;
  }

  /** The current key, made now if there is none yet (two servers racing keep the first one written). */
  async getOrCreateKey(secret: string, now: string): Promise<string> {
    const found = await this.findKey();
    if (found !== undefined) return found;
    await this.db.insertInto('device_keys').values({ id: 1, secret, created_at: now }).onConflict((oc) => oc.column('id').doNothing()).execute();
    const key = await this.findKey();
    if (key === undefined) throw new Error('device key missing after insert');
    return key;
  }

  /** Replaces the key: every device cookie signed so far stops counting, on every server at once. */
  async replaceKey(secret: string, now: string): Promise<void> {
    await this.db.insertInto('device_keys').values({ id: 1, secret, created_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ secret, created_at: now })).execute();
  }
}
