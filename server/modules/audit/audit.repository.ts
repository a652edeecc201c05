import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect.ts';
import type { AuditArchiveTable } from '../../db/schema.ts';
import { hashAuditRow, type AuditFields, type AuditRow } from './audit-chain.ts';
import type { AuditQuery } from './audit.schema.ts';

/** All SQL of the audit trail. There is deliberately no method that updates a row. */
/** Kinds of audited objects whose current name the trail can look up (月报 by its project and period). */
export type NamedKind = 'report' | 'project' | 'user';
export const NAMED_KINDS: ReadonlySet<string> = new Set<NamedKind>(['report', 'project', 'user']);

/** A report's name as the trail prints it: '<project name> 2026年11月'. */
export function reportName(projectName: string, year: number, month: number): string {
  return `${projectName} ${year}年${month}月`;
}

export class AuditRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** The executor, for the file store that keeps the archives. */
  get executor(): Executor {
    return this.db;
  }

  /** Current names of audited objects by id (ids that no longer exist are left out). */
  async namesOf(kind: NamedKind, ids: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (!ids.length) return out; // an empty IN () is not valid SQL
    if (kind === 'report') {
      const rows = await this.db.selectFrom('monthly_reports as r').innerJoin('projects as p', 'p.id', 'r.project_id')
        .select(['r.id', 'p.name', 'r.year', 'r.month']).where('r.id', 'in', ids).execute();
      for (const r of rows) out.set(Number(r.id), reportName(r.name, Number(r.year), Number(r.month)));
    } else if (kind === 'project') {
      const rows = await this.db.selectFrom('projects').select(['id', 'name']).where('id', 'in', ids).execute();
      for (const r of rows) out.set(Number(r.id), r.name);
    } else {
      const rows = await this.db.selectFrom('users').select(['id', 'display_name', 'username']).where('id', 'in', ids).execute();
      for (const r of rows) out.set(Number(r.id), r.display_name && r.display_name !== r.username ? `${r.display_name}（${r.username}）` : r.username);
    }
    return out;
  }

  /**
   * Appends one row to the chain. Must run inside a transaction: the head row is updated first, which takes its
   * row lock on PostgreSQL (like SELECT … FOR UPDATE) and the write lock on SQLite, so concurrent appenders in any
   * number of processes queue up and each sees the previous row's hash.
   */
  async append(entry: Omit<AuditFields, 'seq'>): Promise<AuditRow> {
    const head = await this.db.updateTable('audit_chain_head').set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('id', '=', 1).returning(['seq', 'hash']).executeTakeFirstOrThrow();
    const fields: AuditFields = { ...entry, seq: Number(head.seq) };
    const row: AuditRow = { ...fields, prev_hash: head.hash, hash: hashAuditRow(head.hash, fields) };
    await this.db.insertInto('audit_log').values(row).execute();
    await this.db.updateTable('audit_chain_head').set({ hash: row.hash }).where('id', '=', 1).execute();
    return row;
  }

  /** Keeps an event to be chained after its transaction commits (takes no shared row: writers do not queue). */
  async insertPending(entry: Omit<AuditFields, 'seq'>): Promise<void> {
    await this.db.insertInto('audit_pending').values(entry).execute();
  }

  /** True when some committed event waits to be chained. */
  async hasPending(): Promise<boolean> {
    return (await this.db.selectFrom('audit_pending').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  /** How many committed events wait to be chained. */
  async countPending(): Promise<number> {
    const r = await this.db.selectFrom('audit_pending').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * Chains up to `limit` pending events, oldest id first, and removes them from audit_pending. Must run inside a
   * transaction: touching the head first takes its row lock (PostgreSQL) or the write lock (SQLite), so chainers
   * in any number of processes take turns, and each one's read of audit_pending (a fresh snapshot per statement on
   * PostgreSQL's READ COMMITTED) no longer sees the rows the one before it chained and deleted: every event is
   * chained exactly once. Returns how many it chained.
   */
  async chainPending(limit: number): Promise<number> {
    // PostgreSQL: this commit need not wait for its flush. The events are already durable in audit_pending, and a
    // chaining step lost in a crash is lost whole (its deletes too, WAL is replayed in order), so the job chains
    // those events again; the head is flushed before an anchor names it (durableHead). Writers then wait for one
    // flush (their own commit), not two.
    if (dialectOf(this.db) === 'postgres') await sql`set local synchronous_commit = off`.execute(this.db);
    const head = await this.db.updateTable('audit_chain_head').set((eb) => ({ seq: eb.ref('seq') }))
      .where('id', '=', 1).returning(['seq', 'hash']).executeTakeFirstOrThrow();
    // Taken and removed in one statement (RETURNING gives no order: sorted here).
    const pending = (await this.db.deleteFrom('audit_pending')
      .where('id', 'in', (eb) => eb.selectFrom('audit_pending').select('id').orderBy('id').limit(limit))
      .returningAll().execute()).sort((a, b) => Number(a.id) - Number(b.id));
    if (pending.length === 0) return 0;
    let seq = Number(head.seq);
    let prevHash = head.hash;
    const rows: AuditRow[] = pending.map(({ id: _id, ...entry }) => {
      seq += 1;
      const fields: AuditFields = { ...entry, seq };
      const row: AuditRow = { ...fields, prev_hash: prevHash, hash: hashAuditRow(prevHash, fields) };
      prevHash = row.hash;
      return row;
    });
    // 19 columns a row: 100 rows stay far below either engine's limit on bound parameters.
    for (let i = 0; i < rows.length; i += 100) await this.db.insertInto('audit_log').values(rows.slice(i, i + 100)).execute();
    await this.db.updateTable('audit_chain_head').set({ seq, hash: prevHash }).where('id', '=', 1).execute();
    return pending.length;
  }

  /**
   * PostgreSQL: gives the enclosing transaction a transaction id, so that its commit flushes the log up to it, which
   * covers every earlier commit (AuditService.durableHead opens that transaction).
   */
  async takeTransactionId(): Promise<void> {
    await sql`select txid_current()`.execute(this.db);
  }

  head() {
    return this.db.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  }

  /** Rows in chain order from a position, one page at a time (for verification and archiving). */
  listFrom(fromSeq: number, limit: number): Promise<AuditRow[]> {
    return this.db.selectFrom('audit_log').selectAll().where('seq', '>=', fromSeq).orderBy('seq').limit(limit).execute();
  }

  /** The first row at or after the cut-off time, in chain order. */
  async findFirstSeqAtOrAfter(at: string): Promise<number | undefined> {
    const r = await this.db.selectFrom('audit_log').select((eb) => eb.fn.min('seq').as('seq')).where('at', '>=', at).executeTakeFirst();
    return r?.seq === null || r?.seq === undefined ? undefined : Number(r.seq);
  }

  async findFirstSeq(): Promise<number | undefined> {
    const r = await this.db.selectFrom('audit_log').select((eb) => eb.fn.min('seq').as('seq')).executeTakeFirst();
    return r?.seq === null || r?.seq === undefined ? undefined : Number(r.seq);
  }

  listArchives() {
    return this.db.selectFrom('audit_archives').selectAll().orderBy('from_seq').execute();
  }

  async insertArchive(row: Omit<AuditArchiveTable, 'id'>): Promise<void> {
    await this.db.insertInto('audit_archives').values(row).execute();
  }

  /** Removes rows already written to an archive file; the table's trigger refuses any row not yet archived. */
  async deleteArchivedThrough(toSeq: number): Promise<number> {
    const r = await this.db.deleteFrom('audit_log').where('seq', '<=', toSeq).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /**
   * An entity's history rows: the service rows with the given actions and the successful automatic request rows
   * of the given routes, newest first (the first `limit`), with the writer's display name, and their total.
   */
  async listEntityHistory(entityType: string, entityId: string, actions: readonly string[], routes: readonly { method: string; route: string }[], limit: number) {
    const base = this.db.selectFrom('audit_log')
      .where('audit_log.entity_type', '=', entityType).where('audit_log.entity_id', '=', entityId)
      .where('audit_log.outcome', '=', 'success')
      .where((eb) => eb.or([
        ...(actions.length ? [eb('audit_log.action', 'in', actions)] : []),
        ...routes.map((r) => eb.and([eb('audit_log.action', '=', 'request'), eb('audit_log.method', '=', r.method), eb('audit_log.route', '=', r.route)])),
      ]));
    const [items, total] = await Promise.all([
      base.leftJoin('users', 'users.id', 'audit_log.user_id')
        .select(['audit_log.seq', 'audit_log.at', 'audit_log.user_id', 'audit_log.username', 'users.display_name', 'audit_log.action',
          'audit_log.method', 'audit_log.route', 'audit_log.before_json', 'audit_log.after_json'])
        .orderBy('audit_log.seq', 'desc').limit(limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }

  /** Every successful service row of an entity with the given actions, with its before/after (for matching). */
  listEntitySnapshots(entityType: string, entityId: string, actions: readonly string[]) {
    return this.db.selectFrom('audit_log').select(['seq', 'at', 'user_id', 'before_json', 'after_json'])
      .where('entity_type', '=', entityType).where('entity_id', '=', entityId).where('outcome', '=', 'success')
      .where('action', 'in', actions).orderBy('seq').execute();
  }

  /** One page of the search, newest first, and the total over the filter. */
  async search(q: AuditQuery) {
    let base = this.db.selectFrom('audit_log');
    if (q.user_id !== undefined) base = base.where('user_id', '=', q.user_id);
    if (q.username) base = base.where('username', '=', q.username);
    if (q.action) base = base.where(sql<boolean>`action like ${`${q.action.replace(/[\\%_]/g, (m) => `\\${m}`)}%`} escape '\\'`);
    if (q.outcome) base = base.where('outcome', '=', q.outcome);
    if (q.entity_type) base = base.where('entity_type', '=', q.entity_type);
    if (q.entity_id) base = base.where('entity_id', '=', q.entity_id);
    if (q.ip) base = base.where('ip', '=', q.ip);
    if (q.from) base = base.where('at', '>=', q.from);
    if (q.to) base = base.where('at', '<', q.to);
    const [items, total] = await Promise.all([
      base.selectAll().orderBy('seq', 'desc').limit(q.page_size).offset((q.page - 1) * q.page_size).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }
}
