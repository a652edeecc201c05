// Issue 16: writers no longer take the chain head in their own transaction (they insert into audit_pending); the
// chaining step after commit, the audit.chain job and readers chain pending events. Each test runs the deferred
// mode on both engines (PostgreSQL's default; SQLite keeps inline chaining by default, so it is asked for here).
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase } from '../../../test/db.ts';
import type { Database } from '../../db/database.ts';
import { inTransaction } from '../../platform/tx.ts';
import { runJobOnce } from '../../platform/jobs.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditService } from './audit.service.ts';
import { auditChainJob } from './index.ts';
import { auditQuerySchema } from './audit.schema.ts';

const deferred = (database: Database) => new AuditService(new AuditRepository(database.db), { chain: 'deferred' });
const chained = (database: Database) =>
  database.db.selectFrom('audit_log').select(['seq', 'action', 'entity_id', 'details_json']).orderBy('seq').execute();
const pendingCount = (database: Database) => new AuditRepository(database.db).countPending();

describe.each(DIALECTS)('deferred audit chaining on %s', (dialect) => {
  it('is the default on PostgreSQL only (SQLite has one writer, so chaining inline costs it no waiting)', async () => {
    const database = await createTestDatabase(dialect);
    try {
      expect(new AuditService(new AuditRepository(database.db)).chainMode).toBe(dialect === 'postgres' ? 'deferred' : 'inline');
    } finally {
      await database.destroy();
    }
  });

  it('chains every event of concurrent writers exactly once, in one total order, by the time each write returns', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const audit = deferred(database);
      const writers = 6;
      const perWriter = 8;
      await Promise.all(Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          await inTransaction(database.db, async (trx) => {
            await audit.record(trx, null, { action: 'test.concurrent', username: `w${w}`, entityType: 'test', entityId: `${w}:${i}`, details: { w, i } });
            await audit.record(trx, null, { action: 'test.concurrent_second', username: `w${w}`, entityType: 'test', entityId: `${w}:${i}` });
          });
          // Returned: its events are chained (the step after commit ran before inTransaction resolved).
          const mine = await database.db.selectFrom('audit_log').select('seq').where('entity_id', '=', `${w}:${i}`).execute();
          expect(mine).toHaveLength(2);
        }
      }));
      const rows = await chained(database);
      expect(rows).toHaveLength(writers * perWriter * 2);
      expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1)); // contiguous: one total order
      expect(new Set(rows.map((r) => `${r.action}/${r.entity_id}`)).size).toBe(rows.length); // exactly once
      // A transaction's two events keep their order in the chain.
      for (const r of rows.filter((x) => x.action === 'test.concurrent')) {
        const second = rows.find((x) => x.action === 'test.concurrent_second' && x.entity_id === r.entity_id)!;
        expect(Number(second.seq)).toBeGreaterThan(Number(r.seq));
      }
      expect(await pendingCount(database)).toBe(0);
      const verified = await audit.verify(null);
      expect(verified).toMatchObject({ ok: true, rows: rows.length, headSeq: rows.length, problems: [] });
    } finally {
      await database.destroy();
    }
  });

  it('chains nothing for a rolled-back transaction', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const audit = deferred(database);
      await expect(inTransaction(database.db, async (trx) => {
        await audit.record(trx, null, { action: 'test.rolled_back', username: 'x' });
        throw new Error('refused');
      })).rejects.toThrow('refused');
      expect(await pendingCount(database)).toBe(0);
      expect(await audit.chainPending()).toBe(0);
      expect(await chained(database)).toEqual([]);
    } finally {
      await database.destroy();
    }
  });

  it('a crash between commit and chaining: the audit.chain job chains the pending events once, and a reader sees them before', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const audit = deferred(database);
      await audit.record(database.db, null, { action: 'test.before_crash', username: 'a' });
      // A bare transaction runs no after-commit step: its events stay pending, as when the server died right after
      // the commit.
      await database.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 3; i++) await audit.record(trx, null, { action: 'test.crashed', username: 'b', entityId: i });
      });
      expect(await pendingCount(database)).toBe(3);
      expect((await chained(database)).map((r) => r.action)).toEqual(['test.before_crash']);
      const clock = { now: () => new Date('2026-12-11T02:00:00Z') };
      const job = auditChainJob(database.db);
      expect(await runJobOnce(database.db, job, clock, { owner: 'server-b' })).toBe(true);
      expect(await pendingCount(database)).toBe(0);
      const rows = await chained(database);
      expect(rows.map((r) => [Number(r.seq), r.action, r.entity_id])).toEqual([
        [1, 'test.before_crash', null], [2, 'test.crashed', '0'], [3, 'test.crashed', '1'], [4, 'test.crashed', '2'],
      ]);
      // Nothing is chained twice by a later run.
      expect(await audit.chainPending()).toBe(0);
      expect(await chained(database)).toHaveLength(4);

      // The auditor's search chains before reading: an event committed a moment ago is there, already chained.
      await database.db.transaction().execute((trx) => audit.record(trx, null, { action: 'test.unchained_then_read', username: 'c' }));
      expect(await pendingCount(database)).toBe(1);
      const page = await audit.search(auditQuerySchema.parse({ action: 'test.unchained_then_read' }));
      expect(page.items.map((e) => [e.action, Number(e.seq)])).toEqual([['test.unchained_then_read', 5]]);
      expect(await pendingCount(database)).toBe(0);
      expect(await audit.verify(null)).toMatchObject({ ok: true, rows: 5 });
    } finally {
      await database.destroy();
    }
  });

  it('verify finds a changed chained row, and chains pending events before walking', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const audit = deferred(database);
      for (let i = 0; i < 4; i++) await inTransaction(database.db, (trx) => audit.record(trx, null, { action: 'test.tamper', username: `u${i}`, after: { i } }));
      await database.db.transaction().execute((trx) => audit.record(trx, null, { action: 'test.pending_at_verify', username: 'p' }));
      if (database.dialect === 'postgres') await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard`.execute(database.db);
      else await sql`DROP TRIGGER audit_log_no_update`.execute(database.db);
      await database.db.updateTable('audit_log').set({ after_json: '{"i":99}' }).where('seq', '=', 2).execute();
      const result = await audit.verify(null);
      expect(result.ok).toBe(false);
      expect(result.rows).toBe(5); // the pending event was chained and walked
      expect(result.problems).toEqual([expect.objectContaining({ seq: 2, kind: 'changed' })]);
    } finally {
      await database.destroy();
    }
  });

  it('refuses to change a pending event inside the database', async () => {
    const database = await createTestDatabase(dialect);
    try {
      await database.db.transaction().execute((trx) => deferred(database).record(trx, null, { action: 'test.guarded', username: 'g' }));
      await expect(database.db.updateTable('audit_pending').set({ username: 'someone else' }).execute()).rejects.toThrow(/append-only/);
    } finally {
      await database.destroy();
    }
  });
});

// PostgreSQL's own behaviour: not in a run on SQLite alone (scripts/test.sh's calendar rerun starts no PostgreSQL).
describe.runIf(DIALECTS.includes('postgres'))('deferred audit chaining on postgres: writers do not wait for the chain head', () => {
  it('a business transaction commits while another connection holds the chain head', async () => {
    const database = await createTestDatabase('postgres');
    try {
      const audit = deferred(database);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      // A chaining step stalled while holding the head's row lock.
      const holder = database.db.transaction().execute(async (trx) => {
        await trx.updateTable('audit_chain_head').set((eb) => ({ seq: eb.ref('seq') })).where('id', '=', 1).execute();
        holding();
        await released;
      });
      await held;
      // The writer's own transaction touches no shared row: it commits (its event durable in audit_pending) while
      // the head is held; only its chaining step waits. Before issue 16 the insert itself waited on the head.
      await database.db.transaction().execute((trx) => audit.record(trx, null, { action: 'test.not_blocked', username: 'w' }));
      expect(await pendingCount(database)).toBe(1);
      const chaining = audit.chainPending();
      release();
      await holder;
      expect(await chaining).toBe(1);
      expect((await chained(database)).map((r) => r.action)).toEqual(['test.not_blocked']);
    } finally {
      await database.destroy();
    }
  });
});
