import { describe, expect, it } from 'vitest';
import { foldSql, formatProfile } from './sql-profile.ts';

// The profiling harness (DOCKET_SQL_PROFILE, issue 23) sums statements by their text: a multi-row insert of any
// size and an IN list of any length must fold to one line, on both engines' placeholders.

describe('SQL profile', () => {
  it('folds value tuples, IN lists and PostgreSQL placeholders', () => {
    expect(foldSql('insert into t (a, b) values (?, ?), (?, ?), (?, ?)')).toBe('insert into t (a, b) values (…) ×n');
    expect(foldSql('insert into t (a, b) values ($1, $2), ($3, $4)')).toBe('insert into t (a, b) values (…) ×n');
    expect(foldSql('select * from t where id in (?, ?, ?, ?, ?) and y = ?')).toBe(foldSql('select * from t where id in (?, ?, ?, ?) and y = ?'));
    expect(foldSql('select *\n  from t where a = $7')).toBe('select * from t where a = ?');
    // A short tuple (one row's key) is kept as it is.
    expect(foldSql('select * from t where (a, b) = (?, ?)')).toBe('select * from t where (a, b) = (?, ?)');
  });

  it('lists the statements largest total first', () => {
    const text = formatProfile(new Map([
      ['select 1', { count: 2, totalMs: 3, maxMs: 2, errors: 0 }],
      ['select 2', { count: 1, totalMs: 10, maxMs: 10, errors: 1 }],
    ]), 0);
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^# SQL profile: 2 statements, 13 ms in SQL/);
    expect(lines.slice(2).map((l) => l.split('\t').at(-1))).toEqual(['select 2', 'select 1']);
    expect(lines[2]!.split('\t').slice(0, 5)).toEqual(['10.0', '1', '10.000', '10.0', '1']);
  });
});
