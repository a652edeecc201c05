import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { quantile, repeat, summarize } from './measure.ts';
import { toMarkdown, updatePerformanceDoc, type BenchRun } from './report.ts';
import { parseCount } from '../cli/demo.ts';

describe('benchmark statistics', () => {
  it('takes quantiles by nearest rank', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(quantile(twenty, 0.5)).toBe(10);
    expect(quantile(twenty, 0.95)).toBe(19);
    expect(quantile([7], 0.95)).toBe(7);
    expect(summarize([5, 1, 3])).toEqual({ n: 3, median: 3, p95: 5, min: 1, max: 5 });
  });

  it('stops repeating at the budget once it has the minimum, and at three budgets regardless', async () => {
    let calls = 0;
    const slow = () => new Promise((r) => setTimeout(r, 30)).then(() => calls++);
    const t = await repeat(slow, { warmup: 0, runs: 100, minRuns: 2, budgetMs: 50 });
    expect(t.n).toBeGreaterThanOrEqual(2);
    expect(t.n).toBeLessThan(5);
    const capped = await repeat(slow, { warmup: 0, runs: 100, minRuns: 50, budgetMs: 20 });
    expect(capped.n).toBeLessThan(5);
    expect(calls).toBe(t.n + capped.n);
  });
});

describe('benchmark report', () => {
  const run: BenchRun = {
    date: '2026-11-23', size: '10k', projects: 10_000, engine: 'sqlite',
    machine: { cpu: 'x', cores: 2, memory_gb: 8, os: 'Linux', node: 'v24', sqlite: '3.54.1', load_average_at_start: [1, 1, 1] },
    build: { seconds: 2, projects: 10_000, monthly_reports: 86_000, months: 10, database_mb: 40 },
    total_seconds: 60,
    scenarios: [
      { id: '1 list city', title: 't', status: 'ok', api: { n: 10, median: 12.3, p95: 20, min: 10, max: 21 }, raw: { n: 10, median: 10, p95: 12, min: 9, max: 13 }, ratio: 1.23 },
      { id: '6 workbooks', title: 't', status: 'not available yet', note: 'no workbook API' },
    ],
  };

  it('prints a row per scenario, saying plainly what is not available', () => {
    const md = toMarkdown(run);
    expect(md).toContain('| 1 list city | ok | 12.3 | 20.0 | 10 | 10.0 | 12.0 | 1.23 |');
    expect(md).toContain('| 6 workbooks | not available yet (no workbook API) |');
    expect(md).toContain('SQLite 3.54.1');
  });

  it('replaces only its own block in docs/performance.md, idempotently', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'docket-perf-')), 'performance.md');
    fs.writeFileSync(file, '# P\n\n<!-- bench:10k-sqlite:begin -->\nold\n<!-- bench:10k-sqlite:end -->\n\n<!-- bench:1m-sqlite:begin -->\nkeep\n<!-- bench:1m-sqlite:end -->\n');
    updatePerformanceDoc(file, run, 'new table\n');
    updatePerformanceDoc(file, run, 'new table\n');
    const doc = fs.readFileSync(file, 'utf8');
    expect(doc).toBe('# P\n\n<!-- bench:10k-sqlite:begin -->\nnew table\n<!-- bench:10k-sqlite:end -->\n\n<!-- bench:1m-sqlite:begin -->\nkeep\n<!-- bench:1m-sqlite:end -->\n');
  });
});

describe('docket demo --projects', () => {
  it('accepts 2000, 10k, 100k and 1m', () => {
    expect([parseCount('2000'), parseCount('10k'), parseCount('100K'), parseCount('1m'), parseCount('1.5k')]).toEqual([2000, 10_000, 100_000, 1_000_000, 1500]);
    expect(parseCount('lots')).toBeNaN();
  });
});
