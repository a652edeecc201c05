import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp } from '../../../test/app.ts';
import { anchorAuditHead, anchorPathsOf } from '../audit/index.ts';
import { FileStore } from '../files/index.ts';

// Issue 14: server code reads the injectable clock (DOCKET_NOW), never the machine's. This file runs the whole
// application on a day years away from the machine's, so a stamp taken from `new Date()` shows at once. Set before
// any module is evaluated: server/clock.ts reads DOCKET_NOW when it is first imported (each test file is a fresh
// module graph).
vi.hoisted(() => {
  process.env.DOCKET_NOW = '2031-05-06T10:00:00+08:00';
});
const DAY = '2031-05-06'; // the UTC date of every stamp (the clock starts at 02:00 UTC and runs on)

describe.each(DIALECTS)('the injectable clock on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('counts the sign-in rate limit in the window of the application clock', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `clock-${dialect}-nobody`, password: 'x' } });
    expect(res.statusCode).toBe(401);
    const windows = await t.db.selectFrom('rate_limits').select(['key', 'window_start']).where('key', 'like', 'login:%').execute();
    expect(windows.length).toBeGreaterThan(0);
    for (const w of windows) expect(w.window_start.slice(0, 10)).toBe(DAY);
  });

  it('stamps stored files and audit anchors with the application clock', async () => {
    const key = `clock-test/${dialect}/a.txt`;
    await new FileStore(t.db, null).put(key, Buffer.from('x'));
    const writer = new FileStore(t.db, null).writer(`${key}.parts`);
    await writer.write('y');
    await writer.close();
    const stamps = await t.db.selectFrom('stored_files').select('created_at').where('key', 'like', `clock-test/${dialect}/%`).execute();
    expect(stamps).toHaveLength(2);
    for (const s of stamps) expect(s.created_at.slice(0, 10)).toBe(DAY);

    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `clock-${dialect}-anchor`, password: 'x' } }); // an audit row to anchor
    const paths = anchorPathsOf({ dataDir: t.config.dataDir, auditAnchorFile: path.join(t.config.dataDir, `clock-anchors-${dialect}.jsonl`) });
    const anchor = await anchorAuditHead(t.database, paths);
    expect(anchor?.at.slice(0, 10)).toBe(DAY);
    expect(fs.readFileSync(paths.anchorFile, 'utf8')).toContain(`"at":"${DAY}`);
  });
});
