import crypto from 'node:crypto';
import path from 'node:path';
import type { Actor, AuditEvent, AuditRecorder } from '../../platform/context.ts';
import type { Executor } from '../../db/database.ts';
import { ChainWalker, GENESIS_HASH, type AuditRow, type ChainProblem } from './audit-chain.ts';
import { AuditRepository } from './audit.repository.ts';
import { FileStore } from '../files/index.ts';
import type { Anchor } from './audit-anchor.ts';
import type { AuditQuery } from './audit.schema.ts';
import { clock } from '../../clock.ts';
import { NAMED_KINDS, type NamedKind } from './audit.repository.ts';
import { dialectOf } from '../../db/dialect.ts';
import { afterCommit, inTransaction } from '../../platform/tx.ts';

/** One event for the audit trail (defined in platform/context.ts). Who and from where come from the actor. */
export type { AuditEvent };

/** The result of `docket audit verify`. */
export interface VerifyResult {
  ok: boolean;
  rows: number;
  archivedRows: number;
  headSeq: number;
  headHash: string;
  /** Anchors (outside the database) the chain was checked against. */
  anchors: number;
  problems: ChainProblem[];
}

const PAGE = 1000;

/**
 * An event's details with the API token it came through: every row written on a token's behalf names the token
 * (id and name) next to its holder (user_id/username), whichever writer records it.
 */
function withToken(details: unknown, actor: Actor | null): unknown {
  if (!actor?.token) return details;
  const token = { via: 'token', token_id: actor.token.id, token_name: actor.token.name };
  if (details === undefined || details === null) return token;
  return typeof details === 'object' && !Array.isArray(details) ? { ...details, ...token } : { value: details, ...token };
}
/** Keeps the object's name with the entry (details.entity_name), so the trail reads by name even after a rename. */
function withName(details: unknown, name: string | undefined): unknown {
  if (!name) return details;
  if (details === undefined || details === null) return { entity_name: name };
  return typeof details === 'object' && !Array.isArray(details) ? { ...details, entity_name: name } : details;
}
const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

/**
 * How an event reaches the chain. 'inline': the writer's transaction takes the chain head and appends (SQLite: one
 * writer at a time anyway, so this costs no waiting). 'deferred': the writer's transaction only inserts into
 * audit_pending, and the chaining step after its commit (or the audit.chain job, or a reader) appends it: writers on
 * PostgreSQL no longer queue on the head row until their commit.
 */
export type ChainMode = 'inline' | 'deferred';

/** Events chained per chaining transaction. */
const CHAIN_BATCH = 500;

// Per database (the root Kysely instance), the chaining step running in this process and the one queued behind it.
// Only coalescing (a group commit): which rows are chained, and in what order, lives in the database.
const chainers = new WeakMap<object, { running?: Promise<number>; queued?: Promise<number> }>();

/** The append-only, hash-chained audit trail: record, search, verify, archive. */
export class AuditService implements AuditRecorder {
  private readonly audit: AuditRepository;
  readonly chainMode: ChainMode;
  constructor(audit: AuditRepository, opts: { chain?: ChainMode } = {}) {
    this.audit = audit;
    this.chainMode = opts.chain ?? (dialectOf(audit.executor) === 'postgres' ? 'deferred' : 'inline');
  }

  /**
   * Chains every event committed before this call that is still pending, coalescing callers: when a chaining step
   * is under way (it may have read audit_pending before the caller's commit), the caller waits for the next one,
   * which every caller arriving meanwhile shares. Resolves with how many events the step it waited for chained.
   * `known`: the caller has just committed events of its own (the first look for pending rows is skipped).
   */
  chainPending(known = false): Promise<number> {
    const db = this.audit.executor;
    let state = chainers.get(db);
    if (!state) chainers.set(db, (state = {}));
    const s = state;
    if (!s.running) {
      const run: Promise<number> = this.drain(known).finally(() => {
        if (s.running === run) s.running = undefined;
      });
      s.running = run;
      return run;
    }
    s.queued ??= s.running.catch(() => 0).then(() => {
      s.queued = undefined;
      return this.chainPending();
    });
    return s.queued;
  }

  /** Chains pending events, a batch per transaction, until none is left. */
  private async drain(known = false): Promise<number> {
    const db = this.audit.executor;
    // A service built over a transaction chains inside it (it already holds what it needs); else one per batch.
    const step = db.isTransaction ? () => this.audit.chainPending(CHAIN_BATCH)
      : () => inTransaction(db, (trx) => new AuditRepository(trx).chainPending(CHAIN_BATCH));
    let total = 0;
    // After this process's own commit there is something to chain (unless another step took it): skip the look.
    for (let look = !known; !look || (await this.audit.hasPending()); look = true) {
      const n = await step();
      total += n;
      if (n < CHAIN_BATCH) break;
    }
    return total;
  }

