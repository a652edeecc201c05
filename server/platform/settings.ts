import type { z } from 'zod';
import type { Executor } from '../db/database.ts';
import type { Actor, AuditRecorder } from './context.ts';
import type { Clock } from '../../core/clock.ts';

/** The key/value tables settings live in (one row per key, the value as JSON). */
export type SettingsTable = 'reporting_settings' | 'indicator_settings' | 'security_settings' | 'supervision_settings' | 'attraction_settings' | 'nodeplan_settings';

/** A typed, validated group of settings over one table (platform/settings.ts). */
export interface Settings<T extends Record<string, unknown>> {
  readonly name: string;
  readonly schema: z.ZodType<T>;
  readonly defaults: T;
  /** The defaults merged with the stored keys; a stored value that no longer validates falls back to its default. */
  get(db: Executor): Promise<T>;
  /**
   * Validates the patch (Chinese message on a bad value), stores the keys that change and records before/after in
   * the audit trail, all in the caller's transaction. Returns the settings after the change.
   */
  put(trx: Executor, actor: Actor, patch: Partial<T>, deps: { audit: AuditRecorder; clock: Clock }, options?: { expectedVersion?: number }): Promise<T>;
  /**
   * The group's version: 1 until the first change, then one more on every put that changes a key. A put given
   * `expectedVersion` is refused with SettingsVersionError when another save came first (optimistic concurrency).
   */
  version(db: Executor): Promise<number>;
}

/** A put made on a version that is no longer the stored one: nothing was written. */
export class SettingsVersionError extends Error {
  readonly current: number;
  constructor(current: number) {
    super(`settings changed since version was read (now ${current})`);
    this.name = 'SettingsVersionError';
    this.current = current;
  }
}

/** A patch the schema refuses: its Chinese message names the setting. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/**
 * Defines a group of settings: its table, a zod object schema (one field per key) and the defaults. One decoder for
 * every settings table: rows are decoded field by field against the schema, unknown keys ignored (internal state
 * lives in system_state, not here). The audit action is `<name>.settings_update`, with the changed keys before and
 * after; `{ audit: 'whole' }` records the whole group before and after on every put instead (the reporting
 * settings' entries always read that way, and the auditor's view of them must not change).
 */
export function defineSettings<S extends z.ZodObject>(name: string, table: SettingsTable, schema: S, defaults: z.infer<S>, options: { audit?: 'changed' | 'whole' } = {}): Settings<z.infer<S>> {
  type T = z.infer<S>;
  const shape = schema.shape as Record<string, z.ZodType>;
  const decode = (rows: readonly { key: string; value: string }[]): T => {
    const out: Record<string, unknown> = { ...defaults };
    for (const row of rows) {
      const field = shape[row.key];
      if (!field) continue;
      let value: unknown;
      try {
        value = JSON.parse(row.value);
      } catch {
        continue;
      }
      const parsed = field.safeParse(value);
      if (parsed.success) out[row.key] = parsed.data;
    }
    return out as T;
  };
  const read = async (db: Executor) => decode(await db.selectFrom(table).select(['key', 'value']).execute());
  // The version lives in system_state (internal, never edited): one row per settings table.
  const versionKey = `settings_version.${table}`;
  const version = async (db: Executor) => {
    const row = await db.selectFrom('system_state').select('value').where('key', '=', versionKey).executeTakeFirst();
    return row ? Number(JSON.parse(row.value)) : 1;
  };
  return {
    name, schema: schema as unknown as z.ZodType<T>, defaults,
    get: read,
    version,
    async put(trx, actor, patch, deps, putOptions = {}) {
      const checked = schema.partial().strict().safeParse(patch);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new SettingsError(`设置项 ${issue?.path.join('.') || ''} 的值无效：${issue?.message ?? ''}`);
      }
      const before = await read(trx);
      const values = checked.data as Partial<T>;
      const whole = options.audit === 'whole';
      const changed = Object.keys(values).filter((k) => values[k] !== undefined && (whole || JSON.stringify(values[k]) !== JSON.stringify(before[k])));
      const now = deps.clock.now().toISOString();
      const stored = await version(trx);
      if (putOptions.expectedVersion !== undefined && putOptions.expectedVersion !== stored) throw new SettingsVersionError(stored);
      if (changed.length === 0) return before;
      // Move to the next version only from the one read: a concurrent put that moved it first makes this one stale
      // (PostgreSQL re-checks the condition after the other transaction commits; SQLite writes one at a time).
      await trx.insertInto('system_state').values({ key: versionKey, value: '1', updated_at: now }).onConflict((oc) => oc.column('key').doNothing()).execute();
      const moved = await trx.updateTable('system_state').set({ value: String(stored + 1), updated_at: now })
        .where('key', '=', versionKey).where('value', '=', String(stored)).executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw new SettingsVersionError(await version(trx));
      for (const key of changed) {
        const row = { key, value: JSON.stringify(values[key]), updated_at: now, updated_by: actor.userId || null };
        await trx.insertInto(table).values(row)
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: now, updated_by: row.updated_by }))
          .execute();
      }
      const after = { ...before, ...Object.fromEntries(changed.map((k) => [k, values[k]])) } as T;
      await deps.audit.record(trx, actor, whole
        ? { action: `${name}.settings_update`, entityType: table, before, after }
        : {
          action: `${name}.settings_update`, entityType: table,
          before: Object.fromEntries(changed.map((k) => [k, before[k]])), after: Object.fromEntries(changed.map((k) => [k, values[k]])),
        });
      return after;
    },
  };
}
