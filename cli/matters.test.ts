import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MATTER_OPEN_STATES } from '../core/supervision/matter-workflow.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';

const bin = path.resolve(import.meta.dirname, '..', 'bin', 'docket.js');

// `docket matters overdue` (issue 17): the overdue list from the command line, on the demo's matters seen two months
// later (a fixed clock for each run, so no run depends on the machine's day).
describe('docket matters overdue', { timeout: 300_000 }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-matters-cli-'));
  const run = (now: string, ...args: string[]) => spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], { encoding: 'utf8', env: { ...process.env, DOCKET_NOW: now } });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('prints nothing overdue the day after the demo, then every open matter past its deadline, most overdue first, as text and JSON', async () => {
    const demo = run('2026-03-02T02:00:00Z', 'demo', '--projects', '20');
    expect(demo.status, demo.stdout + demo.stderr).toBe(0);
    const fresh = run('2026-03-03T02:00:00Z', 'matters', 'overdue');
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(fresh.stdout).toContain('逾期督办事项 0 项 / overdue matters (2026-03-03)');

    const later = '2026-05-06T02:00:00Z';
    const json = run(later, 'matters', 'overdue', '--json');
    expect(json.status, json.stderr).toBe(0);
    const rows = JSON.parse(json.stdout) as { id: number; number: string; title: string; unitName: string; dueOn: string; workingDaysOverdue: number; status: string }[];
    expect(rows.length).toBeGreaterThan(0);
    // Exactly the open matters (not suspended, not closed) whose deadline has passed, read from the database itself.
    const database = openDatabase(loadConfig({ dataDir, databaseUrl: undefined, logLevel: 'silent' }, {}));
    try {
      const open = await database.db.selectFrom('matters').select(['id', 'due_on', 'status']).where('status', 'in', [...MATTER_OPEN_STATES]).execute();
      expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(open.filter((m) => m.due_on < '2026-05-06').map((m) => m.id).sort((a, b) => a - b));
      const suspended = await database.db.selectFrom('matters').select('id').where('status', 'in', ['suspended', 'closed', 'written_off']).execute();
      for (const s of suspended) expect(rows.some((r) => r.id === s.id)).toBe(false);
    } finally {
      await database.destroy();
    }
    for (const r of rows) {
      expect(r.dueOn < '2026-05-06').toBe(true);
      expect(r.workingDaysOverdue).toBeGreaterThan(0);
    }
    expect(rows.map((r) => r.workingDaysOverdue)).toEqual([...rows.map((r) => r.workingDaysOverdue)].sort((a, b) => b - a));

    // The text form: a header with the count and the day, then one line per matter in the same order.
    const text = run(later, 'matters', 'overdue');
    expect(text.status, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toBe(`逾期督办事项 ${rows.length} 项 / overdue matters (2026-05-06)`);
    expect(lines.slice(1)).toEqual(rows.map((r) => `${r.number}\t${r.title}\t${r.unitName}\t时限 ${r.dueOn}\t逾期 ${r.workingDaysOverdue} 个工作日`));
  });
});