  /** The chaining step after a commit: a failure leaves the events pending for the audit.chain job to chain. */
  private async chainAfterCommit(): Promise<void> {
    try {
      await this.chainPending(true);
    } catch {
      // Deliberately quiet here: the events are committed in audit_pending, the audit.chain job (any server) chains
      // them, and a reader chains before reading; the job reports a failure that persists.
    }
  }

  /**
   * Appends one event. Inside the caller's transaction when the executor is one (so the event commits or rolls
   * back with the change it describes), otherwise in a transaction of its own.
   */
  async record(executor: Executor, actor: Actor | null, event: AuditEvent): Promise<void> {
    const origin = event.origin ?? actor?.origin;
    const entry = {
      at: clock.now().toISOString(),
      user_id: actor?.userId ?? event.userId ?? null,
      username: actor?.username ?? event.username ?? null,
      role: actor?.role ?? null,
      ip: origin?.ip ?? null,
      user_agent: origin?.userAgent?.slice(0, 400) ?? null,
      action: event.action,
      outcome: event.outcome ?? 'success',
      entity_type: event.entityType ?? null,
      entity_id: event.entityId === undefined || event.entityId === null ? null : String(event.entityId),
      method: event.method ?? null,
      route: event.route ?? null,
      status: event.status ?? null,
      before_json: json(event.before),
      after_json: json(event.after),
      details_json: json(withToken(withName(event.details, event.entityName), actor)),
    };
    if (this.chainMode === 'deferred') {
      await new AuditRepository(executor).insertPending(entry);
      // Chained once the writer's transaction (inTransaction) commits; a transaction opened otherwise (afterCommit
      // refuses it) leaves it to the next chaining step in this process, the job or a reader.
      if (!executor.isTransaction) await this.chainAfterCommit();
      // One chaining step per transaction, however many events it records (a bulk write records thousands).
      else afterCommit(executor, this, () => this.chainAfterCommit());
    } else if (executor.isTransaction) {
      await new AuditRepository(executor).append(entry);
    } else {
      await inTransaction(executor, (trx) => new AuditRepository(trx).append(entry));
    }
  }

  /**
   * The head, once every commit it reflects is on disk (PostgreSQL: a transaction that takes a transaction id
   * commits with a flush of the log up to it, which covers every earlier commit, the chaining steps committed
   * without waiting for theirs). An anchor outside the database must never name a head a crash could take back.
   */
  async durableHead(): Promise<{ seq: number; hash: string }> {
    if (dialectOf(this.audit.executor) !== 'postgres') return this.audit.head();
    return inTransaction(this.audit.executor, async (trx) => {
      const repo = new AuditRepository(trx);
      await repo.takeTransactionId();
      return repo.head();
    });
  }

