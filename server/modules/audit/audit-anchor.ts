import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { clock } from '../../clock.ts';
import type { Database } from '../../db/database.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditService } from './audit.service.ts';

/**
 * Anchors of the audit chain outside the database. Someone with write access to the database can rewrite the
 * chain's tail consistently (delete the last rows and move the head back, or change a row and re-hash the rest):
 * the chain alone cannot tell. So the head (seq, hash) is written, on a schedule and on demand, as a line of an
 * append-only file, with an HMAC-SHA256 under a key kept outside the database (a key file, by default in the data
 * directory; point DOCKET_AUDIT_ANCHOR_KEY and DOCKET_AUDIT_ANCHOR_FILE at a place the database's operators cannot
 * write, e.g. another host's mount). `docket audit verify` checks every anchor: its MAC, that the chain still
 * reaches its seq, and that the row at that seq still has its hash.
 */
export interface Anchor {
  seq: number;
  hash: string;
  at: string;
  mac: string;
}

/** Where the anchor key and the anchor file live. */
export interface AnchorPaths {
  keyFile: string;
  anchorFile: string;
}

/** The configured paths, defaulting to files in the data directory. */
export function anchorPathsOf(config: { dataDir: string; auditAnchorKeyFile?: string; auditAnchorFile?: string }): AnchorPaths {
  return {
    keyFile: config.auditAnchorKeyFile ?? path.join(config.dataDir, 'audit-anchor.key'),
    anchorFile: config.auditAnchorFile ?? path.join(config.dataDir, 'audit-anchors.jsonl'),
  };
}

/** The anchor key; created (32 random bytes, mode 0600) when `create` and absent. */
export function readAnchorKey(keyFile: string, create: boolean): Buffer | undefined {
  if (!fs.existsSync(keyFile)) {
    if (!create) return undefined;
    fs.mkdirSync(path.dirname(keyFile), { recursive: true });
    try {
      fs.writeFileSync(keyFile, crypto.randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another server created it first
    }
  }
  return Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'hex');
}

function macOf(key: Buffer, a: Omit<Anchor, 'mac'>): string {
  return crypto.createHmac('sha256', key).update(`docket-audit-anchor\n${a.seq}\n${a.hash}\n${a.at}`).digest('hex');
}

/** Reads the anchors; lines that do not parse or whose MAC is wrong are reported by line number. */
export function readAnchors(paths: AnchorPaths): { anchors: Anchor[]; badLines: number[]; keyMissing: boolean } {
  if (!fs.existsSync(paths.anchorFile)) return { anchors: [], badLines: [], keyMissing: false };
  const key = readAnchorKey(paths.keyFile, false);
  const lines = fs.readFileSync(paths.anchorFile, 'utf8').split('\n');
  const anchors: Anchor[] = [];
  const badLines: number[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const a = JSON.parse(line) as Anchor;
      const ok = key !== undefined && typeof a.seq === 'number' && typeof a.hash === 'string' && typeof a.at === 'string' && typeof a.mac === 'string'
        && a.mac.length === 64 && crypto.timingSafeEqual(Buffer.from(a.mac, 'hex'), Buffer.from(macOf(key, a), 'hex'));
      if (ok) anchors.push({ seq: a.seq, hash: a.hash, at: a.at, mac: a.mac });
      else badLines.push(i + 1);
    } catch {
      badLines.push(i + 1);
    }
  });
  return { anchors, badLines, keyMissing: key === undefined };
}

/**
 * Appends the chain head as an anchor unless the last anchor already names it; returns the anchor written. The
 * anchor's time is the server's clock (DOCKET_NOW in tests), not the machine's.
 */
export async function anchorAuditHead(database: Database, paths: AnchorPaths, now = clock.now()): Promise<Anchor | null> {
  const head = await new AuditService(new AuditRepository(database.db)).durableHead();
  const seq = Number(head.seq);
  if (seq === 0) return null;
  const key = readAnchorKey(paths.keyFile, true)!;
  const last = lastLine(paths.anchorFile);
  if (last) {
    try {
      if ((JSON.parse(last) as Anchor).seq === seq) return null;
    } catch { /* a damaged last line: verify reports it; write a fresh anchor after it */ }
  }
  const body = { seq, hash: head.hash, at: now.toISOString() };
  const anchor: Anchor = { ...body, mac: macOf(key, body) };
  fs.mkdirSync(path.dirname(paths.anchorFile), { recursive: true });
  const fd = fs.openSync(paths.anchorFile, 'a', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(anchor)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return anchor;
}

/** The file's last line, read from its tail (the file grows by a line per interval for years). */
function lastLine(file: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, 4096);
    const buf = Buffer.alloc(length);
    fs.readSync(fd, buf, 0, length, size - length);
    const text = buf.toString('utf8').trimEnd();
    return text ? text.slice(text.lastIndexOf('\n') + 1) : undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Anchors the head every `intervalMs` (a small self-contained timer, meant to move onto the platform's job runner);
 * returns a stop function that resolves once a run under way has finished. Failures are reported, never thrown.
 */
export function startAuditAnchoring(database: Database, paths: AnchorPaths, opts: { intervalMs: number; onError: (err: unknown) => void }): () => Promise<void> {
  let current: Promise<void> | undefined;
  const tick = () => {
    if (current) return;
    current = anchorAuditHead(database, paths).then(() => undefined, opts.onError).finally(() => { current = undefined; });
  };
  tick();
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  // Stopping clears the timer and waits for a run under way (its file write and the database it reads must outlive it).
  return async () => {
    clearInterval(timer);
    await current;
  };
}
