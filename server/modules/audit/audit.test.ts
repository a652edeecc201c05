import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { registeredRoutes } from '../../plugins/auth.ts';
import type { Database } from '../../db/database.ts';
import { hashAuditRow } from './audit-chain.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditService } from './audit.service.ts';
import { anchorPathsOf, readAnchors, startAuditAnchoring } from './audit-anchor.ts';
import { FileStore } from '../files/index.ts';
import { clock } from '../../clock.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..', '..');

/** Lifts the append-only triggers, as someone with direct database access could. */
async function dropGuards(database: Database): Promise<void> {
  if (database.dialect === 'postgres') await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard`.execute(database.db);
  else {
    await sql`DROP TRIGGER audit_log_no_update`.execute(database.db);
    await sql`DROP TRIGGER audit_log_no_delete`.execute(database.db);
  }
}

async function seed(database: Database, n: number): Promise<AuditService> {
  const audit = new AuditService(new AuditRepository(database.db));
  for (let i = 1; i <= n; i++) await audit.record(database.db, null, { action: 'test.event', username: `u${i}`, entityType: 'test', entityId: i, after: { i } });
  return audit;
}

/** `docket audit verify --json` against a database, as an operator runs it. */
async function cliVerify(dataDir: string, url: string | undefined, verb = 'verify'): Promise<{ code: number; result: { ok: boolean; anchors: number; problems: { kind: string; seq: number }[] } }> {
  const env = { ...process.env, DATABASE_URL: url ?? '', DOCKET_DATA_DIR: dataDir };
  try {
    const { stdout } = await run(process.execPath, [path.join(root, 'bin/docket.js'), 'audit', verb, ...(verb === 'verify' ? ['--json'] : [])], { env, cwd: root });
    if (verb !== 'verify') return { code: 0, result: { ok: true, anchors: 0, problems: [] } };
    return { code: 0, result: JSON.parse(stdout) };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, result: JSON.parse(e.stdout) };
  }
}

describe.each(DIALECTS)('audit chain on %s', (dialect) => {
  it('verifies an intact chain from the command line', async () => {
    const database = await createTestDatabase(dialect);
    try {
      await seed(database, 5);
      const { code, result } = await cliVerify(database.dataDir, database.url);
      expect(code).toBe(0);
      expect(result).toMatchObject({ ok: true, rows: 5, headSeq: 5, problems: [] });
    } finally {
      await database.destroy();
    }
  });

  it('finds a changed row', async () => {
    const database = await createTestDatabase(dialect);
    try {
      await seed(database, 5);
      await dropGuards(database);
      await database.db.updateTable('audit_log').set({ username: 'someone else' }).where('seq', '=', 3).execute();
      const { code, result } = await cliVerify(database.dataDir, database.url);
      expect(code).toBe(2);
      expect(result.problems).toEqual([expect.objectContaining({ seq: 3, kind: 'changed' })]);
    } finally {
      await database.destroy();
    }
  });

  it('finds a deleted row, in the middle and at the end', async () => {
    const database = await createTestDatabase(dialect);
    try {
      await seed(database, 5);
      await dropGuards(database);
      await database.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
      let { result } = await cliVerify(database.dataDir, database.url);
      expect(result.problems).toContainEqual(expect.objectContaining({ seq: 3, kind: 'missing' }));
      await database.db.deleteFrom('audit_log').where('seq', '=', 5).execute();
      ({ result } = await cliVerify(database.dataDir, database.url));
      expect(result.problems).toContainEqual(expect.objectContaining({ kind: 'head_mismatch' }));
    } finally {
      await database.destroy();
    }
  });

  it('finds an inserted row, even one whose hash was computed correctly', async () => {
    const database = await createTestDatabase(dialect);
    try {
      await seed(database, 5);
      await dropGuards(database);
      const last = await database.db.selectFrom('audit_log').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow();
      const forged = { ...last, seq: 6, username: 'intruder', action: 'user.create', at: clock.now().toISOString() };
      await database.db.insertInto('audit_log').values({ ...forged, prev_hash: last.hash, hash: hashAuditRow(last.hash, forged) }).execute();
      const { code, result } = await cliVerify(database.dataDir, database.url);
      expect(code).toBe(2);
      expect(result.problems).toEqual([expect.objectContaining({ kind: 'head_mismatch' })]);
      // Re-linking the rest of the chain around an inserted row in the middle breaks the hashes that follow it.
      const second = await database.db.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
      await database.db.updateTable('audit_log').set({ prev_hash: hashAuditRow(second.hash, { ...second, seq: 99 }) }).where('seq', '=', 3).execute();
      const again = await cliVerify(database.dataDir, database.url);
      expect(again.result.problems).toContainEqual(expect.objectContaining({ seq: 3, kind: 'inserted' }));
    } finally {
      await database.destroy();
    }
  });

  it('stopping the anchoring timer waits for the run under way (shutdown never cuts an anchor write short)', async () => {
    const database = await createTestDatabase(dialect);
    try {
      await seed(database, 3);
      const paths = anchorPathsOf({ dataDir: database.dataDir });
      const errors: unknown[] = [];
      // The first run starts at once; stopping right away must still leave its anchor line written.
      const stop = startAuditAnchoring(database, paths, { intervalMs: 3_600_000, onError: (err) => errors.push(err) });
      await stop();
      expect(errors).toEqual([]);
      expect(readAnchors(paths).anchors.map((a) => a.seq)).toEqual([3]);
    } finally {
      await database.destroy();
    }
  });

  it('catches a rewritten tail through the anchors outside the database (rows deleted and the head moved back)', async () => {
    const database = await createTestDatabase(dialect);
    try {
      await seed(database, 6);
      await cliVerify(database.dataDir, database.url, 'anchor');
      expect(fs.statSync(path.join(database.dataDir, 'audit-anchor.key')).mode & 0o077).toBe(0);
      expect((await cliVerify(database.dataDir, database.url)).result).toMatchObject({ ok: true, anchors: 1 });
      await dropGuards(database);
      // A consistent rewrite: the last two rows deleted and the head moved back to row 4. The chain alone passes …
      await database.db.deleteFrom('audit_log').where('seq', '>', 4).execute();
      const four = await database.db.selectFrom('audit_log').select('hash').where('seq', '=', 4).executeTakeFirstOrThrow();
      await database.db.updateTable('audit_chain_head').set({ seq: 4, hash: four.hash }).execute();
      expect((await new AuditService(new AuditRepository(database.db)).verify(database.dataDir)).ok).toBe(true);
      // … the anchor does not.
      const { code, result } = await cliVerify(database.dataDir, database.url);
      expect(code).toBe(2);
      expect(result.problems).toEqual([expect.objectContaining({ kind: 'anchor', seq: 6 })]);
    } finally {
      await database.destroy();
    }
  });

  it('catches a changed row whose successors were all re-hashed, and a forged anchor line', async () => {
    const database = await createTestDatabase(dialect);
    try {
      await seed(database, 5);
      await cliVerify(database.dataDir, database.url, 'anchor');
      await dropGuards(database);
      const rows = await database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      let prev = rows[1]!.hash;
      for (const row of rows.slice(2)) {
        const changed = row.seq === 3 ? { ...row, username: 'someone else' } : row;
        const hash = hashAuditRow(prev, changed);
        await database.db.updateTable('audit_log').set({ username: changed.username, prev_hash: prev, hash }).where('seq', '=', row.seq).execute();
        prev = hash;
      }
      await database.db.updateTable('audit_chain_head').set({ hash: prev }).execute();
      const { result } = await cliVerify(database.dataDir, database.url);
      expect(result.problems).toEqual([expect.objectContaining({ kind: 'anchor', seq: 5 })]);
      // Whoever rewrites the anchor file too, without the key, is caught by its MAC.
      const file = path.join(database.dataDir, 'audit-anchors.jsonl');
      const line = JSON.parse(fs.readFileSync(file, 'utf8').trim()) as { hash: string };
      fs.writeFileSync(file, `${JSON.stringify({ ...line, hash: prev })}\n`);
      const forged = await cliVerify(database.dataDir, database.url);
      expect(forged.result.problems).toEqual([expect.objectContaining({ kind: 'anchor', seq: 0 })]);
    } finally {
      await database.destroy();
    }
  });

  it('refuses to update audit rows, and to delete rows that are not archived, inside the database', async () => {
    const database = await createTestDatabase(dialect);
    try {
      await seed(database, 2);
      await expect(database.db.updateTable('audit_log').set({ username: 'x' }).where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
      await expect(database.db.deleteFrom('audit_log').where('seq', '=', 1).execute()).rejects.toThrow(/archiving/);
    } finally {
      await database.destroy();
    }
  });

  it('keeps one unbroken chain with concurrent writers in several processes', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const audit = await seed(database, 1);
      const fixture = path.join(root, 'test/fixtures/audit-append.ts');
      await Promise.all(['p1', 'p2', 'p3'].map((tag) => run(process.execPath, [fixture, database.dataDir, database.url ?? '-', '40', tag], { cwd: root })));
      // And concurrent appends from one process's pool.
      await Promise.all(Array.from({ length: 20 }, (_, i) => audit.record(database.db, null, { action: 'test.local', entityId: i })));
      const result = await audit.verify(database.dataDir);
      expect(result).toMatchObject({ ok: true, rows: 141, headSeq: 141 });
      const perTag = await database.db.selectFrom('audit_log').select(['username', (eb) => eb.fn.countAll<number>().as('n')]).where('action', '=', 'test.append').groupBy('username').orderBy('username').execute();
      expect(perTag.map((r) => [r.username, Number(r.n)])).toEqual([['p1', 40], ['p2', 40], ['p3', 40]]);
    } finally {
      await database.destroy();
    }
  }, 180_000);

  it('archives rows beyond retention to a verifiable file, and detects a tampered archive', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const audit = await seed(database, 6);
      const later = new Date(clock.now().getTime() + 200 * 86_400_000);
      expect(await audit.archive(database.db, database.dataDir, 180, clock.now())).toBeNull();
      const archived = await audit.archive(database.db, database.dataDir, 180, later);
      expect(archived).toMatchObject({ rows: 6 });
      // The archive is kept in the database's file store: every server reaches it, whatever its data directory.
      const files = new FileStore(database.db, null);
      expect((await files.read(archived!.file))!.toString('utf8').trim().split('\n')).toHaveLength(6);
      expect(await database.db.selectFrom('audit_log').select('action').execute()).toEqual([{ action: 'audit.archive' }]);
      await audit.record(database.db, null, { action: 'test.after' });
      expect(await audit.verify(database.dataDir)).toMatchObject({ ok: true, rows: 2, archivedRows: 6, headSeq: 8 });
      expect((await cliVerify(database.dataDir, database.url)).code).toBe(0);
      const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-other-'));
      expect(await audit.verify(elsewhere)).toMatchObject({ ok: true, archivedRows: 6 });
      fs.rmSync(elsewhere, { recursive: true, force: true });
      const tampered = (await files.read(archived!.file))!.toString('utf8').replace('"u3"', '"u9"');
      await database.db.updateTable('stored_files').set({ content: Buffer.from(tampered) }).where('key', '=', archived!.file).execute();
      const broken = await audit.verify(database.dataDir);
      expect(broken.ok).toBe(false);
      expect(broken.problems.map((p) => p.kind)).toEqual(['archive', 'changed']);
    } finally {
      await database.destroy();
    }
  });
});

describe.each(DIALECTS)('audit trail API on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let auditor: LoginHeaders;
  let projectId: number;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const unit = await buildUnit(t.db, { name: '区发改局', kind: 'office', regionCode: '320506' });
    projectId = await buildProject(t.db, { name: '审计测试项目', unit_id: unit.id });
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: unit.id });
    await buildUser(t.db, { username: 'auditor1', role: 'auditor' });
    office = await t.login('office1');
    auditor = await t.login('auditor1');
  });
  afterAll(async () => t?.close());

  it('records every API write automatically, and the service records before and after in the same transaction', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/projects/${projectId}`, headers: { ...office, 'user-agent': 'Browser/2' }, payload: { version: 1, total_investment: 7 } });
    expect(res.statusCode).toBe(200);
    const rows = await t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', String(projectId)).where('entity_type', '=', 'project').orderBy('seq').execute();
    expect(rows.map((r) => r.action)).toEqual(['project.update', 'request']);
    expect(rows[0]).toMatchObject({ username: 'office1', role: 'office', entity_type: 'project', ip: '127.0.0.1', user_agent: 'Browser/2' });
    expect(JSON.parse(rows[0]!.before_json!)).toMatchObject({ version: 1, total_investment: 100_000_000 });
    expect(JSON.parse(rows[0]!.after_json!)).toMatchObject({ version: 2, total_investment: 7 });
    expect(rows[1]).toMatchObject({ method: 'PATCH', route: '/api/v1/projects/:id', status: 200, outcome: 'success', entity_type: 'project' });
    // A refused write is recorded too, and a failed change leaves no change row.
    const stale = await t.app.inject({ method: 'PATCH', url: `/api/v1/projects/${projectId}`, headers: office, payload: { version: 1, total_investment: 8 } });
    expect(stale.statusCode).toBe(409);
    const after = await t.db.selectFrom('audit_log').select(['action', 'status', 'outcome']).where('entity_id', '=', String(projectId)).where('entity_type', '=', 'project').orderBy('seq').execute();
    expect(after.slice(2)).toEqual([{ action: 'request', status: 409, outcome: 'failure' }]);
  });

  it('lets the auditor search by user, action, entity, outcome and time, page by page', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'office1', password: 'bad' } });
    const search = (q: string) => t.app.inject({ url: `/api/v1/audit?${q}`, headers: auditor });
    const failed = (await search('action=auth.login&outcome=failure')).json();
    expect(failed.total).toBe(1);
    expect(failed.items[0]).toMatchObject({ username: 'office1', outcome: 'failure', details: { reason: 'bad_password' } });
    const byEntity = (await search(`action=project.&entity_type=project&entity_id=${projectId}`)).json();
    expect(byEntity.items[0].after).toMatchObject({ total_investment: 7 });
    const paged = (await search('username=office1&page_size=2&page=2')).json();
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBeGreaterThan(3);
    const today = clock.now().toISOString().slice(0, 10);
    expect((await search(`to=${today}`)).json().total).toBe(0);
    expect((await search(`from=${today}`)).json().total).toBeGreaterThan(3);
    expect((await t.app.inject({ url: '/api/v1/audit', headers: office })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/audit/verify', headers: auditor })).json()).toMatchObject({ ok: true });
  });

  it('records exports, which are reads that opt in with config.audit', async () => {
    const res = await t.app.inject({ url: '/api/v1/exports/projects.xlsx', headers: office });
    expect(res.statusCode).toBe(200);
    const row = await t.db.selectFrom('audit_log').selectAll().where('route', '=', '/api/v1/exports/projects.xlsx').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ username: 'office1', method: 'GET', status: 200, outcome: 'success', entity_type: 'projects.xlsx' });
  });

  it('offers no route that changes or removes audit rows', () => {
    const writes = registeredRoutes(t.app).filter((r) => r.url.startsWith('/api/v1/audit') && r.method !== 'GET');
    expect(writes).toEqual([]);
  });
});
