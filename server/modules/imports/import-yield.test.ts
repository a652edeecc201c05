import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp } from '../../../test/app.ts';
import { buildProject } from '../../../test/factories.ts';
import { buildReportingWorld } from '../../../test/reporting.ts';
import { systemActor } from '../../context.ts';
import { createDeps } from '../../deps.ts';
import type { ChunkBoundary } from '../../platform/yield.ts';
import { HEADER_SEARCH_ROWS } from './layout.ts';
import { createImportService } from './index.ts';

// Issue 23: a large monthly import must not hold the server's event loop (or its connection) from the first row to
// the last. It reads, matches, checks and writes in chunks and yields between them; this test stops it at the first
// chunk boundary of each phase, signs in there and requires the sign-in to answer 200 while the import is still
// waiting at that boundary. No timing is involved: the hook runs at the boundary itself, and a sign-in that could
// not run there (the connection held by an open transaction, say) would never answer and fail the test.

const CHUNK = 5;
// More rows than the header search reads ahead, so that the read loop itself has chunk boundaries.
const ROWS = HEADER_SEARCH_ROWS + 4 * CHUNK;

describe.each(DIALECTS)('a large monthly import yields between chunks (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a sign-in issued at a chunk boundary of each phase (read, match, check, write) completes before the import goes on', async () => {
    const w = await buildReportingWorld(t);
    const ids: number[] = [];
    for (let i = 0; i < ROWS; i++) {
      ids.push(await buildProject(t.db, { name: `分块让行项目${i}`, unit_id: i % 2 ? w.unitB : w.unitA, stage: 'started', actual_start_date: '2025-06-01' }));
    }
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/reporting/years', headers: w.office, payload: { year: 2026 } })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'PATCH', url: '/api/v1/reporting/periods/2026/5', headers: w.office, payload: { status: 'open' } })).statusCode).toBe(200);
    const projects = await t.db.selectFrom('projects').select(['id', 'name', 'region_code']).where('id', 'in', ids).orderBy('id').execute();
    const csv = Buffer.from(['2026年5月重点项目进展', '项目名称,所属地区,本月完成投资（万元）',
      ...projects.map((p, i) => `${p.name},${p.region_code},${(i + 1).toFixed(2)}`)].join('\n') + '\n', 'utf8');

    const boundaries: ChunkBoundary[] = [];
    const signIns: { phase: ChunkBoundary['phase']; status: number; importFinished: boolean }[] = [];
    let importFinished = false;
    // A callback queued at one boundary must have run by the next: the import gives the event loop a turn in between.
    let ranSinceLastBoundary: boolean | undefined;
    const turns: boolean[] = [];
    const onChunk = async (at: ChunkBoundary) => {
      if (ranSinceLastBoundary !== undefined) turns.push(ranSinceLastBoundary);
      boundaries.push(at);
      if (!signIns.some((s) => s.phase === at.phase)) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'reporterB', password: 'Docket#2026' } });
        signIns.push({ phase: at.phase, status: res.statusCode, importFinished });
      }
      ranSinceLastBoundary = false;
      setImmediate(() => {
        ranSinceLastBoundary = true;
      });
    };
    const report = await createImportService(createDeps(t.db), { bulkChunkRows: CHUNK }).importFile(systemActor(), csv, {
      kind: 'monthly', fileName: '5月.csv', dryRun: false, reportStatus: 'submitted', onChunk,
    }).finally(() => {
      importFinished = true;
    });
    expect(report.problems.filter((p) => p.severity === 'error'), JSON.stringify(report.problems.slice(0, 3))).toEqual([]);
    expect(report.applied).toBe(true);
    expect(report.summary.created).toBe(ROWS);

    expect(signIns).toEqual((['read', 'match', 'check', 'write'] as const).map((phase) => ({ phase, status: 200, importFinished: false })));
    expect(turns.length).toBe(boundaries.length - 1);
    expect(turns.every(Boolean)).toBe(true);
    // Chunks of CHUNK rows in each phase: the writes commit in ROWS / CHUNK transactions with a boundary after each.
    expect(boundaries.filter((b) => b.phase === 'check').map((b) => b.done)).toEqual(Array.from({ length: ROWS / CHUNK - 1 }, (_, i) => (i + 1) * CHUNK));
    expect(boundaries.filter((b) => b.phase === 'write').map((b) => b.done)).toEqual(Array.from({ length: ROWS / CHUNK }, (_, i) => (i + 1) * CHUNK));
    const may = await t.db.selectFrom('monthly_reports').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('year', '=', 2026).where('month', '=', 5).where('project_id', 'in', ids).where('status', '=', 'submitted').executeTakeFirstOrThrow();
    expect(Number(may.n)).toBe(ROWS);
  });
});