  /** A page of audit rows matching the filter, newest first. */
  async search(query: AuditQuery) {
    await this.chainPending();
    const { items, total } = await this.audit.search(query);
    const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));
    const parsed = items.map(({ before_json, after_json, details_json, ...rest }) => ({
      ...rest, before: parse(before_json), after: parse(after_json), details: parse(details_json),
    }));
    // Names recorded with the entry win; entries written before names were recorded (or by a request row) get the
    // object's current name, looked up once per kind for the page.
    const recorded = (e: (typeof parsed)[number]) => {
      const d = e.details;
      return d && typeof d === 'object' && !Array.isArray(d) && typeof (d as Record<string, unknown>).entity_name === 'string' ? (d as Record<string, string>).entity_name : undefined;
    };
    const missing = new Map<string, Set<number>>();
    for (const e of parsed) {
      const id = Number(e.entity_id);
      if (recorded(e) || !e.entity_type || !Number.isSafeInteger(id) || !NAMED_KINDS.has(e.entity_type)) continue;
      if (!missing.has(e.entity_type)) missing.set(e.entity_type, new Set());
      missing.get(e.entity_type)!.add(id);
    }
    const names = new Map<string, string>();
    for (const [kind, ids] of missing) {
      for (const [id, name] of await this.audit.namesOf(kind as NamedKind, [...ids])) names.set(`${kind}:${id}`, name);
    }
    return {
      total, page: query.page, page_size: query.page_size,
      items: parsed.map((e) => ({ ...e, entity_name: recorded(e) ?? names.get(`${e.entity_type ?? ''}:${e.entity_id ?? ''}`) ?? null })),
    };
  }

  /**
   * An entity's history as another module's page shows it (a project's 变更记录): the successful rows with the given
   * actions and the automatic request rows of the given routes, newest first (the first `limit`), with the writer's
   * display name, and their total. The caller chains pending events first (Deps.audit.chainPending).
   */
  listEntityHistory(entityType: string, entityId: string, actions: readonly string[], routes: readonly { method: string; route: string }[], limit: number) {
    return this.audit.listEntityHistory(entityType, entityId, actions, routes, limit);
  }

  /** The before/after snapshots of an entity's successful events with the given actions, in chain order. */
  listEntitySnapshots(entityType: string, entityId: string, actions: readonly string[]) {
    return this.audit.listEntitySnapshots(entityType, entityId, actions);
  }

  /**
   * Walks the whole chain: the archive files (when present) and the rows in the table, then compares the end
   * with the chain head. Finds changed, inserted and deleted rows.
   */
  async verify(dataDir: string | null, anchoring?: { anchors: readonly Anchor[]; badLines: readonly number[]; keyMissing: boolean }): Promise<VerifyResult> {
    // Pending events are chained first, so the walk covers every committed event.
    await this.chainPending();
    const problems: ChainProblem[] = [];
    // The hashes at the anchored positions, collected while walking (an anchor names a seq and its hash then).
    const anchored = new Map<number, string | undefined>((anchoring?.anchors ?? []).map((a) => [a.seq, undefined]));
    const note = (row: AuditRow) => {
      const seq = Number(row.seq);
      if (anchored.has(seq)) anchored.set(seq, row.hash);
    };
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let archivedRows = 0;
    for (const archive of await this.audit.listArchives()) {
      if (Number(archive.from_seq) !== expectedSeq || archive.first_prev_hash !== prevHash) {
        problems.push({ seq: expectedSeq, kind: 'archive', message: `归档 ${archive.file} 与前一段不衔接` });
      }
      if (dataDir !== null) {
        const parts = await new FileStore(this.audit.executor, dataDir).parts(archive.file);
        if (!parts) {
          problems.push({ seq: Number(archive.from_seq), kind: 'archive', message: `归档文件缺失：${archive.file}` });
        } else {
          const sha = crypto.createHash('sha256');
          const walker = new ChainWalker(Number(archive.from_seq), archive.first_prev_hash);
          for await (const row of archiveRows(parts, sha)) {
            walker.push(row);
            note(row);
          }
          if (sha.digest('hex') !== archive.file_sha256) {
            problems.push({ seq: Number(archive.from_seq), kind: 'archive', message: `归档文件已被改动：${archive.file}` });
          }
          problems.push(...walker.problems);
          if (walker.expectedSeq !== Number(archive.to_seq) + 1 || walker.prevHash !== archive.last_hash) {
            problems.push({ seq: Number(archive.to_seq), kind: 'archive', message: `归档文件 ${archive.file} 的末尾与登记不符` });
          }
          archivedRows += walker.count;
        }
      }
      expectedSeq = Number(archive.to_seq) + 1;
      prevHash = archive.last_hash;
    }
    const walker = new ChainWalker(expectedSeq, prevHash);
    for (let from = expectedSeq; ;) {
      const rows = await this.audit.listFrom(from, PAGE);
      for (const row of rows) {
        walker.push(row);
        note(row);
      }
      if (rows.length < PAGE) break;
      from = Number(rows[rows.length - 1]!.seq) + 1;
    }
    problems.push(...walker.problems);
    const head = await this.audit.head();
    const headSeq = Number(head.seq);
    if (walker.expectedSeq - 1 !== headSeq || walker.prevHash !== head.hash) {
      problems.push({
        seq: headSeq, kind: 'head_mismatch',
        message: walker.expectedSeq - 1 < headSeq
          ? `链尾缺少第 ${walker.expectedSeq}–${headSeq} 条记录（被删除）`
          : `链尾与链头登记不符（末尾记录被插入或修改，链头登记为第 ${headSeq} 条）`,
      });
    }
    if (anchoring) problems.push(...anchorProblems(anchoring, anchored, headSeq));
    return { ok: problems.length === 0, rows: walker.count, archivedRows, headSeq, headHash: head.hash, anchors: anchoring?.anchors.length ?? 0, problems };
  }

  /**
   * Moves rows older than the retention period to a JSON-lines file under dataDir/audit-archive, registers the
   * file with its sha256 and the chain hashes at both ends, and only then removes those rows from the table.
   * Refuses when the rows to archive do not verify.
   */
  async archive(executor: Executor, dataDir: string, retentionDays: number, now = clock.now()): Promise<{ file: string; rows: number } | null> {
    await this.chainPending();
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
    const first = await this.audit.findFirstSeq();
    if (first === undefined) return null;
    const firstKept = await this.audit.findFirstSeqAtOrAfter(cutoff);
    const toSeq = firstKept === undefined ? Number((await this.audit.head()).seq) : firstKept - 1;
    if (toSeq < first) return null;
    const archives = await this.audit.listArchives();
    const last = archives[archives.length - 1];
    const walker = new ChainWalker(last ? Number(last.to_seq) + 1 : 1, last ? last.last_hash : GENESIS_HASH);
    const firstPrevHash = walker.prevHash;
    // Kept in the database's file store, so every server reaches the archive (not one server's data directory).
    const relative = path.posix.join('audit-archive', `audit-${String(first).padStart(12, '0')}-${String(toSeq).padStart(12, '0')}.jsonl`);
    const files = new FileStore(executor, dataDir, { now: () => now });
    const out = files.writer(relative);
    const sha = crypto.createHash('sha256');
    for (let from = first; from <= toSeq;) {
      const rows = (await this.audit.listFrom(from, PAGE)).filter((r) => Number(r.seq) <= toSeq);
      if (rows.length === 0) break;
      let chunk = '';
      for (const row of rows) {
        walker.push(row);
        chunk += `${JSON.stringify(row)}\n`;
      }
      sha.update(chunk);
      await out.write(chunk);
      from = Number(rows[rows.length - 1]!.seq) + 1;
    }
    await out.close();
    if (walker.problems.length > 0 || walker.expectedSeq !== toSeq + 1) {
      await files.remove([relative]);
      throw new Error(`审计链校验失败，拒绝归档：${walker.problems.map((p) => p.message).join('；') || '记录不连续'}`);
    }
    const fileSha = sha.digest('hex');
    // The archive's own event commits with the rows' removal; in deferred mode it is chained after the commit
    // (inTransaction's afterCommit), before this returns.
    await inTransaction(executor, async (trx) => {
      const repo = new AuditRepository(trx);
      await repo.insertArchive({
        file: relative, from_seq: first, to_seq: toSeq, first_prev_hash: firstPrevHash, last_hash: walker.prevHash,
        file_sha256: fileSha, created_at: now.toISOString(),
      });
      await repo.deleteArchivedThrough(toSeq);
      await this.record(trx, null, {
        action: 'audit.archive', username: 'system', entityType: 'audit_archive', entityId: relative,
        details: { from_seq: first, to_seq: toSeq, rows: walker.count, file_sha256: fileSha, retention_days: retentionDays },
      });
    });
    return { file: relative, rows: walker.count };
  }
}

