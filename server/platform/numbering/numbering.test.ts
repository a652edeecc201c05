import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../../../test/db.ts';
import { current, next } from './numbering.ts';

describe.each(DIALECTS)('numbering on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => database?.destroy());

  it('counts per series and year from 1', async () => {
    const db = database.db;
    expect(await current(db, 'bulletin', 2026)).toBe(0);
    expect(await next(db, 'bulletin', 2026)).toBe(1);
    expect(await next(db, 'bulletin', 2026)).toBe(2);
    expect(await next(db, 'bulletin', 2027)).toBe(1);
    expect(await next(db, 'duban', 2026)).toBe(1);
    expect(await current(db, 'bulletin', 2026)).toBe(2);
  });

  it('gives the number back when the transaction rolls back', async () => {
    const db = database.db;
    await expect(db.transaction().execute(async (trx) => {
      expect(await next(trx, 'letters', 2026)).toBe(1);
      throw new Error('rollback');
    })).rejects.toThrow('rollback');
    expect(await next(db, 'letters', 2026)).toBe(1);
  });

  it('hands out distinct numbers to concurrent transactions', async () => {
    const db = database.db;
    // On PostgreSQL these are four connections (pool of 4) racing for the row; SQLite serializes writers.
    const got = await Promise.all(Array.from({ length: 12 }, () => db.transaction().execute((trx) => next(trx, 'race', 2026))));
    expect(got.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});
