import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../../../test/db.ts';
import { buildRegions, buildUnit } from '../../../test/factories.ts';
import { systemActor } from '../../context.ts';
import { ExportRepository } from './export.repository.ts';
import { ExportService } from './export.service.ts';
import { clock } from '../../clock.ts';

const ROWS = 20_000;

/** Text that deflate cannot shrink much, so the buffers between the sheet and the output fill within a few pages. */
function noise(seed: number, length: number): string {
  let x = seed || 1;
  let out = '';
  while (out.length < length) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    out += x.toString(36);
  }
  return out.slice(0, length);
}

describe.each(DIALECTS)('streamed exports under backpressure on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    await buildRegions(database.db);
    const unit = await buildUnit(database.db, { name: '甪直镇' });
    const now = clock.now().toISOString();
    for (let i = 0; i < ROWS; i += 1000) {
      await database.db.insertInto('projects').values(Array.from({ length: 1000 }, (_, j) => ({
        name: `项目${i + j}`, search_text: `xm${i + j}`, region_code: '320506', unit_id: unit.id, total_investment: 1_000_000 + i + j,
        stage: 'started', tier: 'implementation', scope_content: noise(i + j, 400), created_at: now, updated_at: now,
      }))).execute();
    }
  });
  afterAll(async () => database?.destroy());

  it('waits while nobody reads the output, and stops reading the database when the download is aborted', async () => {
    const out = new PassThrough();
    const pages: number[] = [];
    const done = new ExportService(new ExportRepository(database.db)).exportProjects(systemActor(), {}, out, { onProgress: (n) => pages.push(n) });
    let settled = false;
    done.then(() => { settled = true; }, () => { settled = true; });
    // A few pages fill the bounded buffers between the sheet and the output (archiver keeps up to 1 MB each way);
    // then the export waits for the zip to drain: it neither finishes nor reads another page. Wait until no page
    // has been read for a second (a loaded machine fills the buffers slowly), then check it stays stalled.
    let stalled = -1;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline && !settled;) {
      stalled = pages.length;
      await sleep(1000);
      if (pages.length === stalled && stalled > 0) break;
    }
    await sleep(1000);
    expect(settled).toBe(false);
    expect(pages.length).toBe(stalled);
    expect(stalled).toBeLessThan(ROWS / 2000);
    out.destroy();
    await expect(done).rejects.toThrow('export aborted');
  });

  it('finishes once the output is read', async () => {
    const out = new PassThrough();
    let bytes = 0;
    out.on('data', (chunk: Buffer) => { bytes += chunk.length; });
    const ended = new Promise((resolve) => out.on('end', resolve));
    const { rows } = await new ExportService(new ExportRepository(database.db)).exportProjects(systemActor(), {}, out);
    await ended;
    expect(rows).toBe(ROWS);
    expect(bytes).toBeGreaterThan(100_000);
  });
});