/**
 * What the anchors say about the chain: an anchor beyond the head means rows were deleted and the head moved back;
 * an anchored row whose hash differs means the chain was rewritten from there (a changed row, the rest re-hashed).
 * Anchors at archived positions are checked when the archive files were read.
 */
function anchorProblems(anchoring: { anchors: readonly Anchor[]; badLines: readonly number[]; keyMissing: boolean }, seen: Map<number, string | undefined>, headSeq: number): ChainProblem[] {
  const problems: ChainProblem[] = [];
  if (anchoring.keyMissing && anchoring.badLines.length > 0) {
    problems.push({ seq: 0, kind: 'anchor', message: '找不到锚点密钥，无法校验锚点文件' });
    return problems;
  }
  for (const line of anchoring.badLines) problems.push({ seq: 0, kind: 'anchor', message: `锚点文件第 ${line} 行无效或签名不符（锚点文件被改动）` });
  let reported = false;
  for (const a of anchoring.anchors) {
    if (a.seq > headSeq) {
      if (!reported) problems.push({ seq: a.seq, kind: 'anchor', message: `链尾被截断：${a.at} 的锚点记录链已到第 ${a.seq} 条，现在链头只到第 ${headSeq} 条` });
      reported = true;
      continue;
    }
    const hash = seen.get(a.seq);
    if (hash !== undefined && hash !== a.hash) {
      problems.push({ seq: a.seq, kind: 'anchor', message: `第 ${a.seq} 条记录的哈希与 ${a.at} 的锚点不符（链自此被改写）` });
    }
  }
  return problems;
}

/** The rows of an archive read part by part (lines may cross parts), hashing the bytes on the way. */
async function* archiveRows(parts: AsyncGenerator<Buffer>, sha: crypto.Hash): AsyncGenerator<AuditRow> {
  let rest = '';
  const decoder = new TextDecoder();
  for await (const part of parts) {
    sha.update(part);
    const text = rest + decoder.decode(part, { stream: true });
    const lines = text.split('\n');
    rest = lines.pop()!;
    for (const line of lines) if (line.trim()) yield JSON.parse(line) as AuditRow;
  }
  rest += decoder.decode();
  if (rest.trim()) yield JSON.parse(rest) as AuditRow;
}
