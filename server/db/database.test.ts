import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './database.ts';

// The SQLite statement cache: the same SQL text reuses one prepared statement, except while that statement is
// still being iterated, when a second use gets its own; the least recently used text leaves past the capacity.
describe('SQLite statement cache', () => {
  it('reuses statements by text, never a busy one, and keeps at most `capacity`', () => {
    const sqlite = new SQLite(':memory:');
    const db = withStatementCache(sqlite, 2);
    db.prepare('create table t (n integer not null)').run([]);
    db.prepare('insert into t (n) values (1), (2), (3)').run([]);
    const text = 'select n from t order by n';
    const a = db.prepare(text) as SQLite.Statement<[], { n: number }>;
    expect(db.prepare(text)).toBe(a);
    const iterator = a.iterate();
    expect(iterator.next().value).toEqual({ n: 1 });
    const b = db.prepare(text) as SQLite.Statement<[], { n: number }>;
    expect(b).not.toBe(a);
    expect(b.all()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect([...iterator]).toEqual([{ n: 2 }, { n: 3 }]);
    expect(db.prepare(text)).toBe(a);
    db.prepare('select 1');
    db.prepare('select 2');
    expect(db.prepare(text)).not.toBe(a);
    db.close();
  });
});
