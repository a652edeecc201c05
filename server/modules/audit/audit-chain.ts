import crypto from 'node:crypto';
import type { AuditLogTable } from '../../db/schema.ts';

/** The hash before the first row of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The columns a row's hash covers, in a fixed order (everything but prev_hash and hash themselves). */
const HASHED_FIELDS = [
  'seq', 'at', 'user_id', 'username', 'role', 'ip', 'user_agent', 'action', 'outcome', 'entity_type', 'entity_id',
  'method', 'route', 'status', 'before_json', 'after_json', 'details_json',
] as const;

export type AuditRow = AuditLogTable;
export type AuditFields = Omit<AuditLogTable, 'prev_hash' | 'hash'>;

/** JSON with object keys sorted at every level, so that equal values always serialize to equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).sort().filter((k) => obj[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** sha256 over the previous hash and the canonical form of the row's hashed fields. */
export function hashAuditRow(prevHash: string, row: AuditFields): string {
  // Numbers are normalized so that a BIGINT read back as a string by some driver hashes the same.
  const fields = HASHED_FIELDS.map((f) => {
    const v = row[f];
    return f === 'seq' || f === 'user_id' || f === 'status' ? (v === null || v === undefined ? null : Number(v)) : (v ?? null);
  });
  return crypto.createHash('sha256').update(`${prevHash}\n${canonicalJson(fields)}`).digest('hex');
}

/** One problem found while walking a chain. */
export interface ChainProblem {
  seq: number;
  kind: 'changed' | 'missing' | 'inserted' | 'head_mismatch' | 'archive' | 'anchor';
  message: string;
}

/**
 * Walks rows in seq order from an expected position, reporting changed rows (hash does not match the content),
 * missing rows (a gap in seq) and inserted or re-linked rows (prev_hash does not match the row before).
 */
export class ChainWalker {
  expectedSeq: number;
  prevHash: string;
  readonly problems: ChainProblem[] = [];
  count = 0;
  constructor(startSeq: number, startHash: string) {
    this.expectedSeq = startSeq;
    this.prevHash = startHash;
  }

  push(row: AuditRow): void {
    const seq = Number(row.seq);
    if (seq > this.expectedSeq) {
      this.problems.push({ seq: this.expectedSeq, kind: 'missing', message: `第 ${this.expectedSeq}${seq - 1 > this.expectedSeq ? `–${seq - 1}` : ''} 条记录缺失（被删除）` });
    }
    if (row.prev_hash !== this.prevHash) {
      this.problems.push({ seq, kind: 'inserted', message: `第 ${seq} 条记录与前一条不衔接（被插入、删除或篡改链接）` });
    }
    if (hashAuditRow(row.prev_hash, row) !== row.hash) {
      this.problems.push({ seq, kind: 'changed', message: `第 ${seq} 条记录内容与其哈希不符（被修改）` });
    }
    this.expectedSeq = seq + 1;
    this.prevHash = row.hash;
    this.count += 1;
  }
}
