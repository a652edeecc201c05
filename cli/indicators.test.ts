import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { buildProject, buildRegions, buildUnit } from '../test/factories.ts';
import { buildPlan, buildReport } from '../test/indicator-factories.ts';
import { formatYi } from './indicators.ts';

const YI = 100_000_000;
const bin = path.resolve(import.meta.dirname, '..', 'bin', 'docket.js');

// Each case spawns the real command several times (a second or more each on a busy machine).
describe('docket indicators and docket verify (SQLite data directory)', { timeout: 120_000 }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-cli-'));
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], { encoding: 'utf8' });
  let project: number;

  beforeAll(async () => {
    const database = openDatabase({ dataDir, databaseUrl: undefined });
    await migrateToLatest(database.db);
    await buildRegions(database.db);
    const unit = await buildUnit(database.db, { name: '甪直镇' });
    project = await buildProject(database.db, { unit_id: unit.id, total_investment: 300 * YI });
    await buildPlan(database.db, { project_id: project, year: 2026, planned_investment: 100 * YI });
    await buildReport(database.db, { project_id: project, year: 2026, month: 5, amount_ytd: 45.54 * YI, status: 'approved' });
    await database.destroy();
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('prints the bulletin figures as a table and as JSON', () => {
    const table = run('indicators', '--year', '2026', '--month', '5', '--breakdown', 'unit');
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toContain('2026年重点项目1–5月推进情况');
    expect(table.stdout).toMatch(/投资完成率\s+45\.5%/);
    expect(table.stdout).toContain('高于序时进度 3.9 个百分点');
    expect(table.stdout).toContain('甪直镇');
    // Chinese throughout: stage and breakdown names, not their codes.
    expect(table.stdout).toContain('按阶段：前期 1');
    expect(table.stdout).toContain('按责任单位：');
    expect(table.stdout).not.toMatch(/按 ?unit|preliminary/);
    const json = run('indicators', '--year', '2026', '--month', '5', '--json');
    expect(json.status, json.stderr).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body.indicators.sums).toMatchObject({ count: 1, completed_ytd: 45.54 * YI, planned_investment: 100 * YI });
    expect(body.lights.counts).toEqual({ green: 1, yellow: 0, red: 0, none: 0 });
    const bad = run('indicators', '--year', '2026', '--month', '13');
    expect(bad.status).toBe(1);
  });

  it('verify reports a corrupted rollup row with exit code 1 and --fix repairs it', async () => {
    expect(run('verify').status).toBe(0);
    const database = openDatabase({ dataDir, databaseUrl: undefined });
    await database.db.updateTable('indicator_ytd').set({ ytd_07: 123 }).where('project_id', '=', project).execute();
    await database.destroy();
    const broken = run('verify');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`project ${project} year 2026`);
    expect(broken.stdout).toContain(',123,');
    expect(run('verify', '--fix').status).toBe(0);
    const fixed = run('verify', '--json');
    expect(fixed.status).toBe(0);
    expect(JSON.parse(fixed.stdout)).toMatchObject({ ok: true, differences: [] });
  });

  it('verify checks the light snapshots too: a corrupted one fails it, --fix drops it for a fresh judgement', async () => {
    expect(run('indicators', '--year', '2026', '--month', '5').status).toBe(0); // fills May's light snapshots
    const database = openDatabase({ dataDir, databaseUrl: undefined });
    const stored = await database.db.selectFrom('light_snapshots').select('code').where('project_id', '=', project).where('month', '=', 5).executeTakeFirstOrThrow();
    await database.db.updateTable('light_snapshots').set({ code: stored.code ^ 3 }).where('project_id', '=', project).where('month', '=', 5).execute();
    await database.destroy();
    const broken = run('verify');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`2026-5 project ${project}`);
    expect(run('verify', '--fix').status).toBe(0);
    const fixed = run('verify', '--json');
    expect(fixed.status).toBe(0);
    expect(JSON.parse(fixed.stdout).lights).toMatchObject({ ok: true, rows_differing: 0 });
  });

  it('verify checks the kept 催报 counts too: a drifted one fails it, --fix recounts', async () => {
    expect(JSON.parse(run('verify', '--json').stdout).report_counts).toEqual({ ok: true, differences: [], fixed: false });
    const database = openDatabase({ dataDir, databaseUrl: undefined });
    await database.db.updateTable('report_unit_counts').set((eb) => ({ submitted: eb('submitted', '+', 2) })).where('year', '=', 2026).where('month', '=', 5).execute();
    await database.destroy();
    const broken = run('verify');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/reports 2026\/5\/\d+\/\d+: kept 3, counted 1/);
    expect(run('verify', '--fix').status).toBe(0);
    const fixed = run('verify', '--json');
    expect(fixed.status).toBe(0);
    expect(JSON.parse(fixed.stdout).report_counts).toMatchObject({ ok: true, differences: [] });
  });

  it('prints 亿元 exactly', () => {
    expect(formatYi(4_554_000_000)).toBe('45.54');
    expect(formatYi(4_554_500_000)).toBe('45.55');
    expect(formatYi(-4_554_500_000)).toBe('-45.55');
    expect(formatYi(0)).toBe('0.00');
  });
});
