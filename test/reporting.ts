// Fixtures shared by the monthly reporting tests.
import sharp from 'sharp';
import type { createTestApp } from './app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from './factories.ts';
import { clock } from '../server/clock.ts';

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** Two townships under a district office, a reporter per township, an office reviewer, projects with plans. */
export async function buildReportingWorld(t: TestApp) {
  await buildRegions(t.db);
  const root = await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' });
  const unitA = (await buildUnit(t.db, { name: '甪直镇', parentId: root.id, regionCode: '320506', kind: 'township' })).id;
  const unitB = (await buildUnit(t.db, { name: '临湖镇', parentId: root.id, regionCode: '320506', kind: 'township' })).id;
  await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
  await buildUser(t.db, { username: 'reporterA', role: 'reporter', unitId: unitA });
  await buildUser(t.db, { username: 'reporterB', role: 'reporter', unitId: unitB });
  await buildUser(t.db, { username: 'leader1', role: 'leader', unitId: root.id });
  const pa1 = await buildProject(t.db, { name: '甪直智能装备产业园', unit_id: unitA, stage: 'preliminary' });
  const pa2 = await buildProject(t.db, { name: '甪直污水处理厂提标改造', unit_id: unitA, stage: 'started', actual_start_date: '2025-08-01' });
  const pb1 = await buildProject(t.db, { name: '临湖生态湿地公园', unit_id: unitB, stage: 'started' });
  const reserve = await buildProject(t.db, { name: '甪直储备项目', unit_id: unitA, tier: 'reserve' });
  const now = clock.now().toISOString();
  await t.db.insertInto('annual_plans').values([
    { project_id: pa1, year: 2026, planned_investment: 120_000_000, completed_before_year: 30_000_000, created_at: now, updated_at: now },
    { project_id: pa2, year: 2026, planned_investment: 60_000_000, completed_before_year: 0, created_at: now, updated_at: now },
  ]).execute();
  return {
    unitA, unitB, pa1, pa2, pb1, reserve,
    office: await t.login('office1'), reporterA: await t.login('reporterA'), reporterB: await t.login('reporterB'), leader: await t.login('leader1'),
  };
}

/** A real JPEG (or PNG / WebP) of the given size, as a camera would send. */
export async function makeImage(format: 'jpeg' | 'png' | 'webp' = 'jpeg', width = 800, height = 600): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })[format]().toBuffer();
}

/** A multipart/form-data body with the files under the field "photos". */
export function multipart(files: Array<{ filename: string; data: Buffer; type?: string }>): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----docket${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'image/jpeg'}\r\n\r\n`));
    parts.push(f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
