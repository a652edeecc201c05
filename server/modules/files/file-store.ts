import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../../core/clock.ts';
import { clock as serverClock } from '../../clock.ts';
import type { Executor } from '../../db/database.ts';
import { FileRepository } from './file.repository.ts';

/** Largest part of a stored file: a photo is one part; an audit archive is written and read part by part. */
export const PART_BYTES = 4 * 1024 * 1024;

/**
 * Files that every server must reach, kept in the database (stored_files) under a relative key such as
 * 'uploads/reports/12/<uuid>.jpg'. Files written by earlier versions into the data directory are still read from
 * there when the database has no such key.
 */
export class FileStore {
  private readonly repo: FileRepository;
  private readonly dataDir: string | null;
  private readonly clock: Clock;
  /** `clock` stamps stored files: the application's (deps.clock), else the server's (DOCKET_NOW in tests). */
  constructor(db: Executor, dataDir: string | null, clock: Clock = serverClock) {
    this.repo = new FileRepository(db);
    this.dataDir = dataDir;
    this.clock = clock;
  }

  /** Stores a whole file (in parts of PART_BYTES). */
  async put(key: string, data: Buffer): Promise<void> {
    const now = this.clock.now().toISOString();
    for (let part = 0, at = 0; at < data.length || part === 0; part++, at += PART_BYTES) {
      await this.repo.insertPart(key, part, data.subarray(at, at + PART_BYTES), now);
    }
  }

  /** A writer that stores a file part by part as it is produced (audit archives). */
  writer(key: string): { write(chunk: string | Buffer): Promise<void>; close(): Promise<void> } {
    const now = this.clock.now().toISOString();
    let pending: Buffer[] = [];
    let size = 0;
    let part = 0;
    const flush = async () => {
      await this.repo.insertPart(key, part++, Buffer.concat(pending), now);
      pending = [];
      size = 0;
    };
    return {
      write: async (chunk) => {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        pending.push(buf);
        size += buf.length;
        if (size >= PART_BYTES) await flush();
      },
      close: async () => {
        if (size > 0 || part === 0) await flush();
      },
    };
  }

  /** The file's parts in order; undefined when neither the database nor the legacy data directory has it. */
  async parts(key: string): Promise<AsyncGenerator<Buffer> | undefined> {
    const first = await this.repo.findPart(key, 0);
    if (first) {
      const repo = this.repo;
      return (async function* () {
        yield first;
        for (let part = 1; ; part++) {
          const next = await repo.findPart(key, part);
          if (!next) return;
          yield next;
        }
      })();
    }
    const legacy = this.legacyPath(key);
    if (!legacy || !fs.existsSync(legacy)) return undefined;
    return (async function* () {
      for await (const chunk of fs.createReadStream(legacy)) yield chunk as Buffer;
    })();
  }

  /** The whole file, or undefined. */
  async read(key: string): Promise<Buffer | undefined> {
    const parts = await this.parts(key);
    if (!parts) return undefined;
    const out: Buffer[] = [];
    for await (const p of parts) out.push(p);
    return Buffer.concat(out);
  }

  /** Removes files (and their legacy copies), ignoring ones already gone. */
  async remove(keys: string[]): Promise<void> {
    await this.repo.deleteKeys(keys);
    for (const key of keys) {
      const legacy = this.legacyPath(key);
      if (legacy) await fs.promises.rm(legacy, { force: true });
    }
  }

  /** Keys under a prefix. */
  listKeys(prefix: string): Promise<string[]> {
    return this.repo.listKeys(prefix);
  }

  /** A key's place in the data directory (files of earlier versions); never outside it. */
  private legacyPath(key: string): string | undefined {
    if (this.dataDir === null) return undefined;
    const full = path.resolve(this.dataDir, key);
    return full.startsWith(path.resolve(this.dataDir) + path.sep) ? full : undefined;
  }
}
