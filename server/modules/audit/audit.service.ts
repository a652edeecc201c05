import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Actor, AuditEvent, AuditRecorder } from '../../platform/context.ts';
import type { Executor } from '../../db/database.ts';
import { ChainWalker, GENESIS_HASH, type AuditRow, type ChainProblem } from './audit-chain.ts';
import { AuditRepository } from './audit.repository.ts';
import type { AuditQuery } from './audit.schema.ts';
import { clock } from '../../clock.ts';

/** One event for the audit trail (defined in platform/context.ts). Who and from where come from the actor. */
export type { AuditEvent };

/** The result of `docket audit verify`. */
export interface VerifyResult {
  ok: boolean;
  rows: number;
  archivedRows: number;
  headSeq: number;
  headHash: string;
  problems: ChainProblem[];
}

const PAGE = 1000;
const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

/** The append-only, hash-chained audit trail: record, search, verify, archive. */
export class AuditService implements AuditRecorder {
  private readonly audit: AuditRepository;
  constructor(audit: AuditRepository) {
    this.audit = audit;
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
      details_json: json(event.details),
    };
    if (executor.isTransaction) {
      await new AuditRepository(executor).append(entry);
    } else {
      await executor.transaction().execute((trx) => new AuditRepository(trx).append(entry));
    }
  }

  /** A page of audit rows matching the filter, newest first. */
  async search(query: AuditQuery) {
    const { items, total } = await this.audit.search(query);
    const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));
    return {
      total, page: query.page, page_size: query.page_size,
      items: items.map(({ before_json, after_json, details_json, ...rest }) => ({
        ...rest, before: parse(before_json), after: parse(after_json), details: parse(details_json),
      })),
    };
  }

  /**
   * Walks the whole chain: the archive files (when present) and the rows in the table, then compares the end
   * with the chain head. Finds changed, inserted and deleted rows.
   */
  async verify(dataDir: string | null): Promise<VerifyResult> {
    const problems: ChainProblem[] = [];
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let archivedRows = 0;
    for (const archive of await this.audit.listArchives()) {
      if (Number(archive.from_seq) !== expectedSeq || archive.first_prev_hash !== prevHash) {
        problems.push({ seq: expectedSeq, kind: 'archive', message: `归档 ${archive.file} 与前一段不衔接` });
      }
      if (dataDir !== null) {
        const file = path.join(dataDir, archive.file);
        if (!fs.existsSync(file)) {
          problems.push({ seq: Number(archive.from_seq), kind: 'archive', message: `归档文件缺失：${archive.file}` });
        } else {
          if ((await sha256File(file)) !== archive.file_sha256) {
            problems.push({ seq: Number(archive.from_seq), kind: 'archive', message: `归档文件已被改动：${archive.file}` });
          }
          const walker = new ChainWalker(Number(archive.from_seq), archive.first_prev_hash);
          for await (const row of readArchive(file)) walker.push(row);
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
      for (const row of rows) walker.push(row);
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
    return { ok: problems.length === 0, rows: walker.count, archivedRows, headSeq, headHash: head.hash, problems };
  }

  /**
   * Moves rows older than the retention period to a JSON-lines file under dataDir/audit-archive, registers the
   * file with its sha256 and the chain hashes at both ends, and only then removes those rows from the table.
   * Refuses when the rows to archive do not verify.
   */
  async archive(executor: Executor, dataDir: string, retentionDays: number, now = clock.now()): Promise<{ file: string; rows: number } | null> {
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
    const relative = path.join('audit-archive', `audit-${String(first).padStart(12, '0')}-${String(toSeq).padStart(12, '0')}.jsonl`);
    const file = path.join(dataDir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, 'wx');
    try {
      for (let from = first; from <= toSeq;) {
        const rows = (await this.audit.listFrom(from, PAGE)).filter((r) => Number(r.seq) <= toSeq);
        if (rows.length === 0) break;
        for (const row of rows) {
          walker.push(row);
          fs.writeSync(fd, `${JSON.stringify(row)}\n`);
        }
        from = Number(rows[rows.length - 1]!.seq) + 1;
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (walker.problems.length > 0 || walker.expectedSeq !== toSeq + 1) {
      fs.rmSync(file);
      throw new Error(`审计链校验失败，拒绝归档：${walker.problems.map((p) => p.message).join('；') || '记录不连续'}`);
    }
    const fileSha = await sha256File(file);
    await executor.transaction().execute(async (trx) => {
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
 * Appends one event in the caller's transaction, for services that hold only repositories: the event commits or
 * rolls back with the change it describes.
 */
export function recordAudit(executor: Executor, actor: Actor | null, event: AuditEvent): Promise<void> {
  return new AuditService(new AuditRepository(executor)).record(executor, actor, event);
}

async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function* readArchive(file: string): AsyncGenerator<AuditRow> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim()) yield JSON.parse(line) as AuditRow;
}
