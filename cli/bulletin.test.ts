import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../test/factories.ts';
import { buildPlan, buildReport } from '../test/indicator-factories.ts';

const YI = 100_000_000;
const bin = path.resolve(import.meta.dirname, '..', 'bin', 'docket.js');

// Spawns the real command (a second or more each on a busy machine). The CLI runs on SQLite here; the service it
// calls is tested on both engines in server/modules/bulletins/bulletin.test.ts.
describe('docket bulletin (SQLite data directory)', { timeout: 120_000 }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-cli-bulletin-'));
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], { encoding: 'utf8', cwd: dataDir });

  beforeAll(async () => {
    const database = openDatabase({ dataDir, databaseUrl: undefined });
    await migrateToLatest(database.db);
    await buildRegions(database.db);
    const root = await buildUnit(database.db, { name: '吴中区发改局', regionCode: '320506' });
    for (const [name, plan, done] of [['甪直镇', 60, 30], ['临湖镇', 40, 15.54]] as const) {
      const unit = await buildUnit(database.db, { name, parentId: root.id, regionCode: '320506' });
      const project = await buildProject(database.db, { name: `${name}重点项目`, unit_id: unit.id });
      await buildPlan(database.db, { project_id: project, year: 2026, planned_investment: plan * YI });
      await buildReport(database.db, { project_id: project, year: 2026, month: 5, amount_ytd: Math.round(done * YI) });
    }
    await buildUser(database.db, { username: 'office1', role: 'office', unitId: root.id });
    await buildUser(database.db, { username: 'reporter1', role: 'reporter', unitId: root.id });
    await database.destroy();
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('drafts, submits, signs and writes the issued .docx', async () => {
    const draft = run('bulletin', 'draft', '--year', '2026', '--month', '5', '--region', '320506');
    expect(draft.status, draft.stderr).toBe(0);
    expect(draft.stdout).toContain('吴中区2026年重点项目1–5月推进情况');
    expect(run('bulletin', 'submit', '1', '--as', 'office1').status).toBe(0);
    const refused = run('bulletin', 'sign', '1', '--as', 'reporter1');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('没有权限 bulletin.sign');
    const signed = run('bulletin', 'sign', '1', '--as', 'office1');
    expect(signed.status, signed.stderr).toBe(0);
    expect(signed.stdout).toContain('2026年第1期');
    expect(run('bulletin', 'list').stdout).toContain('已签发');
    const out = path.join(dataDir, 'b.docx');
    expect(run('bulletin', 'docx', '1', '--out', out).status).toBe(0);
    const xml = await (await JSZip.loadAsync(fs.readFileSync(out))).file('word/document.xml')!.async('string');
    expect(xml.replace(/<[^>]+>/g, '')).toContain('累计完成投资45.54亿元，占年度计划的45.5%，高于序时进度3.9个百分点');
  });

  it('prints the unit ranking and writes it as xlsx', () => {
    const xlsx = path.join(dataDir, 'rank.xlsx');
    const res = run('bulletin', 'ranking', '--year', '2026', '--month', '5', '--region', '320506', '--xlsx', xlsx);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/1\s+甪直镇[\s\S]*2\s+临湖镇/);
    expect(fs.statSync(xlsx).size).toBeGreaterThan(3000);
  });
});
