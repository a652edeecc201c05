// Per-statement timing for profiling (issue 23), off unless DOCKET_SQL_PROFILE names a file: every statement Kysely
// runs is timed and summed by its SQL text (value lists folded, so a multi-row insert of any size is one line), and
// the table, largest total first, is rewritten to that file every few seconds and at exit. Not for production: it
// costs a few microseconds per statement.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { LogEvent } from 'kysely';

interface Entry { count: number; totalMs: number; maxMs: number; errors: number }

/** Folds repeated value tuples and IN lists so statements that differ only in how many rows they carry add up. */
export function foldSql(sql: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .replace(/\((?:\?|\$\d+)(?:, (?:\?|\$\d+))*\)(?:, \((?:\?|\$\d+)(?:, (?:\?|\$\d+))*\))+/g, '(…) ×n')
    .replace(/\((?:\?|\$\d+)(?:, (?:\?|\$\d+)){3,}\)/g, '(?, …)')
    .replace(/\$\d+/g, '?');
}

/** The table as text: one line per statement, largest total first. */
export function formatProfile(entries: ReadonlyMap<string, Entry>, sinceMs: number): string {
  const rows = [...entries].sort((a, b) => b[1].totalMs - a[1].totalMs);
  const total = rows.reduce((s, [, e]) => s + e.totalMs, 0);
  const lines = [`# SQL profile: ${rows.length} statements, ${total.toFixed(0)} ms in SQL over ${((performance.now() - sinceMs) / 1000).toFixed(1)} s`,
    'total_ms\tcount\tavg_ms\tmax_ms\terrors\tsql'];
  for (const [sql, e] of rows) lines.push(`${e.totalMs.toFixed(1)}\t${e.count}\t${(e.totalMs / e.count).toFixed(3)}\t${e.maxMs.toFixed(1)}\t${e.errors}\t${sql.slice(0, 600)}`);
  return lines.join('\n') + '\n';
}

/** Kysely's `log` option writing the profile to `file` (undefined when profiling is off). */
export function sqlProfileLogger(file = process.env.DOCKET_SQL_PROFILE): ((event: LogEvent) => void) | undefined {
  if (!file) return undefined;
  const entries = new Map<string, Entry>();
  const started = performance.now();
  let dirty = false;
  const flush = () => {
    if (!dirty) return;
    dirty = false;
    fs.writeFileSync(file, formatProfile(entries, started));
  };
  setInterval(flush, 5_000).unref();
  process.on('exit', flush);
  return (event) => {
    const key = foldSql(event.query.sql);
    const e = entries.get(key) ?? { count: 0, totalMs: 0, maxMs: 0, errors: 0 };
    e.count += 1;
    e.totalMs += event.queryDurationMillis;
    e.maxMs = Math.max(e.maxMs, event.queryDurationMillis);
    if (event.level === 'error') e.errors += 1;
    entries.set(key, e);
    dirty = true;
  };
}
